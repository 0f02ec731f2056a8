"""Every change to health data: check-ins, travel, cases, risk levels, check-in links."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from fugong.audit.actions import record
from fugong.geo.models import Division
from fugong.lib.crypto import lookup_hashes
from fugong.lib.dates import business_date, business_today, parse_iso_date
from fugong.lib.errors import Conflict, FieldError
from fugong.lib.identifiers import (
    InvalidIdentifier,
    division_prefix,
    half_width,
    national_division_name,
)
from fugong.lib.memory import cyclic_gc_paused
from fugong.people.roster import fast_id_number

from . import store
from .models import (
    SYMPTOM_CODES,
    CaseRecord,
    CheckIn,
    CheckInLink,
    HealthCode,
    QualityFlag,
    RiskLevel,
    TravelRecord,
    WorkMode,
)
from .policies import HEALTH
from .reasons import Reason, texts
from .status import (
    Facts,
    Reading,
    RiskTable,
    Status,
    evaluate,
    fever_test,
    load_facts,
    work_verdict,
)

MAX_BATCH = 1000
MIN_TEMPERATURE = Decimal("34.0")
MAX_TEMPERATURE = Decimal("43.0")


@dataclass(slots=True)
class Submission:
    """A check-in whose every field has been checked."""

    id_number: str | None  # None when the person is already known (web and link check-ins)
    date: dt.date
    temperature: Decimal
    symptoms: list[str]
    location: str
    close_contact: bool
    work_mode: str
    client_id: str  # canonical: lower case, with hyphens (see clean_client_id)


# ------------------------------------------------------------------------------- validation
# A UUID as PostgreSQL writes it, and as clients mostly send it.
_CANONICAL_UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
).fullmatch


def clean_client_id(value: Any) -> str:
    """The client_id in its canonical spelling (lower case, with hyphens), so that every way of
    writing one UUID is one key (kept as text: a batch compares and hashes them many times)."""
    if type(value) is str and _CANONICAL_UUID(value):
        return value
    if value is None or value == "":
        raise FieldError("client_id", _("client_id is required (a UUID chosen by the client)."))
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, AttributeError, TypeError):
        raise FieldError("client_id", _("client_id must be a UUID.")) from None


def clean_date(value: Any, *, today: dt.date, backdate_days: int) -> dt.date:
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = parse_iso_date(value)
        except ValueError:
            raise FieldError("date", _("Give the date as YYYY-MM-DD.")) from None
    if day > today:
        raise FieldError("date", _("The date cannot be in the future."))
    if day < today - dt.timedelta(days=backdate_days):
        raise FieldError(
            "date", _("A check-in can be at most %(n)d days back.") % {"n": backdate_days}
        )
    return day


_TENTH = Decimal("0.1")


def clean_temperature(value: Any) -> Decimal:
    """A number (JSON's, or the web form's Decimal) of °C, with at most one decimal place."""
    if value is None or value == "":
        raise FieldError("temperature", _("The temperature is required, in °C."))
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise FieldError("temperature", _("The temperature must be a number in °C."))
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise FieldError("temperature", _("The temperature must be a number in °C.")) from None
    if not number.is_finite() or not (MIN_TEMPERATURE <= number <= MAX_TEMPERATURE):
        raise FieldError("temperature", _("The temperature must be between 34.0 and 43.0 °C."))
    tenths = number.quantize(_TENTH)
    if tenths != number:  # 37.25 is neither 37.2 nor 37.3: the rules cannot round it
        raise FieldError("temperature", _("Give the temperature with one decimal place."))
    return tenths


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


WORK_MODES = frozenset(WorkMode.values)


def clean_work_mode(value: Any) -> str:
    if not isinstance(value, str) or value not in WORK_MODES:
        raise FieldError("work_mode", _("The work mode must be onsite, remote or leave."))
    return str(value)


def clean_location_shape(value: Any) -> str:
    code = half_width(value).strip() if isinstance(value, str) else ""
    if not (code.isascii() and code.isdigit()) or len(code) not in (6, 9, 12):
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


class _Once:
    """One field's check, applied once to each distinct value sent (a batch repeats a few dates,
    temperatures, places and symptom lists a thousand times); a value's error is raised again
    for each item that sends it. The result is shared by those items: it is never changed."""

    __slots__ = ("check", "seen")

    def __init__(self, check: Callable[[Any], Any]) -> None:
        self.check = check
        self.seen: dict[Any, tuple[Any, FieldError | None]] = {}

    def __call__(self, value: Any) -> Any:
        if type(value) is list:  # symptoms: a list of texts
            if not all(type(x) is str for x in value):
                return self.check(value)
            key: Any = (list, *value)
        else:
            key = (type(value), value)  # 1, 1.0, True and "1" are distinct values here
        try:
            result, error = self.seen[key]
        except KeyError:
            try:
                result, error = self.check(value), None
            except FieldError as exc:
                result, error = None, exc
            self.seen[key] = (result, error)
        except TypeError:  # a value that cannot be a key (an object sent as a field)
            return self.check(value)
        if error is not None:
            raise FieldError(error.field, error.message)
        return result


class FieldChecks:
    """The checks of the fields of one submission's check-ins (see :func:`clean_checkin`)."""

    def __init__(self, *, today: dt.date, policy: dict[str, Any]) -> None:
        self.today = today
        backdate = int(policy["backdate_days"])
        self.date = _Once(partial(clean_date, today=today, backdate_days=backdate))
        self.temperature = _Once(clean_temperature)
        self.symptoms = _Once(clean_symptoms)
        self.location = _Once(clean_location_shape)
        self.work_mode = _Once(clean_work_mode)


