"""Check-in history for the synthetic city (called after the resumption seed).

Most staff of resumed enterprises check in on site every morning between 07:00 and 09:00; some
work remotely or are on leave; a few have a fever or symptoms; some miss days; people who came
back from a medium/high-risk county are in home observation. Rows are written with
``fugong.lib.bulk.insert_rows`` (COPY on PostgreSQL). The status of each row follows the same
rules as a live check-in; only the uncommon non-green rows are judged by ``status.evaluate``
for their reasons (stored as data, worded when read: reasons.py).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from fugong.lib import bulk
from fugong.lib.dates import SHANGHAI
from fugong.people.models import Employment

from .models import (
    CaseRecord,
    CheckIn,
    CurrentStatus,
    HealthCode,
    RiskLevel,
    StatusChange,
    TravelRecord,
    WorkMode,
)
from .policies import HEALTH
from .status import Facts, Reading, RiskTable, evaluate, work_verdict

RISKY_COUNTIES = {
    "420106": "high",
    "420102": "high",
    "420111": "medium",
    "421002": "medium",
    "411302": "medium",
    "330302": "medium",
}
NORMAL = [Decimal(f"{t / 10:.1f}") for t in range(360, 372)]
FEVER = [Decimal(f"{t / 10:.1f}") for t in range(373, 386)]
SYMPTOMS = ["cough", "sore_throat", "fatigue"]


def _insert(model: Any, fields: list[str], rows: Any) -> None:
    bulk.insert_rows(model, fields, rows, prepared=True)


@contextmanager
def _indexes_dropped(model: Any) -> Iterator[None]:
    """Build the model's plain indexes once after a big load instead of row by row. Django
    writes their SQL, so they come back exactly as the migrations made them (INCLUDE too); the
    schema editor is not entered, which SQLite refuses inside the seed's transaction."""
    editor = connection.schema_editor()
    editor.deferred_sql = []  # what entering it would set up
    indexes = model._meta.indexes
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute(str(index.remove_sql(model, editor)))
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Run the deferred foreign-key checks of the load now: PostgreSQL cannot build an
            # index on a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for index in indexes:
            cursor.execute(str(index.create_sql(model, editor)))


