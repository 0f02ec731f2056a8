"""Bulk loading (fugong.lib.bulk): every row stored once, in the order given, with its values."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from fugong.geo.models import Division
from fugong.lib import bulk
from fugong.lib.testing import build_world, hire
from fugong.people.models import Employment

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_statements(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seven rows per SQLite statement: a test's rows take several, the last one short."""
    monkeypatch.setattr(bulk, "SQLITE_ROWS_PER_STATEMENT", 7)


def test_insert_rows_stores_every_row_in_the_order_given(small_statements: None) -> None:
    rows = [(f"99{k:04d}", f"区{k}·“引号”'s %s ?", "district") for k in range(40)]

    stored = bulk.insert_rows(Division, ["code", "name", "level"], iter(rows), prepared=True)

    assert stored == 40
    loaded = Division.objects.filter(code__startswith="99").order_by("pk")
    assert list(loaded.values_list("code", "name", "level")) == rows
    pks = list(loaded.values_list("pk", flat=True))
    assert pks == list(range(pks[0], pks[0] + 40))  # consecutive ids, in the rows' order


def test_insert_rows_converts_python_values_unless_prepared(small_statements: None) -> None:
    world = build_world()
    people = [hire(world.enterprise, name=f"员工{k}") for k in range(10)]
    at = dt.datetime(2020, 2, 10, 8, 30, tzinfo=dt.UTC)

    stored = bulk.insert_rows(
        Employment,
        ["person", "enterprise", "post", "start_date", "active", "created_at"],
        [
            (p.pk, world.other_enterprise.pk, f"岗位{k}", dt.date(2020, 2, k + 1), k % 2 == 0, at)
            for k, p in enumerate(people)
        ],
    )

    assert stored == 10
    loaded = Employment.objects.filter(enterprise=world.other_enterprise).order_by("person_id")
    assert [(e.person_id, e.post, e.start_date, e.active, e.created_at) for e in loaded] == [
        (p.pk, f"岗位{k}", dt.date(2020, 2, k + 1), k % 2 == 0, at) for k, p in enumerate(people)
    ]


def test_insert_narrow_rows_gives_every_row_the_constants(small_statements: None) -> None:
    world = build_world()
    people = [hire(world.enterprise, name=f"员工{k}") for k in range(16)]
    true = 1 if connection.vendor == "sqlite" else True
    at = bulk.db_datetime(dt.datetime(2020, 2, 10, 8, 30, tzinfo=dt.UTC))

    stored = bulk.insert_narrow_rows(
        Employment,
        ["person", "post", "start_date"],
        (
            (p.pk, "操作工" if k % 3 else "", None if k % 2 else "2020-02-03")
            for k, p in enumerate(people)
        ),
        {"enterprise": world.other_enterprise.pk, "active": true, "created_at": at},
    )

    assert stored == 16
    loaded = Employment.objects.filter(enterprise=world.other_enterprise).order_by("person_id")
    assert [(e.person_id, e.post, e.start_date, e.active) for e in loaded] == [
        (p.pk, "操作工" if k % 3 else "", None if k % 2 else dt.date(2020, 2, 3), True)
        for k, p in enumerate(people)
    ]
    assert {e.created_at for e in loaded} == {dt.datetime(2020, 2, 10, 8, 30, tzinfo=dt.UTC)}


def test_a_row_of_the_wrong_width_is_refused_and_the_transaction_stores_nothing(
    small_statements: None,
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL, COPY itself refuses the row")
    rows = [(f"98{k:04d}", f"区{k}", "district") for k in range(10)]
    rows.insert(8, ("980100", "少了一列"))  # in the second statement

    with pytest.raises(ValueError, match="3 values"), transaction.atomic():
        bulk.insert_rows(Division, ["code", "name", "level"], rows, prepared=True)

    assert not Division.objects.filter(code__startswith="98").exists()
