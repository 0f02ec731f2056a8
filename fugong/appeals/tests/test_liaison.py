from __future__ import annotations

import datetime as dt
import io

import openpyxl

from fugong.accounts.models import Role
from fugong.appeals.models import VisitLog
from fugong.audit.models import AuditEvent
from fugong.lib.dates import business_today
from fugong.lib.testing import hire, make_user
from fugong.orgs.models import LiaisonAssignment


def test_the_work_page_shows_status_of_each_assigned_enterprise(
    login, liaison_officer, world, file_appeal
):
    hire(world.enterprise, name="王五")
    file_appeal("labour", "缺普工")
    response = login(liaison_officer).get("/liaison/")
    assert response.status_code == 200
    page = response.content.decode()
    assert world.enterprise.name in page and world.other_enterprise.name not in page
    assert "0 / 1" in page  # nobody of the roster of one has checked in today
    from fugong.appeals.selectors import work_page
    from fugong.resumption.selectors import is_resumed

    row = work_page(liaison_officer)[0]
    # "resumed?" is the resumption app's answer, whatever it is for this enterprise today
    assert row["resumed"] is is_resumed(world.enterprise, business_today())
    assert row["open_appeals"] == 1 and row["roster"] == 1 and row["checked_in"] == 0


def test_the_work_page_is_for_liaison_officers(login, enterprise_admin, department_officer):
    for user in (enterprise_admin, department_officer):
        assert login(user).get("/liaison/").status_code == 404
        assert login(user).get("/liaison/summary/").status_code == 404
        assert login(user).get("/liaison/visits/new/").status_code == 404


