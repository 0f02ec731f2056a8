"""Statistics on a hand-built fixture with known answers; the fast path equals the plain one."""

import datetime as dt

import pytest

from fugong.accounts.models import Role
from fugong.health.models import CheckIn
from fugong.lib.testing import hire, make_user
from fugong.people.models import Employment
from fugong.resumption.models import DailyCell, StatusChange
from fugong.resumption.stats import DIMENSIONS, StatsScope, fast_rows, plain_rows

D = dt.date(2020, 2, 16)
URL = "/api/v1/stats/resumption"


def checkin(person, enterprise, mode, day=D):
    return CheckIn.objects.create(
        person=person,
        enterprise=enterprise,
        date=day,
        temperature="36.5",
        location="440604001001",
        work_mode=mode,
    )


@pytest.fixture
def city(world, clock):
    """A (township T, gxj): resumed 14 Feb; 4 staff → 2 onsite, 1 remote, 1 on leave; one
    former employee. A2 (T2, gxj): not resumed; 2 staff, 1 onsite. B (U, swj): resumed 10 Feb,
    suspended 15 Feb; 3 staff, 1 onsite."""
    clock(D)
    a, a2, b = world.enterprise, world.sibling_enterprise, world.other_enterprise
    StatusChange.objects.create(
        enterprise=a, status="resumed", effective_date=D - dt.timedelta(days=2)
    )
    StatusChange.objects.create(
        enterprise=b, status="resumed", effective_date=D - dt.timedelta(days=6)
    )
    StatusChange.objects.create(
        enterprise=b, status="suspended", effective_date=D - dt.timedelta(days=1)
    )
    staff_a = [hire(a, name=f"甲{i}") for i in range(4)]
    checkin(staff_a[0], a, "onsite")
    checkin(staff_a[0], a, "onsite")  # a second check-in the same day counts once
    checkin(staff_a[1], a, "onsite")
    checkin(staff_a[2], a, "remote")
    checkin(staff_a[3], a, "leave")
    gone = hire(a, name="离职")
    Employment.objects.filter(person=gone).update(active=False, end_date=D - dt.timedelta(days=3))
    late = hire(a, name="新人")
    Employment.objects.filter(person=late).update(start_date=D + dt.timedelta(days=1))
    staff_a2 = [hire(a2, name=f"乙{i}") for i in range(2)]
    checkin(staff_a2[0], a2, "onsite")
    staff_b = [hire(b, name=f"丙{i}") for i in range(3)]
    checkin(staff_b[0], b, "onsite")
    checkin(staff_b[1], b, "onsite", day=D - dt.timedelta(days=1))
    return world


def by_key(rows):
    return {r["key"]: r for r in rows}


def test_figures_by_district_match_the_hand_count(city, command_centre, api):
    response = api(command_centre).get(URL, date="2020-02-16", by="district")
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2020-02-16"
    rows = by_key(body["rows"])
    assert rows["440604"] == {
        "key": "440604",
        "name": "禅城区",
        "enterprises": 2,
        "resumed": 1,
        "resumption_rate": 0.5,
        "staff": 6,
        "staff_at_post": 4,
        "staff_return_rate": 0.6667,
    }
    assert rows["440605"]["resumed"] == 0  # suspended on D
    assert rows["440605"]["staff"] == 3 and rows["440605"]["staff_at_post"] == 1
    assert body["total"] == {
        "enterprises": 3,
        "resumed": 1,
        "resumption_rate": 0.3333,
        "staff": 9,
        "staff_at_post": 5,
        "staff_return_rate": 0.5556,
    }


def test_figures_by_industry_and_scale_use_sections_and_scale_classes(city, command_centre, api):
    industry = by_key(api(command_centre).get(URL, date="2020-02-16", by="industry").json()["rows"])
    assert set(industry) == {"C", "F"}
    assert industry["C"]["enterprises"] == 2 and industry["C"]["resumed"] == 1
    scale = by_key(api(command_centre).get(URL, date="2020-02-16", by="scale").json()["rows"])
    assert scale["above_industrial"]["enterprises"] == 2
    assert scale["above_trade"]["staff"] == 3


def test_the_day_before_shows_the_earlier_state(city, command_centre, api):
    body = api(command_centre).get(URL, date="2020-02-15", by="district").json()
    rows = by_key(body["rows"])
    assert rows["440604"]["resumed"] == 1
    assert rows["440605"]["resumed"] == 0
    assert rows["440605"]["staff_at_post"] == 1
    before = api(command_centre).get(URL, date="2020-02-13", by="district").json()
    assert before["total"]["resumed"] == 1  # B before its suspension, A not yet


def test_a_township_officer_sees_only_their_township(city, township_officer, api):
    body = api(township_officer).get(URL, date="2020-02-16", by="township").json()
    assert [r["key"] for r in body["rows"]] == [city.township.code]
    assert body["total"]["enterprises"] == 1 and body["total"]["staff"] == 4
    district = api(township_officer).get(URL, date="2020-02-16", by="district").json()
    assert [r["key"] for r in district["rows"]] == ["440604"]
    assert district["rows"][0]["enterprises"] == 1


