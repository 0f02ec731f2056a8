"""Every change to health data: check-ins, travel, cases, risk levels, check-in links."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fugong.audit.actions import record
from fugong.geo.models import Division
from fugong.lib.dates import business_date, business_today
from fugong.lib.errors import Conflict, FieldError
from fugong.lib.identifiers import InvalidIdentifier, national_division_name
from fugong.people.roster import fast_id_number, hash_many

from .models import (
    SYMPTOM_CODES,
    CaseRecord,
    CheckIn,
    CheckInLink,
    CurrentStatus,
    HealthCode,
    QualityFlag,
    RiskLevel,
    StatusChange,
    TravelRecord,
    WorkMode,
)
from .policies import HEALTH
from .status import (
    Facts,
    Reading,
    RiskTable,
    Status,
    can_work,
    evaluate,
    is_fever,
    load_facts,
    needs_risk_table,
    work_reason,
)

MAX_BATCH = 1000
MIN_TEMPERATURE = Decimal("34.0")
MAX_TEMPERATURE = Decimal("43.0")


@dataclass
class Submission:
    """A check-in whose every field has been checked."""

    id_number: str | None  # None when the person is already known (web and link check-ins)
    date: dt.date
    temperature: Decimal
    symptoms: list[str]
    location: str
    close_contact: bool
    work_mode: str
    client_id: uuid.UUID


# ------------------------------------------------------------------------------- validation
def clean_client_id(value: Any) -> uuid.UUID:
    if value is None or value == "":
        raise FieldError("client_id", _("client_id is required (a UUID chosen by the client)."))
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        raise FieldError("client_id", _("client_id must be a UUID.")) from None


def clean_date(value: Any, *, today: dt.date, backdate_days: int) -> dt.date:
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value)) if value not in (None, "") else None
        except ValueError:
            day = None
        if day is None or len(str(value)) != 10:
            raise FieldError("date", _("Give the date as YYYY-MM-DD."))
    if day > today:
        raise FieldError("date", _("The date cannot be in the future."))
    if day < today - dt.timedelta(days=backdate_days):
        raise FieldError(
            "date", _("A check-in can be at most %(n)d days back.") % {"n": backdate_days}
        )
    return day


def clean_temperature(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None or value == "":
        raise FieldError("temperature", _("The temperature is required, in °C."))
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise FieldError("temperature", _("The temperature must be a number in °C.")) from None
    if not number.is_finite() or not (MIN_TEMPERATURE <= number <= MAX_TEMPERATURE):
        raise FieldError("temperature", _("The temperature must be between 34.0 and 43.0 °C."))
    return number.quantize(Decimal("0.1"))


def clean_symptoms(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise FieldError("symptoms", _("Symptoms must be a list of symptom codes."))
    unknown = sorted(set(value) - SYMPTOM_CODES)
    if unknown:
        raise FieldError(
            "symptoms", _("Unknown symptom: %(codes)s.") % {"codes": ", ".join(unknown)[:100]}
        )
    return sorted(set(value))


def clean_bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise FieldError(field, _("Answer true or false."))
    return value


def clean_work_mode(value: Any) -> str:
    if value not in WorkMode.values:
        raise FieldError("work_mode", _("The work mode must be onsite, remote or leave."))
    return str(value)


def clean_location_shape(value: Any) -> str:
    code = str(value).strip() if isinstance(value, str | int) else ""
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise FieldError(
            "location", _("Give a division code of this city or a county-level code of China.")
        )
    return code


def unknown_locations(codes: set[str]) -> set[str]:
    """The codes that are neither a county of China nor a division of this city (one query)."""
    pending = {c for c in codes if national_division_name(c) is None}
    if not pending:
        return set()
    known = set(Division.objects.filter(code__in=pending).values_list("code", flat=True))
    return pending - known


def clean_checkin(
    data: Any, *, today: dt.date, policy: dict[str, Any], with_id: bool = True
) -> Submission:
    """Check every field except that the location exists (see :func:`unknown_locations`)."""
    if not isinstance(data, dict):
        raise FieldError("", _("Send a JSON object."))
    id_number = None
    if with_id:
        raw = data.get("id_number")
        if not isinstance(raw, str) or not raw.strip():
            raise FieldError("id_number", _("The ID number is required."))
        try:
            id_number = fast_id_number(raw, today)
        except InvalidIdentifier as exc:
            raise FieldError("id_number", str(exc)) from None
    return Submission(
        id_number=id_number,
        date=clean_date(data.get("date"), today=today, backdate_days=int(policy["backdate_days"])),
        temperature=clean_temperature(data.get("temperature")),
        symptoms=clean_symptoms(data.get("symptoms")),
        location=clean_location_shape(data.get("location")),
        close_contact=clean_bool(data.get("close_contact"), "close_contact"),
        work_mode=clean_work_mode(data.get("work_mode")),
        client_id=clean_client_id(data.get("client_id")),
    )


# ------------------------------------------------------------------------------ submission
def checkin_body(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "person": row["person__id_masked"],
        "date": row["date"].isoformat(),
        "health_code": row["health_code"],
        "can_work": row["can_work"],
        "reasons": row["reasons"],
    }


def _error(exc: FieldError) -> tuple[int, dict[str, Any]]:
    return 400, {"error": exc.message, "field": exc.field}


BODY_FIELDS = ("id", "person__id_masked", "date", "health_code", "can_work", "reasons")


def submit_checkins(
    enterprise: Any,
    items: list[Any],
    *,
    actor: Any,
    via: str = "api",
    person_ids: list[int | None] | None = None,
) -> list[tuple[int, dict[str, Any]]]:
    """Store check-ins for people on ``enterprise``'s roster; one (status, body) per item.

    201: stored; 200: this client_id was stored before (same body, nothing new); 400: a field is
    invalid; 404: the ID number is not on this enterprise's roster. Items are independent.
    ``person_ids`` (web and link check-ins) names the person instead of an ``id_number``.
    """
    with transaction.atomic():
        return _submit(enterprise, items, actor=actor, via=via, person_ids=person_ids)


def _submit(
    enterprise: Any,
    items: list[Any],
    *,
    actor: Any,
    via: str,
    person_ids: list[int | None] | None,
) -> list[tuple[int, dict[str, Any]]]:
    policy = HEALTH.current()
    today = business_today()
    results: list[tuple[int, dict[str, Any]] | None] = [None] * len(items)
    # 1. Replays: a client_id seen before answers with the stored body, whatever else is sent.
    keys: dict[int, uuid.UUID] = {}
    for i, data in enumerate(items):
        try:
            keys[i] = clean_client_id(data.get("client_id") if isinstance(data, dict) else None)
        except FieldError as exc:
            results[i] = _error(exc)
    stored = {
        row["client_id"]: row
        for row in CheckIn.objects.filter(client_id__in=set(keys.values())).values(
            "client_id", "enterprise_id", *BODY_FIELDS
        )
    }
    for i, key in keys.items():
        row = stored.get(key)
        if row is None:
            continue
        if row["enterprise_id"] != enterprise.pk:
            results[i] = _error(
                FieldError("client_id", _("This client_id was used for another check-in."))
            )
        else:
            results[i] = (200, checkin_body(row))
    # 2. Every field of the new submissions.
    cleaned: dict[int, Submission] = {}
    for i, data in enumerate(items):
        if results[i] is not None:
            continue
        try:
            cleaned[i] = clean_checkin(data, today=today, policy=policy, with_id=person_ids is None)
        except FieldError as exc:
            results[i] = _error(exc)
    bad = unknown_locations({s.location for s in cleaned.values()})
    for i in [i for i, s in cleaned.items() if s.location in bad]:
        results[i] = _error(
            FieldError(
                "location",
                _("Give a division code of this city or a county-level code of China."),
            )
        )
        del cleaned[i]
    # 3. The people must be on this enterprise's roster (404 otherwise, revealing nothing).
    from fugong.people.models import Employment

    roster_rows: dict[str, tuple[int, str, dt.datetime]] = {}
    if person_ids is None:
        order = list(cleaned)
        hash_of = dict(
            zip(order, hash_many([cleaned[i].id_number or "" for i in order]), strict=True)
        )
        hashes = set(hash_of.values())
        for pk, id_hash, masked, created in Employment.objects.filter(
            enterprise=enterprise, active=True, person__id_hash__in=hashes
        ).values_list("person_id", "person__id_hash", "person__id_masked", "created_at"):
            roster_rows[id_hash] = (pk, masked, created)
        who: dict[int, tuple[int, str, dt.datetime]] = {}
        for i in list(cleaned):
            found = roster_rows.get(hash_of[i])
            if found is None:
                results[i] = (404, {"error": _("This person is not on your roster.")})
                del cleaned[i]
            else:
                who[i] = found
    else:
        wanted = {pk for pk in person_ids if pk}
        by_pk = {
            pk: (pk, masked, created)
            for pk, masked, created in Employment.objects.filter(
                enterprise=enterprise, active=True, person_id__in=wanted
            ).values_list("person_id", "person__id_masked", "created_at")
        }
        who = {}
        for i in list(cleaned):
            found = by_pk.get(person_ids[i] or 0)
            if found is None:
                results[i] = (404, {"error": _("This person is not on your roster.")})
                del cleaned[i]
            else:
                who[i] = found
    # A client_id repeated inside one request is one submission.
    first_of: dict[uuid.UUID, int] = {}
    repeats: dict[int, int] = {}
    for i, s in cleaned.items():
        if s.client_id in first_of:
            repeats[i] = first_of[s.client_id]
        else:
            first_of[s.client_id] = i
    for i in repeats:
        del cleaned[i]
    if cleaned:
        _store(enterprise, cleaned, who, results, policy, actor=actor, via=via)
    for i, j in repeats.items():
        status, body = results[j]  # type: ignore[misc]
        results[i] = (200, body) if status in (200, 201) else (status, body)
    return results  # type: ignore[return-value]


def _store(
    enterprise: Any,
    cleaned: dict[int, Submission],
    who: dict[int, tuple[int, str, dt.datetime]],
    results: list[Any],
    policy: dict[str, Any],
    *,
    actor: Any,
    via: str,
) -> None:
    from fugong.resumption.selectors import resumed_enterprise_ids

    days = {s.date for s in cleaned.values()}
    facts = load_facts([who[i][0] for i in cleaned], min(days), max(days), policy)
    for i, s in cleaned.items():
        pk, _masked, created = who[i]
        f = facts[pk]
        f.readings.append(Reading(s.date, s.temperature, tuple(s.symptoms), s.close_contact))
        since = business_date(created)
        f.roster_since = since if f.roster_since is None else min(f.roster_since, since)
    risk = RiskTable.load() if needs_risk_table(facts.values()) else None
    resumed = {day: bool(resumed_enterprise_ids(day, [enterprise.pk])) for day in days}
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    judged: dict[int, Status] = {}
    rows = []
    by_person_day: dict[tuple[int, dt.date], Status] = {}
    for i, s in cleaned.items():
        pk = who[i][0]
        status = by_person_day.get((pk, s.date))
        if status is None:  # every submission of the day counts, so one verdict per day
            status = by_person_day[(pk, s.date)] = evaluate(facts[pk], s.date, policy, risk)
        judged[i] = status
        allowed = can_work(status.code, resumed=resumed[s.date])
        extra = work_reason(status.code, resumed[s.date])
        rows.append(
            CheckIn(
                person_id=pk,
                enterprise=enterprise,
                date=s.date,
                temperature=s.temperature,
                symptoms=s.symptoms,
                location=s.location,
                close_contact=s.close_contact,
                work_mode=s.work_mode,
                client_id=s.client_id,
                submitted_by=user,
                created_at=now,
                health_code=status.code,
                can_work=allowed,
                reasons=status.reasons + ([extra] if extra else []),
                via=via,
            )
        )
    inserted = insert_checkins(rows)
    mine: list[int] = []
    ids: dict[int, int] = {}
    others: list[int] = []
    for k, (i, s) in enumerate(cleaned.items()):
        pk = inserted.get(s.client_id)
        if pk is None:  # stored meanwhile by a concurrent request with the same client_id
            others.append(i)
            continue
        mine.append(i)
        ids[i] = pk
        row = rows[k]
        results[i] = (
            201,
            {
                "id": pk,
                "person": who[i][1],
                "date": s.date.isoformat(),
                "health_code": row.health_code,
                "can_work": row.can_work,
                "reasons": row.reasons,
            },
        )
    if others:
        stored = {
            row["client_id"]: row
            for row in CheckIn.objects.filter(
                client_id__in=[cleaned[i].client_id for i in others]
            ).values("client_id", *BODY_FIELDS)
        }
        for i in others:
            results[i] = (200, checkin_body(stored[cleaned[i].client_id]))
    if not mine:
        return
    _record_status(
        {who[i][0]: (cleaned[i].date, judged[i]) for i in mine}, cause="checkin", now=now
    )
    _flag_same_temperature(enterprise, cleaned, who, ids, facts, policy, mine)
    alerts = [
        (who[i][0], who[i][1], cleaned[i], judged[i])
        for i in mine
        if judged[i].code == HealthCode.RED or is_fever(cleaned[i].temperature, policy)
    ]
    if alerts:
        _alert(enterprise, alerts, policy)
    record(
        actor,
        "checkin.submitted",
        enterprise,
        details={
            "count": len(mine),
            "via": via,
            "dates": sorted(d.isoformat() for d in {cleaned[i].date for i in mine}),
        },
    )


INSERT_FIELDS = (
    "person",
    "enterprise",
    "date",
    "temperature",
    "symptoms",
    "location",
    "close_contact",
    "work_mode",
    "client_id",
    "submitted_by",
    "created_at",
    "health_code",
    "can_work",
    "reasons",
    "via",
)


def insert_checkins(rows: list[CheckIn]) -> dict[uuid.UUID, int]:
    """Insert the rows whose client_id is new; client_id → id of the rows this call inserted.

    A row whose client_id is already stored (a concurrent identical request) is skipped by the
    unique constraint, never duplicated. PostgreSQL: ``INSERT … ON CONFLICT DO NOTHING
    RETURNING`` (large batches are first streamed by COPY into a temporary table).
    """
    if connection.vendor != "postgresql":
        CheckIn.objects.bulk_create(rows, ignore_conflicts=True)
        stamp = rows[0].created_at
        found = CheckIn.objects.filter(
            client_id__in=[r.client_id for r in rows],
            created_at=stamp,
            submitted_by_id=rows[0].submitted_by_id,
        ).values_list("client_id", "pk")
        return dict(found)
    fields = [CheckIn._meta.get_field(f) for f in INSERT_FIELDS]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    def values(row: CheckIn) -> list[Any]:
        out = [getattr(row, f.attname) for f in fields]
        out[4] = json.dumps(out[4], ensure_ascii=False)  # symptoms
        out[13] = json.dumps(out[13], ensure_ascii=False)  # reasons
        return out

    table = CheckIn._meta.db_table
    with connection.cursor() as cursor:
        if len(rows) <= 20:
            one = (
                "("
                + ", ".join(
                    "%s::jsonb" if f.name in ("symptoms", "reasons") else "%s" for f in fields
                )
                + ")"
            )
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(rows))} "
                "ON CONFLICT (client_id) DO NOTHING RETURNING client_id, id",
                [v for row in rows for v in values(row)],
            )
            return dict(cursor.fetchall())
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS fugong_checkin_load ON COMMIT DELETE ROWS AS "
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY fugong_checkin_load ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(values(row))
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM fugong_checkin_load "
            "ON CONFLICT (client_id) DO NOTHING RETURNING client_id, id"
        )
        inserted = dict(cursor.fetchall())
        cursor.execute("DELETE FROM fugong_checkin_load")
        return inserted


def _record_status(
    new: dict[int, tuple[dt.date, Status]], *, cause: str, now: dt.datetime | None = None
) -> int:
    """Write a StatusChange for every person whose colour changed; returns how many."""
    now = now or timezone.now()
    current = {c.person_id: c for c in CurrentStatus.objects.filter(person_id__in=list(new))}
    changes = []
    upserts = []
    for pk, (day, status) in new.items():
        before = current.get(pk)
        if before is not None and before.date > day:
            continue  # a back-dated check-in does not change today's status
        if before is not None and (before.code, before.date, before.reasons) == (
            status.code,
            day,
            status.reasons,
        ):
            continue
        if before is None or before.code != status.code:
            changes.append(
                StatusChange(
                    person_id=pk,
                    date=day,
                    code=status.code,
                    previous=before.code if before else "",
                    reasons=status.reasons,
                    cause=cause,
                    created_at=now,
                )
            )
        upserts.append(
            CurrentStatus(
                person_id=pk, code=status.code, date=day, reasons=status.reasons, updated_at=now
            )
        )
    if changes:
        StatusChange.objects.bulk_create(changes)
    if upserts:
        CurrentStatus.objects.bulk_create(
            upserts,
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=["code", "date", "reasons", "updated_at"],
        )
    return len(changes)


def _flag_same_temperature(
    enterprise: Any,
    cleaned: dict[int, Submission],
    who: dict[int, tuple[int, str, dt.datetime]],
    ids: dict[int, int],
    facts: dict[int, Facts],
    policy: dict[str, Any],
    mine: list[int],
) -> None:
    n = int(policy["same_temperature_days"])
    flags = []
    days_of: dict[int, dict[dt.date, set[Decimal]]] = {}
    for i in mine:
        s = cleaned[i]
        pk = who[i][0]
        by_day = days_of.get(pk)
        if by_day is None:
            by_day = days_of[pk] = defaultdict(set)
            for r in facts[pk].readings:
                by_day[r.date].add(Decimal(str(r.temperature)))
        run = [s.date - dt.timedelta(days=k) for k in range(n)]
        if all(by_day.get(d) == {s.temperature} for d in run):
            flags.append(
                QualityFlag(
                    checkin_id=ids[i], enterprise=enterprise, kind=QualityFlag.Kind.SAME_TEMPERATURE
                )
            )
    if flags:
        QualityFlag.objects.bulk_create(flags, ignore_conflicts=True)


def alert_recipients(enterprise: Any) -> list[Any]:
    """The enterprise's admins and the officers of its township."""
    from fugong.accounts.models import Membership, Role, User

    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.filter(
                role=Role.ENTERPRISE_ADMIN, enterprise=enterprise
            )
            | Membership.objects.filter(
                role=Role.TOWNSHIP_OFFICER, division_id=enterprise.township_id
            ),
        ).distinct()
    )


