"""Scheduled work: escalate overdue appeals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fugong.lib.tasks import periodic

from .actions import escalate_overdue

ESCALATION_EVERY = 15 * 60  # the scheduler's tick; the policy sets nothing below this


@periodic("appeals.escalate_overdue", every=ESCALATION_EVERY)
def escalate_overdue_task(job: Any, now: str | None = None) -> dict[str, int]:
    """Escalate appeals that became overdue. ``now`` (ISO) replays a run at a given moment."""
    moment = dt.datetime.fromisoformat(now) if now else None
    result = escalate_overdue(moment)
    job.report(sum(result.values()), sum(result.values()))
    return result