def clean_checkin(
    data: Any,
    *,
    checks: FieldChecks,
    with_id: bool = True,
    client_id: str | None = None,
) -> Submission:
    """Check every field except that the location exists (see :func:`unknown_locations`);
    ``client_id``: the item's client_id when the caller has checked it already."""
    if not isinstance(data, dict):
        raise FieldError("", _("Send a JSON object."))
    id_number = None
    if with_id:
        raw = data.get("id_number")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise FieldError("id_number", _("The ID number is required."))
        if not isinstance(raw, str):
            raise FieldError("id_number", _("The ID number must be text."))
        try:
            id_number = fast_id_number(raw, checks.today)
        except InvalidIdentifier as exc:
            raise FieldError("id_number", str(exc)) from None
    return Submission(
        id_number=id_number,
        date=checks.date(data.get("date")),
        temperature=checks.temperature(data.get("temperature")),
        symptoms=checks.symptoms(data.get("symptoms")),
        location=checks.location(data.get("location")),
        close_contact=clean_bool(data.get("close_contact"), "close_contact"),
        work_mode=checks.work_mode(data.get("work_mode")),
        client_id=client_id or clean_client_id(data.get("client_id")),
    )


# ------------------------------------------------------------------------------ submission
def _error(exc: FieldError) -> tuple[int, dict[str, Any]]:
    return 400, {"error": exc.message, "field": exc.field}


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
    Reads and the one write go through store.py (plain SQL on PostgreSQL: the busiest path).
    """
    with cyclic_gc_paused():  # a batch's objects live to its end and form no cycles
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
    checks = FieldChecks(today=business_today(), policy=policy)
    results: list[tuple[int, dict[str, Any]] | None] = [None] * len(items)
    # 1. Every field, without the database.
    keys: dict[int, str] = {}
    invalid: dict[int, tuple[int, dict[str, Any]]] = {}
    cleaned: dict[int, Submission] = {}
    for i, data in enumerate(items):
        if not isinstance(data, dict):
            results[i] = _error(FieldError("", _("Send a JSON object.")))
            continue
        try:
            keys[i] = clean_client_id(data.get("client_id"))
        except FieldError as exc:
            results[i] = _error(exc)
            continue
        try:
            cleaned[i] = clean_checkin(
                data, checks=checks, with_id=person_ids is None, client_id=keys[i]
            )
        except FieldError as exc:
            invalid[i] = _error(exc)
    # 2. One read: stored client_ids, the roster, the people's facts and current status.
    key_of: dict[int, Any]  # item → its person's key on the roster: ID-number hash or id
    if person_ids is None:
        hashes = lookup_hashes([s.id_number or "" for s in cleaned.values()])
        key_of = dict(zip(cleaned, hashes, strict=True))
    else:
        key_of = {i: person_ids[i] or 0 for i in cleaned}
    snapshot = store.read_snapshot(
        enterprise.pk,
        set(keys.values()),
        hashes=set(key_of.values()) if person_ids is None else (),
        person_ids=set(key_of.values()) if person_ids is not None else (),
        days={s.date for s in cleaned.values()},
        policy=policy,
    )
    # 3. Replays: a client_id seen before answers with the stored body, whatever else is sent.
    for i, key in keys.items():
        body = snapshot.stored.get(key)
        if body is None:
            continue
        cleaned.pop(i, None)
        invalid.pop(i, None)
        results[i] = _replay(body, enterprise)
    for i, error in invalid.items():
        results[i] = error
    bad = unknown_locations({s.location for s in cleaned.values()})
    for i in [i for i, s in cleaned.items() if s.location in bad]:
        results[i] = _error(
            FieldError(
                "location",
                _("Give a division code of this city or a county-level code of China."),
            )
        )
        del cleaned[i]
    # 4. The people must be on this enterprise's roster (404 otherwise, revealing nothing).
    who: dict[int, store.RosterEntry] = {}
    for i in list(cleaned):
        entry = snapshot.roster.get(key_of[i])
        if entry is None:
            results[i] = (404, {"error": _("This person is not on your roster.")})
            del cleaned[i]
        else:
            who[i] = entry
    # A client_id repeated inside one request is one submission: the first item stored under
    # it. A later item with it is answered as that one's replay, whatever else it sends (as
    # when sent afterwards); an earlier one that was refused keeps its own answer.
    first_of: dict[str, int] = {}
    for i, s in cleaned.items():  # in the items' order
        first_of.setdefault(s.client_id, i)
    repeats = {i: first_of[k] for i, k in keys.items() if first_of.get(k, i) < i}
    for i in repeats:
        cleaned.pop(i, None)
    if cleaned:
        _store(enterprise, cleaned, who, snapshot, results, policy, actor=actor, via=via)
    for i, j in repeats.items():
        status, body = results[j]  # type: ignore[misc]
        results[i] = (200, body) if status in (200, 201) else (status, body)
    return results  # type: ignore[return-value]


def _replay(body: dict[str, Any], enterprise: Any) -> tuple[int, dict[str, Any]]:
    """The answer to a client_id stored before: the stored check-in (200) when this enterprise
    stored it, otherwise a 400 that says nothing of the other's check-in."""
    if body["enterprise_id"] != enterprise.pk:
        return _error(FieldError("client_id", _("This client_id was used for another check-in.")))
    return 200, _public(body)


