"""Risk levels set by the health department, and the people they judge again."""

from __future__ import annotations

import datetime as dt

import pytest

from fugong.health.models import CurrentStatus, StatusChange
from fugong.health.selectors import day_lines
from fugong.health.status import RiskTable
from fugong.lib.dates import business_today

from .conftest import payload


@pytest.mark.parametrize("area", ["330100", "330000", "330106"])
def test_raising_a_county_prefecture_or_province_to_high_rejudges_its_travellers(
    area, world, staff, enterprise_admin, command_centre, api, login
):
    person, number = staff
    arrival = business_today() - dt.timedelta(days=8)
    travel = {
        "id_number": number,
        "origin_code": "330106",  # 杭州市西湖区
        "arrival_date": arrival.isoformat(),
        "means": "train",
    }
    assert login(enterprise_admin).post("/health/travel/", travel).status_code == 302
    body = api(enterprise_admin).post("/api/v1/checkins", payload(number)).json()
    assert body["health_code"] == "green" and body["can_work"] is True

    level = {"code": area, "level": "high", "effective_from": "2020-01-01"}
    assert login(command_centre).post("/health/risk/", level).status_code == 302

    status = CurrentStatus.objects.get(person=person)
    assert status.code == "yellow" and "西湖区" in " ".join(status.reason_texts)
    assert StatusChange.objects.filter(person=person, cause="risk_level", code="yellow").exists()
    [line] = [x for x in day_lines(world.enterprise, business_today()) if x.checked_in]
    assert line.health_code == "yellow" and line.can_work is False


def test_a_high_risk_level_elsewhere_leaves_the_traveller_green(
    world, staff, enterprise_admin, command_centre, login
):
    person, number = staff
    arrival = business_today() - dt.timedelta(days=8)
    travel = {
        "id_number": number,
        "origin_code": "330106",
        "arrival_date": arrival.isoformat(),
        "means": "train",
    }
    assert login(enterprise_admin).post("/health/travel/", travel).status_code == 302
    for code in ("330200", "320000", "330105"):  # 宁波市, 江苏省, 杭州市拱墅区
        level = {"code": code, "level": "high", "effective_from": "2020-01-01"}
        assert login(command_centre).post("/health/risk/", level).status_code == 302
    assert CurrentStatus.objects.get(person=person).code == "green"
    assert not StatusChange.objects.filter(person=person, cause="risk_level").exists()


@pytest.mark.parametrize(
    ("first", "correction"), [("high", "low"), ("low", "high"), ("medium", "low")]
)
def test_of_two_levels_of_one_place_from_the_same_day_the_one_entered_later_counts(
    first, correction
):
    day = dt.date(2020, 2, 1)
    table = RiskTable([("420106", first, day), ("420106", correction, day)])
    assert table.level("420106", day) == correction
    assert table.level("420106", day - dt.timedelta(days=1)) == "low"


def test_a_risk_level_corrected_for_the_same_day_judges_travellers_again_and_at_check_in(
    world, staff, enterprise_admin, command_centre, api, login
):
    person, number = staff
    arrival = business_today() - dt.timedelta(days=3)
    travel = {
        "id_number": number,
        "origin_code": "420106",
        "arrival_date": arrival.isoformat(),
        "means": "train",
    }
    assert login(enterprise_admin).post("/health/travel/", travel).status_code == 302
    officer = login(command_centre)
    level = {"code": "420106", "level": "medium", "effective_from": arrival.isoformat()}
    assert officer.post("/health/risk/", level).status_code == 302
    assert CurrentStatus.objects.get(person=person).code == "yellow"

    assert officer.post("/health/risk/", {**level, "level": "low"}).status_code == 302
    assert CurrentStatus.objects.get(person=person).code == "green"
    page = login(enterprise_admin).get(f"/health/people/{person.pk}/").content.decode()
    today_status = page.split('data-testid="status"')[1].split("</section>")[0]
    assert "绿码" in today_status and "武昌区" not in today_status
    body = api(enterprise_admin).post("/api/v1/checkins", payload(number)).json()
    assert body["health_code"] == "green" and body["can_work"] is True


def test_the_risk_page_names_prefectures_and_provinces_as_the_rules_name_places(
    world, command_centre, login
):
    client = login(command_centre)
    for code in ("510100", "510000", "510104"):
        level = {"code": code, "level": "medium", "effective_from": "2020-01-01"}
        assert client.post("/health/risk/", level).status_code == 302
    page = client.get("/health/risk/").content.decode()
    assert "四川省成都市 <span" in page and "四川省 <span" in page and "四川省锦江区" in page
    assert "510100 <span" not in page and "510000 <span" not in page
