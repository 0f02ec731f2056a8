"""Background work: roster imports, automated-looking check-ins, missed check-ins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncSecond
from django.urls import reverse
from django.utils.translation import gettext as _

from fugong.lib.dates import business_today
from fugong.lib.tasks import periodic, task

from .models import CheckIn, CurrentStatus, HealthCode, QualityFlag, RosterImport
from .policies import HEALTH


@task("health.import_roster")
def import_roster(job: Any, *, import_id: int) -> dict[str, Any]:
    from fugong.people.roster import UnreadableFile
    from fugong.people.roster import import_roster as run_import

    upload = RosterImport.objects.select_related("enterprise", "owner").get(pk=import_id)
    job.report(0, 1, _("Reading the file"))

    def progress(done: int, total: int) -> None:
        job.report(done, total, _("Checking row %(n)d of %(total)d") % {"n": done, "total": total})

    try:
        checked, stored = run_import(
            bytes(upload.data),
            upload.filename,
            upload.enterprise,
            actor=upload.owner,
            valid_rows_only=upload.valid_rows_only,
            today=business_today(),
            progress=progress,
        )
    except UnreadableFile as exc:
        upload.status = RosterImport.Status.FAILED
        upload.message = str(exc)[:300]
        upload.errors = [[1, "", str(exc)]]
        upload.save(update_fields=["status", "message", "errors"])
    else:
        upload.rows = checked.rows
        upload.accepted = stored
        upload.rejected = checked.rejected_rows
        upload.errors = checked.errors[:5000]
        upload.status = (
            RosterImport.Status.DONE
            if stored or not checked.errors
            else RosterImport.Status.REJECTED
        )
        upload.save(update_fields=["rows", "accepted", "rejected", "errors", "status"])
    return {
        "next": reverse("people:roster_import_report", args=[upload.pk]),
        "status": upload.status,
    }


@periodic("health.flag_same_second", every=600)
def flag_same_second(job: Any = None, *, day: str | None = None) -> dict[str, int]:
    """Flag identical check-ins submitted by many people within the same second."""
    policy = HEALTH.current()
    date = dt.date.fromisoformat(day) if day else business_today()
    limit = int(policy["same_second_people"])
    groups = (
        CheckIn.objects.filter(date=date)
        .annotate(second=TruncSecond("created_at"))
        .values("enterprise_id", "second", "temperature", "location", "work_mode")
        .annotate(n=Count("person_id", distinct=True))
        .filter(n__gte=limit)
    )
    flagged = 0
    for g in groups:
        rows = CheckIn.objects.filter(
            date=date,
            enterprise_id=g["enterprise_id"],
            created_at__gte=g["second"],
            created_at__lt=g["second"] + dt.timedelta(seconds=1),
            temperature=g["temperature"],
            location=g["location"],
            work_mode=g["work_mode"],
        ).values_list("pk", "symptoms")
        by_symptoms: dict[str, list[int]] = {}
        for pk, symptoms in rows:
            by_symptoms.setdefault(",".join(sorted(symptoms or [])), []).append(pk)
        for ids in by_symptoms.values():
            if len(ids) >= limit:
                QualityFlag.objects.bulk_create(
                    [
                        QualityFlag(
                            checkin_id=pk,
                            enterprise_id=g["enterprise_id"],
                            kind=QualityFlag.Kind.SAME_SECOND,
                        )
                        for pk in ids
                    ],
                    ignore_conflicts=True,
                )
                flagged += len(ids)
    return {"flagged": flagged}


@periodic("health.missed_checkins", every=3600)
def missed_checkins(job: Any = None) -> dict[str, int]:
    """Turn people yellow who have gone too many days without a check-in."""
    from .actions import refresh_status

    policy = HEALTH.current()
    today = business_today()
    # Yellow once more than the allowed days before today have no check-in.
    cutoff = today - dt.timedelta(days=int(policy["missed_days_allowed"]) + 2)
    ids = list(
        CurrentStatus.objects.filter(code=HealthCode.GREEN, date__lte=cutoff).values_list(
            "person_id", flat=True
        )
    )
    changed = 0
    for start in range(0, len(ids), 1000):
        changed += refresh_status(ids[start : start + 1000], cause="missed", day=today)
    return {"checked": len(ids), "changed": changed}
