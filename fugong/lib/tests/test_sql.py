from __future__ import annotations

import pytest
from django.db import connection
from django.db.utils import ProgrammingError

from fugong.lib.sql import fetch_prepared

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
]


def test_a_prepared_statement_answers_inside_the_open_transaction(world):
    from fugong.orgs.models import Enterprise

    Enterprise.objects.filter(pk=world.enterprise.pk).update(name="改名后的企业")
    for _ in range(3):  # prepared on the first run, reused after
        rows = fetch_prepared(
            "SELECT name FROM orgs_enterprise WHERE id = %(id)s::bigint",
            {"id": world.enterprise.pk},
        )
        assert rows == [("改名后的企业",)]


def test_prepared_statements_are_planned_once_per_connection():
    [(mode,)] = fetch_prepared("SELECT current_setting('plan_cache_mode')", {})
    assert mode == "force_generic_plan"


def test_a_statement_is_prepared_on_the_server_and_its_plan_reused():
    # Django turns psycopg's prepared statements off by default; without the connection
    # option set by fugong.lib.env, prepare=True would be ignored and every run planned anew.
    statement = "SELECT count(*) FROM orgs_enterprise WHERE id = ANY(%(ids)s::bigint[])"
    for _ in range(3):
        fetch_prepared(statement, {"ids": [1, 2]})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE 'SELECT count(*) FROM orgs_enterprise WHERE id = ANY%%'"
        )
        assert cursor.fetchall() == [(3, 0)]


def test_the_orms_own_queries_are_not_prepared():
    from fugong.orgs.models import Enterprise

    for _ in range(10):
        list(Enterprise.objects.filter(pk=1))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements"
            ' WHERE statement LIKE \'%%"orgs_enterprise"."id"%%\''  # the ORM's quoting
        )
        assert cursor.fetchone() == (0,)


def test_a_bad_prepared_statement_raises_djangos_error():
    with pytest.raises(ProgrammingError):
        fetch_prepared("SELECT no_such_column FROM orgs_enterprise", {})


def _terminate_djangos_backend() -> None:
    """What a database restart or failover does to a kept connection, from another one."""
    import psycopg

    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


@pytest.mark.django_db(transaction=True)
def test_an_api_call_after_the_database_closed_the_kept_connection_is_answered(
    api, enterprise_admin
):
    from django.db import close_old_connections

    client = api(enterprise_admin)
    assert client.get("/api/v1/ping").status_code == 200
    before = connection.connection.info.backend_pid
    _terminate_djangos_backend()
    close_old_connections()  # what the start of every request does (Django's test client not)
    response = client.get("/api/v1/ping")
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert connection.connection.info.backend_pid != before  # a new connection
    assert client.get("/api/v1/employees").status_code == 200


def test_a_healthy_kept_connection_costs_no_health_check_round_trip(world, monkeypatch):
    fetch_prepared("SELECT 1", {})
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)
    connection.health_check_done = False  # as a new request starts (close_old_connections)
    assert fetch_prepared("SELECT 2", {}) == [(2,)]
    assert checks == [] and connection.health_check_done
