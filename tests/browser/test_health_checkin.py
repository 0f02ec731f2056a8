"""An employee checks in on a phone-sized screen, then the enterprise admin sees the board."""

from __future__ import annotations

import uuid

import pytest

from fugong.accounts.models import Role
from fugong.health.actions import submit_checkins
from fugong.lib.dates import business_today
from fugong.lib.testing import build_world, hire, make_user

from .conftest import login_as


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_employee_checks_in_on_a_phone_and_sees_the_status(phone_page, screenshot, monkeypatch):
    from fugong.health.models import CheckIn

    world = build_world()
    # The enterprise's resumption was approved (the resumption workflow is not under test).
    monkeypatch.setattr(
        "fugong.resumption.selectors.resumed_enterprise_ids",
        lambda day, ids=None: {world.enterprise.pk},
    )
    monkeypatch.setattr(
        "fugong.resumption.selectors.resumed_days_from",
        lambda changes, days: dict.fromkeys(days, True),
    )
    user = make_user("phone-employee", Role.EMPLOYEE, enterprise=world.enterprise)
    person = hire(world.enterprise, name="陈十")
    person.user = user
    person.save(update_fields=["user"])
    page = phone_page
    login_as(page, "phone-employee", "pw-phone-employee")
    page.click("[data-testid=widget-checkin-button]")
    page.wait_for_selector("[data-testid=checkin-form]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("input[name=temperature]", "36.6")
    page.check("input[name=work_mode][value=onsite]")
    screenshot(page, "health-checkin-phone-form")
    page.click("[data-testid=checkin-submit]")
    page.wait_for_selector("[data-testid=status]")
    assert page.inner_text("[data-testid=health-code]") == "绿码"
    assert "今天可以到岗" in page.inner_text("[data-testid=can-work]")
    screenshot(page, "health-checkin-phone-status")
    row = CheckIn.objects.get(person=person)
    assert str(row.temperature) == "36.6" and row.via == "web"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_fever_on_the_phone_shows_yellow_and_the_admin_sees_the_alert(
    phone_page, browser_page, screenshot
):
    world = build_world()
    user = make_user("fever-employee", Role.EMPLOYEE, enterprise=world.enterprise)
    person = hire(world.enterprise, name="林十一")
    person.user = user
    person.save(update_fields=["user"])
    make_user("board-admin", Role.ENTERPRISE_ADMIN, enterprise=world.enterprise)
    login_as(phone_page, "fever-employee", "pw-fever-employee")
    phone_page.goto(phone_page.base_url + "/checkin/")
    phone_page.fill("input[name=temperature]", "38.2")
    phone_page.check("input[name=symptoms][value=cough]")
    phone_page.click("[data-testid=checkin-submit]")
    phone_page.wait_for_selector("[data-testid=status]")
    assert phone_page.inner_text("[data-testid=health-code]") == "黄码"
    assert "38.2" in phone_page.inner_text("[data-testid=reasons]")
    login_as(browser_page, "board-admin", "pw-board-admin")
    browser_page.goto(browser_page.base_url + "/health/board/")
    assert "林十一" in browser_page.inner_text("[data-testid=board]")
    assert browser_page.is_visible("[data-testid=alerts]")
    screenshot(browser_page, "health-board-alert")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_board_on_a_phone_keeps_names_and_headings_whole_and_scrolls_the_table(
    phone_page, screenshot
):
    # Before, the table squeezed into 390 px and broke Chinese names and headings into a column
    # of single characters (欧/阳/娜/娜); now the table scrolls sideways inside its frame.
    # The reasons of a yellow status were squeezed into a 7-character column, four lines tall,
    # with "38.6" and "°C" on two lines; they keep a readable width now.
    world = build_world()
    person = hire(world.enterprise, name="欧阳娜娜")
    admin = make_user("phone-admin", Role.ENTERPRISE_ADMIN, enterprise=world.enterprise)
    [(status, body)] = submit_checkins(
        world.enterprise,
        [
            {
                "id_number": person.id_number,
                "date": business_today().isoformat(),
                "temperature": 38.6,
                "symptoms": ["cough"],
                "location": "440604",
                "close_contact": False,
                "work_mode": "onsite",
                "client_id": str(uuid.uuid4()),
            }
        ],
        actor=admin,
    )
    assert (status, body["health_code"]) == (201, "yellow")
    page = phone_page
    login_as(page, "phone-admin", "pw-phone-admin")
    page.goto(page.base_url + "/health/board/")
    name = page.locator("[data-testid=board] tbody a", has_text="欧阳娜娜")
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('[data-testid=board] td')).lineHeight)"
    )
    assert name.bounding_box()["height"] < 1.5 * line
    for heading in page.locator("[data-testid=board] th").all():
        assert heading.bounding_box()["height"] < 1.5 * line + 20, heading.inner_text()
    reasons = page.locator("[data-testid=board] tr", has_text="欧阳娜娜").locator("td").last
    assert "今日发热:38.6 °C。" in reasons.inner_text()
    assert reasons.bounding_box()["height"] < 2.5 * line + 20  # two lines at most
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "health-board-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_qr_code_page_fits_a_phone(phone_page, screenshot):
    # The link under the QR code is one long word: it made the whole page scroll sideways.
    world = build_world()
    make_user("qr-admin", Role.ENTERPRISE_ADMIN, enterprise=world.enterprise)
    page = phone_page
    login_as(page, "qr-admin", "pw-qr-admin")
    page.goto(page.base_url + "/health/link/")
    assert "/c/" in page.inner_text("[data-testid=link-url]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "health-link-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_employee_pages_through_a_long_history_on_a_phone(phone_page, screenshot):
    # The history showed the latest 60 check-ins and nothing older, with no page links.
    import datetime as dt

    from fugong.health.models import CheckIn

    world = build_world()
    user = make_user("history-employee", Role.EMPLOYEE, enterprise=world.enterprise)
    person = hire(world.enterprise, name="周十二")
    person.user = user
    person.save(update_fields=["user"])
    today = business_today()
    CheckIn.objects.bulk_create(
        CheckIn(
            person=person,
            enterprise=world.enterprise,
            date=today - dt.timedelta(days=k),
            temperature="36.1" if k == 69 else "36.5",
            location="440604",
            work_mode="onsite",
        )
        for k in range(70)
    )
    page = phone_page
    login_as(page, "history-employee", "pw-history-employee")
    for language in ("zh", "en"):
        page.goto(page.base_url + "/checkin/history/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        pager = page.locator("nav.pager").first
        assert pager.bounding_box()["width"] <= 390
        screenshot(page, f"health-history-phone-{language}")
        page.locator("nav.pager a").first.click()
        page.wait_for_url("**/checkin/history/?page=2")
        assert "36.1" in page.inner_text("[data-testid=history]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        if language == "zh":
            page.click("[data-testid=lang-en]")
