"""The reads and the write of the check-in path, in as few statements as the database allows.

Check-ins are the busiest path of the platform (a city's staff, every morning, mostly between
07:00 and 09:00), so on PostgreSQL this module speaks plain SQL: ONE statement reads everything
a submission needs (as a JSON document; a second only for people with no check-in in the days
before), ONE statement writes the check-ins, the people's current status, their status changes
and the audit row (data-modifying CTEs: atomic by themselves, no transaction round trips).
Elsewhere (SQLite, the embedded default) the same functions use the ORM in a transaction. The
whole suite runs on both. No rule lives here: what a status is, is decided in status.py; what is
written, in actions.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from typing import Any, NamedTuple

import orjson
from django.db import connection, transaction

from fugong.audit.actions import event_values, record
from fugong.lib import sql
from fugong.lib.dates import SHANGHAI, business_date
from fugong.resumption.models import StatusChange as ResumptionChange

from .models import CheckIn, CurrentStatus, StatusChange
from .status import Facts, Reading, RiskTable, load_facts, place_names, reading_window


def _postgres() -> bool:
    return connection.vendor == "postgresql"


# ---------------------------------------------------------------------------------- reads
class RosterEntry(NamedTuple):
    person_id: int
    masked: str
    since: dt.date  # the business day the employment was recorded


class Current(NamedTuple):
    code: str
    date: dt.date
    reasons: list[Any]  # as data (reasons.py)


@dataclass
class Snapshot:
    """What a submission needs from the database, read at once."""

    stored: dict[str, dict[str, Any]]  # client_id (text) → the stored answer (+ enterprise_id)
    roster: dict[Any, RosterEntry]  # ID-number hash (or person id) → person on the roster
    facts: dict[int, Facts]  # person id → what the rules need (people on the roster)
    current: dict[int, Current]  # person id → current status
    resumption: list[tuple[dt.date, str]]  # the enterprise's resumption changes, in order
    risk: RiskTable | None = None  # what the travels are judged by; None when nobody travelled


# The look-ups start from the keys (unnest … JOIN): each key is one index look-up. The keys travel
# as one comma-separated text (see _joined).
_STORED_SQL = (
    "SELECT c.client_id::text, c.enterprise_id, c.id, p.id_masked, c.date, c.health_code,"
    " c.can_work, c.reasons"
    " FROM unnest(string_to_array(%(client_ids)s, ',')::uuid[]) AS k(client_id)"
    " JOIN health_checkin c ON c.client_id = k.client_id"
    " JOIN people_person p ON p.id = c.person_id"
)
_ROSTER_SQL = {
    "hash": "SELECT p.id_hash AS key, e.person_id, p.id_masked,"
    " (e.created_at AT TIME ZONE %(zone)s)::date AS since"
    " FROM unnest(string_to_array(%(keys)s, ',')) AS k(id_hash)"
    " JOIN people_person p ON p.id_hash = k.id_hash"
    " JOIN people_employment e ON e.person_id = p.id"
    " WHERE e.enterprise_id = %(enterprise)s::bigint AND e.active",
    "person": "SELECT e.person_id AS key, e.person_id, p.id_masked,"
    " (e.created_at AT TIME ZONE %(zone)s)::date AS since"
    " FROM unnest(string_to_array(%(keys)s, ',')::bigint[]) AS k(person_id)"
    " JOIN people_employment e ON e.person_id = k.person_id"
    " JOIN people_person p ON p.id = e.person_id"
    " WHERE e.enterprise_id = %(enterprise)s::bigint AND e.active",
}
# Everything a submission reads, as one JSON document from one statement: the cheapest way found
# to bring a few small result sets over (one plan, one round trip, one orjson.loads). The check-ins,
# by far the most rows, come as columns of plain values (day as an offset from the window's
# start, temperature and symptoms as text): few distinct values, each converted once.
# Every part starts from the people on the roster (`FROM r JOIN …`; each person is in r once:
# the keys are distinct, one active employment per enterprise): one index probe per person.
# (Written as `… WHERE person_id IN (SELECT person_id FROM r)`, the generic plan, which expects
# few people, scanned a whole table and compared each of its rows with each person.)
_SNAPSHOT_TEMPLATE = """
WITH r AS MATERIALIZED ({roster}),
t AS MATERIALIZED (SELECT t.person_id, t.origin_code, t.arrival_date
    FROM r JOIN health_travelrecord t ON t.person_id = r.person_id
    AND t.arrival_date BETWEEN %(travel_from)s::date AND %(last)s::date)
