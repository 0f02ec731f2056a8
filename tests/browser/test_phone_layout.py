"""Officers' pages fit a phone's width: wide tables scroll inside their frame, long texts wrap
and form fields shrink; the page itself never scrolls sideways."""

from __future__ import annotations

import pytest

from fugong.accounts.models import Role
from fugong.lib.testing import build_world, make_user
from fugong.orgs.models import Enterprise
from fugong.policy import registry

from .conftest import login_as


def overflowing(page, paths: list[str]) -> dict[str, int]:
    """The pages wider than the phone's 390 px, with their width."""
    wide = {}
    for path in paths:
        assert page.goto(page.base_url + path).status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    return wide


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_command_centres_pages_fit_a_phone(phone_page, screenshot):
    world = build_world()
    make_user("phone-command", Role.COMMAND_CENTRE, division=world.city)
    page = phone_page
    login_as(page, "phone-command", "pw-phone-command")
    # The policy forms held 40-column text boxes wider than the screen.
    paths = [f"/policy/{policy.key}/" for policy in registry.all_policies()]
    paths += ["/", "/policy/", "/resumption/dashboard/", "/appeals/", "/enterprises/", "/audit/"]
    paths += ["/health/alerts/"]
    assert overflowing(page, paths) == {}
    # In English the labels are longer: an enterprise's facts (label, value) overflowed, with
    # a credit code of wide letters (as the synthetic city's) beside "Responsible person".
    Enterprise.objects.filter(pk=world.enterprise.pk).update(credit_code="9144060406X4HWWRKK")
    page.click("[data-testid=lang-en]")
    paths = [f"/enterprises/{world.enterprise.pk}/", "/resumption/dashboard/", "/policy/"]
    assert overflowing(page, paths) == {}
    screenshot(page, "command-enterprise-phone-en")
