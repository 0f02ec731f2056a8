"""Every page works under the Content-Security-Policy: nothing it needs is blocked or missing."""

from __future__ import annotations

import pytest

from fugong.accounts.models import Role
from fugong.lib.testing import build_world, make_user

from .conftest import login_as


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_main_pages_and_the_api_docs_run_under_the_policy(browser_page):
    world = build_world()
    make_user("csp-command", Role.COMMAND_CENTRE, division=world.city)
    page = browser_page
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    missing: list[str] = []  # the favicon was a 404 on every page
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.on(
        "console",
        lambda m: missing.append(m.text) if "Failed to load resource" in m.text else None,
    )
    login_as(page, "csp-command", "pw-csp-command")
    for path in ["/", "/resumption/dashboard/", "/resumption/briefing/", "/appeals/dashboard/",
                 "/enterprises/", "/policy/", "/audit/"]:  # fmt: skip
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
    page.goto(page.base_url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)  # Swagger UI drew the API
    assert blocked == []
    assert missing == []