def _alert(
    enterprise: Any, alerts: list[tuple[int, str, Submission, Status]], policy: dict
) -> None:
    from django.urls import reverse

    from fugong.notifications.actions import do_notify

    users = alert_recipients(enterprise)
    if not users:
        return
    link = reverse("health:board")
    for _pk, masked, s, status in alerts[:20]:
        if status.code == HealthCode.RED:
            title = _("Red status: %(person)s at %(enterprise)s") % {
                "person": masked,
                "enterprise": enterprise.name,
            }
        else:
            title = _("Fever %(t)s °C: %(person)s at %(enterprise)s") % {
                "t": s.temperature,
                "person": masked,
                "enterprise": enterprise.name,
            }
        do_notify(users, kind="health.alert", title=title, body=" ".join(status.reasons), link=link)
    if len(alerts) > 20:
        do_notify(
            users,
            kind="health.alert",
            title=_("%(n)d more health alerts at %(enterprise)s")
            % {"n": len(alerts) - 20, "enterprise": enterprise.name},
            link=link,
        )


# ------------------------------------------------------------------- travel, cases, risk
def refresh_status(person_ids: list[int], *, cause: str, day: dt.date | None = None) -> int:
    """Re-judge people today after their data changed (travel, case, risk level)."""
    from fugong.people.models import Employment

    day = day or business_today()
    policy = HEALTH.current()
    facts = load_facts(person_ids, day, day, policy)
    for pk, created in Employment.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "created_at"
    ):
        since = business_date(created)
        f = facts[pk]
        f.roster_since = since if f.roster_since is None else min(f.roster_since, since)
    risk = RiskTable.load() if needs_risk_table(facts.values()) else None
    return _record_status(
        {pk: (day, evaluate(f, day, policy, risk)) for pk, f in facts.items()}, cause=cause
    )