SELECT json_build_array(
    (SELECT coalesce(json_agg(json_build_array(s.client_id, s.enterprise_id, s.id, s.id_masked,
            s.date, s.health_code, s.can_work, s.reasons)), '[]')
        FROM ({stored}) s),
    (SELECT coalesce(json_agg(json_build_array(key, person_id, id_masked, since)), '[]')
        FROM r),
    (SELECT coalesce(json_agg(json_build_array(effective_date, status)
            ORDER BY effective_date, id), '[]')
        FROM resumption_statuschange WHERE enterprise_id = %(enterprise)s::bigint),
    (SELECT json_build_array(coalesce(array_agg(c.person_id), '{{}}'),
            coalesce(array_agg(c.date - %(contacts_from)s::date), '{{}}'),
            coalesce(array_agg(c.temperature::text), '{{}}'),
            coalesce(array_agg(c.symptoms::text), '{{}}'),
            coalesce(array_agg(c.close_contact), '{{}}'))
        FROM r JOIN health_checkin c ON c.person_id = r.person_id
        AND c.date BETWEEN %(contacts_from)s::date AND %(last)s::date
        AND (c.date >= %(start)s::date OR c.close_contact)),
    (SELECT coalesce(json_agg(json_build_array(person_id, origin_code, arrival_date)), '[]')
        FROM t),
    (SELECT coalesce(json_agg(json_build_array(c.person_id, c.kind, c.since, c.cleared_on)),
            '[]')
        FROM r JOIN health_caserecord c ON c.person_id = r.person_id
        AND c.since <= %(last)s::date),
    (SELECT coalesce(json_agg(json_build_array(s.person_id, s.code, s.date, s.reasons)), '[]')
        FROM r JOIN health_currentstatus s ON s.person_id = r.person_id),
    -- Only when someone travelled: the risk levels (status.RiskTable) and the names the city
    -- gives the places they came from.
    (SELECT coalesce(json_agg(json_build_array(l.code, l.level, l.effective_from)
            ORDER BY l.id), '[]')
        FROM health_risklevel l WHERE EXISTS (SELECT FROM t)),
    (SELECT coalesce(json_agg(json_build_array(d.code, d.name)), '[]')
        FROM (SELECT DISTINCT origin_code FROM t) o JOIN geo_division d ON d.code = o.origin_code)
)::text
"""
# The latest check-in before the readings' window, of the people who have none in the window
# before the first day judged (only then does a count of missed days run past the window): few
# on a morning, when most people checked in yesterday, so a second statement, run only for them.
_LAST_BEFORE_SQL = (
    "SELECT k.person_id, before.date"
    " FROM unnest(string_to_array(%(people)s, ',')::bigint[]) AS k(person_id)"
    " CROSS JOIN LATERAL (SELECT c.date FROM health_checkin c"
    " WHERE c.person_id = k.person_id AND c.date < %(start)s::date"
    " ORDER BY c.date DESC LIMIT 1) before"
)
_SNAPSHOT_SQL = {  # by whether the people are named by ID-number hash
    True: _SNAPSHOT_TEMPLATE.format(stored=_STORED_SQL, roster=_ROSTER_SQL["hash"]),
    False: _SNAPSHOT_TEMPLATE.format(stored=_STORED_SQL, roster=_ROSTER_SQL["person"]),
}


def _joined(keys: Collection[Any]) -> str:
    """Keys (hex digests, integers, UUIDs: never a comma) as one text for string_to_array():
    psycopg would quote each element of a list with a regular expression, ~4 % of a batch's
    Python time."""
    return ",".join(map(str, keys))


def _body(row: tuple) -> tuple[str, dict[str, Any]]:
    client_id, enterprise_id, pk, masked, day, code, allowed, reasons = row
    return client_id, {
        "enterprise_id": enterprise_id,
        "id": pk,
        "person": masked,
        "date": day.isoformat(),
        "health_code": code,
        "can_work": allowed,
        "reasons": reasons,
    }


def stored_checkins(client_ids: Collection[str]) -> dict[str, dict[str, Any]]:
    """client_id → the stored check-in's answer body, plus its ``enterprise_id`` (client ids
    as text, in the canonical spelling of actions.clean_client_id)."""
    if not client_ids:
        return {}
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute(_STORED_SQL, {"client_ids": _joined(client_ids)})
            rows = [(*row[:7], orjson.loads(row[7])) for row in cursor.fetchall()]
    else:
        rows = list(
            CheckIn.objects.filter(client_id__in=list(client_ids)).values_list(
                "client_id",
                "enterprise_id",
                "id",
                "person__id_masked",
                "date",
                "health_code",
                "can_work",
                "reasons",
            )
        )
        rows = [(str(row[0]), *row[1:]) for row in rows]
    return dict(_body(row) for row in rows)


def read_snapshot(
    enterprise_id: int,
    client_ids: Collection[str],
    *,
    hashes: Collection[str] = (),
    person_ids: Collection[int] = (),
    days: Collection[dt.date],
    policy: dict[str, Any],
) -> Snapshot:
    """Everything a submission reads: stored check-ins with these client ids, the people (by
    ID-number hash or by person id) on the enterprise's roster, their facts for judging
    ``days``, their current status and the enterprise's resumption changes. PostgreSQL: one
    round trip, two when someone has no check-in in the window before the first day judged."""
    if not days:
        return Snapshot(stored_checkins(client_ids), {}, {}, {}, [])
    first_day, last_day = min(days), max(days)
    if not _postgres():
        roster: dict[Any, RosterEntry] = (
            _roster_orm(enterprise_id, person__id_hash__in=list(hashes))
            if hashes
            else _roster_orm(enterprise_id, person_id__in=list(person_ids))
        )
        people = {entry.person_id for entry in roster.values()}
        facts = load_facts(people, first_day, last_day, policy)
        return Snapshot(
            stored=stored_checkins(client_ids),
            roster=roster,
            facts=facts,
            current=current_statuses(people),
            resumption=list(
                ResumptionChange.objects.filter(enterprise_id=enterprise_id)
                .order_by("effective_date", "pk")
                .values_list("effective_date", "status")
            ),
            risk=RiskTable.for_facts(facts.values()),
        )
    start, contacts_from = reading_window(policy, first_day)
    params = {
        "client_ids": _joined(client_ids),
        "enterprise": enterprise_id,
        "keys": _joined(hashes or person_ids),
        "start": start,
        "contacts_from": contacts_from,
        "travel_from": first_day - dt.timedelta(days=int(policy["quarantine_days"])),
        "last": last_day,
        "zone": SHANGHAI.key,
    }
    [(document,)] = sql.fetch_prepared(_SNAPSHOT_SQL[bool(hashes)], params)
    (
        stored_rows,
        roster_rows,
        resumption,
        readings,
        travels,
        cases,
        currents,
        levels,
        city_names,
    ) = orjson.loads(document)
    day_of = _Converted(dt.date.fromisoformat).__getitem__
    stored = dict(_body((row[0], *row[1:4], day_of(row[4]), *row[5:])) for row in stored_rows)
    roster = {key: RosterEntry(pk, masked, day_of(since)) for key, pk, masked, since in roster_rows}
    facts: dict[int, Facts] = {entry.person_id: Facts() for entry in roster.values()}
    window = [
        contacts_from + dt.timedelta(days=n) for n in range((last_day - contacts_from).days + 1)
    ]
    temperatures, symptom_sets = (
        _Converted(Decimal),
        _Converted(lambda text: tuple(orjson.loads(text))),
    )
    # Column by column, without a Python-level call per row (the many rows of the read):
    # tuple.__new__(Reading, values) is what Reading(*values) does.
    pks, offsets, temperature_texts, symptom_texts, contacts = readings
    values = zip(
        map(window.__getitem__, offsets),
        map(temperatures.__getitem__, temperature_texts),
        map(symptom_sets.__getitem__, symptom_texts),
        contacts,
        strict=True,
    )
    lists = {pk: f.readings for pk, f in facts.items()}
    for pk, reading in zip(pks, map(tuple.__new__, repeat(Reading), values), strict=True):
        lists[pk].append(reading)
    for pk, origin, arrival in travels:
        facts[pk].travels.append((origin, day_of(arrival)))
    for pk, kind, since, cleared in cases:
        facts[pk].cases.append((kind, day_of(since), day_of(cleared) if cleared else None))
    # Those with a check-in from ``start`` to the eve of the first day judged: their count of
    # missed days ends in the window. For the others, the latest check-in before it is read.
    counted = range((start - contacts_from).days, (first_day - contacts_from).days)
    have = {pk for pk, offset in zip(pks, offsets, strict=True) if offset in counted}
    uncounted = [pk for pk in facts if pk not in have]
    if uncounted:
        lasts = sql.fetch_prepared(_LAST_BEFORE_SQL, {"people": _joined(uncounted), "start": start})
        for pk, last in lasts:
            facts[pk].last_before = last
    current = {pk: Current(code, day_of(day), reasons) for pk, code, day, reasons in currents}
    risk = None
    if travels:
        risk = RiskTable(
            [(code, level, day_of(since)) for code, level, since in levels],
            names=place_names({origin for _pk, origin, _arrival in travels}, dict(city_names)),
        )
    return Snapshot(
        stored,
        roster,
        facts,
        current,
        [(day_of(day), status) for day, status in resumption],
        risk,
    )


class _Converted(dict[str, Any]):
    """text → value, each distinct text converted once."""

    def __init__(self, convert: Callable[[str], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, text: str) -> Any:
        value = self[text] = self.convert(text)
        return value


def _roster_orm(enterprise_id: int, **lookup: Any) -> dict[Any, RosterEntry]:
    from fugong.people.models import Employment

    key = "person__id_hash" if "person__id_hash__in" in lookup else "person_id"
    rows = Employment.objects.filter(enterprise_id=enterprise_id, active=True, **lookup)
    return {
        key_value: RosterEntry(pk, masked, business_date(since))
        for key_value, pk, masked, since in rows.values_list(
            key, "person_id", "person__id_masked", "created_at"
        )
    }


def current_statuses(person_ids: Collection[int]) -> dict[int, Current]:
    return {
        pk: Current(code, day, reasons)
        for pk, code, day, reasons in CurrentStatus.objects.filter(
            person_id__in=list(person_ids)
        ).values_list("person_id", "code", "date", "reasons")
    }


# ---------------------------------------------------------------------------------- write
@dataclass(frozen=True, slots=True)
class StatusWrite:
    """A person's new current status, and whether it is a change of colour to record."""

    person_id: int
    code: str
    date: dt.date
    reasons: list[Any]  # as data (reasons.py)
    previous: str  # "" when there was none
    changed: bool


