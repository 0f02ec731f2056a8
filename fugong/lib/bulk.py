"""Fast bulk loading for seeds and imports of many rows: COPY on PostgreSQL, multi-row INSERTs on
SQLite. Rows are plain tuples in the order of ``fields``; no model instances are built.

Callers that need the new rows' ids allocate them with :func:`allocate_ids` (the database must
not be written concurrently) and call :func:`reset_sequence` afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from decimal import Decimal
from itertools import chain, islice
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
    columns = [connection.ops.quote_name(c) for c in _columns(model, fields)]
    if connection.vendor == "postgresql":
        count = 0
        copying = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copying) as copy:
            write = copy.write_row
            for row in rows:
                write(row if prepared else [_pg_value(v) for v in row])
                count += 1
        return count
    if not prepared:
        rows = ([_sqlite_value(v) for v in row] for row in rows)
    return _sqlite_insert(table, columns, rows, {})


def insert_narrow_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    constants: Mapping[str, Any],
) -> int:
    """Insert rows of a few values, plus ``constants``: columns with the same value in every row
    (a link table's other side, a flag, a timestamp). Returns how many rows.

    Values are in the database's own forms (as for ``insert_rows(prepared=True)``). On SQLite
    the constants are bound once per statement instead of once per row; on PostgreSQL this is
    the COPY of :func:`insert_rows`.
    """
    if connection.vendor != "sqlite":
        values = tuple(constants.values())
        return insert_rows(
            model, [*fields, *constants], ((*row, *values) for row in rows), prepared=True
        )
    quote = connection.ops.quote_name
    constant_columns = {
        quote(c): v
        for c, v in zip(_columns(model, list(constants)), constants.values(), strict=True)
    }
    return _sqlite_insert(
        quote(model._meta.db_table),
        [quote(c) for c in _columns(model, fields)],
        rows,
        constant_columns,
    )


# Rows per INSERT statement on SQLite. One statement of many rows (``VALUES (…), (…), …``)
# takes a third less time than executemany (a step and a reset of the statement per row), and
# half the time of unpacking one JSON array with json_each; from ~500 rows on, more rows per
# statement gain nothing.
SQLITE_ROWS_PER_STATEMENT = 1000


def _sqlite_insert(
    table: str, columns: list[str], rows: Iterable[Sequence[Any]], constants: Mapping[str, Any]
) -> int:
    """``INSERT INTO table (columns…, constants…) SELECT column1, …, ?, … FROM (VALUES …)`` a
    statement per :data:`SQLITE_ROWS_PER_STATEMENT` rows, on Django's connection and inside its
    transaction. The statements go to the sqlite3 driver directly, with its own ``?``
    placeholders: Django's cursor would rewrite the statement's thousands of placeholders, and
    with DEBUG on, log it by quoting every value in another query."""
    import sqlite3

    width = len(columns)
    connection.ensure_connection()
    raw = connection.connection
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - len(constants)
    per = max(1, min(SQLITE_ROWS_PER_STATEMENT, limit // width))
    picks = ", ".join([*(f"column{k}" for k in range(1, width + 1)), *("?" for _ in constants)])
    head = f"INSERT INTO {table} ({', '.join([*columns, *constants])}) SELECT {picks} FROM (VALUES "
    one = "(" + ", ".join("?" * width) + ")"

    def statement(n: int) -> str:
        return head + ", ".join([one] * n) + ")"

    full = statement(per)
    bound = list(constants.values())
    iterator = iter(rows)
    count = 0
    with connection.wrap_database_errors, closing(raw.cursor()) as cursor:
        while chunk := list(islice(iterator, per)):
            if set(map(len, chunk)) != {width}:  # a short row would shift the others
                raise ValueError(f"Every row must have {width} values.")
            cursor.execute(
                full if len(chunk) == per else statement(len(chunk)),
                [*bound, *chain.from_iterable(chunk)],
            )
            count += len(chunk)
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
