"""Who sees which enterprise and which person: every role, allowed and forbidden (→ 404)."""

import pytest

from fugong.accounts import access
from fugong.lib.testing import assert_loaded_as_the_orm_would, hire

RELATIONS = ("enterprise", "division", "department")  # of a membership

ALL = ("enterprise", "sibling_enterprise", "other_enterprise")


def visible_enterprises(user, world):
    ids = set(access.enterprises_for(user).values_list("pk", flat=True))
    return {name for name in ALL if getattr(world, name).pk in ids}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("employee", {"enterprise"}),
        ("enterprise_admin", {"enterprise"}),
        ("other_enterprise_admin", {"other_enterprise"}),
        ("township_officer", {"enterprise"}),
        ("other_township_officer", {"other_enterprise"}),
        ("district_officer", {"enterprise", "sibling_enterprise"}),
        ("department_officer", {"enterprise", "sibling_enterprise"}),  # gxj oversees both
        ("liaison_officer", {"enterprise"}),
        ("community_worker", set()),
        ("command_centre", set(ALL)),
        ("outsider", set()),
    ],
)
def test_each_role_sees_exactly_the_enterprises_of_its_scope(persona, expected, world, request):
    user = request.getfixturevalue(persona)
    assert visible_enterprises(user, world) == expected


@pytest.mark.parametrize(
    ("persona", "allowed", "forbidden"),
    [
        ("enterprise_admin", "enterprise", "other_enterprise"),
        ("township_officer", "enterprise", "sibling_enterprise"),
        ("district_officer", "sibling_enterprise", "other_enterprise"),
        ("department_officer", "enterprise", "other_enterprise"),
        ("liaison_officer", "enterprise", "sibling_enterprise"),
        ("command_centre", "other_enterprise", None),
    ],
)
def test_enterprise_pages_answer_in_scope_and_404_outside(
    persona, allowed, forbidden, world, request, login
):
    client = login(request.getfixturevalue(persona))
    ok = client.get(f"/enterprises/{getattr(world, allowed).pk}/")
    assert ok.status_code == 200
    assert getattr(world, allowed).name in ok.content.decode()
    if forbidden:
        assert client.get(f"/enterprises/{getattr(world, forbidden).pk}/").status_code == 404


def test_an_outsider_gets_404_for_any_enterprise(world, outsider, login):
    assert login(outsider).get(f"/enterprises/{world.enterprise.pk}/").status_code == 404


def test_an_unknown_enterprise_is_404_too(world, command_centre, login):
    assert login(command_centre).get("/enterprises/999999/").status_code == 404


@pytest.fixture
def staff(world):
    """A person working at A living in community C, one working at B living in C2, and a
    migrant worker at A2 whose home is outside the city."""
    return {
        "a": hire(world.enterprise, name="甲员工", home_code="440604001001"),
        "b": hire(world.other_enterprise, name="乙员工", home_code="440605001001"),
        "migrant": hire(world.sibling_enterprise, name="丙员工", home_code="430102"),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("enterprise_admin", {"a"}),
        ("other_enterprise_admin", {"b"}),
        ("township_officer", {"a"}),
        ("other_township_officer", {"b"}),
        ("district_officer", {"a", "migrant"}),
        ("community_worker", {"a"}),
        ("department_officer", set()),
        ("liaison_officer", set()),
        ("command_centre", {"a", "b", "migrant"}),
        ("outsider", set()),
    ],
)
def test_each_role_sees_exactly_the_people_of_its_scope(persona, expected, staff, request):
    user = request.getfixturevalue(persona)
    ids = set(access.people_for(user).values_list("pk", flat=True))
    assert {k for k, p in staff.items() if p.pk in ids} == expected


def test_an_employee_sees_only_their_own_record(employee, staff, login):
    client = login(employee)
    own = employee.person
    assert client.get(f"/people/{own.pk}/").status_code == 200
    assert client.get(f"/people/{staff['a'].pk}/").status_code == 404


def test_a_person_page_outside_scope_is_404(staff, other_township_officer, login):
    assert login(other_township_officer).get(f"/people/{staff['a'].pk}/").status_code == 404


def test_only_screening_roles_may_see_full_id_numbers(
    enterprise_admin, township_officer, community_worker, command_centre
):
    assert not access.can_view_full_id(enterprise_admin)
    assert not access.can_view_full_id(township_officer)
    assert access.can_view_full_id(community_worker)
    assert access.can_view_full_id(command_centre)


def test_an_inactive_user_has_no_scope_at_all(enterprise_admin, world):
    enterprise_admin.is_active = False
    enterprise_admin.save()
    assert not access.enterprises_for(enterprise_admin).exists()


def test_an_enterprise_admin_finds_their_own_enterprise_from_the_menu(enterprise_admin, login):
    client = login(enterprise_admin)
    assert 'href="/enterprises/mine/"' in client.get("/").content.decode()
    response = client.get("/enterprises/mine/", follow=True)
    assert "甲电器有限公司" in response.content.decode()


def test_my_enterprise_is_404_for_someone_who_administers_none(township_officer, login):
    assert login(township_officer).get("/enterprises/mine/").status_code == 404


def test_memberships_are_loaded_exactly_as_the_orm_would_load_them(
    world, enterprise_admin, township_officer, department_officer
):
    from fugong.accounts.access import memberships
    from fugong.accounts.models import Membership

    for user in (enterprise_admin, township_officer, department_officer):
        user.__dict__.pop("_fugong_memberships", None)
        loaded = memberships(user)
        expected = list(
            Membership.objects.filter(user=user).select_related(*RELATIONS).order_by("pk")
        )
        assert loaded
        assert_loaded_as_the_orm_would(loaded, expected, RELATIONS)


def test_an_enterprise_admin_no_longer_sees_a_former_employee(
    world, staff, enterprise_admin, other_enterprise_admin
):
    from fugong.people.models import Employment

    Employment.objects.filter(person=staff["a"]).update(active=False)
    Employment.objects.create(person=staff["a"], enterprise=world.other_enterprise)
    assert not access.people_for(enterprise_admin).exists()
    ids = set(access.people_for(other_enterprise_admin).values_list("pk", flat=True))
    assert ids == {staff["a"].pk, staff["b"].pk}


def test_an_officer_no_longer_sees_a_former_employee_of_the_area_living_elsewhere(
    world, staff, district_officer, login
):
    from fugong.people.models import Employment

    migrant = staff["migrant"]  # worked at A2 in the district, lives outside the city
    client = login(district_officer)
    assert client.get(f"/health/people/{migrant.pk}/").status_code == 200
    Employment.objects.filter(person=migrant).update(active=False)
    Employment.objects.create(person=migrant, enterprise=world.other_enterprise)
    assert migrant not in access.people_for(district_officer)
    assert client.get(f"/health/people/{migrant.pk}/").status_code == 404
    assert staff["a"] in access.people_for(district_officer)  # lives and works in the area
