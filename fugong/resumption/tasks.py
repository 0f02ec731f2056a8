"""Scheduled work of resumption: escalate overdue approvals, keep today's statistics current."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fugong.lib.dates import business_today
from fugong.lib.tasks import periodic

from .actions import do_escalate_overdue
from .stats import build_day, materialised_days, rebuild_day

SNAPSHOT_HISTORY_DAYS = 14  # days of history the trend charts show


@periodic("resumption.escalate_overdue", every=3600)
def escalate_overdue(job: Any = None, *, today: str | None = None) -> dict[str, Any]:
    """Notify district officers and the command centre of overdue applications."""
    day = dt.date.fromisoformat(today) if today else business_today()
    return {"escalated": do_escalate_overdue(day)}


@periodic("resumption.refresh_today", every=600)
def refresh_today(job: Any = None, *, today: str | None = None) -> dict[str, Any]:
    """Rebuild today's statistics snapshot (catching bulk writes that send no signal) and build
    any missing day of the recent history."""
    day = dt.date.fromisoformat(today) if today else business_today()
    built = set(materialised_days(day - dt.timedelta(days=SNAPSHOT_HISTORY_DAYS)))
    created = 0
    for offset in range(SNAPSHOT_HISTORY_DAYS - 1, 0, -1):
        past = day - dt.timedelta(days=offset)
        if past not in built:
            created += build_day(past)
    rebuild_day(day)
    return {"rebuilt": day.isoformat(), "built": created}
