"""Reads of check-in data that other apps use (liaison pages, resumption statistics)."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import Exact

from fugong.lib.dates import SHANGHAI
from fugong.people.models import Employment

from .models import (
    CheckIn,
    CurrentStatus,
    HealthCode,
    QualityFlag,
    StatusChange,
    WordedReasons,
    WorkMode,
)


def on_roster(day: dt.date) -> Q:
    """The employments that had their person on the roster on ``day``: recorded by the end of
    that business day (as the rules count missed days: nobody is expected to check in before
    they are on the platform, whatever start date was typed), not ended before it (the end date
    is the last working day), and not a hire called off before its start date (it never
    began)."""
    next_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    began = Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(start_date__lte=F("end_date"))
    return Q(created_at__lt=next_day) & (Q(active=True) | Q(end_date__gte=day)) & began


def recorded_later(checkins: QuerySet[CheckIn], days: Iterable[dt.date]) -> QuerySet[CheckIn]:
    """The check-ins of ``days`` whose person was not on the enterprise's roster that day: dated
    back by someone recorded later. They were there all the same, so a day's roster counts
    them too and never fewer people than checked in. (A condition of the query, not of an
    aggregate: PostgreSQL answers it with one anti-join, not a look-up per row.)"""
    days = list(days)
    that_day = reduce(operator.or_, (Q(Exact(OuterRef("date"), d)) & on_roster(d) for d in days))
    on_it = Employment.objects.filter(
        that_day, person_id=OuterRef("person_id"), enterprise_id=OuterRef("enterprise_id")
    )
    return checkins.filter(date__in=days).exclude(Exists(on_it))


def checkin_completion(enterprise_ids: Iterable[int], day: dt.date) -> dict[int, tuple[int, int]]:
    """enterprise id → (people on the roster who checked in on ``day``, people on the roster
    that day, with whoever checked in for it though recorded later)."""
    ids = list(enterprise_ids)
    roster = dict(
        Employment.objects.filter(on_roster(day), enterprise_id__in=ids)
        .values("enterprise_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("enterprise_id", "n")
    )
    checked = dict(
        CheckIn.objects.filter(enterprise_id__in=ids, date=day)
        .values("enterprise_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("enterprise_id", "n")
    )
    later = dict(
        recorded_later(CheckIn.objects.filter(enterprise_id__in=ids), [day])
        .values("enterprise_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("enterprise_id", "n")
    )
    return {i: (checked.get(i, 0), roster.get(i, 0) + later.get(i, 0)) for i in ids}


def staff_at_post(enterprise_ids: Iterable[int], day: dt.date) -> dict[int, int]:
    """enterprise id → people whose check-in on ``day`` is onsite or remote."""
    return dict(
        CheckIn.objects.filter(
            Q(work_mode=WorkMode.ONSITE) | Q(work_mode=WorkMode.REMOTE),
            enterprise_id__in=list(enterprise_ids),
            date=day,
        )
        .values("enterprise_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("enterprise_id", "n")
    )


# ------------------------------------------------------------------------------ the board
@dataclass
class DayLine(WordedReasons):
    """One roster line of the board: the person and what they submitted that day."""

    employment: Any
    checkins: int = 0
    temperature: Any = None
    symptoms: list[str] = field(default_factory=list)
    health_code: str = ""
    can_work: bool = False
    work_mode: str = ""
    reasons: list[Any] = field(default_factory=list)  # as data (reasons.py)
    last_at: Any = None

    @property
    def checked_in(self) -> bool:
        return self.checkins > 0

    @property
    def alert(self) -> bool:
        return self.health_code == HealthCode.RED or (
            self.checked_in and (self.fever or bool(self.symptoms))
        )

    @property
    def fever(self) -> bool:
        from .policies import HEALTH
        from .status import is_fever

        return self.temperature is not None and is_fever(self.temperature, HEALTH.current())


# Within each group of the board, who may not work on site comes first; no status at all
# (someone not checked in who is green or not yet judged today) comes last.
SEVERITY = {HealthCode.RED: 0, HealthCode.YELLOW: 1, HealthCode.GREEN: 2}
UNJUDGED = len(SEVERITY)


def _line_employments(employments: QuerySet[Employment]) -> QuerySet[Employment]:
    """The board's employments with the few fields its lines show (the person's name and masked
    ID, the post): a large enterprise's board builds tens of thousands of them."""
    return (
        employments.select_related("person")
        .only("person_id", "enterprise_id", "post", "person__name", "person__id_masked")
        .order_by("person__name", "pk")
    )


