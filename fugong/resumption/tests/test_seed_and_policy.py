"""The demo history, the risk level sources and snapshot upkeep when an enterprise goes."""

import datetime as dt

import pytest

from fugong.lib.dates import business_today
from fugong.resumption.models import Application, StatusChange
from fugong.resumption.selectors import district_risk_level, enterprise_status, route_for
from fugong.resumption.stats import DIMENSIONS, fast_rows, plain_rows


def test_the_seed_builds_a_rising_history_and_leaves_the_fresh_enterprises_alone(db, tmp_path):
    from fugong.demo.seeding import build_city
    from fugong.resumption.stats import trend

    ctx = build_city(
        "tiny", quiet=True, logins_path=tmp_path / "logins.json", domains=("resumption",)
    )
    days = ctx.days()
    points = trend(days)
    assert points[0]["resumption_rate"] < points[-1]["resumption_rate"]
    assert 0.1 < points[0]["resumption_rate"] < 0.4
    assert 0.4 < points[-1]["resumption_rate"] < 0.85
    for enterprise in ctx.fresh_enterprises:
        assert not Application.objects.filter(enterprise=enterprise).exists()
        assert enterprise_status(enterprise).status == "not_resumed"
    assert Application.objects.filter(route="standard").exists()
    assert Application.objects.filter(route="commitment").exists()
    assert StatusChange.objects.filter(status="resumed").exists()
    for by in DIMENSIONS:
        assert fast_rows(days[-1], by) == plain_rows(days[-1], by)


def test_the_health_app_s_risk_level_wins_over_the_policy(world, set_policy):
    from fugong.health.models import RiskLevel

    set_policy(district_risk_levels={"440604": "low"})
    assert district_risk_level(world.district) == "low"
    assert route_for(world.enterprise)[0] == "commitment"
    RiskLevel.objects.create(
        code="440604", level="high", effective_from=business_today() - dt.timedelta(days=1)
    )
    assert district_risk_level(world.district) == "high"
    assert route_for(world.enterprise) == ("standard", "high")
    RiskLevel.objects.create(
        code="440604", level="low", effective_from=business_today() + dt.timedelta(days=3)
    )
    assert district_risk_level(world.district) == "high"  # not in force yet


def test_an_unknown_risk_level_in_the_policy_counts_as_low(world, set_policy):
    set_policy(district_risk_levels={"440604": "purple"})
    assert district_risk_level(world.district) == "low"


def test_deleting_an_enterprise_keeps_the_snapshot_equal_to_the_plain_query(world):
    from fugong.health.models import CheckIn
    from fugong.lib.testing import hire

    day = business_today()
    person = hire(world.sibling_enterprise)
    CheckIn.objects.create(
        person=person,
        enterprise=world.sibling_enterprise,
        date=day,
        temperature="36.6",
        location="440604002",
        work_mode="onsite",
    )
    StatusChange.objects.create(
        enterprise=world.sibling_enterprise, status="resumed", effective_date=day
    )
    assert fast_rows(day, "district") == plain_rows(day, "district")
    world.sibling_enterprise.delete()
    for by in DIMENSIONS:
        assert fast_rows(day, by) == plain_rows(day, by)
    assert fast_rows(day, "district")[1]["enterprises"] == 2


@pytest.mark.parametrize("code", ["entrance_guard", "supplies_days"])
def test_the_checklist_policy_can_be_changed_by_the_command_centre(
    world, set_policy, enterprise_admin, api, code
):
    from fugong.resumption.policies import DEFAULT_CHECKLIST

    items = [dict(i) for i in DEFAULT_CHECKLIST if i["code"] != code]
    set_policy(checklist=items)
    body = api(enterprise_admin).get("/api/v1/resumption/checklist").json()
    assert code not in {i["code"] for i in body["items"]}
    assert len(body["items"]) == len(DEFAULT_CHECKLIST) - 1
