"""Background work: roster imports, automated-looking check-ins, missed check-ins, everyone
judged again after a policy change, and the morning reminder to check in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncSecond
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fugong.lib.dates import SHANGHAI, business_today
from fugong.lib.tasks import periodic, task

from .models import CheckIn, CurrentStatus, HealthCode, QualityFlag, ReminderDay, RosterImport
from .policies import HEALTH


@task("health.import_roster")
def import_roster(job: Any, *, import_id: int) -> dict[str, Any]:
    from fugong.people.roster import MAX_REPORTED_ERRORS, UnreadableFile
    from fugong.people.roster import import_roster as run_import

    upload = RosterImport.objects.select_related("enterprise", "owner").get(pk=import_id)
    job.report(0, 1, _("Reading the file"))

    def progress(done: int, total: int) -> None:
        job.report(done, total, _("Checking row %(n)d of %(total)d") % {"n": done, "total": total})

    def saving(valid: int) -> None:  # the check is done: the bar is full while rows are stored
        job.report(
            job.total,
            None,
            ngettext("Saving %(n)d valid row", "Saving %(n)d valid rows", valid) % {"n": valid},
        )

    try:
        checked, stored = run_import(
            bytes(upload.data),
            upload.filename,
            upload.enterprise,
            actor=upload.owner,
            valid_rows_only=upload.valid_rows_only,
            today=business_today(),
            progress=progress,
            saving=saving,
        )
    except UnreadableFile as exc:
        upload.status = RosterImport.Status.FAILED
        upload.message = str(exc)[:300]  # the whole file: no row is to blame
        upload.errors = []
        upload.texts = {
            language: {"errors": [], "message": message[:300]}
            for language, message in exc.texts().items()
        }
        upload.save(update_fields=["status", "message", "errors", "texts"])
    else:
        upload.rows = checked.rows
        upload.accepted = stored
        upload.rejected = checked.rejected_rows
        upload.errors = checked.errors[:MAX_REPORTED_ERRORS]
        upload.texts = {
            language: {"errors": reasons, "message": ""}
            for language, reasons in checked.texts.items()
        }
        upload.status = (
            RosterImport.Status.DONE
            if stored or not checked.errors
            else RosterImport.Status.REJECTED
        )
        upload.save(update_fields=["rows", "accepted", "rejected", "errors", "texts", "status"])
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


JUDGE_CHUNK = 1000  # people judged in one transaction


@task("health.judge_again")
def judge_again(job: Any, *, version: int) -> dict[str, int]:
    """After the command centre saved a new version of the health policy: everyone judged
    today (a check-in, a record) is judged again under it, in chunks, with progress. Their facts
    are those they were judged on, so a colour that changes is the policy's doing and is
    recorded with it as the cause. Statuses of earlier days are left to the next judgement
    (a check-in, the missed-days task): judged today, they could change for other reasons."""
    from .actions import refresh_status

    HEALTH.forget()  # this worker may hold the version before
    today = business_today()
    ids = list(
        CurrentStatus.objects.filter(date=today)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    changed = 0
    for start in range(0, len(ids), JUDGE_CHUNK):
        with transaction.atomic():
            changed += refresh_status(ids[start : start + JUDGE_CHUNK], cause="policy", day=today)
        done = min(start + JUDGE_CHUNK, len(ids))
        job.report(
            done,
            len(ids),
            _("Judged %(n)d of %(total)d people again") % {"n": done, "total": len(ids)},
        )
    next_page = reverse("policy:edit", args=[HEALTH.key])
    return {"version": version, "judged": len(ids), "changed": changed, "next": next_page}


# The scheduler's tick: the reminder goes out within this many seconds of the policy's time.
REMINDER_EVERY = 300
REMINDER_CHUNK = 500  # enterprises per transaction (a fixed number of queries each)


def reminder_time(policy: dict[str, Any]) -> dt.time:
    """The policy's reminder time (Asia/Shanghai); the default should a stored value be bad."""
    try:
        return dt.time.fromisoformat(str(policy["reminder_time"]))
    except ValueError:
        return dt.time.fromisoformat(HEALTH.fields["reminder_time"].default)


@periodic("health.checkin_reminders", every=REMINDER_EVERY)
def checkin_reminders(job: Any = None, *, now: str | None = None) -> dict[str, Any]:
    """Once a day, from the policy's reminder time on, remind everyone with a login who has not
    checked in yet, and tell the enterprise admins how many were reminded.

    Idempotent: a ReminderDay row marks the day done and CheckInReminder rows the enterprises
    reached, so a second run the same day (or one resuming after a crash) reminds nobody twice.
    ``now`` (ISO, with offset) replays a run at a given moment.
    """
    from django.conf import settings
    from django.db import IntegrityError
    from django.db.models import F
    from django.utils import timezone, translation

    from fugong.orgs.models import Enterprise

    from .actions import do_send_checkin_reminders

    moment = dt.datetime.fromisoformat(now) if now else timezone.now()
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=SHANGHAI)
    local = moment.astimezone(SHANGHAI)
    day = local.date()
    policy = HEALTH.current()
    if not policy["reminder_enabled"]:
        return {"date": day.isoformat(), "skipped": "off"}
    at = reminder_time(policy)
    if local.time() < at:
        return {"date": day.isoformat(), "skipped": "not yet"}
    run, _created = ReminderDay.objects.get_or_create(date=day)
    if run.finished_at is not None:
        return {"date": day.isoformat(), "skipped": "done"}
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    reminded_users: set[int] = set()
    enterprises = reminded = 0
    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, len(ids), REMINDER_CHUNK):
            chunk = ids[start : start + REMINDER_CHUNK]
            try:
                result = do_send_checkin_reminders(
                    chunk,
                    day,
                    actor=None,
                    automatic=True,
                    at=at.strftime("%H:%M"),
                    skip_users=reminded_users,
                )
            except IntegrityError:  # a concurrent run has just reminded these enterprises
                continue
            enterprises += sum(1 for r in result.values() if r.missing)
            reminded += sum(r.notified for r in result.values())
            if job is not None:
                job.report(start + len(chunk), len(ids))
    ReminderDay.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        enterprises=F("enterprises") + enterprises,
        reminded=F("reminded") + reminded,
    )
    return {"date": day.isoformat(), "enterprises": enterprises, "reminded": reminded}
