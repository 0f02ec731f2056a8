"""Reads of check-in data that other apps use (liaison pages, resumption statistics)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q

from fugong.people.models import Employment

from .models import CheckIn, WorkMode


def checkin_completion(
    enterprise_ids: Iterable[int], day: dt.date
) -> dict[int, tuple[int, int]]:
    """enterprise id → (people on the roster who checked in on ``day``, people on the roster)."""
    ids = list(enterprise_ids)
    roster = dict(
        Employment.objects.filter(enterprise_id__in=ids, active=True)
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
    return {i: (checked.get(i, 0), roster.get(i, 0)) for i in ids}


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