def day_lines(enterprise: Any, day: dt.date) -> list[DayLine]:
    """Every person on the roster that day with their check-ins of ``day``: alerts first, then
    who has not checked in, then who has; in each group red, yellow, green, then by name (three
    queries, a fourth when someone was judged again since checking in)."""
    from .policies import HEALTH
    from .status import is_fever

    policy = HEALTH.current()
    lines = {
        e.person_id: DayLine(e)
        for e in _line_employments(Employment.objects.filter(on_roster(day), enterprise=enterprise))
    }
    rows = list(
        CheckIn.objects.filter(enterprise=enterprise, date=day)
        .order_by("created_at", "pk")
        .values(
            "person_id",
            "temperature",
            "symptoms",
            "health_code",
            "can_work",
            "work_mode",
            "reasons",
            "created_at",
        )
    )
    # Someone added to the roster later, with a check-in dated back to this day, is on it too.
    later = {row["person_id"] for row in rows} - set(lines)
    for e in _line_employments(
        Employment.objects.filter(enterprise=enterprise, person_id__in=later)
    ).order_by("pk"):
        lines[e.person_id] = DayLine(e)
    for row in rows:
        line = lines[row["person_id"]]
        line.checkins += 1
        if line.temperature is None or row["temperature"] > line.temperature:
            line.temperature = row["temperature"]
        line.symptoms = sorted(set(line.symptoms) | set(row["symptoms"] or ()))
        line.health_code = row["health_code"]
        line.can_work = row["can_work"]
        line.work_mode = row["work_mode"]
        line.reasons = row["reasons"]
        line.last_at = row["created_at"]
    _judged_since(enterprise, day, lines)

    def order(x: DayLine) -> tuple:
        fever = x.temperature is not None and is_fever(x.temperature, policy)
        urgent = x.health_code == HealthCode.RED or fever or bool(x.symptoms)
        group = 0 if urgent else 1 if not x.checked_in else 2
        return (group, SEVERITY.get(x.health_code, UNJUDGED))

    return sorted(lines.values(), key=order)


def shown_lines(lines: list[DayLine], show: str) -> list[DayLine]:
    """The board's lines that ``show`` picks ("missing", "checked", "alerts"; else all), in
    their order."""
    if show == "missing":
        return [x for x in lines if not x.checked_in]
    if show == "checked":
        return [x for x in lines if x.checked_in]
    if show == "alerts":
        return [x for x in lines if x.alert]
    return lines


def _judged_since(enterprise: Any, day: dt.date, lines: dict[int, DayLine]) -> None:
    """The status a person was given after their last check-in of ``day`` (a case, a journey or
    a risk level recorded since) is theirs on the board, not the one the check-in gave; someone
    who has not checked in shows a status other than green they have that day (a case, a
    quarantine, missed days), so the board does not call a confirmed case merely absent."""
    from .status import work_verdict

    later = []
    roster = Employment.objects.filter(on_roster(day), enterprise=enterprise)
    for pk, code, reasons, at in CurrentStatus.objects.filter(
        date=day, person_id__in=roster.values("person_id")
    ).values_list("person_id", "code", "reasons", "updated_at"):
        line = lines.get(pk)
        if line is None:
            continue
        judged_since = at > line.last_at if line.checked_in else code != HealthCode.GREEN
        if judged_since:
            later.append((line, code, reasons))
    if not later:
        return
    from fugong.resumption.selectors import is_resumed

    resumed = is_resumed(enterprise, day)
    for line, code, reasons in later:
        line.health_code = code
        line.can_work, line.reasons = work_verdict(code, reasons, resumed=resumed)


def day_counts(lines: list[DayLine]) -> dict[str, int]:
    """The board's counts. A colour counts everyone with that status on the day: those who
    checked in, and those who have not but have a status other than green (a confirmed case
    recorded today is among "red" and among "not checked in")."""
    counts = {"total": len(lines), "checked": 0, "missing": 0, "alerts": 0}
    for code in HealthCode.values:
        counts[code] = 0
    for x in lines:
        if x.checked_in:
            counts["checked"] += 1
        else:
            counts["missing"] += 1
        if x.health_code:
            counts[x.health_code] += 1
        if x.alert:
            counts["alerts"] += 1
    return counts


