"""The enterprise admin keeps the roster from a phone's browser."""

from __future__ import annotations

import datetime as dt

import pytest
import xlsxwriter

from fugong.accounts.models import Role
from fugong.audit.models import AuditEvent
from fugong.lib.dates import business_today
from fugong.lib.testing import build_world, hire, make_user, valid_id_number
from fugong.people.models import Employment

from .conftest import login_as


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_changing_a_post_in_the_browser_keeps_the_start_date(phone_page):
    # The date picker was filled with 2022/05/11, which a browser cannot show: it showed an
    # empty field and sent it back empty, and saving a new post erased the start date.
    world = build_world()
    employment = hire(world.enterprise, name="严峰", post="保安").employments.get()
    Employment.objects.filter(pk=employment.pk).update(start_date=dt.date(2022, 5, 11))
    make_user("roster-admin", Role.ENTERPRISE_ADMIN, enterprise=world.enterprise)
    page = phone_page
    login_as(page, "roster-admin", "pw-roster-admin")
    page.goto(page.base_url + f"/people/roster/{employment.pk}/edit/")
    assert page.input_value("input[name=start_date]") == "2022-05-11"
    page.fill("input[name=post]", "门卫")
    page.click("button.primary")
    page.wait_for_url("**/people/roster/")
    employment.refresh_from_db()
    assert (employment.post, employment.start_date) == ("门卫", dt.date(2022, 5, 11))
    assert "2022-05-11" in page.locator("[data-testid=roster] tr", has_text="严峰").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ending_an_employment_in_the_browser_asks_and_takes_the_last_day(phone_page, screenshot):
    world = build_world()
    employment = hire(world.enterprise, name="丁秀英").employments.get()
    make_user("end-admin", Role.ENTERPRISE_ADMIN, enterprise=world.enterprise)
    page = phone_page
    login_as(page, "end-admin", "pw-end-admin")
    page.goto(page.base_url + "/people/roster/")
    page.locator("[data-testid=roster] tr", has_text="丁秀英").locator("text=终止雇佣").click()
    form = page.locator("[data-testid=end-employment-form]")
    assert "丁秀英" in form.inner_text()
    assert page.input_value("input[name=end_date]") == business_today().isoformat()
    employment.refresh_from_db()
    assert employment.active  # nothing happens before the admin confirms
    last_day = business_today() - dt.timedelta(days=2)
    page.fill("input[name=end_date]", last_day.isoformat())
    screenshot(page, "roster-end-phone")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/people/roster/")
    assert "已终止雇佣关系" in page.inner_text("body")
    assert "丁秀英" not in page.inner_text("[data-testid=roster]")
    employment.refresh_from_db()
    assert (employment.active, employment.end_date) == (False, last_day)
    assert AuditEvent.objects.filter(action="employment.ended").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_import_with_errors_reports_each_reason_readably_on_a_phone(
    phone_page, screenshot, tmp_path
):
    # The reasons ran on one line past the screen's edge: they wrap inside it now.
    world = build_world()
    make_user("import-admin", Role.ENTERPRISE_ADMIN, enterprise=world.enterprise)
    book = xlsxwriter.Workbook(tmp_path / "名单.xlsx")
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["姓名", "身份证号", "手机号", "居住地代码", "岗位", "入职日期"])
    sheet.write_row(1, 0, ["王一", valid_id_number(seq=901), "13912340001", "440604001001"])
    sheet.write_row(2, 0, ["王三", valid_id_number(seq=902), "13912340003", "999999"])
    book.close()
    page = phone_page
    login_as(page, "import-admin", "pw-import-admin")
    page.goto(page.base_url + "/people/roster/")
    page.set_input_files("input[name=file]", str(tmp_path / "名单.xlsx"))
    page.locator("form", has=page.locator("input[name=file]")).locator("[type=submit]").click()
    page.wait_for_url("**/people/roster/import/*/")
    reason = page.locator("tbody tr", has_text="居住地代码").locator("td").last
    reason.wait_for()
    box = reason.bounding_box()
    assert box["x"] + box["width"] <= 390  # the whole reason on the screen, wrapped
    assert Employment.objects.filter(enterprise=world.enterprise).count() == 0  # nothing half
    screenshot(page, "roster-import-errors-phone")