def _public(body: dict[str, Any]) -> dict[str, Any]:
    """A stored check-in's answer: without its enterprise, the reasons in words."""
    answer = {k: v for k, v in body.items() if k != "enterprise_id"}
    answer["reasons"] = texts(answer["reasons"])
    return answer


def _store(
    enterprise: Any,
    cleaned: dict[int, Submission],
    who: dict[int, store.RosterEntry],
    snapshot: store.Snapshot,
    results: list[Any],
    policy: dict[str, Any],
    *,
    actor: Any,
    via: str,
) -> None:
    from fugong.resumption.selectors import resumed_days_from

    days = {s.date for s in cleaned.values()}
    facts = snapshot.facts
    for i, s in cleaned.items():
        entry = who[i]
        f = facts[entry.person_id]
        f.readings.append(Reading(s.date, s.temperature, tuple(s.symptoms), s.close_contact))
        if f.roster_since is None or entry.since < f.roster_since:
            f.roster_since = entry.since
    risk = snapshot.risk
    resumed = resumed_days_from(snapshot.resumption, days)
    judged: dict[int, Status] = {}
    checkins: list[dict[str, Any]] = []
    by_person_day: dict[tuple[int, dt.date], Status] = {}
    latest: dict[int, tuple[dt.date, Status]] = {}  # each person's status on their latest day
    for i, s in cleaned.items():
        pk = who[i].person_id
        status = by_person_day.get((pk, s.date))
        if status is None:  # every submission of the day counts, so one verdict per day
            status = by_person_day[(pk, s.date)] = evaluate(facts[pk], s.date, policy, risk)
        judged[i] = status
        if pk not in latest or latest[pk][0] <= s.date:
            latest[pk] = (s.date, status)
        allowed, shown = work_verdict(status.code, status.reasons, resumed=resumed[s.date])
        checkins.append(
            {
                "person_id": pk,
                "date": s.date,
                "temperature": s.temperature,
                "symptoms": s.symptoms,
                "location": s.location,
                "close_contact": s.close_contact,
                "work_mode": s.work_mode,
                "client_id": s.client_id,
                "health_code": status.code,
                "can_work": allowed,
                "reasons": shown,
            }
        )
    inserted = store.save_checkins(
        enterprise,
        checkins,
        status_writes(latest, snapshot.current),
        actor=actor,
        via=via,
        now=timezone.now(),
        details={"via": via, "dates": sorted(d.isoformat() for d in days)},
    )
    mine: dict[int, int] = {}  # item → id of the row this request stored
    others: list[int] = []
    language = get_language()  # asked once: the reasons of every check-in are worded in it
    for i, row in zip(cleaned, checkins, strict=True):
        pk = inserted.get(row["client_id"])
        if pk is None:  # stored meanwhile by a concurrent request with the same client_id
            others.append(i)
            continue
        mine[i] = pk
        results[i] = (
            201,
            {
                "id": pk,
                "person": who[i].masked,
                "date": row["date"].isoformat(),
                "health_code": row["health_code"],
                "can_work": row["can_work"],
                "reasons": texts(row["reasons"], language),
            },
        )
    if others:
        stored = store.stored_checkins([cleaned[i].client_id for i in others])
        for i in others:
            results[i] = _replay(stored[cleaned[i].client_id], enterprise)
    if not mine:
        return
    _flag_same_temperature(enterprise, cleaned, who, mine, facts, policy)
    fever, red = fever_test(policy), HealthCode.RED.value
    alerts = [
        Alert(
            who[i].masked,
            cleaned[i],
            judged[i].code,
            judged[i].reasons,
        )
        for i in mine
        if judged[i].code == red or fever(cleaned[i].temperature)
    ]
    if alerts:
        _alert(enterprise, alerts)


