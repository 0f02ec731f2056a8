from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from fugong.lib.dates import end_of_day

from .models import AuditEvent


def audit_events(
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    qs: Any = AuditEvent.objects.all()
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(at__gte=end_of_day(since - dt.timedelta(days=1)))
    if until:
        qs = qs.filter(at__lt=end_of_day(until))
    return qs
