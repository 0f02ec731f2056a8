"""Business dates are Asia/Shanghai dates, whatever the server's clock zone."""

from __future__ import annotations

import datetime as dt
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


def parse_iso_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)