def test_a_visit_is_logged_with_the_appeals_it_raised(login, liaison_officer, world, file_appeal):
    appeal = file_appeal("labour", "缺普工", actor=liaison_officer)
    response = login(liaison_officer).post(
        "/liaison/visits/new/",
        {"enterprise": world.enterprise.pk, "date": business_today().isoformat(),
         "met": "王经理", "findings": "员工到岗七成", "appeals": [appeal.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    visit = VisitLog.objects.get()
    assert visit.officer == liaison_officer and list(visit.appeals.all()) == [appeal]
    assert AuditEvent.objects.filter(action="liaison.visit_logged").exists()
    page = login(liaison_officer).get("/liaison/").content.decode()
    assert "员工到岗七成" in page


def test_a_visit_to_an_unassigned_enterprise_is_refused(login, liaison_officer, world):
    response = login(liaison_officer).post(
        "/liaison/visits/new/",
        {"enterprise": world.other_enterprise.pk, "date": business_today().isoformat(),
         "met": "x", "findings": "y"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not VisitLog.objects.exists()


def test_the_weekly_summary_is_built_from_the_records(login, liaison_officer, world, file_appeal):
    from fugong.appeals.actions import do_log_visit

    appeal = file_appeal("logistics", "原料运输受阻", actor=liaison_officer)
    do_log_visit(liaison_officer, world.enterprise, date=business_today(), met="王经理",
                 findings="原料断供", appeals=[appeal], actor=liaison_officer)  # fmt: skip
    response = login(liaison_officer).get("/liaison/summary/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "原料断供" in page and "原料运输受阻" in page
    from fugong.appeals.selectors import weekly_summary

    s = weekly_summary(liaison_officer, business_today())
    assert s["visited"] == 1 and s["assigned"] == 1 and len(s["raised"]) == 1
    assert s["not_visited"] == []


def test_bulk_assignment_from_a_list(login, command_centre, world):
    officer = make_user("li_new", Role.LIAISON_OFFICER)
    codes = f"{world.enterprise.credit_code}\n{world.other_enterprise.credit_code}\n"
    response = login(command_centre).post("/liaison/assign/", {"officer": "li_new", "codes": codes})
    assert response.status_code == 302
    assert set(
        LiaisonAssignment.objects.filter(officer=officer).values_list("enterprise", flat=True)
    ) == {world.enterprise.pk, world.other_enterprise.pk}


def test_bulk_assignment_counts_read_in_words_that_fit_one_row(login, command_centre, world):
    # "1 rows read, 1 new assignments." in English.
    make_user("li_one", Role.LIAISON_OFFICER)
    client = login(command_centre)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(
        "/liaison/assign/",
        {"officer": "li_one", "codes": world.enterprise.credit_code},
        follow=True,
    )
    assert "Rows read: 1; new assignments: 1." in response.content.decode()


def test_bulk_assignment_reports_every_bad_row_and_saves_nothing(login, command_centre, world):
    make_user("li_new", Role.LIAISON_OFFICER)
    codes = f"{world.enterprise.credit_code}\n91440604MA00000000\n"
    response = login(command_centre).post("/liaison/assign/", {"officer": "li_new", "codes": codes})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page and "91440604MA00000000" in page
    assert not LiaisonAssignment.objects.filter(officer__username="li_new").exists()


def test_bulk_assignment_from_xlsx(login, command_centre, world):
    officer = make_user("li_x", Role.LIAISON_OFFICER)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["联络员", "统一社会信用代码"])
    sheet.append(["li_x", world.sibling_enterprise.credit_code])
    sheet.append(["li_x", world.other_enterprise.credit_code])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "assign.xlsx"
    response = login(command_centre).post("/liaison/assign/", {"file": buffer})
    assert response.status_code == 302
    assert LiaisonAssignment.objects.filter(officer=officer, active=True).count() == 2


def test_an_xlsx_without_a_worksheet_is_refused_as_not_an_xlsx_file(login, command_centre, world):
    import zipfile

    good = io.BytesIO()
    openpyxl.Workbook().save(good)
    broken = io.BytesIO()  # the same package, its workbook part naming no sheet
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            target.writestr(name, b"<A/>" if name == "xl/workbook.xml" else source.read(name))
    broken.seek(0)
    broken.name = "assign.xlsx"
    response = login(command_centre).post("/liaison/assign/", {"file": broken})
    assert response.status_code == 200  # the form again, with the file's error
    assert "这不是 .xlsx 文件" in response.content.decode()
    assert not LiaisonAssignment.objects.exists()


def test_a_district_officer_assigns_only_within_his_district(login, district_officer, world):
    make_user("li_d", Role.LIAISON_OFFICER)
    response = login(district_officer).post(
        "/liaison/assign/", {"officer": "li_d", "codes": world.other_enterprise.credit_code}
    )
    assert response.status_code == 200
    assert not LiaisonAssignment.objects.filter(officer__username="li_d").exists()


def test_a_non_liaison_user_cannot_be_assigned(login, command_centre, world, outsider):
    response = login(command_centre).post(
        "/liaison/assign/", {"officer": "outsider", "codes": world.enterprise.credit_code}
    )
    assert response.status_code == 200
    assert not LiaisonAssignment.objects.filter(officer=outsider).exists()


def test_enterprises_and_departments_cannot_assign(login, enterprise_admin, department_officer):
    for user in (enterprise_admin, department_officer):
        assert login(user).get("/liaison/assign/").status_code == 404


def test_the_dashboard_reports_liaison_coverage_of_key_enterprises(
    login, command_centre, liaison_officer, world
):
    from fugong.appeals.actions import do_log_visit

    do_log_visit(liaison_officer, world.enterprise, date=business_today(), met="王经理",
                 findings="正常", actor=liaison_officer)  # fmt: skip
    from fugong.appeals.selectors import liaison_coverage

    coverage = liaison_coverage(command_centre, business_today())
    assert (coverage["key"], coverage["assigned"], coverage["visited"]) == (3, 1, 1)
    assert (
        'data-testid="coverage"'
        in login(command_centre).get("/appeals/dashboard/").content.decode()
    )


def test_a_week_at_either_end_of_the_calendar_shows_this_week(login, liaison_officer):
    # ?week=0001-01-01 had no week before it to link to: a server error.
    client = login(liaison_officer)
    monday = client.get("/liaison/summary/").context["s"]["monday"]
    for week in ("0001-01-01", "9999-12-31"):
        response = client.get("/liaison/summary/", {"week": week})
        assert response.status_code == 200 and response.context["s"]["monday"] == monday
        assert f"?week={(monday - dt.timedelta(days=7)).isoformat()}" in response.content.decode()
