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
