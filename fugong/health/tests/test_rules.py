"""The status rules at their boundaries (policy data decides every number)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fugong.health.models import CaseRecord, CheckIn, RiskLevel, StatusChange, TravelRecord
from fugong.health.policies import HEALTH
from fugong.health.status import Facts, Reading, RiskTable, can_work, evaluate, missed_days
from fugong.lib.dates import business_today
from fugong.lib.identifiers import national_division_name
from fugong.lib.testing import hire, valid_id_number
from fugong.policy.models import PolicyVersion

from .conftest import payload

DAY = dt.date(2020, 2, 24)


def policy(**overrides):
    data = HEALTH.defaults()
    data.update(overrides)
    return data


def reading(day: dt.date, t: str = "36.5", symptoms=(), contact=False) -> Reading:
    return Reading(day, Decimal(t), tuple(symptoms), contact)


def test_37_2_is_not_fever_and_37_3_is():
    assert evaluate(Facts([reading(DAY, "37.2")]), DAY, policy(), None).code == "green"
    status = evaluate(Facts([reading(DAY, "37.3")]), DAY, policy(), None)
    assert status.code == "yellow"
    assert any("37.3" in r for r in status.texts)


def test_the_fever_boundary_is_a_setting():
    status = evaluate(Facts([reading(DAY, "37.3")]), DAY, policy(fever_at_threshold=False), None)
    assert status.code == "green"
    assert (
        evaluate(Facts([reading(DAY, "37.4")]), DAY, policy(fever_at_threshold=False), None).code
        == "yellow"
    )


def test_any_symptom_today_is_yellow_but_yesterdays_is_not():
    yesterday = DAY - dt.timedelta(days=1)
    facts = Facts([reading(yesterday, symptoms=["cough"]), reading(DAY)])
    assert evaluate(facts, DAY, policy(), None).code == "green"
    facts = Facts([reading(DAY, symptoms=["cough"])])
    assert evaluate(facts, DAY, policy(), None).code == "yellow"


@pytest.mark.usefixtures("in_2020")
def test_green_without_a_check_in_that_day_says_so_instead_of_temperature_normal():
    # A status refreshed in the morning before anyone checks in is green, but it cannot claim a
    # normal temperature nobody has reported.
    yesterday = DAY - dt.timedelta(days=1)
    status = evaluate(Facts([reading(yesterday)]), DAY, policy(), None)
    assert status.code == "green"
    assert status.texts == ["2月24日无打卡记录,无行程或接触限制。"]
    checked = evaluate(Facts([reading(yesterday), reading(DAY)]), DAY, policy(), None)
    assert checked.texts == ["体温正常,无症状,无行程或接触限制。"]


def test_the_day_uses_every_submission_not_only_the_last():
    facts = Facts([reading(DAY, "38.1"), reading(DAY, "36.4")])
    assert evaluate(facts, DAY, policy(), None).code == "yellow"


@pytest.mark.usefixtures("in_2020")
def test_arrival_from_a_medium_risk_area_is_yellow_on_day_13_and_green_on_day_14(db):
    arrival = dt.date(2020, 2, 10)
    risk = RiskTable([("420106", "medium", dt.date(2020, 1, 20))])
    facts = Facts(
        [reading(arrival + dt.timedelta(days=k)) for k in range(15)], travels=[("420106", arrival)]
    )
    day13 = evaluate(facts, arrival + dt.timedelta(days=13), policy(), risk)
    assert day13.code == "yellow"
    assert any("居家观察14天" in r and "自2月10日起" in r and "至2月24日" in r for r in day13.texts)
    assert evaluate(facts, arrival + dt.timedelta(days=14), policy(), risk).code == "green"


def test_the_risk_table_names_every_travellers_origin_in_one_query(db, django_assert_num_queries):
    from fugong.geo.models import Division

    Division.objects.create(code="440604001", name="祖庙街道", level="township")
    arrival = DAY - dt.timedelta(days=2)
    for code in ("420106", "411302", "440604001"):
        RiskLevel.objects.create(code=code, level="high", effective_from=dt.date(2020, 1, 1))
    people = [
        Facts([reading(DAY)], travels=[(code, arrival)])
        for code in ("420106", "411302", "440604001")
    ]
    with django_assert_num_queries(2):  # the risk levels, the city's divisions
        risk = RiskTable.for_facts(people)
        reasons = [r for facts in people for r in evaluate(facts, DAY, policy(), risk).texts]
    for place in ("武昌区", "宛城区", "祖庙街道"):
        assert any(place in r for r in reasons), place
    assert RiskTable.for_facts([Facts([reading(DAY)])]) is None  # nobody travelled: no query


def test_arrival_from_a_low_risk_area_needs_no_quarantine():
    arrival = dt.date(2020, 2, 10)
    risk = RiskTable([("420106", "low", dt.date(2020, 1, 20))])
    facts = Facts([reading(arrival)], travels=[("420106", arrival)])
    assert evaluate(facts, arrival, policy(), risk).code == "green"


def test_a_risk_level_counts_only_from_its_effective_date_and_the_most_specific_code_wins():
    risk = RiskTable(
        [("420000", "high", dt.date(2020, 2, 1)), ("420106", "low", dt.date(2020, 2, 5))]
    )
    assert risk.level("420106", dt.date(2020, 1, 31)) == "low"
    assert risk.level("420106", dt.date(2020, 2, 3)) == "high"
    assert risk.level("420106", dt.date(2020, 2, 6)) == "low"
    assert risk.level("420102", dt.date(2020, 2, 6)) == "high"


def test_close_contact_is_red_until_day_14_of_observation():
    contact = dt.date(2020, 2, 1)
    facts = Facts(
        [reading(contact + dt.timedelta(days=k)) for k in range(15)],
        cases=[(CaseRecord.Kind.CLOSE_CONTACT, contact, None)],
    )
    assert evaluate(facts, contact + dt.timedelta(days=13), policy(), None).code == "red"
    assert evaluate(facts, contact + dt.timedelta(days=14), policy(), None).code == "green"


def test_a_confirmed_case_is_red_until_cleared():
    facts = Facts(
        [reading(DAY)],
        cases=[(CaseRecord.Kind.CONFIRMED, DAY - dt.timedelta(3), DAY + dt.timedelta(days=1))],
    )
    assert evaluate(facts, DAY, policy(), None).code == "red"
    assert evaluate(facts, DAY + dt.timedelta(days=1), policy(), None).code == "green"


def test_reporting_contact_with_a_case_in_a_check_in_is_red():
    status = evaluate(Facts([reading(DAY, contact=True)]), DAY, policy(), None)
    assert status.code == "red"


def test_two_missed_days_are_allowed_and_the_third_turns_yellow():
    start = DAY - dt.timedelta(days=10)
    two = Facts([reading(start), reading(DAY - dt.timedelta(days=3))])
    assert missed_days(two, DAY) == 2
    assert evaluate(two, DAY, policy(), None).code == "green"
    three = Facts([reading(start), reading(DAY - dt.timedelta(days=4))])
    assert missed_days(three, DAY) == 3
    status = evaluate(three, DAY, policy(), None)
    assert status.code == "yellow" and any("3" in r for r in status.texts)


def test_missed_days_stop_at_the_last_check_in_before_the_window():
    facts = Facts([], roster_since=DAY - dt.timedelta(days=30))
    assert missed_days(facts, DAY) == 30
    facts.last_before = DAY - dt.timedelta(days=20)
    assert missed_days(facts, DAY) == 19


def test_days_before_joining_the_roster_are_not_missed():
    facts = Facts([], roster_since=DAY - dt.timedelta(days=1))
    assert missed_days(facts, DAY) == 1
    assert evaluate(facts, DAY, policy(), None).code == "green"


def test_only_green_people_of_a_resumed_enterprise_may_work():
    assert can_work("green", resumed=True) is True
    assert can_work("green", resumed=False) is False
    assert can_work("yellow", resumed=True) is False
    assert can_work("red", resumed=True) is False


def test_an_enterprise_not_resumed_gives_can_work_false_with_a_reason(
    enterprise_admin, api, staff, monkeypatch
):
    _, number = staff
    monkeypatch.setattr(
        "fugong.resumption.selectors.resumed_days_from",
        lambda changes, days: dict.fromkeys(days, False),
    )
    body = api(enterprise_admin).post("/api/v1/checkins", payload(number)).json()
    assert body["health_code"] == "green" and body["can_work"] is False
    assert len(body["reasons"]) == 2


def test_a_new_policy_version_changes_the_threshold(enterprise_admin, api, staff):
    _, number = staff
    PolicyVersion.objects.create(key="health", version=1, data={"fever_threshold": 37.0})
    HEALTH.forget()
    body = api(enterprise_admin).post("/api/v1/checkins", payload(number, temperature=37.1))
    assert body.json()["health_code"] == "yellow"


@pytest.mark.django_db
def test_travel_from_a_risk_area_entered_by_the_enterprise_makes_the_check_in_yellow(
    world, enterprise_admin, api, staff, login
):
    person, number = staff
    RiskLevel.objects.create(code="420100", level="high", effective_from=dt.date(2020, 1, 1))
    arrival = business_today() - dt.timedelta(days=2)
    response = login(enterprise_admin).post(
        "/health/travel/",
        {
            "id_number": number,
            "origin_code": "420106",
            "arrival_date": arrival.isoformat(),
            "means": "train",
        },
    )
    assert response.status_code == 302
    assert person.travels.get().origin_code == "420106"
    change = StatusChange.objects.get(person=person)
    assert change.code == "yellow" and change.cause == "travel"
    body = api(enterprise_admin).post("/api/v1/checkins", payload(number)).json()
    assert body["health_code"] == "yellow" and body["can_work"] is False
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db
def test_a_batch_names_each_travellers_place_of_origin_in_china_or_in_the_city(
    world, enterprise_admin, api, staff
):
    wuhan_traveller, wuhan_number = staff
    local_number, stay_number = valid_id_number(), valid_id_number()
    local_traveller = hire(world.enterprise, id_number=local_number)
    hire(world.enterprise, id_number=stay_number)
    RiskLevel.objects.create(code="420100", level="high", effective_from=dt.date(2020, 1, 1))
    RiskLevel.objects.create(
        code=world.other_township.code, level="medium", effective_from=dt.date(2020, 1, 1)
    )
    today = business_today()
    TravelRecord.objects.create(
        person=wuhan_traveller,
        origin_code="420106",
        arrival_date=today - dt.timedelta(days=2),
        means="train",
    )
    TravelRecord.objects.create(
        person=local_traveller,
        origin_code=world.other_township.code,
        arrival_date=today - dt.timedelta(days=3),
        means="car",
    )
    items = [payload(wuhan_number), payload(local_number), payload(stay_number)]
    response = api(enterprise_admin).post("/api/v1/checkins/batch", {"items": items})
    wuhan, local, stay = response.json()["results"]
    assert [wuhan["health_code"], local["health_code"], stay["health_code"]] == [
        "yellow",
        "yellow",
        "green",
    ]
    assert national_division_name("420106") in wuhan["reasons"][0]
    assert world.other_township.name in local["reasons"][0]
    assert all("420106" not in r and world.other_township.code not in r for r in local["reasons"])
    assert stay["can_work"] is True and CheckIn.objects.count() == 3