_WRITE_SQL = """
WITH new AS (
    SELECT * FROM jsonb_to_recordset(%(checkins)s::jsonb) AS x(
        person_id bigint, date date, temperature numeric, symptoms jsonb, location text,
        close_contact boolean, work_mode text, client_id uuid, health_code text,
        can_work boolean, reasons jsonb)
), ins AS (
    INSERT INTO health_checkin (person_id, enterprise_id, date, temperature, symptoms, location,
        close_contact, work_mode, client_id, submitted_by_id, created_at, health_code,
        can_work, reasons, via)
    SELECT person_id, %(enterprise)s::bigint, date, temperature, symptoms, location,
        close_contact, work_mode, client_id, %(user)s::bigint, %(now)s::timestamptz,
        health_code, can_work, reasons, %(via)s::text
    FROM new
    ON CONFLICT (client_id) DO NOTHING
    RETURNING client_id, id, person_id
), statuses AS (
    SELECT * FROM jsonb_to_recordset(%(statuses)s::jsonb) AS s(
        person_id bigint, code text, date date, reasons jsonb, previous text, changed boolean)
    WHERE s.person_id IN (SELECT person_id FROM ins)
), current AS (
    INSERT INTO health_currentstatus (person_id, code, date, reasons, updated_at)
    SELECT person_id, code, date, reasons, %(now)s::timestamptz FROM statuses
    ON CONFLICT (person_id) DO UPDATE SET code = EXCLUDED.code, date = EXCLUDED.date,
        reasons = EXCLUDED.reasons, updated_at = EXCLUDED.updated_at
    WHERE health_currentstatus.date <= EXCLUDED.date
), changes AS (
    INSERT INTO health_statuschange (person_id, date, code, previous, reasons, cause, created_at)
    SELECT person_id, date, code, previous, reasons, 'checkin', %(now)s::timestamptz
    FROM statuses
    WHERE changed
), audit AS (
    INSERT INTO audit_auditevent (at, actor_id, actor_label, action, object_type, object_id,
        object_label, details)
    SELECT %(now)s::timestamptz, %(actor_id)s::bigint, %(actor_label)s::text, %(action)s::text,
        %(object_type)s::text, %(object_id)s::text, %(object_label)s::text,
        %(details)s::jsonb || jsonb_build_object('count', count(*))
    FROM ins HAVING count(*) > 0
)
SELECT client_id::text, id FROM ins
"""