def seed(ctx: Any) -> None:
    from fugong.resumption.selectors import resumed_enterprise_ids

    rng = ctx.rng
    policy = HEALTH.current()
    days = ctx.days()
    today = ctx.today
    allowed = int(policy["missed_days_allowed"])
    quarantine = int(policy["quarantine_days"])
    # Risk levels: Wuhan high, a few counties medium, from before the history starts.
    start = days[0] - dt.timedelta(days=20)
    RiskLevel.objects.bulk_create(
        [
            RiskLevel(code=c, level=lvl, effective_from=start, note="synthetic")
            for c, lvl in RISKY_COUNTIES.items()
        ]
    )
    risk = RiskTable.load(RISKY_COUNTIES)  # names now: no query may run while COPY streams
    staff = list(
        Employment.objects.filter(active=True).values_list(
            "person_id", "enterprise_id", "person__home_code", "person__user_id"
        )
    )
    demo_users = {s[3] for s in staff if s[3] is not None}
    resumed = {day: resumed_enterprise_ids(day) for day in days}
    # Travel: about 2% of the people from elsewhere came back from a risky county lately.
    travels: dict[int, tuple[str, dt.date]] = {}
    counties = list(RISKY_COUNTIES)
    travel_rows = []
    for pk, enterprise_id, home, user_id in staff:
        if user_id is None and len(home) == 6 and rng.random() < 0.02:
            origin = rng.choice(counties)
            arrival = days[0] + dt.timedelta(days=rng.randrange(len(days)))
            travels[pk] = (origin, arrival)
            travel_rows.append(
                [
                    pk,
                    origin,
                    arrival.isoformat(),
                    rng.choice(["train", "coach", "car"]),
                    enterprise_id,
                    bulk.db_datetime(timezone.now()),
                ]
            )
    _insert(
        TravelRecord,
        ["person", "origin_code", "arrival_date", "means", "enterprise", "created_at"],
        travel_rows,
    )
    contacts = {
        pk: days[0] + dt.timedelta(days=rng.randrange(len(days)))
        for pk, *_ in rng.sample(staff, min(len(staff) // 4000 + 1, len(staff)))
    }
    CaseRecord.objects.bulk_create(
        [
            CaseRecord(person_id=pk, kind=CaseRecord.Kind.CLOSE_CONTACT, since=since)
            for pk, since in contacts.items()
        ]
    )
    sqlite = connection.vendor == "sqlite"
    green_reasons = evaluate(
        Facts([Reading(today, NORMAL[5], (), False)]), today, policy, None
    ).reasons
    # The times people check in at: between 07:00 and 09:00, and today none after now (before
    # 07:00 nobody has checked in yet today).
    now = timezone.now()

    def times(day: dt.date) -> list[Any]:
        seven = dt.datetime.combine(day, dt.time(7, 0), tzinfo=SHANGHAI)
        moments = (
            seven + dt.timedelta(minutes=m, seconds=s)
            for m in range(0, 120, 3)
            for s in (7, 31, 53)
        )
        return [bulk.db_datetime(t) for t in moments if t <= now]

    minutes = {day: times(day) for day in days}
    base = uuid.UUID(int=rng.getrandbits(128)).int & ~((1 << 40) - 1)
    counter = 0
    missed = {pk: 0 for pk, *_ in staff}
    last: dict[int, tuple[dt.date, str, list[Any]]] = {}
    changes: list[list[Any]] = []
    total = len(staff) * len(days)
    done = 0

    def rows():
        nonlocal counter, done
        false, true = (0, 1) if sqlite else (False, True)
        green_json = json.dumps(green_reasons, ensure_ascii=False)
        # green at an enterprise not (yet) resumed: may not work on site, as a live check-in says
        idle_json = json.dumps(work_verdict(HealthCode.GREEN, green_reasons, resumed=False)[1])
        for day in days:
            day_text = day.isoformat()
            ok = resumed[day]
            slots = minutes[day]
            is_today = day == today
            for pk, enterprise_id, home, user_id in staff:
                done += 1
                r = rng.random()
                working = enterprise_id in ok
                # Who checks in: most of the staff of resumed enterprises; today only the
                # early birds (the morning is still going on); the demo employees not today.
                rate = (0.93 if working else 0.5) * (0.6 if is_today else 1.0)
                if r >= rate or (is_today and user_id in demo_users) or not slots:
                    missed[pk] += 1
                    continue
                r = r / rate
                travel = travels.get(pk)
                in_quarantine = (
                    travel is not None
                    and travel[1] <= day < travel[1] + (dt.timedelta(days=quarantine))
                    and risk.level(travel[0], travel[1]) in ("medium", "high")
                )
                contact = contacts.get(pk)
                observed = contact is not None and contact <= day < contact + dt.timedelta(
                    days=int(policy["close_contact_days"])
                )
                fever = r < 0.003
                symptoms = [SYMPTOMS[int(r * 1000) % 3]] if 0.003 <= r < 0.008 else []
                temperature = (
                    FEVER[int(r * 4333) % len(FEVER)]
                    if fever
                    else NORMAL[int(r * 7919) % len(NORMAL)]
                )
                late = missed[pk] > allowed and pk in last
                missed[pk] = 0
                if in_quarantine or observed or not working:
                    mode = WorkMode.REMOTE if r < 0.5 else WorkMode.LEAVE
                else:
                    mode = (
                        WorkMode.ONSITE
                        if r < 0.86
                        else WorkMode.REMOTE
                        if r < 0.95
                        else WorkMode.LEAVE
                    )
                if fever or symptoms or in_quarantine or observed or late:
                    facts = Facts(
                        [Reading(day, temperature, tuple(symptoms), False)],
                        travels=[travel] if travel else [],
                        cases=[(CaseRecord.Kind.CLOSE_CONTACT, contact, None)] if contact else [],
                    )
                    if late:
                        facts.roster_since = day - dt.timedelta(days=allowed + 1)
                    status = evaluate(facts, day, policy, risk)
                    code, reasons = status.code, status.reasons
                else:
                    code, reasons = HealthCode.GREEN, green_reasons
                previous = last.get(pk)
                if previous is None or previous[1] != code:
                    changes.append(
                        [
                            pk,
                            day,
                            code,
                            previous[1] if previous else "",
                            reasons,
                            "checkin",
                            slots[int(r * len(slots)) % len(slots)],
                        ]
                    )
                last[pk] = (day, code, reasons)
                counter += 1
                yield (
                    pk,
                    enterprise_id,
                    day_text,
                    str(temperature),
                    json.dumps(symptoms) if symptoms else "[]",
                    home[:9] if len(home) > 6 else home,
                    false,
                    mode,
                    f"{base + counter:032x}",
                    slots[int(r * 997) % len(slots)],
                    code,
                    (true if code == HealthCode.GREEN and working else false),
                    (green_json if working else idle_json)
                    if reasons is green_reasons
                    else json.dumps(reasons, ensure_ascii=False),
                    "seed",
                )
            ctx.progress.step("check-ins", done, total)

    with _indexes_dropped(CheckIn):
        _insert(
            CheckIn,
            [
                "person",
                "enterprise",
                "date",
                "temperature",
                "symptoms",
                "location",
                "close_contact",
                "work_mode",
                "client_id",
                "created_at",
                "health_code",
                "can_work",
                "reasons",
                "via",
            ],
            rows(),
        )
    texts: dict[int, str] = {}

    def as_json(reasons: list[str]) -> str:
        key = id(reasons)
        if key not in texts:
            texts[key] = json.dumps(reasons, ensure_ascii=False)
        return texts[key]

    _insert(
        StatusChange,
        ["person", "date", "code", "previous", "reasons", "cause", "created_at"],
        (
            (pk, day.isoformat(), code, prev, as_json(reasons), cause, at)
            for pk, day, code, prev, reasons, cause, at in changes
        ),
    )
    now = bulk.db_datetime(timezone.now())
    _insert(
        CurrentStatus,
        ["person", "code", "date", "reasons", "updated_at"],
        (
            (pk, code, day.isoformat(), as_json(reasons), now)
            for pk, (day, code, reasons) in last.items()
        ),
    )
