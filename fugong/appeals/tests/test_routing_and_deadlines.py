from __future__ import annotations

import datetime as dt

import pytest

from fugong.appeals.actions import deadlines, do_save_routing_rule, route
from fugong.appeals.models import Category, RoutingRule
from fugong.appeals.policies import DEFAULT_ROUTING
from fugong.orgs.models import Department
from fugong.policy.models import PolicyVersion

# world.enterprise: industry 38 (section C, manufacturing) in district 440604;
# world.other_enterprise: industry 51 (section F, wholesale) in district 440605.
EXPECTED = {
    # category: (manufacturer, wholesaler)
    Category.LABOUR: ("rsj", "rsj"),
    Category.LOGISTICS: ("jtj", "jtj"),
    Category.SUPPLY_CHAIN: ("gxj", "swj"),
    Category.PROTECTIVE_SUPPLIES: ("gxj", "gxj"),
    Category.FUNDING: ("jrj", "jrj"),
    Category.APPROVAL: ("scjgj", "scjgj"),
    Category.POLICY: ("gxj", "swj"),
    Category.OTHER: (None, None),
}


@pytest.mark.parametrize("category", Category.values)
def test_every_category_is_routed_by_the_default_rules(world, category):
    manufacturer, wholesaler = EXPECTED[category]
    got = route(category, world.enterprise)
    assert (got.code if got else None) == manufacturer
    got = route(category, world.other_enterprise)
    assert (got.code if got else None) == wholesaler


def test_unmatched_appeal_goes_to_the_command_centre_desk(file_appeal):
    appeal = file_appeal("other", "员工宿舍隔离场所")
    assert appeal.department is None
    assert appeal.department_label in ("指挥中心值班台", "Command centre desk")


def test_a_district_specific_rule_beats_the_citywide_one(world, command_centre):
    do_save_routing_rule(
        category="labour", section="", industry="", district=world.other_district.code,
        department=Department.objects.get(code="gxj"), actor=command_centre,
    )  # fmt: skip
    assert route("labour", world.other_enterprise).code == "gxj"
    assert route("labour", world.enterprise).code == "rsj"


def test_an_industry_division_rule_beats_a_section_rule(world, command_centre):
    do_save_routing_rule(
        category="supply_chain", section="", industry="38", district="",
        department=Department.objects.get(code="kjj"), actor=command_centre,
    )  # fmt: skip
    assert route("supply_chain", world.enterprise).code == "kjj"
    assert route("supply_chain", world.sibling_enterprise).code == "gxj"


def test_the_migration_installs_exactly_the_default_rules(world):
    from importlib import import_module

    migration = import_module("fugong.appeals.migrations.0002_default_routing_rules")
    assert migration.RULES == DEFAULT_ROUTING
    stored = {
        (r.category, r.section, r.industry, r.district, r.department)
        for r in RoutingRule.objects.all()
    }
    wanted = {
        (r["category"], r.get("section", ""), r.get("industry", ""), r.get("district", ""),
         r["department"])
        for r in DEFAULT_ROUTING
    }  # fmt: skip
    assert stored == wanted


def test_deadlines_skip_the_weekend(db):
    friday = dt.date(2020, 3, 6)
    assert deadlines(friday) == (dt.date(2020, 3, 9), dt.date(2020, 3, 11))


def test_deadlines_skip_the_2020_spring_festival_holiday(db):
    # 24 Jan – 2 Feb 2020 were holidays (extended); 3 Feb was the first working day.
    assert deadlines(dt.date(2020, 1, 23)) == (dt.date(2020, 2, 3), dt.date(2020, 2, 5))


def test_deadlines_count_the_make_up_working_sunday(db):
    # Sunday 19 Jan 2020 was a working day.
    assert deadlines(dt.date(2020, 1, 18)) == (dt.date(2020, 1, 19), dt.date(2020, 1, 21))


def test_deadlines_follow_the_policy_in_force(db, command_centre):
    from fugong.appeals.policies import APPEALS

    PolicyVersion.objects.create(
        key="appeals", version=1, data={"accept_working_days": 2, "answer_working_days": 5},
        created_by=command_centre, note="test",
    )  # fmt: skip
    APPEALS.forget()
    try:
        assert deadlines(dt.date(2020, 3, 6)) == (dt.date(2020, 3, 10), dt.date(2020, 3, 13))
    finally:
        APPEALS.forget()


def test_rules_page_is_for_the_command_centre_only(login, command_centre, department_officer):
    assert login(department_officer).get("/appeals/rules/").status_code == 404
    response = login(command_centre).get("/appeals/rules/")
    assert response.status_code == 200
    assert Department.objects.get(code="rsj").name_zh in response.content.decode()


def test_command_centre_adds_and_deletes_a_rule_on_the_page(login, command_centre, world):
    client = login(command_centre)
    response = client.post(
        "/appeals/rules/",
        {"form": "rule", "category": "other", "section": "", "industry": "", "district": "",
         "department": "gxj"},
    )  # fmt: skip
    assert response.status_code == 302
    rule = RoutingRule.objects.get(category="other")
    assert route("other", world.enterprise).code == "gxj"
    client.post("/appeals/rules/", {"form": "delete", "rule": rule.pk})
    assert not RoutingRule.objects.filter(category="other").exists()
    assert route("other", world.enterprise) is None


def test_deleting_a_rule_that_is_not_a_number_is_404_and_deletes_nothing(login, command_centre):
    client = login(command_centre)
    before = RoutingRule.objects.count()
    for odd in ("abc", "", "1\x00"):  # each was a server error
        response = client.post("/appeals/rules/", {"form": "delete", "rule": odd})
        assert response.status_code == 404, repr(odd)
    assert RoutingRule.objects.count() == before


def test_a_rule_with_a_bad_industry_code_is_refused_with_a_message(login, command_centre):
    response = login(command_centre).post(
        "/appeals/rules/",
        {"form": "rule", "category": "labour", "industry": "3", "department": "gxj"},
    )
    assert response.status_code == 200
    assert "38" in response.content.decode()  # the message gives an example
    assert RoutingRule.objects.filter(industry="3").count() == 0
