import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fugong.accounts.actions import authenticate_token
from fugong.accounts.models import Role, User
from fugong.demo.seeding import build_city
from fugong.geo.models import Division
from fugong.lib.identifiers import validate_credit_code, validate_id_number
from fugong.orgs.models import Department, Enterprise
from fugong.people.models import Person


@pytest.fixture
def tiny(db, tmp_path):
    return build_city("tiny", 7, quiet=True, logins_path=tmp_path / "logins.json", domains=())


def test_the_tiny_city_has_the_whole_division_tree(tiny):
    assert Division.objects.filter(level="city").count() == 1
    assert Division.objects.filter(level="district").count() == 5
    assert Division.objects.filter(level="township").count() == 32
    assert Division.objects.filter(level="community").count() == 64


def test_seeded_identifiers_are_valid_and_unique(tiny):
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert len(codes) == len(set(codes)) == 60
    for code in codes:
        validate_credit_code(code)
    people = list(Person.objects.all()[:200])
    for person in people:
        validate_id_number(person.id_number)
    assert Person.objects.values("id_hash").distinct().count() == Person.objects.count()


def test_some_employees_come_from_other_provinces(tiny):
    outside = Person.objects.filter(home_division__isnull=True)
    assert outside.exists()
    assert not any(p.home_code.startswith("4406") for p in outside)


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_builds_the_same_city(tmp_path):
    build_city("tiny", 7, quiet=True, logins_path=tmp_path / "first.json", domains=())
    first = list(Enterprise.objects.order_by("pk").values_list("credit_code", "name"))
    call_command("flush", interactive=False, verbosity=0)
    build_city("tiny", 7, quiet=True, logins_path=tmp_path / "again.json", domains=())
    assert list(Enterprise.objects.order_by("pk").values_list("credit_code", "name")) == first


def test_demo_logins_cover_every_role_with_the_scopes_asked_for(tiny, tmp_path):
    logins = json.loads((tmp_path / "logins.json").read_text())
    roles = {row["role"] for row in logins}
    assert roles == {r.value for r in Role}
    admins = [r for r in logins if r["role"] == Role.ENTERPRISE_ADMIN]
    assert len({r["scope"] for r in admins}) >= 2
    dept_scopes = {r["scope"] for r in logins if r["role"] == Role.DEPARTMENT_OFFICER}
    assert dept_scopes == set(Department.objects.values_list("code", flat=True))
    township_scopes = {r["scope"] for r in logins if r["role"] == Role.TOWNSHIP_OFFICER}
    assert township_scopes == set(
        Division.objects.filter(level="township").values_list("code", flat=True)
    )
    assert all(r["password"] == "demo" for r in logins)
    user = User.objects.get(username=admins[0]["username"])
    assert user.check_password("demo")


def test_seeding_refuses_a_database_that_is_not_empty(tiny):
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed", scale="tiny", quiet=True)


def test_the_token_command_prints_a_working_token(tiny, capsys):
    call_command("token", "create", "command")
    token = capsys.readouterr().out.strip()
    assert authenticate_token(token) == User.objects.get(username="command")


def test_the_token_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="no active user"):
        call_command("token", "create", "nobody")


@pytest.mark.django_db(transaction=True)
def test_a_seeded_city_on_postgresql_has_statistics_and_a_visibility_map(tmp_path):
    """A server may run without autovacuum (CI's does): without statistics and a visibility map,
    the check-in read would neither plan well nor read its covering indexes alone."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")
    build_city("tiny", 7, quiet=True, logins_path=tmp_path / "logins.json", domains=("health",))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples, relallvisible FROM pg_class"
            " WHERE relname IN ('health_checkin', 'people_person', 'people_employment')"
        )
        tables = {name: (tuples, visible) for name, tuples, visible in cursor.fetchall()}
    assert set(tables) == {"health_checkin", "people_person", "people_employment"}
    assert all(tuples > 0 and visible > 0 for tuples, visible in tables.values()), tables