def completion_history(enterprise: Any, days: list[dt.date]) -> list[dict[str, Any]]:
    """Per day: people who checked in, at post, not green, and on the roster (three queries)."""
    rows = (
        CheckIn.objects.filter(enterprise=enterprise, date__in=days)
        .values("date")
        .annotate(
            people=Count("person_id", distinct=True),
            at_post=Count(
                "person_id",
                distinct=True,
                filter=Q(work_mode__in=[WorkMode.ONSITE, WorkMode.REMOTE]),
            ),
            not_green=Count("person_id", distinct=True, filter=~Q(health_code=HealthCode.GREEN)),
        )
    )
    by_day = {r["date"]: r for r in rows}
    roster = Employment.objects.filter(enterprise=enterprise).aggregate(
        **{d.isoformat(): Count("person_id", distinct=True, filter=on_roster(d)) for d in days}
    )
    later = dict(
        recorded_later(CheckIn.objects.filter(enterprise=enterprise), days)
        .values("date")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("date", "n")
    )
    return [
        {
            "date": d,
            "people": by_day.get(d, {}).get("people", 0),
            "at_post": by_day.get(d, {}).get("at_post", 0),
            "not_green": by_day.get(d, {}).get("not_green", 0),
            "roster": roster[d.isoformat()] + later.get(d, 0),
        }
        for d in days
    ]


def person_history(person: Any) -> QuerySet[CheckIn]:
    """Every check-in of the person, newest first, with its enterprise (to be paged)."""
    return (
        CheckIn.objects.filter(person=person)
        .select_related("enterprise")
        .order_by("-date", "-created_at", "-pk")
    )


def area_alerts(user: Any, day: dt.date) -> QuerySet[CheckIn]:
    """The check-ins of ``day`` in the user's area that raise an alert (a fever under the current
    policy, any symptom, or a red status), newest first, with their person and enterprise."""
    from fugong.accounts.access import enterprises_for

    from .policies import HEALTH

    policy = HEALTH.current()
    threshold = Decimal(str(policy["fever_threshold"]))
    fever = (
        Q(temperature__gte=threshold)
        if policy["fever_at_threshold"]
        else Q(temperature__gt=threshold)
    )
    return (
        CheckIn.objects.filter(date=day, enterprise__in=enterprises_for(user))
        .filter(fever | Q(health_code=HealthCode.RED) | ~Q(symptoms=[]))
        .select_related("person", "enterprise")
        .order_by("-created_at", "-pk")
    )


def area_red_records(user: Any, day: dt.date) -> QuerySet[StatusChange]:
    """People of the user's area (employed by one of its enterprises, or living in it) who
    turned red on ``day`` through a record rather than a check-in (a case; a check-in that
    turns someone red is in :func:`area_alerts`), newest first, each once, with the name of
    their employer (``enterprise_name``: one in the area first; "" for someone not employed)."""
    from django.db.models import Exists, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from fugong.accounts.access import enterprises_for, is_command_centre, jurisdiction_divisions

    employers = Employment.objects.filter(person_id=OuterRef("person_id"), active=True)
    employed = employers.filter(enterprise__in=enterprises_for(user))
    records = StatusChange.objects.filter(date=day, code=HealthCode.RED).exclude(
        cause=StatusChange.Cause.CHECKIN
    )
    if not is_command_centre(user):
        in_area = Exists(employed)
        for division in jurisdiction_divisions(user):
            in_area |= Q(person__home_division__code__startswith=division.prefix)
        records = records.filter(in_area)
    return (
        records.annotate(
            enterprise_name=Coalesce(
                Subquery(employed.order_by("pk").values("enterprise__name")[:1]),
                Subquery(employers.order_by("pk").values("enterprise__name")[:1]),
                Value(""),
            )
        )
        .select_related("person")
        .order_by("-created_at", "-pk")
    )


def flags_for(user: Any) -> QuerySet[QualityFlag] | None:
    """The data-quality flags the user reviews: an enterprise admin those of the enterprise,
    township and district officers and the command centre those of the enterprises of their
    area; None for anyone else."""
    from fugong.accounts.access import administered_enterprise, enterprises_for, has_role
    from fugong.accounts.models import Role

    enterprise = administered_enterprise(user)
    if enterprise is not None:
        return QualityFlag.objects.filter(enterprise=enterprise)
    if has_role(user, Role.TOWNSHIP_OFFICER, Role.DISTRICT_OFFICER, Role.COMMAND_CENTRE):
        return QualityFlag.objects.filter(enterprise__in=enterprises_for(user))
    return None
