from __future__ import annotations

import pytest
from django.db import connection

from fugong.health.models import CheckIn
from fugong.health.seed import _indexes_dropped


def _index_definitions(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table]
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
                [table],
            )
        return dict(cursor.fetchall())


@pytest.mark.django_db
def test_a_bulk_load_rebuilds_exactly_the_indexes_the_migrations_made():
    table = CheckIn._meta.db_table
    before = _index_definitions(table)
    assert "checkin_person_date_facts" in before
    if connection.vendor == "postgresql":  # the covering index keeps its INCLUDE columns
        assert "INCLUDE" in before["checkin_person_date_facts"]
    with _indexes_dropped(CheckIn):
        during = _index_definitions(table)
        assert "checkin_person_date_facts" not in during
    assert _index_definitions(table) == before