@transaction.atomic
def do_record_travel(
    person: Any,
    *,
    origin_code: str,
    arrival_date: dt.date,
    means: str,
    enterprise: Any = None,
    actor: Any,
) -> TravelRecord:
    code = clean_location_shape(origin_code)
    if unknown_locations({code}):
        raise FieldError(
            "origin_code", _("Give a division code of this city or a county-level code of China.")
        )
    if arrival_date > business_today():
        raise FieldError("arrival_date", _("The arrival date cannot be in the future."))
    if means not in TravelRecord.Means.values:
        raise FieldError("means", _("Choose a means of travel."))
    travel = TravelRecord.objects.create(
        person=person,
        origin_code=code,
        arrival_date=arrival_date,
        means=means,
        enterprise=enterprise,
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor, "travel.recorded", travel, details={"origin": code})
    refresh_status([person.pk], cause="travel")
    return travel


@transaction.atomic
def do_record_case(person: Any, *, kind: str, since: dt.date, actor: Any) -> CaseRecord:
    if kind not in CaseRecord.Kind.values:
        raise FieldError("kind", _("Choose a kind of case."))
    if since > business_today():
        raise FieldError("since", _("The date cannot be in the future."))
    case = CaseRecord.objects.create(
        person=person,
        kind=kind,
        since=since,
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor, "case.recorded", case, details={"kind": kind})
    refresh_status([person.pk], cause="case")
    _case_alert(person, case)
    return case