def save_checkins(
    enterprise: Any,
    checkins: list[dict[str, Any]],
    statuses: list[StatusWrite],
    *,
    actor: Any,
    via: str,
    now: dt.datetime,
    details: dict[str, Any],
) -> dict[str, int]:
    """Store the check-ins whose client_id is new, with their people's status and one audit
    row ("checkin.submitted", ``details`` plus the count). Returns client_id → id of the rows
    this call inserted: a client_id stored meanwhile by a concurrent request is skipped by the
    unique constraint, never duplicated, and its person's status is left to that request.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    if _postgres():
        audit = event_values(actor, "checkin.submitted", enterprise, details=details)
        inserted = sql.fetch_prepared(
            _WRITE_SQL,
            {
                # orjson writes dates, UUIDs and the StatusWrite dataclasses as the SQL reads
                # them, the Decimal temperatures as text (default=str).
                "checkins": orjson.dumps(checkins, default=str).decode(),
                "statuses": orjson.dumps(statuses).decode(),
                "enterprise": enterprise.pk,
                "user": user.pk if user else None,
                "now": now,
                "via": via,
                "actor_id": audit["actor"].pk if audit["actor"] else None,
                "actor_label": audit["actor_label"],
                "action": audit["action"],
                "object_type": audit["object_type"],
                "object_id": audit["object_id"],
                "object_label": audit["object_label"],
                "details": json.dumps(audit["details"], ensure_ascii=False),
            },
        )
        return dict(inserted)
    with transaction.atomic():
        CheckIn.objects.bulk_create(
            [
                CheckIn(enterprise=enterprise, submitted_by=user, created_at=now, via=via, **c)
                for c in checkins
            ],
            ignore_conflicts=True,
        )
        inserted = {
            str(client_id): pk
            for client_id, pk in CheckIn.objects.filter(
                client_id__in=[c["client_id"] for c in checkins],
                created_at=now,
                submitted_by=user,
            ).values_list("client_id", "pk")
        }
        if not inserted:
            return inserted
        people = {c["person_id"] for c in checkins if c["client_id"] in inserted}
        write_statuses([s for s in statuses if s.person_id in people], cause="checkin", now=now)
        record(
            actor,
            "checkin.submitted",
            enterprise,
            details={**details, "count": len(inserted)},
        )
        return inserted


def write_statuses(writes: list[StatusWrite], *, cause: str, now: dt.datetime) -> None:
    """Store people's new current status and, where the colour changed, a StatusChange (the
    ORM's way; inside the caller's transaction). A status for a day older than the one stored
    meanwhile is not written over it."""
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                person_id=w.person_id,
                date=w.date,
                code=w.code,
                previous=w.previous,
                reasons=w.reasons,
                cause=cause,
                created_at=now,
            )
            for w in writes
            if w.changed
        ]
    )
    stored = dict(
        CurrentStatus.objects.select_for_update()
        .filter(person_id__in=[w.person_id for w in writes])
        .values_list("person_id", "date")
    )
    CurrentStatus.objects.bulk_create(
        [
            CurrentStatus(
                person_id=w.person_id, code=w.code, date=w.date, reasons=w.reasons, updated_at=now
            )
            for w in writes
            if w.person_id not in stored or stored[w.person_id] <= w.date
        ],
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=["code", "date", "reasons", "updated_at"],
    )
