"""Prepared statements for the few hot paths on PostgreSQL.

Django's cursors bind parameters on the client, so the server plans every statement anew: right
for the ORM, costly for a statement that runs for every check-in (planning the check-in read
costs more than running it). :func:`fetch_prepared` runs a statement with server-side binding,
prepared on the connection the first time (psycopg keeps the cache per connection).
``fugong.lib.env.database_config`` sets what this needs on PostgreSQL connections: psycopg's
``prepare_threshold`` to a count no query reaches (Django's default, None, turns preparing off,
explicit requests included) and ``plan_cache_mode = force_generic_plan``, so such a statement is
planned once per connection; only statements prepared here are affected (Django's own cursors
bind on the client and never prepare; a test checks both).
Their SQL must therefore suit every parameter value: look-ups driven from the keys
(``unnest(string_to_array(%(keys)s, ',')) … JOIN``, every further table joined from them), not
plans that depend on how many keys there are (docs/DEVELOPING.md, "Plain SQL").
(Behind a transaction-mode connection pooler, prepared statements need the pooler's support.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import psycopg
from django.db import connection
from psycopg import pq

TUPLES_OK = pq.ExecStatus.TUPLES_OK


def fetch_prepared(sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (none for a statement without a result), run as a prepared
    statement on Django's connection and inside its transaction, if one is open."""
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        result = cursor.pgresult  # (cheaper than building cursor.description)
        return cursor.fetchall() if result and result.status == TUPLES_OK else []
