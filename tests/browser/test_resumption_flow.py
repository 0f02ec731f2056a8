"""An application goes from submission to parallel approval to the dashboard, in Chromium."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login_as


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_application_goes_from_submission_to_approval_to_the_dashboard(
    browser_page, phone_page, screenshot
):
    from fugong.accounts.models import Role
    from fugong.lib.dates import business_today
    from fugong.lib.testing import build_world, make_user
    from fugong.policy.actions import do_save_policy_version
    from fugong.resumption.models import Application
    from fugong.resumption.policies import RESUMPTION

    world = build_world()
    data = RESUMPTION.current()
    data["district_risk_levels"] = {world.district.code: "medium"}
    do_save_policy_version(RESUMPTION, data, note="browser test", actor=None)
    RESUMPTION.forget()
    make_user("ent", Role.ENTERPRISE_ADMIN, enterprise=world.enterprise)
    make_user("town", Role.TOWNSHIP_OFFICER, division=world.township)
    make_user("gxj", Role.DEPARTMENT_OFFICER, department=world.gxj)
    make_user("command", Role.COMMAND_CENTRE, division=world.city)

    # The enterprise admin applies on a phone.
    page = phone_page
    login_as(page, "ent", "pw-ent")
    page.goto(page.base_url + "/resumption/")
    page.click("[data-testid=apply]")
    page.fill("input[name=planned_date]", business_today().isoformat())
    page.fill("input[name=staff_planned]", "150")
    page.fill("input[name=staff_from_outside]", "20")
    page.fill("input[name=staff_from_risk_areas]", "1")
    for name in (
        "entrance_guard",
        "temperature_checks",
        "staggered_meals",
        "shuttle_disinfection",
        "fever_hotline",
        "principal_responsible",
    ):
        page.check(f"input[name=item_{name}]")
    page.fill("input[name=item_isolation_rooms]", "1")  # too few for 150 staff
    page.fill("input[name=item_supplies_days]", "5")
    page.fill("input[name=item_dorm_people_per_room]", "0")
    page.fill("input[name=item_dorm_area_per_person]", "0")
    page.click("button[name=check]")
    missing = page.locator("[data-testid=missing]")
    assert "隔离观察室" in missing.inner_text()
    assert "承诺书" in missing.inner_text()
    page.fill("input[name=item_isolation_rooms]", "2")
    page.check("input[name=commitment]")
    page.click("[data-testid=submit-application]")
    assert page.locator("[data-testid=application-status]").inner_text().strip() == "已提交"
    screenshot(page, "resumption-submitted-phone")
    application = Application.objects.get()
    assert application.route == "standard"

    # The township and the department approve in parallel.
    for user in ("town", "gxj"):
        desk = browser_page
        desk.context.clear_cookies()
        login_as(desk, user, f"pw-{user}")
        desk.goto(desk.base_url + f"/resumption/applications/{application.pk}/")
        desk.check("input[name=decision][value=approve]")
        desk.click("[data-testid=decide]")
    status = browser_page.locator("[data-testid=application-status]").inner_text().strip()
    assert status == "已同意"
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.effective_date == business_today()

    # The command centre sees it on the dashboard.
    desk = browser_page
    desk.context.clear_cookies()
    login_as(desk, "command", "pw-command")
    desk.goto(desk.base_url + "/resumption/dashboard/")
    assert desk.locator("[data-testid=total-resumed-district]").inner_text().strip() == "1"
    assert desk.locator("[data-testid=trend]").is_visible()
    desk.click("text=禅城区")
    assert "祖庙街道" in desk.content()
    screenshot(desk, "resumption-dashboard")