def test_a_district_officer_sees_only_their_district(city, district_officer, api):
    body = api(district_officer).get(URL, date="2020-02-16", by="township").json()
    assert sorted(r["key"] for r in body["rows"]) == ["440604001", "440604002"]
    assert body["total"]["enterprises"] == 2


def test_a_department_officer_sees_their_department_s_enterprises(city, department_officer, api):
    body = api(department_officer).get(URL, date="2020-02-16", by="district").json()
    assert body["total"]["enterprises"] == 2
    assert [r["key"] for r in body["rows"]] == ["440604"]


def test_roles_without_statistics_get_404(
    city, enterprise_admin, community_worker, employee, outsider, api
):
    for user in (enterprise_admin, community_worker, employee, outsider):
        assert api(user).get(URL, date="2020-02-16", by="district").status_code == 404
    assert api(None).get(URL, date="2020-02-16").status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "date"),
        ({"date": "2020-02-17"}, "date"),
        ({"date": "16/02/2020"}, "date"),
        ({"date": "2020-02-16", "by": "planet"}, "by"),
    ],
)
def test_a_missing_future_or_bad_parameter_is_a_400_naming_it(
    city, command_centre, api, params, field
):
    response = api(command_centre).get(URL, **params)
    assert response.status_code == 400
    assert response.json()["field"] == field


def assert_fast_equals_plain(day, scope=None):
    for by in DIMENSIONS:
        assert fast_rows(day, by, scope) == plain_rows(day, by, scope), by


def test_the_fast_path_stays_equal_to_the_plain_query_as_the_day_goes_on(
    city, township_officer, enterprise_admin, other_enterprise_admin, clock
):
    from fugong.resumption.actions import (
        ApplicationData,
        do_lift_suspension,
        do_submit_application,
        do_suspend_enterprise,
    )

    from .conftest import GOOD_CHECKLIST

    assert_fast_equals_plain(D)
    built = DailyCell.objects.filter(day=D).count()
    assert built > 0
    # A check-in arrives.
    newcomer = hire(city.sibling_enterprise, name="乙新")
    checkin(newcomer, city.sibling_enterprise, "onsite")
    assert_fast_equals_plain(D)
    assert fast_rows(D, "district")[1]["staff_at_post"] == 6
    # A2 is accepted on commitment (default: low risk).
    admin2 = make_user("admin2", Role.ENTERPRISE_ADMIN, enterprise=city.sibling_enterprise)
    do_submit_application(
        city.sibling_enterprise,
        ApplicationData(D, 10, 0, 0, dict(GOOD_CHECKLIST), True),
        actor=admin2,
    )
    assert fast_rows(D, "district")[1]["resumed"] == 2
    assert_fast_equals_plain(D)
    # A is suspended by its township, then allowed again.
    do_suspend_enterprise(city.enterprise, reason="体温检测缺失", actor=township_officer)
    assert fast_rows(D, "district")[1]["resumed"] == 1
    assert_fast_equals_plain(D)
    do_lift_suspension(city.enterprise, reason="已整改", actor=township_officer)
    assert_fast_equals_plain(D)
    # A check-in is deleted, someone leaves, an enterprise moves township.
    CheckIn.objects.filter(enterprise=city.enterprise, work_mode="remote").delete()
    Employment.objects.filter(enterprise=city.other_enterprise).first().delete()
    city.other_enterprise.township = city.sibling_township
    city.other_enterprise.district = city.district
    city.other_enterprise.save()
    assert_fast_equals_plain(D)
    assert_fast_equals_plain(D, StatsScope(("440604001",), ()))
    assert_fast_equals_plain(D - dt.timedelta(days=1))


def test_check_ins_written_in_bulk_are_caught_up_on_the_next_read(city, command_centre, api):
    api(command_centre).get(URL, date="2020-02-16", by="district")
    people = [hire(city.other_enterprise, name=f"批{i}") for i in range(3)]
    CheckIn.objects.bulk_create(
        CheckIn(
            person=p,
            enterprise=city.other_enterprise,
            date=D,
            temperature="36.4",
            location="440605001001",
            work_mode="onsite",
        )
        for p in people
    )  # as the health app stores them: no signal
    body = api(command_centre).get(URL, date="2020-02-16", by="district").json()
    assert by_key(body["rows"])["440605"]["staff_at_post"] == 4
    assert_fast_equals_plain(D)


def test_the_periodic_refresh_catches_updates_that_send_no_signal(city, command_centre, api):
    from fugong.resumption.tasks import refresh_today

    api(command_centre).get(URL, date="2020-02-16", by="district")
    CheckIn.objects.filter(enterprise=city.enterprise, work_mode="remote").update(work_mode="leave")
    assert fast_rows(D, "district") != plain_rows(D, "district")  # an update sends no signal
    result = refresh_today(today="2020-02-16")
    assert result["rebuilt"] == "2020-02-16"
    assert_fast_equals_plain(D)
