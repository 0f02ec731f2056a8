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

import functools
import select
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import pq

TUPLES_OK = pq.ExecStatus.TUPLES_OK


def fetch_prepared(sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (none for a statement without a result), run as a prepared
    statement on Django's connection and inside its transaction, if one is open."""
    # The connection of this thread, looked up once: each attribute read through Django's
    # ``connection`` proxy looks it up again (~20 µs a read on this path's hardware).
    connection = connections[DEFAULT_DB_ALIAS]
    _check_health(connection)
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        result = cursor.pgresult  # (cheaper than building cursor.description)
        return cursor.fetchall() if result and result.status == TUPLES_OK else []


def _check_health(connection: Any) -> None:
    """Before the first statement of a request, what Django does before its own cursors' first
    (``CONN_HEALTH_CHECKS``): a kept connection that the server closed meanwhile (a restart, a
    failover, a terminated backend) is replaced, instead of failing the request (every API call
    starts here, with its token). Without Django's round trip (SELECT 1) while the connection is
    healthy: an idle connection that the server has closed has something to read, its last
    message or the end of the stream, and only then is Django's check run."""
    if (
        connection.connection is None
        or connection.health_check_done
        or not connection.health_check_enabled
    ):
        return
    try:
        suspect = _has_input(connection.connection.fileno())
    except (psycopg.Error, ValueError):  # no socket any more
        suspect = True
    if suspect:
        connection.close_if_health_check_failed()  # SELECT 1; closes a broken connection
    connection.health_check_done = True


def _has_input(fd: int) -> bool:
    """Whether the socket has something to read, or was closed or failed (never waits)."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))  # POLLHUP and POLLERR are reported too
    return bool(select.select([fd], [], [], 0)[0])


Loader = tuple[type[Any], list[str], list[tuple[Any, list]]]  # model, attnames, converters


class JoinedQuery:
    """Instances of ``base`` with their to-one relations, from one plain SQL statement: what
    ``base.objects.select_related(*relations).filter(…)`` gives, for a fraction of the ORM's cost
    of composing the query (hot paths that run on every request: the API token, the user's
    memberships). Values go through each field's database converters, as the ORM's do; on
    PostgreSQL the statement is prepared (:func:`fetch_prepared`).

    ``where`` is SQL on the aliases ``t0`` (base) and ``t1``… (the relations, in order, joined
    with LEFT JOIN, so a null relation is None), with ``%(name)s`` parameters; ``alias`` changes
    the letter. ``many`` = (another JoinedQuery with another alias, SQL joining its ``x0`` to
    ours) brings, in the same statement, the rows of a to-many relation
    (:meth:`fetch_with_many`); its own ``where`` is not used, its ``order_by`` follows ours.
    """

    def __init__(
        self,
        base: type[Any],
        relations: Sequence[str],
        where: str,
        order_by: str = "",  # SQL on the same aliases; by default the base's id
        *,
        alias: str = "t",
        many: tuple[JoinedQuery, str] | None = None,
    ) -> None:
        self.base, self.relations, self.where = base, relations, where
        self.alias, self.many = alias, many
        self.order_by = order_by or f"{alias}0.id"

    @functools.cached_property
    def _parts(self) -> tuple[list[str], str, list[Loader]]:
        """The selected columns, the FROM clause's joins and, per model, its field names and
        converters (built once per process)."""
        connection = connections[DEFAULT_DB_ALIAS]
        ops = connection.ops
        a = self.alias
        models = [self.base] + [
            self.base._meta.get_field(name).related_model for name in self.relations
        ]
        columns, loaders = [], []
        for n, model in enumerate(models):
            fields = model._meta.concrete_fields
            converters = []
            for f in fields:
                columns.append(f"{a}{n}.{ops.quote_name(f.column)}")
                col = f.get_col(f"{a}{n}")
                converters.append(
                    (col, ops.get_db_converters(col) + f.get_db_converters(connection))
                )
            loaders.append((model, [f.attname for f in fields], converters))
        joins = " ".join(
            f"LEFT JOIN {ops.quote_name(model._meta.db_table)} {a}{n}"
            f" ON {a}{n}.{ops.quote_name(model._meta.pk.column)} = "
            f"{a}0.{ops.quote_name(self.base._meta.get_field(name).column)}"
            for n, (name, model) in enumerate(zip(self.relations, models[1:], strict=True), 1)
        )
        return columns, joins, loaders

    @functools.cached_property
    def _plan(self) -> tuple[str, list[Loader], int]:
        """The SQL, the loaders of its models and how many of them are ours (the rest are the
        to-many relation's)."""
        columns, joins, loaders = self._parts
        table = connections[DEFAULT_DB_ALIAS].ops.quote_name(self.base._meta.db_table)
        order_by = self.order_by
        ours = len(loaders)
        if self.many is not None:
            other, on = self.many
            other_columns, other_joins, other_loaders = other._parts
            other_table = connections[DEFAULT_DB_ALIAS].ops.quote_name(other.base._meta.db_table)
            columns = columns + other_columns
            joins += f" LEFT JOIN {other_table} {other.alias}0 ON {on} {other_joins}"
            loaders = loaders + other_loaders
            order_by += f", {other.order_by}"
        sql = (
            f"SELECT {', '.join(columns)} FROM {table} {self.alias}0"
            f" {joins} WHERE {self.where} ORDER BY {order_by}"
        )
        return sql, loaders, ours

    def fetch(self, params: Mapping[str, Any]) -> list[Any]:
        return [instance for instance, _ in self.fetch_with_many(params)]

    def fetch_with_many(self, params: Mapping[str, Any]) -> list[tuple[Any, list[Any]]]:
        """Each instance with its rows of the ``many`` relation, in their order."""
        sql, loaders, ours = self._plan
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor == "postgresql":
            rows = fetch_prepared(sql, params)
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        other_relations = self.many[0].relations if self.many else ()
        result: list[tuple[Any, list[Any]]] = []
        last_pk = object()
        for row in rows:
            new = row[0] != last_pk  # (the rows of one instance come together: ordered by it)
            objects = _load(row, loaders if new else loaders[ours:], connection)
            if new:
                last_pk = row[0]
                result.append((_joined(objects[0], self.relations, objects[1:ours]), []))
                objects = objects[ours:]
            if objects and objects[0] is not None:
                result[-1][1].append(_joined(objects[0], other_relations, objects[1:]))
        return result


def _load(row: Sequence[Any], loaders: list[Loader], connection: Any) -> list[Any]:
    """The instances of a row's last ``len(loaders)`` models (None for a missing row)."""
    objects: list[Any] = []
    start = len(row) - sum(len(names) for _, names, _ in loaders)
    for model, names, converters in loaders:
        values = list(row[start : start + len(names)])
        start += len(names)
        if values[0] is None:  # no such related row
            objects.append(None)
            continue
        for k, (col, found) in enumerate(converters):
            for convert in found:
                values[k] = convert(values[k], col, connection)
        objects.append(model.from_db(connection.alias, names, values))
    return objects


def _joined(instance: Any, relations: Sequence[str], related: Sequence[Any]) -> Any:
    for name, value in zip(relations, related, strict=True):
        instance._state.fields_cache[name] = value
    return instance
