"""The health status rules: data in, (colour, reasons) out (the reasons as data: reasons.py).

Everything a rule needs is loaded for many people at once by :func:`load_facts` (a fixed number
of queries whatever the number of people) and judged in memory by :func:`evaluate`, so a batch
of a thousand check-ins costs the same handful of queries as one. :func:`can_work` is the one
place that decides whether a person may work on site.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

from django.db.models import Max, Q

from . import reasons
from .models import CaseRecord, CheckIn, HealthCode, RiskLevel, TravelRecord
from .policies import HEALTH
from .reasons import Reason

RISKY = {RiskLevel.Level.MEDIUM, RiskLevel.Level.HIGH}
# Plain strings for the comparisons made per check-in (an enum member's look-up is slow).
GREEN, YELLOW, RED = HealthCode.GREEN.value, HealthCode.YELLOW.value, HealthCode.RED.value
ONE_DAY = dt.timedelta(days=1)


class Reading(NamedTuple):
    """What one check-in contributes to the rules (a tuple: a batch reads thousands)."""

    date: dt.date
    temperature: Decimal
    symptoms: tuple[str, ...]
    close_contact: bool


@dataclass(slots=True)
class Facts:
    """What is known about one person (check-ins within the rules' window, travel, cases)."""

    readings: list[Reading] = field(default_factory=list)
    travels: list[tuple[str, dt.date]] = field(default_factory=list)  # (origin, arrival)
    cases: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    roster_since: dt.date | None = None  # the first day missed check-ins can count from
    # The latest check-in day before the readings' window, so that a count of missed days
    # running past the window stops where it really ends (store.py reads it only for people with
    # no check-in in the window before the day judged: for the others the count never gets there).
    last_before: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Status:
    code: str
    reasons: list[Reason]  # as data (reasons.py); .texts words them

    @property
    def texts(self) -> list[str]:
        """The reasons in words, in the active language."""
        return reasons.texts(self.reasons)


def reading_window(policy: dict[str, Any], first_day: dt.date) -> tuple[dt.date, dt.date]:
    """``(start, contacts_from)``: to judge days from ``first_day`` on, the rules read every
    check-in from ``start`` (the same-temperature flag looks back that far) and the check-ins
    reporting a close contact from ``contacts_from`` (the observation period); for missed days
    only the latest check-in before ``start`` (``Facts.last_before``)."""
    start = first_day - dt.timedelta(days=int(policy["same_temperature_days"]))
    contacts_from = first_day - dt.timedelta(days=int(policy["close_contact_days"]))
    return start, min(start, contacts_from)


def is_fever(temperature: Decimal | float, policy: dict[str, Any]) -> bool:
    return fever_test(policy)(Decimal(str(temperature)))


def fever_test(policy: dict[str, Any]) -> Callable[[Decimal], bool]:
    """is_fever for many readings under one policy (made once per threshold)."""
    return _fever_test(policy["fever_threshold"], policy["fever_at_threshold"])


@functools.cache
def _fever_test(threshold_value: float, at_threshold: bool) -> Callable[[Decimal], bool]:
    threshold = Decimal(str(threshold_value))
    if at_threshold:
        return lambda value: value >= threshold
    return lambda value: value > threshold


class RiskTable:
    """Risk levels by division code, looked up by the most specific code in force on a day.

    ``rows`` come in the order they were entered (by id): of two levels of one code from the
    same day, the one entered later (a correction) is in force."""

    def __init__(
        self, rows: Iterable[tuple[str, str, dt.date]], names: dict[str, str] | None = None
    ) -> None:
        self._names: dict[str, str] = names or {}
        self._by_code: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
        for code, level, start in rows:
            self._by_code[code].append((start, level))
        for entries in self._by_code.values():
            # Latest day first; on one day, latest entered first (the sort keeps the order of
            # equal days).
            entries.reverse()
            entries.sort(key=itemgetter(0), reverse=True)

    @classmethod
    def load(cls, places: Iterable[str] = ()) -> RiskTable:
        """The table in force, with the names of ``places`` looked up at once (the check-in path
        on PostgreSQL reads the same rows with the rest of what it needs: health/store.py)."""
        return cls(
            RiskLevel.objects.order_by("pk").values_list("code", "level", "effective_from"),
            names=place_names(places),
        )

    @classmethod
    def for_facts(cls, facts: Iterable[Facts]) -> RiskTable | None:
        """The table the people's travels are judged by (None when nobody travelled), with the
        names of the places they came from: two queries, however many people."""
        origins = {origin for f in facts for origin, _arrival in f.travels}
        return cls.load(origins) if origins else None

    def place(self, code: str) -> str:
        """The name of a division (looked up once per table)."""
        if code not in self._names:
            self._names[code] = place_name(code)
        return self._names[code]

    def level(self, code: str, day: dt.date) -> str:
        candidates = [code, code[:9], code[:6], code[:4] + "00", code[:2] + "0000"]
        for candidate in dict.fromkeys(candidates):
            for start, level in self._by_code.get(candidate, ()):
                if start <= day:
                    return level
        return RiskLevel.Level.LOW


def place_name(code: str) -> str:
    return place_names([code])[code]


def place_names(codes: Iterable[str], city_names: dict[str, str] | None = None) -> dict[str, str]:
    """code → name of the division, or the code itself when it is unknown; ``city_names``: the
    names of the city's divisions among the codes, when they have been read already."""
    from fugong.geo.selectors import division_names

    codes = set(codes)
    if not codes:
        return {}
    return {code: code for code in codes} | division_names(codes, city_names=city_names)


def evaluate(facts: Facts, day: dt.date, policy: dict[str, Any], risk: RiskTable | None) -> Status:
    """The person's colour on ``day`` and every reason for it (as data: see reasons.py)."""
    red: list[Reason] = []
    yellow: list[Reason] = []
    close_days = int(policy["close_contact_days"])
    for kind, since, cleared in facts.cases:
        if since > day or (cleared is not None and cleared <= day):
            continue
        if kind == CaseRecord.Kind.CLOSE_CONTACT:
            end = since + dt.timedelta(days=close_days)
            if day < end:
                red.append(reasons.observation("close_contact", since, close_days, end))
        elif kind == CaseRecord.Kind.CONFIRMED:
            red.append(reasons.case("confirmed", since))
        else:
            red.append(reasons.case("suspected", since))
    contacts = [r.date for r in facts.readings if r.close_contact and r.date <= day]
    if contacts:
        last = max(contacts)
        end = last + dt.timedelta(days=close_days)
        if day < end:
            red.append(reasons.observation("reported_contact", last, close_days, end))
    today = [r for r in facts.readings if r.date == day]
    fever = fever_test(policy)
    fevers = [r.temperature for r in today if fever(r.temperature)]
    if fevers:
        yellow.append(reasons.fever(max(fevers)))
    symptoms = sorted({s for r in today for s in r.symptoms})
    if symptoms:
        yellow.append(reasons.symptoms(symptoms))
    quarantine = int(policy["quarantine_days"])
    for origin, arrival in facts.travels:
        end = arrival + dt.timedelta(days=quarantine)
        if not (arrival <= day < end) or risk is None:
            continue
        level = risk.level(origin, arrival)
        if level in RISKY:
            yellow.append(reasons.travel(risk.place(origin), level, quarantine, arrival, end))
    missed = missed_days(facts, day)
    if missed > int(policy["missed_days_allowed"]):
        yellow.append(reasons.missed(missed, day))
    if red:
        return Status(RED, red + yellow)
    if yellow:
        return Status(YELLOW, yellow)
    if not today:  # judged without a check-in of that day (a daily refresh, a past day)
        return Status(GREEN, [reasons.no_checkin(day)])
    return Status(GREEN, [reasons.GREEN])


def missed_days(facts: Facts, day: dt.date) -> int:
    """Consecutive days before ``day`` without any check-in (counted from the roster date)."""
    dates = {r.date for r in facts.readings}
    current = day - ONE_DAY
    if current in dates:  # checked in the day before: most people, every morning
        return 0
    if facts.last_before is not None:
        dates.add(facts.last_before)
    first = min(dates) if dates else None
    floor = facts.roster_since
    if first is not None and (floor is None or first < floor):
        floor = first
    if floor is None:
        return 0
    count = 0
    while current >= floor and current not in dates:
        count += 1
        current -= ONE_DAY
    return count


def can_work(code: str, *, resumed: bool) -> bool:
    """The one rule: on site only when green and employed by a resumed enterprise."""
    return code == GREEN and resumed


def work_verdict(code: str, given: list[Reason], *, resumed: bool) -> tuple[bool, list[Reason]]:
    """Whether a person of status ``code`` may work on site, and the reasons to tell them: the
    status's own (``given``), plus why when green at an enterprise not yet resumed."""
    if code == GREEN and not resumed:
        return False, [*given, reasons.NOT_RESUMED]
    return can_work(code, resumed=resumed), given


def load_facts(
    person_ids: Iterable[int], first_day: dt.date, last_day: dt.date, policy: dict[str, Any]
) -> dict[int, Facts]:
    """Facts for every person, enough to judge any day from ``first_day`` to ``last_day``."""
    ids = list(set(person_ids))
    facts: dict[int, Facts] = {pk: Facts() for pk in ids}
    if not ids:
        return facts
    start, contacts_from = reading_window(policy, first_day)
    for pk, date, temperature, symptoms, contact in (
        CheckIn.objects.filter(person_id__in=ids, date__gte=contacts_from, date__lte=last_day)
        .filter(Q(date__gte=start) | Q(close_contact=True))
        .values_list("person_id", "date", "temperature", "symptoms", "close_contact")
    ):
        facts[pk].readings.append(Reading(date, temperature, tuple(symptoms or ()), contact))
    for pk, last in (
        CheckIn.objects.filter(person_id__in=ids, date__lt=start)
        .values("person_id")
        .annotate(last=Max("date"))
        .values_list("person_id", "last")
    ):
        facts[pk].last_before = last
    travel_from = first_day - dt.timedelta(days=int(policy["quarantine_days"]))
    for pk, origin, arrival in TravelRecord.objects.filter(
        person_id__in=ids, arrival_date__gte=travel_from, arrival_date__lte=last_day
    ).values_list("person_id", "origin_code", "arrival_date"):
        facts[pk].travels.append((origin, arrival))
    for pk, kind, since, cleared in CaseRecord.objects.filter(
        person_id__in=ids, since__lte=last_day
    ).values_list("person_id", "kind", "since", "cleared_on"):
        facts[pk].cases.append((kind, since, cleared))
    return facts


def explain(person: Any, day: dt.date) -> Status:
    """The person's status on any day, from the data as it stands (history included), under
    the policy in force that day (at its end; today's: the current one)."""
    from fugong.lib.dates import business_today, end_of_day

    policy = HEALTH.current() if day >= business_today() else HEALTH.as_of(end_of_day(day))
    facts = load_facts([person.pk], day, day, policy)[person.pk]
    facts.roster_since = _roster_since(person)
    return evaluate(facts, day, policy, RiskTable.for_facts([facts]))


def _roster_since(person: Any) -> dt.date | None:
    from fugong.lib.dates import business_date
    from fugong.people.models import Employment

    created = (
        Employment.objects.filter(person=person)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return business_date(created) if created else None
