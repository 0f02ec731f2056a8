"""Keep the statistics snapshot current when rows arrive one at a time.

Check-ins (health app), roster changes (people app) and enterprise changes (orgs app) are
followed through post_save/post_delete. Bulk writes send no signal: their writers call
:func:`fugong.resumption.stats.refresh_enterprises`, and the periodic task
``resumption.refresh_today`` rebuilds today's snapshot in any case.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _cascade_from_enterprise(kwargs: dict[str, Any]) -> bool:
    """A deletion cascading from an enterprise: its own handler fixes the cells."""
    from fugong.orgs.models import Enterprise

    origin = kwargs.get("origin")
    return isinstance(origin, Enterprise) or (
        hasattr(origin, "model") and getattr(origin, "model", None) is Enterprise
    )


def _checkin_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .stats import refresh_enterprises

    if _cascade_from_enterprise(kwargs):
        return
    if kwargs.get("created") and _count_new_checkin(instance):
        return
    refresh_enterprises([instance.enterprise_id], [instance.date])


def _count_new_checkin(checkin: Any) -> bool:
    """The cheap path for a new check-in (the common case, on every submission): add one to
    the enterprise's and the cell's staff at post if this is the person's first check-in at
    post that day. False when the full refresh is needed instead."""
    from django.db.models import F

    from .models import DailyCell, EnterpriseDay, SnapshotDay
    from .stats import AT_POST_MODES, CELL_KEYS

    if not SnapshotDay.objects.filter(day=checkin.date).exists():
        return True  # the day is not built yet: it will be built from the raw tables
    if checkin.work_mode not in AT_POST_MODES:
        return True  # a check-in on leave changes no figure
    earlier = (
        type(checkin)
        .objects.filter(
            person_id=checkin.person_id,
            enterprise_id=checkin.enterprise_id,
            date=checkin.date,
            work_mode__in=AT_POST_MODES,
        )
        .exclude(pk=checkin.pk)
        .exists()
    )
    if earlier:
        return True
    with transaction.atomic():
        row = EnterpriseDay.objects.filter(day=checkin.date, enterprise_id=checkin.enterprise_id)
        keys = row.values(*CELL_KEYS).first()
        if keys is None:
            return False
        row.update(staff_at_post=F("staff_at_post") + 1)
        DailyCell.objects.filter(day=checkin.date, **keys).update(
            staff_at_post=F("staff_at_post") + 1
        )
    return True


def _employment_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .stats import refresh_enterprises

    if _cascade_from_enterprise(kwargs):
        return
    refresh_enterprises([instance.enterprise_id])


def _enterprise_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .stats import refresh_enterprises

    refresh_enterprises([instance.pk])


def _enterprise_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from django.db.models import Q

    from .stats import _rebuild_cells, materialised_days

    q = Q(
        township_id=instance.township_id,
        section=instance.industry.section.code,
        scale=instance.scale,
        department_id=instance.department_id,
    )
    with transaction.atomic():
        for day in materialised_days():
            _rebuild_cells(day, q)


def connect() -> None:
    from fugong.health.models import CheckIn
    from fugong.orgs.models import Enterprise
    from fugong.people.models import Employment

    post_save.connect(_checkin_changed, sender=CheckIn, dispatch_uid="resumption.checkin.save")
    post_delete.connect(_checkin_changed, sender=CheckIn, dispatch_uid="resumption.checkin.del")
    post_save.connect(
        _employment_changed, sender=Employment, dispatch_uid="resumption.employment.save"
    )
    post_delete.connect(
        _employment_changed, sender=Employment, dispatch_uid="resumption.employment.del"
    )
    post_save.connect(
        _enterprise_saved, sender=Enterprise, dispatch_uid="resumption.enterprise.save"
    )
    post_delete.connect(
        _enterprise_deleted, sender=Enterprise, dispatch_uid="resumption.enterprise.del"
    )