def status_writes(
    new: dict[int, tuple[dt.date, Status]], current: dict[int, store.Current]
) -> list[store.StatusWrite]:
    """The current-status rows to write: not for a day older than the one already known (a
    back-dated check-in does not change today's status), not when nothing changed; ``changed``
    marks a change of colour, which is also recorded in the status history."""
    writes = []
    for pk, (day, status) in new.items():
        before = current.get(pk)
        if before is not None and before.date > day:
            continue
        if before is not None and (before.code, before.date, before.reasons) == (
            status.code,
            day,
            status.reasons,
        ):
            continue
        writes.append(
            store.StatusWrite(
                person_id=pk,
                code=status.code,
                date=day,
                reasons=status.reasons,
                previous=before.code if before else "",
                changed=before is None or before.code != status.code,
            )
        )
    return writes


def _record_status(
    new: dict[int, tuple[dt.date, Status]], *, cause: str, now: dt.datetime | None = None
) -> int:
    """Write the people's new status (a StatusChange when the colour changed); returns how many
    changed colour. Call inside the action's transaction."""
    writes = status_writes(new, store.current_statuses(list(new)))
    store.write_statuses(writes, cause=cause, now=now or timezone.now())
    return sum(w.changed for w in writes)


def _flag_same_temperature(
    enterprise: Any,
    cleaned: dict[int, Submission],
    who: dict[int, store.RosterEntry],
    mine: dict[int, int],
    facts: dict[int, Facts],
    policy: dict[str, Any],
) -> None:
    """Flag a check-in whose temperature is the same as on each of the days before it."""
    n = int(policy["same_temperature_days"])
    one_day = dt.timedelta(days=1)
    flags = []
    for i, checkin_id in mine.items():
        s = cleaned[i]
        readings = facts[who[i].person_id].readings
        day_before = s.date - one_day
        if len(readings) < n or not any(
            r.temperature == s.temperature for r in readings if r.date == day_before
        ):
            continue
        by_day: dict[dt.date, set[Decimal]] = defaultdict(set)
        for r in readings:
            by_day[r.date].add(r.temperature)
        if all(by_day.get(s.date - dt.timedelta(days=k)) == {s.temperature} for k in range(n)):
            flags.append(
                QualityFlag(
                    checkin_id=checkin_id,
                    enterprise=enterprise,
                    kind=QualityFlag.Kind.SAME_TEMPERATURE,
                )
            )
    if flags:
        QualityFlag.objects.bulk_create(flags, ignore_conflicts=True)


