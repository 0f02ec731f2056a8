"""Business dates are Asia/Shanghai dates, whatever the server's clock zone."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def business_today() -> dt.date:
    return timezone.now().astimezone(SHANGHAI).date()


def business_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The instant a business day ends ("as of D 24:00")."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(value: str) -> dt.date:
    """A date written exactly YYYY-MM-DD; ValueError otherwise. ``date.fromisoformat`` alone
    also reads other ISO 8601 forms (20261203, and 2026-W49-4, which has ten characters too)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("not a YYYY-MM-DD date")
    return dt.date.fromisoformat(value)
