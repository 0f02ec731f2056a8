"""Reads of check-in data that other apps use (liaison pages, resumption statistics)."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, reduce
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
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
CHUNK = 2000  # the most people named in one query (SQLite takes at most 32,766 parameters)


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """Where one person stands on a day's board: what orders and counts them, from a few small
    values (a large enterprise's board has tens of thousands); a page's lines are read in full
    by :meth:`Board.lines`."""

    person_id: int
    checked_in: bool
    health_code: str  # "" when not judged that day
    alert: bool  # red, or checked in with fever or symptoms
    judged: bool  # shows the status given since the last check-in (CurrentStatus)


class Board:
    """An enterprise's board of ``day``: everyone on the roster that day (and whoever checked in
    for it though recorded later) in the board's order: alerts first, then who has not checked
    in, then who has; in each group red, yellow, green, no status, then by name.

    Ordering and counting everyone takes a few queries of small rows, aggregated by the database
    (no JSON decoded, no model built per person); only the lines shown (a page, or an export)
    are read in full, with a few more queries, however many they are."""

    def __init__(self, enterprise: Any, day: dt.date) -> None:
        self.enterprise = enterprise
        self.day = day
        self.entries = self._entries()

    def _roster(self) -> QuerySet[Employment]:
        return Employment.objects.filter(on_roster(self.day), enterprise=self.enterprise)

    def _checkins(self) -> QuerySet[CheckIn]:
        return CheckIn.objects.filter(enterprise=self.enterprise, date=self.day)

    def _entries(self) -> list[BoardEntry]:
        from .policies import HEALTH
        from .status import fever_test

        is_fever = fever_test(HEALTH.current())
        people = dict.fromkeys(
            self._roster().order_by("person__name", "pk").values_list("person_id", flat=True)
        )
        # Per person, from their last check-in of the day (by time): how many they made, the
        # highest temperature, how many reported symptoms, and the status the last one gave.
        whole_day = {"partition_by": F("person_id")}
        stats = {}
        codes = {}
        for pk, n, top, symptomatic, code in (
            self._checkins()
            .annotate(
                nth=Window(
                    RowNumber(), order_by=[F("created_at").desc(), F("pk").desc()], **whole_day
                ),
                n=Window(Count("pk"), **whole_day),
                top=Window(Max("temperature"), **whole_day),
                symptomatic=Window(Count("pk", filter=~Q(symptoms=[])), **whole_day),
            )
            .filter(nth=1)
            .values_list("person_id", "n", "top", "symptomatic", "health_code")
        ):
            stats[pk] = (n, top, symptomatic)
            codes[pk] = code
        # Someone added to the roster later, with a check-in dated back to this day, is on it too.
        later = stats.keys() - people.keys()
        if later:
            people.update(
                dict.fromkeys(
                    Employment.objects.filter(enterprise=self.enterprise, person_id__in=later)
                    .order_by("pk")
                    .values_list("person_id", flat=True)
                )
            )
        # The status a person was given after their last check-in of the day (a case, a journey
        # or a risk level recorded since) is theirs on the board, not the one the check-in gave;
        # someone who has not checked in shows a status other than green they have that day (a
        # case, a quarantine, missed days), so a confirmed case is not merely absent.
        # Whether the status is newer than the last check-in is decided by the database: read
        # into Python, the two times of each person (60,000 for a roster of 30,000) took longer
        # to turn into datetimes than the database takes to compare them. The last check-in's
        # time is looked up per person by (person, date), the enterprise only in the aggregate's
        # filter: in the WHERE clause it let a planner with stale statistics (today's date, on
        # a morning) probe by (enterprise, date) for every person, which took 95 s.
        last_checkin = (
            CheckIn.objects.filter(person_id=OuterRef("person_id"), date=self.day)
            .order_by()
            .values("person_id")
            .annotate(at=Max("created_at", filter=Q(enterprise=self.enterprise)))
            .values("at")
        )
        judged = {}
        for pk, code, since_checkin in (
            CurrentStatus.objects.filter(
                date=self.day, person_id__in=self._roster().values("person_id")
            )
            .annotate(last_checkin=Subquery(last_checkin))
            .annotate(
                # NULL (None) for someone with no check-in of the day here.
                since_checkin=ExpressionWrapper(
                    Q(updated_at__gt=F("last_checkin")), output_field=BooleanField()
                )
            )
            .values_list("person_id", "code", "since_checkin")
        ):
            if pk not in people:
                continue
            if since_checkin if pk in stats else code != HealthCode.GREEN:
                judged[pk] = code
        entries = []
        for pk in people:
            n, top, symptomatic = stats.get(pk, (0, None, 0))
            code = judged.get(pk, codes.get(pk, ""))
            alert = code == HealthCode.RED or (
                n > 0 and ((top is not None and is_fever(top)) or symptomatic > 0)
            )
            entries.append(BoardEntry(pk, n > 0, code, alert, pk in judged))

        def order(x: BoardEntry) -> tuple[int, int]:
            group = 0 if x.alert else 1 if not x.checked_in else 2
            return (group, SEVERITY.get(x.health_code, UNJUDGED))

        return sorted(entries, key=order)

    @cached_property
    def counts(self) -> dict[str, int]:
        """The board's counts. A colour counts everyone with that status on the day: those who
        checked in, and those who have not but have a status other than green (a confirmed
        case recorded today is among "red" and among "not checked in")."""
        counts = {"total": len(self.entries), "checked": 0, "missing": 0, "alerts": 0}
        for code in HealthCode.values:
            counts[code] = 0
        for x in self.entries:
            counts["checked" if x.checked_in else "missing"] += 1
            if x.health_code:
                counts[x.health_code] += 1
            if x.alert:
                counts["alerts"] += 1
        return counts

    def shown(self, show: str) -> list[BoardEntry]:
        """The entries ``show`` picks ("missing", "checked", "alerts"; else all), in order."""
        if show == "missing":
            return [x for x in self.entries if not x.checked_in]
        if show == "checked":
            return [x for x in self.entries if x.checked_in]
        if show == "alerts":
            return [x for x in self.entries if x.alert]
        return self.entries

    def lines(self, entries: list[BoardEntry]) -> list[DayLine]:
        """The full lines of ``entries`` (the person, what they submitted that day, the status
        and its reasons), in their order: a fixed number of queries, however many."""
        if not entries:
            return []
        # Everyone's, or many people's, are read whole: no list of people to send.
        every = len(entries) == len(self.entries) or len(entries) > CHUNK
        ids = [x.person_id for x in entries]
        mine: dict[str, Any] = {} if every else {"person_id__in": ids}
        lines: dict[int, DayLine] = {}
        # A person's newest employment on the roster that day (else: recorded later).
        for e in _line_employments(self._roster().filter(**mine)).order_by("pk"):
            lines[e.person_id] = DayLine(e)
        rest = [pk for pk in ids if pk not in lines]
        if rest:
            for e in _line_employments(
                Employment.objects.filter(enterprise=self.enterprise, person_id__in=rest)
            ).order_by("pk"):
                lines[e.person_id] = DayLine(e)
        for row in (
            self._checkins()
            .filter(**mine)
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
        ):
            line = lines.get(row["person_id"])
            if line is None:  # checked in since the board was ordered
                continue
            line.checkins += 1
            if line.temperature is None or row["temperature"] > line.temperature:
                line.temperature = row["temperature"]
            line.symptoms = sorted(set(line.symptoms) | set(row["symptoms"] or ()))
            line.health_code = row["health_code"]
            line.can_work = row["can_work"]
            line.work_mode = row["work_mode"]
            line.reasons = row["reasons"]
            line.last_at = row["created_at"]
        judged = {x.person_id: x.health_code for x in entries if x.judged}
        if judged:
            from fugong.resumption.selectors import is_resumed

            from .status import work_verdict

            resumed = is_resumed(self.enterprise, self.day)
            people = self._roster().values("person_id") if every else list(judged)
            for pk, reasons in CurrentStatus.objects.filter(
                date=self.day, person_id__in=people
            ).values_list("person_id", "reasons"):
                if pk in judged and pk in lines:
                    line = lines[pk]
                    line.health_code = judged[pk]
                    line.can_work, line.reasons = work_verdict(judged[pk], reasons, resumed=resumed)
        return [lines[pk] for pk in ids if pk in lines]


def _line_employments(employments: QuerySet[Employment]) -> QuerySet[Employment]:
    """The board's employments with the few fields its lines show (the person's name and masked
    ID, the post)."""
    return employments.select_related("person").only(
        "person_id", "enterprise_id", "post", "person__name", "person__id_masked"
    )


def day_lines(enterprise: Any, day: dt.date) -> list[DayLine]:
    """Every line of the enterprise's board of ``day``, in its order (see :class:`Board`)."""
    board = Board(enterprise, day)
    return board.lines(board.entries)


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