def alert_recipients(enterprise: Any) -> list[tuple[list[Any], str]]:
    """Who is told of a health alert at ``enterprise``, with where the notification leads: its
    admins to its board (alerts first), the officers of its township to their area's alerts
    (the board is an admin's page: a 404 for an officer)."""
    from django.urls import reverse

    from fugong.accounts.models import Role, User

    admins = list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.ENTERPRISE_ADMIN,
            memberships__enterprise=enterprise,
        ).distinct()
    )
    officers = list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.TOWNSHIP_OFFICER,
            memberships__division_id=enterprise.township_id,
        )
        .exclude(pk__in=[u.pk for u in admins])
        .distinct()
    )
    return [
        (admins, reverse("health:board") + "?show=alerts"),
        (officers, reverse("health:alerts")),
    ]


@dataclass(frozen=True)
class Alert:
    """A check-in that raises a health alert: its person (masked), the submission, the colour
    and its reasons (as data: worded in each reader's language)."""

    masked: str
    submission: Submission
    code: str
    reasons: list[Reason]


def _alert_message(enterprise: Any, alert: Alert) -> tuple[str, str]:
    if alert.code == HealthCode.RED:
        title = _("Red status: %(person)s at %(enterprise)s") % {
            "person": alert.masked,
            "enterprise": enterprise.name,
        }
    else:
        title = _("Fever %(t)s °C: %(person)s at %(enterprise)s") % {
            "t": alert.submission.temperature,
            "person": alert.masked,
            "enterprise": enterprise.name,
        }
    return title, " ".join(texts(alert.reasons))


def _more_alerts_message(enterprise: Any, n: int) -> tuple[str, str]:
    return _("%(n)d more health alerts at %(enterprise)s") % {
        "n": n,
        "enterprise": enterprise.name,
    }, ""


