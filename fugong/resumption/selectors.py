"""Reads of resumption state that other apps use.

``resumed_enterprise_ids`` is the single answer to "may this enterprise's staff work on day D?".
Until the resumption workflow (issue 4) lands, every enterprise counts as resumed, as the
check-in issue asks; the resumption work replaces the body, never the signature.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from fugong.orgs.models import Enterprise


def resumed_enterprise_ids(day: dt.date, enterprise_ids: Iterable[int] | None = None) -> set[int]:
    """Ids of the enterprises (among ``enterprise_ids``, or all) resumed on ``day``."""
    qs = Enterprise.objects.all()
    if enterprise_ids is not None:
        qs = qs.filter(pk__in=list(enterprise_ids))
    return set(qs.values_list("pk", flat=True))


def is_resumed(enterprise: Enterprise, day: dt.date) -> bool:
    return enterprise.pk in resumed_enterprise_ids(day, [enterprise.pk])
