"""Fast bulk loading for seeds and imports of many rows: COPY on PostgreSQL, executemany on
SQLite. Rows are plain tuples in the order of ``fields``; no model instances are built.

Callers that need the new rows' ids allocate them with :func:`allocate_ids` (the database must
not be written concurrently) and call :func:`reset_sequence` afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]


def db_datetime(moment: dt.datetime) -> Any:
    """A datetime in the database's own form: naive UTC text on SQLite (as Django stores it)."""
    if connection.vendor == "sqlite":
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return moment.isoformat(sep=" ")
    return moment


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return db_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _pg_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    chunk: int = 5000,
    prepared: bool = False,
) -> int:
    """Insert the rows; returns how many. Runs inside the caller's transaction.

    ``prepared=True`` says the values are already in the database's own forms (on SQLite: dates
    as ISO text, datetimes from :func:`db_datetime`, booleans as 0/1; JSON as text on both),
    which skips the per-value conversion: it costs more than the insert itself.

    ``rows`` may be a generator, but it must not query the database itself: on PostgreSQL the
    connection is busy with the COPY until the last row is written.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, fields))
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row if prepared else [_pg_value(v) for v in row])
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        if prepared:  # one call that streams the rows: no Python loop per row
            cursor.executemany(sql, rows)
            return max(cursor.rowcount, 0)
        batch: list[list[Any]] = []
        for row in rows:
            batch.append([_sqlite_value(v) for v in row])
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def insert_narrow_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    constants: Mapping[str, Any],
    *,
    chunk: int = 20_000,
) -> int:
    """Insert rows of a few short values, plus ``constants``: columns with the same value in
    every row (a link table's other side, a flag, a timestamp). Returns how many rows.

    Values are in the database's own forms (as for ``insert_rows(prepared=True)``) and must be
    JSON values: text, numbers, None. On SQLite each chunk of rows goes as one JSON array that
    ``json_each`` unpacks in a single INSERT … SELECT, the constants bound once: for narrow rows
    that takes about half the time of ``executemany``, whose per-row binding then dominates.
    On PostgreSQL it is the COPY of :func:`insert_rows`.
    """
    names, values = list(constants), tuple(constants.values())
    if connection.vendor != "sqlite":
        return insert_rows(
            model, [*fields, *names], ((*row, *values) for row in rows), prepared=True
        )
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, [*fields, *names]))
    picks = [f"json_extract(value, '$[{k}]')" for k in range(len(fields))]
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {', '.join(picks + ['%s'] * len(names))}"
        " FROM json_each(%s)"
    )
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, chunk)):
            cursor.execute(sql, [*values, json.dumps(batch, ensure_ascii=False)])
            count += len(batch)
    return count


def allocate_ids(model: type[models.Model], n: int) -> range:
    """``n`` fresh primary keys after the current maximum."""
    top = model.objects.aggregate(m=models.Max("pk"))["m"] or 0
    return range(top + 1, top + 1 + n)


def reset_sequence(*models_: type[models.Model]) -> None:
    """Make the database's id sequences continue after explicitly inserted ids."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def refresh_statistics() -> bool:
    """After a bulk load, what PostgreSQL's autovacuum would do in its own time (a server may run
    without it, as CI's does): the planner's statistics of every table, and the visibility map
    that index-only scans rely on (the check-in read is built on them). Runs only outside a
    transaction (VACUUM cannot run inside one); returns whether it ran."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return True