def _alert(enterprise: Any, alerts: list[Alert]) -> None:

    from fugong.notifications.actions import do_notify

    groups = [(users, link) for users, link in alert_recipients(enterprise) if users]
    for alert in alerts[:20]:
        for users, link in groups:
            do_notify(
                users,
                kind="health.alert",
                message=partial(_alert_message, enterprise, alert),
                link=link,
            )
    if len(alerts) > 20:
        for users, link in groups:
            do_notify(
                users,
                kind="health.alert",
                message=partial(_more_alerts_message, enterprise, len(alerts) - 20),
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
    risk = RiskTable.for_facts(facts.values())
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
    code = _clean_travel(origin_code, arrival_date, means)
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
    days_back = int(HEALTH.current()["case_days_back"])
    if since < business_today() - dt.timedelta(days=days_back):
        raise FieldError(
            "since",
            _("The date cannot be more than %(days)d days ago.") % {"days": days_back},
        )
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

    from fugong.notifications.actions import do_notify

    for employment in person.employments.filter(active=True).select_related("enterprise"):
        for users, link in alert_recipients(employment.enterprise):
            if users:
                do_notify(
                    users,
                    kind="health.alert",
                    message=partial(_case_message, person, employment.enterprise, case),
                    link=link,
                )


def _case_message(person: Any, enterprise: Any, case: CaseRecord) -> tuple[str, str]:
    return _("Red status: %(person)s at %(enterprise)s") % {
        "person": person.id_masked,
        "enterprise": enterprise.name,
    }, str(case.get_kind_display())


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
        TravelRecord.objects.filter(
            origin_code__startswith=division_prefix(code), arrival_date__gte=since
        )
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
def do_review_flags(
    flags: Any, flag_ids: list[int], *, outcome: str, note: str = "", actor: Any
) -> int:
    """Record the review of the flags among ``flags`` (those the reviewer may see) with these
    ids that nobody has reviewed yet; one audit row per enterprise. Returns how many."""
    chosen = flags.filter(pk__in=flag_ids, reviewed=False).select_for_update()
    by_enterprise: dict[int, list[int]] = defaultdict(list)
    for pk, enterprise_id in chosen.values_list("pk", "enterprise_id"):
        by_enterprise[enterprise_id].append(pk)
    if not by_enterprise:
        return 0
    ids = [pk for pks in by_enterprise.values() for pk in pks]
    QualityFlag.objects.filter(pk__in=ids).update(
        reviewed=True, outcome=outcome, note=note, reviewed_by=actor, reviewed_at=timezone.now()
    )
    from fugong.orgs.models import Enterprise

    for enterprise in Enterprise.objects.filter(pk__in=by_enterprise):
        pks = sorted(by_enterprise[enterprise.pk])
        details = {"count": len(pks), "flags": pks, "outcome": outcome, "note": note}
        record(actor, "quality_flags.reviewed", enterprise, details=details)
    return len(ids)


# A board's reminder is not sent again within this time of the enterprise's last reminder (two
# taps, or a tap right after the morning's automatic one, told everyone twice).
REMINDER_INTERVAL = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Reminded:
    """One enterprise's reminder: people without a check-in, and how many of them were told."""

    missing: int
    notified: int


def _not_reminded_lately(enterprise_ids: list[int], day: dt.date) -> None:
    """Raise Conflict when these enterprises' staff were reminded within REMINDER_INTERVAL (the
    enterprises' rows locked: of two taps at once, the second waits, then sees the first)."""
    from fugong.orgs.models import Enterprise

    from .models import CheckInReminder

    list(Enterprise.objects.select_for_update().filter(pk__in=enterprise_ids).values_list("pk"))
    last = (
        CheckInReminder.objects.filter(
            enterprise_id__in=enterprise_ids,
            date=day,
            created_at__gt=timezone.now() - REMINDER_INTERVAL,
        )
        .order_by("-created_at")
        .first()
    )
    if last is not None:
        at = timezone.localtime(last.created_at)
        raise Conflict(
            _("Reminders were sent at %(time)s; the next can be sent from %(next)s.")
            % {"time": f"{at:%H:%M}", "next": f"{at + REMINDER_INTERVAL:%H:%M}"}
        )


@transaction.atomic
def do_send_checkin_reminders(
    enterprise_ids: list[int],
    day: dt.date,
    *,
    actor: Any,
    automatic: bool = False,
    at: str = "",
    skip_users: set[int] | None = None,
) -> dict[int, Reminded]:
    """Remind the staff with a login who have not checked in on ``day`` at these enterprises.

    The board's "remind" button calls it for one enterprise; the scheduled morning reminder
    for chunks of a few hundred enterprises (``automatic=True``, ``at`` the reminder time). The
    number of queries does not grow with the number of enterprises. An automatic reminder also
    tells every enterprise admin how many of their people were reminded, and is stored once per
    enterprise and day: enterprises already reminded automatically on ``day`` are skipped, and a
    concurrent run fails on the unique constraint (rolling back) instead of reminding twice.
    ``skip_users`` holds users this run has already reminded (someone on two rosters gets one
    reminder) and is updated in place. Returns enterprise id → :class:`Reminded`.
    """
    from django.db.models import Exists, OuterRef
    from django.urls import reverse

    from fugong.accounts.models import User
    from fugong.notifications.actions import do_notify
    from fugong.orgs.models import Enterprise
    from fugong.people.models import Employment

    from .models import CheckInReminder
    from .selectors import on_roster

    ids = sorted(set(enterprise_ids))
    if not automatic:
        _not_reminded_lately(ids, day)
    if automatic and ids:
        done = set(
            CheckInReminder.objects.filter(
                enterprise_id__in=ids, date=day, automatic=True
            ).values_list("enterprise_id", flat=True)
        )
        ids = [i for i in ids if i not in done]
    if not ids:
        return {}
    checked = CheckIn.objects.filter(
        person_id=OuterRef("person_id"), enterprise_id=OuterRef("enterprise_id"), date=day
    )
    # Whoever the day's board lists (selectors.on_roster): someone whose last day is today is
    # still expected to check in today.
    missing_rows = Employment.objects.filter(on_roster(day), enterprise_id__in=ids).exclude(
        Exists(checked)
    )
    people: dict[int, set[int]] = defaultdict(set)
    with_login: dict[int, set[int]] = defaultdict(set)
    for eid, pid, uid, active in missing_rows.values_list(
        "enterprise_id", "person_id", "person__user_id", "person__user__is_active"
    ):
        people[eid].add(pid)
        if uid is not None and active:
            with_login[eid].add(uid)
    result = {eid: Reminded(len(people.get(eid, ())), len(with_login.get(eid, ()))) for eid in ids}
    sender = actor if getattr(actor, "is_authenticated", False) else None
    # The record first: a concurrent automatic run blocks here, then fails, sending nothing.
    CheckInReminder.objects.bulk_create(
        [
            CheckInReminder(
                enterprise_id=eid,
                date=day,
                automatic=automatic,
                missing=r.missing,
                notified=r.notified,
                sent_by=sender,
                created_at=timezone.now(),
            )
            for eid, r in result.items()
            if r.missing or not automatic
        ]
    )
    skip = skip_users if skip_users is not None else set()
    if any(with_login.values()):
        users = [
            u
            for u in User.objects.filter(
                is_active=True, pk__in=missing_rows.values("person__user_id")
            )
            if u.pk not in skip
        ]
        if users:
            do_notify(
                users,
                kind="health.reminder",
                message=lambda: (
                    _("Please check in today"),
                    _("We have not received your health check-in for %(date)s yet.")
                    % {"date": day.isoformat()},
                ),
                link=reverse("health:checkin"),
            )
            skip.update(u.pk for u in users)
    if automatic:
        _tell_admins({eid: r for eid, r in result.items() if r.missing}, day, at)
        reached = [r for r in result.values() if r.missing]
        if reached:
            record(
                actor,
                "checkin.reminded_automatically",
                details={
                    "date": day.isoformat(),
                    "enterprises": len(reached),
                    "missing": sum(r.missing for r in reached),
                    "notified": sum(r.notified for r in reached),
                },
            )
    else:
        for enterprise in Enterprise.objects.filter(pk__in=ids):
            r = result[enterprise.pk]
            record(
                actor,
                "checkin.reminded",
                enterprise,
                details={"date": day.isoformat(), "missing": r.missing, "notified": r.notified},
            )
    return result


def _tell_admins(reached: dict[int, Reminded], day: dt.date, at: str) -> None:
    """Tell each enterprise admin how many of their people the automatic reminder reached
    (one notification per admin; one insert per distinct message, not per enterprise)."""
    from django.urls import reverse

    from fugong.accounts.models import Membership, Role
    from fugong.notifications.actions import do_notify

    if not reached:
        return
    admins: dict[int, Any] = {}
    totals: dict[int, list[int]] = {}
    for m in Membership.objects.filter(
        role=Role.ENTERPRISE_ADMIN, enterprise_id__in=list(reached), user__is_active=True
    ).select_related("user"):
        r = reached[m.enterprise_id]
        admins[m.user_id] = m.user
        total = totals.setdefault(m.user_id, [0, 0])
        total[0] += r.notified
        total[1] += r.missing
    groups: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for uid, (notified, missing) in totals.items():
        groups[(notified, missing)].append(admins[uid])
    link = reverse("health:board") + "?show=missing"
    for (notified, missing), users in groups.items():
        do_notify(
            users,
            kind="health.reminder_summary",
            message=partial(_reminder_summary_message, at, day, notified, missing),
            link=link,
        )


def _reminder_summary_message(
    at: str, day: dt.date, notified: int, missing: int
) -> tuple[str, str]:
    title = ngettext(
        "%(n)d of your people was reminded to check in",
        "%(n)d of your people were reminded to check in",
        notified,
    ) % {"n": notified}
    body = _(
        "At %(time)s on %(date)s, %(missing)d people on your roster had not checked in. "
        "Those with a login (%(n)d) were reminded once; please contact the others "
        "another way."
    ) % {"time": at, "date": day.isoformat(), "missing": missing, "n": notified}
    return title, body


def _clean_travel(origin_code: str, arrival_date: dt.date, means: str) -> str:
    """The checks of :func:`do_record_travel`; returns the cleaned origin code."""
    code = clean_location_shape(origin_code)
    if unknown_locations({code}):
        raise FieldError(
            "origin_code", _("Give a division code of this city or a county-level code of China.")
        )
    if arrival_date > business_today():
        raise FieldError("arrival_date", _("The arrival date cannot be in the future."))
    if means not in TravelRecord.Means.values:
        raise FieldError("means", _("Choose a means of travel."))
    return code


def _travel_values(travel: TravelRecord) -> dict[str, str]:
    """What the audit keeps of a travel record (never the person's ID number)."""
    return {
        "origin": travel.origin_code,
        "arrival_date": travel.arrival_date.isoformat(),
        "means": travel.means,
    }


def _locked_travel(travel: TravelRecord) -> TravelRecord:
    found = TravelRecord.objects.select_for_update().filter(pk=travel.pk).first()
    if found is None:
        raise Conflict(_("This travel record has been deleted meanwhile."))
    return found


@transaction.atomic
def do_update_travel_record(
    travel: TravelRecord,
    *,
    origin_code: str,
    arrival_date: dt.date,
    means: str,
    actor: Any,
) -> TravelRecord:
    """Correct a travel record; the person's status is judged again (cause "travel")."""
    code = _clean_travel(origin_code, arrival_date, means)
    travel = _locked_travel(travel)
    old = _travel_values(travel)
    travel.origin_code, travel.arrival_date, travel.means = code, arrival_date, means
    new = _travel_values(travel)
    if new == old:
        return travel
    travel.save(update_fields=["origin_code", "arrival_date", "means"])
    record(actor, "travel.updated", travel, details={"old": old, "new": new})
    refresh_status([travel.person_id], cause="travel")
    return travel


@transaction.atomic
def do_delete_travel_record(travel: TravelRecord, *, actor: Any) -> None:
    """Delete a travel record entered by mistake; the person's status is judged again."""
    travel = _locked_travel(travel)
    record(actor, "travel.deleted", travel, details={"old": _travel_values(travel)})
    person_id = travel.person_id
    travel.delete()
    refresh_status([person_id], cause="travel")