def _case_alert(person: Any, case: CaseRecord) -> None:
    from django.urls import reverse

    from fugong.notifications.actions import do_notify

    for employment in person.employments.filter(active=True).select_related("enterprise"):
        users = alert_recipients(employment.enterprise)
        if users:
            do_notify(
                users,
                kind="health.alert",
                title=_("Red status: %(person)s at %(enterprise)s")
                % {"person": person.id_masked, "enterprise": employment.enterprise.name},
                body=case.get_kind_display(),
                link=reverse("health:board"),
            )


@transaction.atomic
def do_clear_case(case: CaseRecord, *, cleared_on: dt.date, actor: Any) -> CaseRecord:
    if case.cleared_on is not None:
        raise Conflict(_("This case has already been cleared."))
    if cleared_on < case.since:
        raise FieldError("cleared_on", _("A case cannot be cleared before it began."))
    case.cleared_on = cleared_on
    case.save(update_fields=["cleared_on"])
    record(actor, "case.cleared", case, details={"cleared_on": cleared_on.isoformat()})
    refresh_status([case.person_id], cause="case")
    return case


@transaction.atomic
def do_set_risk_level(
    code: str, *, level: str, effective_from: dt.date, note: str = "", actor: Any
) -> RiskLevel:
    code = clean_location_shape(code)
    if unknown_locations({code}) and not (code.endswith("0000") or code.endswith("00")):
        raise FieldError(
            "code", _("Give a division code of this city or a county-level code of China.")
        )
    if level not in RiskLevel.Level.values:
        raise FieldError("level", _("Choose low, medium or high."))
    risk = RiskLevel.objects.create(
        code=code,
        level=level,
        effective_from=effective_from,
        note=note[:200],
        set_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor, "risk_level.set", risk, details={"code": code, "level": level})
    # People whose recent travel came from there are re-judged.
    policy = HEALTH.current()
    since = business_today() - dt.timedelta(days=int(policy["quarantine_days"]))
    people = list(
        TravelRecord.objects.filter(origin_code__startswith=code[:6], arrival_date__gte=since)
        .values_list("person_id", flat=True)
        .distinct()
    )
    if people:
        refresh_status(people, cause="risk_level")
    return risk


