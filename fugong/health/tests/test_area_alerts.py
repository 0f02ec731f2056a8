"""Township and district officers see the day's alerts across the enterprises of their area."""

from __future__ import annotations

import datetime as dt

import pytest

from fugong.lib.dates import business_today
from fugong.lib.testing import hire

from .conftest import stored_checkin


@pytest.fixture
def checkins(world):
    """In township T (enterprise A): 37.2 °C, 37.3 °C, a cough, a red status; in township U
    (enterprise B): a fever; yesterday in A: a fever."""
    today = business_today()
    made = {}
    for name, enterprise, fields, day in [
        ("体温37.2", world.enterprise, {"temperature": "37.2"}, today),
        ("体温37.3", world.enterprise, {"temperature": "37.3"}, today),
        ("咳嗽者", world.enterprise, {"symptoms": ["cough"]}, today),
        ("红码者", world.enterprise, {"health_code": "red"}, today),
        ("外镇发热", world.other_enterprise, {"temperature": "38.4"}, today),
        ("昨日发热", world.enterprise, {"temperature": "38.0"}, today - dt.timedelta(days=1)),
    ]:
        made[name] = stored_checkin(hire(enterprise, name=name), enterprise, day, **fields)
    return made


def test_the_township_sees_fevers_symptoms_and_red_of_its_area_only(
    checkins, township_officer, login
):
    response = login(township_officer).get("/health/alerts/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("体温37.3", "咳嗽者", "红码者"):  # 37.3 °C is a fever under the default policy
        assert name in html, name
    for name in ("体温37.2", "外镇发热", "昨日发热"):
        assert name not in html, name
    assert "3 条预警" in html and "咳嗽" in html
    assert 'href="/health/people/' in html  # each name opens the person's status


def test_another_day_and_another_township(
    checkins, township_officer, other_township_officer, login
):
    yesterday = (business_today() - dt.timedelta(days=1)).isoformat()
    html = login(township_officer).get("/health/alerts/", {"date": yesterday}).content.decode()
    assert "昨日发热" in html and "咳嗽者" not in html
    html = login(other_township_officer).get("/health/alerts/").content.decode()
    assert "外镇发热" in html and "红码者" not in html


def test_the_district_and_the_command_centre_see_their_wider_areas(
    checkins, district_officer, command_centre, login
):
    html = login(district_officer).get("/health/alerts/").content.decode()
    assert "红码者" in html and "外镇发热" not in html  # township U is in another district
    html = login(command_centre).get("/health/alerts/").content.decode()
    assert "红码者" in html and "外镇发热" in html


@pytest.mark.parametrize(
    "persona", ["employee", "enterprise_admin", "department_officer", "outsider"]
)
def test_who_has_no_area_of_people_gets_404(checkins, persona, request, login):
    assert login(request.getfixturevalue(persona)).get("/health/alerts/").status_code == 404


def test_the_alert_list_costs_the_same_queries_for_many_alerts(
    world, checkins, township_officer, login, django_assert_max_num_queries
):
    client = login(township_officer)
    for i in range(30):
        person = hire(world.enterprise, name=f"发热{i}")
        stored_checkin(person, world.enterprise, business_today(), temperature="38.1")
    with django_assert_max_num_queries(12):
        assert "33 条预警" in client.get("/health/alerts/").content.decode()


def test_the_alerts_export_to_excel_within_the_area_and_the_export_is_audited(
    checkins, township_officer, login
):
    import io

    import openpyxl

    from fugong.audit.models import AuditEvent

    response = login(township_officer).get("/health/alerts/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == sorted(["体温37.3", "咳嗽者", "红码者"])
    assert AuditEvent.objects.filter(action="alerts.exported", actor=township_officer).exists()


@pytest.fixture
def cases(world, command_centre):
    """Confirmed cases recorded today: one in township T (enterprise A, who checked in green
    this morning), one in township U (enterprise B); one recorded yesterday in T."""
    from fugong.health.actions import do_record_case
    from fugong.health.models import StatusChange

    today = business_today()
    made = {}
    for name, enterprise, home in [
        ("今日确诊", world.enterprise, world.community.code),
        ("外镇确诊", world.other_enterprise, world.other_community.code),
    ]:
        person = hire(enterprise, name=name, home_code=home)
        stored_checkin(person, enterprise, today)  # green
        do_record_case(person, kind="confirmed", since=today, actor=command_centre)
        made[name] = person
    earlier = hire(world.enterprise, name="昨日确诊")
    do_record_case(earlier, kind="confirmed", since=today, actor=command_centre)
    StatusChange.objects.filter(person=earlier).update(date=today - dt.timedelta(days=1))
    return made


def test_a_person_turned_red_by_a_case_is_among_the_townships_alerts(
    cases, township_officer, other_township_officer, login
):
    html = login(township_officer).get("/health/alerts/").content.decode()
    assert 'data-testid="red-records"' in html
    assert "今日确诊" in html and "病例记录" in html and "甲电器有限公司" in html
    assert "外镇确诊" not in html and "昨日确诊" not in html
    assert 'href="/health/people/' in html
    html = login(other_township_officer).get("/health/alerts/").content.decode()
    assert "外镇确诊" in html and "今日确诊" not in html


def test_a_day_without_red_records_shows_no_such_table(checkins, township_officer, login):
    html = login(township_officer).get("/health/alerts/").content.decode()
    assert 'data-testid="red-records"' not in html and "红码者" in html


def test_the_alerts_export_holds_the_people_turned_red_by_a_case(cases, township_officer, login):
    import io

    import openpyxl

    response = login(township_officer).get("/health/alerts/", {"format": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    )
    assert [(row[1], row[4], row[5]) for row in rows] == [
        ("今日确诊", "红码 (病例记录)", "甲电器有限公司")
    ]


def test_the_command_centre_sees_every_person_turned_red_and_the_district_its_own(
    cases, command_centre, district_officer, login
):
    html = login(command_centre).get("/health/alerts/").content.decode()
    assert "今日确诊" in html and "外镇确诊" in html
    html = login(district_officer).get("/health/alerts/").content.decode()
    assert "今日确诊" in html and "外镇确诊" not in html  # township U is in another district


def test_a_resident_turned_red_is_among_the_alerts_of_their_home_township_and_district_once(
    world, command_centre, township_officer, district_officer, other_township_officer, login
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fugong.health.actions import do_record_case

    today = business_today()

    def red_resident(name: str, enterprise) -> None:
        person = hire(enterprise, name=name, home_code=world.community.code)  # lives in T
        do_record_case(person, kind="confirmed", since=today, actor=command_centre)

    red_resident("住本镇外镇上班", world.other_enterprise)  # works in U
    red_resident("住本镇本镇上班", world.enterprise)  # lives and works in T
    for officer in (township_officer, district_officer):
        html = login(officer).get("/health/alerts/").content.decode()
        table = html.split('data-testid="red-records"')[1].split("</table>")[0]
        assert table.count("住本镇外镇上班") == 1 and "丙商贸有限公司" in table
        assert table.count("住本镇本镇上班") == 1
    html = login(other_township_officer).get("/health/alerts/").content.decode()
    assert "住本镇外镇上班" in html and "住本镇本镇上班" not in html  # the employer's township

    client = login(township_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/health/alerts/").status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for n in range(3):
        red_resident(f"又一名居民{n}", world.other_enterprise)
    assert queries() == before
