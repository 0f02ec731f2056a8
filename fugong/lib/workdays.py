"""Chinese working days: weekends, public holidays and make-up working days (chinesecalendar).

Every deadline counted in working days goes through :func:`add_working_days`. For years the
installed chinesecalendar does not cover yet, Monday to Friday are taken as working days and a
warning is logged once per year, so a deadline is never silently lost.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache

import chinese_calendar

logger = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def _warn_uncovered(year: int) -> None:
    logger.warning("chinesecalendar has no holiday data for %s: counting Monday-Friday", year)


def is_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_uncovered(day.year)
        return day.weekday() < 5


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after ``day`` (n ≥ 1); ``day`` itself is never counted."""
    if n < 1:
        raise ValueError("n must be at least 1")
    current = day
    found = 0
    while found < n:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            found += 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: 0 when end ≤ start."""
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        count += is_working_day(current)
    return count