# ------------------------------------------------------------------------- check-in link
def link_for(enterprise: Any) -> CheckInLink:
    link = CheckInLink.objects.filter(enterprise=enterprise).first()
    if link is None:
        link, _created = CheckInLink.objects.get_or_create(
            enterprise=enterprise, defaults={"token": CheckInLink.new_token()}
        )
    return link


@transaction.atomic
def do_rotate_link(enterprise: Any, *, actor: Any) -> CheckInLink:
    link = link_for(enterprise)
    link.token = CheckInLink.new_token()
    link.rotated_at = timezone.now()
    link.save(update_fields=["token", "rotated_at"])
    record(actor, "checkin_link.rotated", enterprise)
    return link


@transaction.atomic
def do_mark_flags_reviewed(enterprise: Any, flag_ids: list[int], *, actor: Any) -> int:
    n = QualityFlag.objects.filter(enterprise=enterprise, pk__in=flag_ids, reviewed=False).update(
        reviewed=True
    )
    if n:
        record(actor, "quality_flags.reviewed", enterprise, details={"count": n})
    return n


@transaction.atomic
def do_remind_missing(enterprise: Any, day: dt.date, *, actor: Any) -> int:
    """Notify the employees with a login who have not checked in on ``day``."""
    from django.urls import reverse

    from fugong.accounts.models import User
    from fugong.notifications.actions import do_notify
    from fugong.people.models import Employment

    checked = CheckIn.objects.filter(enterprise=enterprise, date=day).values("person_id")
    users = list(
        User.objects.filter(
            is_active=True,
            person__employments__enterprise=enterprise,
            person__employments__active=True,
        )
        .exclude(person__pk__in=checked)
        .distinct()
    )
    missing = (
        Employment.objects.filter(enterprise=enterprise, active=True)
        .exclude(person_id__in=checked)
        .count()
    )
    if users:
        do_notify(
            users,
            kind="health.reminder",
            title=_("Please check in today"),
            body=_("Your enterprise %(name)s has not received your check-in for %(date)s.")
            % {"name": enterprise.name, "date": day.isoformat()},
            link=reverse("health:checkin"),
        )
    record(
        actor,
        "checkin.reminded",
        enterprise,
        details={"date": day.isoformat(), "missing": missing, "notified": len(users)},
    )
    return missing
