"""An enterprise admin logs in, sees the home page, switches language and logs out."""

import pytest

from fugong.accounts.models import Role
from fugong.lib.testing import build_world, make_user
from tests.browser.conftest import login_as


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_enterprise_admin_logs_in_switches_language_and_logs_out(browser_page, screenshot):
    world = build_world()
    make_user("admin_a", Role.ENTERPRISE_ADMIN, enterprise=world.enterprise)
    page = browser_page

    login_as(page, "admin_a", "pw-admin_a")
    page.wait_for_selector("[data-testid=home-title]")
    assert "欢迎" in page.inner_text("[data-testid=home-title]")
    assert "甲电器有限公司" in page.content()
    screenshot(page, "foundation-home-zh")

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("text=Welcome")
    assert "Log out" in page.inner_text("[data-testid=logout]")
    screenshot(page, "foundation-home-en")

    page.click("[data-testid=logout]")
    page.wait_for_url("**/login/")
    assert page.locator("input[name=username]").is_visible()
    page.goto(page.base_url + "/")
    assert "/login/" in page.url
