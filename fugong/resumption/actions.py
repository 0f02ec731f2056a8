"""Every change of resumption state: applications, decisions, inspections, suspensions."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fugong.accounts.models import Membership, Role, User
from fugong.audit.actions import record
from fugong.lib.dates import business_today
from fugong.lib.errors import MAX_COUNT, Conflict, FieldError
from fugong.lib.workdays import add_working_days
from fugong.notifications.actions import do_notify
from fugong.orgs.models import Enterprise

from . import checklist as checklist_rules
from . import stats
from .models import (
    Application,
    Attachment,
    Inspection,
    RectificationOrder,
    Review,
    StatusChange,
    Submission,
)
from .policies import RESUMPTION
from .selectors import enterprise_status, is_own_enterprise, officer_kinds, route_for

MAGIC = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


@dataclass
class ApplicationData:
    planned_date: dt.date
    staff_planned: int
    staff_from_outside: int
    staff_from_risk_areas: int
    checklist: dict[str, Any]
    commitment: bool
    files: list[tuple[str, Any]] = field(default_factory=list)  # (kind, uploaded file)


# ------------------------------------------------------------------------------- attachments
def attachment_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "resumption"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in MAGIC:
        if head.startswith(magic):
            return content_type, ext
    return None


def check_upload(upload: Any) -> tuple[str, str]:
    """(content type, extension) of an acceptable upload; FieldError otherwise."""
    size = getattr(upload, "size", None) or 0
    if size > settings.UPLOAD_MAX_BYTES:
        raise FieldError(
            "attachments",
            _("%(name)s is larger than %(mb).1f MB.")
            % {"name": upload.name, "mb": settings.UPLOAD_MAX_BYTES / 1024 / 1024},
        )
    if size == 0:
        raise FieldError("attachments", _("%(name)s is empty.") % {"name": upload.name})
    upload.seek(0)
    found = sniff(upload.read(16))
    upload.seek(0)
    if found is None:
        raise FieldError(
            "attachments",
            _("%(name)s is not a PDF, JPEG or PNG file.") % {"name": upload.name},
        )
    return found


def _store(
    enterprise: Enterprise, application: Application | None, kind: str, upload: Any, actor: Any
) -> Attachment:
    kinds = dict(checklist_rules.attachment_kinds())
    if kind not in kinds:
        raise FieldError("kind", _("Unknown kind of attachment: %(k)s.") % {"k": kind})
    content_type, ext = check_upload(upload)
    stored = uuid.uuid4().hex + ext
    path = attachment_dir() / stored
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    attachment = Attachment.objects.create(
        enterprise=enterprise,
        application=application,
        kind=kind,
        original_name=Path(upload.name).name[:200],
        content_type=content_type,
        size=upload.size,
        stored_name=stored,
        uploaded_by=actor,
    )
    record(
        actor,
        "resumption_attachment.uploaded",
        attachment,
        details={"kind": kind, "size": upload.size, "enterprise": enterprise.pk},
    )
    return attachment


@transaction.atomic
def do_upload_attachment(
    enterprise: Enterprise,
    kind: str,
    upload: Any,
    *,
    actor: Any,
    application: Application | None = None,
) -> Attachment:
    """Add a document to the enterprise's open application (or keep it for the next one)."""
    if application is None:
        application = (
            Application.objects.filter(enterprise=enterprise, status__in=Application.OPEN)
            .order_by("-pk")
            .first()
        )
    return _store(enterprise, application, kind, upload, actor)


def attachment_path(attachment: Attachment) -> Path:
    return attachment_dir() / attachment.stored_name


# ------------------------------------------------------------------------------ submission
def _validate(
    enterprise: Enterprise,
    data: ApplicationData,
    policy: dict[str, Any],
    application: Application | None,
) -> None:
    today = business_today()
    if data.planned_date < today:
        raise FieldError("planned_date", _("The planned date cannot be in the past."))
    if data.planned_date > today + dt.timedelta(days=366):
        raise FieldError("planned_date", _("The planned date is more than a year ahead."))
    for name in ("staff_planned", "staff_from_outside", "staff_from_risk_areas"):
        value = getattr(data, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FieldError(name, _("Enter a whole number of people, 0 or more."))
        if value > MAX_COUNT:
            raise FieldError(name, _("The number is too large."))
    if data.staff_planned < 1:
        raise FieldError("staff_planned", _("At least one person must be planned on site."))
    if data.staff_from_outside > data.staff_planned:
        raise FieldError("staff_from_outside", _("Cannot exceed the staff planned on site."))
    if data.staff_from_risk_areas > data.staff_from_outside:
        raise FieldError(
            "staff_from_risk_areas",
            _("Staff from risk areas are counted among the staff from outside the city."),
        )
    if not isinstance(data.checklist, dict):
        raise FieldError("checklist", _("The checklist must map item codes to answers."))
    unknown = set(data.checklist) - {i.code for i in checklist_rules.items(policy)}
    if unknown:
        raise FieldError(
            "checklist",
            _("Unknown checklist items: %(codes)s.") % {"codes": ", ".join(sorted(unknown))},
        )
    found = checklist_rules.problems(data.checklist, data.staff_planned, policy)
    if found:
        raise FieldError("checklist", " ".join(found.values()))
    missing = missing_attachments(enterprise, data.files, policy, application)
    if missing:
        raise FieldError(
            "attachments",
            _("Required attachments missing: %(kinds)s.") % {"kinds": ", ".join(missing)},
        )
    if data.commitment is not True:
        raise FieldError(
            "commitment", _("The enterprise administrator must confirm the commitment letter.")
        )


def missing_attachments(
    enterprise: Enterprise,
    files: list[tuple[str, Any]],
    policy: dict[str, Any] | None = None,
    application: Application | None = None,
) -> list[str]:
    policy = policy or RESUMPTION.current()
    labels = dict(checklist_rules.attachment_kinds(policy))
    have = {kind for kind, _f in files}
    kept = Attachment.objects.filter(enterprise=enterprise)
    kept = (
        kept.filter(application=application)
        if application
        else kept.filter(application__isnull=True)
    )
    have |= set(kept.values_list("kind", flat=True))
    return [labels.get(k, k) for k in policy["required_attachments"] if k not in have]


def _snapshot(data: ApplicationData) -> dict[str, Any]:
    return {
        "planned_date": data.planned_date.isoformat(),
        "staff_planned": data.staff_planned,
        "staff_from_outside": data.staff_from_outside,
        "staff_from_risk_areas": data.staff_from_risk_areas,
        "checklist": data.checklist,
        "commitment": data.commitment,
    }


def _reviewers(enterprise: Enterprise) -> list[User]:
    return list(
        User.objects.filter(
            memberships__role=Role.TOWNSHIP_OFFICER, memberships__division=enterprise.township_id
        )
    ) + list(
        User.objects.filter(
            memberships__role=Role.DEPARTMENT_OFFICER,
            memberships__department=enterprise.department_id,
        )
    )


def _enterprise_admins(enterprise: Enterprise) -> list[User]:
    return list(
        User.objects.filter(
            memberships__role=Role.ENTERPRISE_ADMIN, memberships__enterprise=enterprise
        )
    )


def _link(application: Application) -> str:
    return reverse("resumption:application", args=[application.pk])


def _start_round(
    application: Application, data: ApplicationData, policy: dict[str, Any], actor: Any
) -> None:
    today = business_today()
    now = timezone.now()
    enterprise = application.enterprise
    route, level = route_for(enterprise, policy)
    application.route = route
    application.risk_level = level
    application.submitted_at = now
    application.submitted_on = today
    application.submitted_by = actor
    application.planned_date = data.planned_date
    application.staff_planned = data.staff_planned
    application.staff_from_outside = data.staff_from_outside
    application.staff_from_risk_areas = data.staff_from_risk_areas
    application.checklist = data.checklist
    application.commitment = data.commitment
    application.escalated_at = None
    if route == "commitment":
        application.status = Application.Status.APPROVED
        application.due = today
        application.decided_at = now
        application.effective_date = max(data.planned_date, today)
        application.inspection_due = add_working_days(today, int(policy["inspection_working_days"]))
    else:
        application.status = Application.Status.SUBMITTED
        application.due = add_working_days(today, int(policy["decision_working_days"]))
    application.save()
    Submission.objects.create(
        application=application,
        round=application.round,
        data=_snapshot(data),
        submitted_by=actor,
    )
    for kind, upload in data.files:
        _store(enterprise, application, kind, upload, actor)
    Attachment.objects.filter(enterprise=enterprise, application__isnull=True).update(
        application=application
    )
    if route == "commitment":
        _resume(application, actor)
        return
    Review.objects.bulk_create(
        [
            Review(
                application=application,
                round=application.round,
                kind=Review.Kind.TOWNSHIP,
                code=enterprise.township.code,
            ),
            Review(
                application=application,
                round=application.round,
                kind=Review.Kind.DEPARTMENT,
                code=enterprise.department.code,
            ),
        ]
    )
    reviewers = _reviewers(enterprise)
    transaction.on_commit(
        lambda: do_notify(
            reviewers,
            kind="resumption.review",
            message=lambda: (
                _("Resumption application to review: %(name)s") % {"name": enterprise.name},
                _("Decision due by %(due)s.") % {"due": application.due},
            ),
            link=_link(application),
        )
    )


def _resume(application: Application, actor: Any) -> None:
    StatusChange.objects.create(
        enterprise=application.enterprise,
        status=StatusChange.Status.RESUMED,
        effective_date=application.effective_date,
        application=application,
        by_kind=application.route,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    stats.refresh_enterprises([application.enterprise_id], since=application.effective_date)


@transaction.atomic
def do_submit_application(
    enterprise: Enterprise, data: ApplicationData, *, actor: Any
) -> Application:
    """File a new application; the route (standard or commitment) follows the district's risk."""
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    policy = RESUMPTION.current()
    if Application.objects.filter(enterprise=enterprise, status__in=Application.OPEN).exists():
        raise Conflict(_("This enterprise already has an open application."))
    current = enterprise_status(enterprise)
    if current.status == "resumed" or current.pending_start:
        raise Conflict(_("This enterprise has already resumed work."))
    _validate(enterprise, data, policy, None)
    application = Application(enterprise=enterprise, round=1)
    _start_round(application, data, policy, actor)
    record(
        actor,
        "resumption_application.submitted",
        application,
        details={"route": application.route, "round": 1, "status": application.status},
    )
    return application


@transaction.atomic
def do_resubmit_application(
    application: Application, data: ApplicationData, *, actor: Any
) -> Application:
    """Send a returned application again, corrected; the earlier rounds stay in its history."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.RETURNED:
        raise Conflict(_("Only an application returned for correction can be resubmitted."))
    policy = RESUMPTION.current()
    _validate(application.enterprise, data, policy, application)
    application.round += 1
    _start_round(application, data, policy, actor)
    record(
        actor,
        "resumption_application.resubmitted",
        application,
        details={"route": application.route, "round": application.round},
    )
    return application


# -------------------------------------------------------------------------------- decisions
DECISIONS = ("approve", "return", "reject")


@transaction.atomic
def do_decide(
    application: Application,
    *,
    decision: str,
    actor: Any,
    comment: str = "",
    item_reasons: dict[str, str] | None = None,
) -> Review:
    """One reviewer's decision. Raises Http404 for someone who is not a reviewer of this
    application, Conflict when the slot is already decided or the application is closed."""
    application = (
        Application.objects.select_for_update()
        .select_related("enterprise", "enterprise__township")
        .get(pk=application.pk)
    )
    enterprise = application.enterprise
    kinds = officer_kinds(actor, enterprise)
    if not kinds:
        raise Http404
    if is_own_enterprise(actor, enterprise):
        raise Conflict(_("Nobody may decide on an application of their own enterprise."))
    if decision not in DECISIONS:
        raise FieldError("decision", _("Choose approve, return or reject."))
    comment = (comment or "").strip()
    reasons = {k: str(v).strip() for k, v in (item_reasons or {}).items() if str(v).strip()}
    unknown = set(reasons) - {i.code for i in checklist_rules.items()}
    if unknown:
        raise FieldError(
            "item_reasons",
            _("Unknown checklist items: %(codes)s.") % {"codes": ", ".join(sorted(unknown))},
        )
    if decision == "reject" and not comment:
        raise FieldError("comment", _("Give the reason for the rejection."))
    if decision == "return" and not (comment or reasons):
        raise FieldError("comment", _("Say what must be corrected."))
    if application.status != Application.Status.SUBMITTED:
        raise Conflict(_("This application is no longer waiting for a decision."))
    slots = list(
        application.reviews.filter(
            round=application.round, decision=Review.Decision.PENDING, kind__in=kinds
        )
    )
    if not slots:
        raise Conflict(_("You have already decided on this application."))
    review = slots[0]
    now = timezone.now()
    changed = Review.objects.filter(pk=review.pk, decision=Review.Decision.PENDING).update(
        decision=decision,
        comment=comment,
        item_reasons=reasons,
        decided_by=actor,
        decided_at=now,
    )
    if not changed:
        raise Conflict(_("You have already decided on this application."))
    review.refresh_from_db()
    others = application.reviews.filter(round=application.round).exclude(pk=review.pk)
    today = business_today()
    if decision == "approve":
        if not others.exclude(decision=Review.Decision.APPROVE).exists():
            application.status = Application.Status.APPROVED
            application.decided_at = now
            application.effective_date = max(application.planned_date, today)
            application.save(update_fields=["status", "decided_at", "effective_date"])
            _resume(application, actor)
    else:
        others.filter(decision=Review.Decision.PENDING).update(
            decision=Review.Decision.CANCELLED, decided_at=now
        )
        application.status = (
            Application.Status.RETURNED if decision == "return" else Application.Status.REJECTED
        )
        application.decided_at = now
        application.save(update_fields=["status", "decided_at"])
    record(
        actor,
        "resumption_application.decided",
        application,
        details={
            "decision": decision,
            "kind": review.kind,
            "round": review.round,
            "status": application.status,
        },
    )
    admins = _enterprise_admins(enterprise)
    if application.status != Application.Status.SUBMITTED:
        transaction.on_commit(
            lambda: do_notify(
                admins,
                kind="resumption.decision",
                message=lambda: (
                    _("Your resumption application: %(status)s")
                    % {"status": application.get_status_display()},
                    comment,
                ),
                link=_link(application),
            )
        )
    return review


# ---------------------------------------------------------------------- status of enterprise
def _officer_kind(actor: Any, enterprise: Enterprise) -> str:
    kinds = officer_kinds(actor, enterprise)
    if not kinds:
        raise Http404
    return kinds[0]


@transaction.atomic
def do_suspend_enterprise(
    enterprise: Enterprise, *, reason: str, actor: Any, order: RectificationOrder | None = None
) -> StatusChange:
    by_kind = _officer_kind(actor, enterprise)
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("reason", _("Give the reason for the suspension."))
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    today = business_today()
    if enterprise_status(enterprise, today).status != "resumed":
        raise Conflict(_("Only a resumed enterprise can be suspended."))
    change = StatusChange.objects.create(
        enterprise=enterprise,
        status=StatusChange.Status.SUSPENDED,
        effective_date=today,
        reason=reason,
        order=order,
        by_kind=by_kind,
        created_by=actor,
    )
    if order is not None:
        order.status = RectificationOrder.Status.SUSPENDED
        order.closed_by, order.closed_at = actor, timezone.now()
        order.save(update_fields=["status", "closed_by", "closed_at"])
    stats.refresh_enterprises([enterprise.pk], since=today)
    record(
        actor,
        "enterprise.suspended",
        enterprise,
        details={"reason": reason, "by": by_kind, "order": order.pk if order else None},
    )
    admins = _enterprise_admins(enterprise)
    transaction.on_commit(
        lambda: do_notify(
            admins,
            kind="resumption.suspended",
            message=lambda: (_("Work suspended: %(name)s") % {"name": enterprise.name}, reason),
            link=reverse("resumption:mine"),
        )
    )
    return change


@transaction.atomic
def do_lift_suspension(enterprise: Enterprise, *, reason: str, actor: Any) -> StatusChange:
    by_kind = _officer_kind(actor, enterprise)
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("reason", _("Say why work may resume."))
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    today = business_today()
    if enterprise_status(enterprise, today).status != "suspended":
        raise Conflict(_("This enterprise is not suspended."))
    change = StatusChange.objects.create(
        enterprise=enterprise,
        status=StatusChange.Status.RESUMED,
        effective_date=today,
        reason=reason,
        by_kind=by_kind,
        created_by=actor,
    )
    stats.refresh_enterprises([enterprise.pk], since=today)
    record(actor, "enterprise.resumed_again", enterprise, details={"reason": reason})
    return change


# ------------------------------------------------------------------------------ inspections
@transaction.atomic
def do_record_inspection(
    enterprise: Enterprise,
    *,
    results: dict[str, Any],
    actor: Any,
    notes: str = "",
    date: dt.date | None = None,
) -> Inspection:
    """Record an on-site inspection; failed items open a rectification order with a deadline."""
    by_kind = _officer_kind(actor, enterprise)
    policy = RESUMPTION.current()
    today = business_today()
    date = date or today
    if date > today:
        raise FieldError("date", _("The inspection date cannot be in the future."))
    codes = [i.code for i in checklist_rules.items(policy)]
    unknown = set(results) - set(codes)
    if unknown:
        raise FieldError(
            "results",
            _("Unknown checklist items: %(codes)s.") % {"codes": ", ".join(sorted(unknown))},
        )
    staff = (
        Application.objects.filter(enterprise=enterprise)
        .order_by("-pk")
        .values_list("staff_planned", flat=True)
        .first()
    ) or 0
    found = checklist_rules.problems(results, staff, policy)
    failed = [c for c in codes if c in found]
    application = (
        Application.objects.filter(
            enterprise=enterprise,
            route="commitment",
            status=Application.Status.APPROVED,
            inspected_at__isnull=True,
        )
        .order_by("-pk")
        .first()
    )
    inspection = Inspection.objects.create(
        enterprise=enterprise,
        application=application,
        inspector=actor,
        by_kind=by_kind,
        date=date,
        results=results,
        failed_items=failed,
        passed=not failed,
        notes=notes,
    )
    if application is not None:
        application.inspected_at = timezone.now()
        application.save(update_fields=["inspected_at"])
    if failed:
        RectificationOrder.objects.create(
            enterprise=enterprise,
            inspection=inspection,
            items=failed,
            deadline=add_working_days(date, int(policy["rectification_working_days"])),
        )
    record(
        actor,
        "resumption_inspection.recorded",
        inspection,
        details={"enterprise": enterprise.pk, "passed": not failed, "failed": failed},
    )
    return inspection


@transaction.atomic
def do_mark_rectified(order: RectificationOrder, *, actor: Any) -> RectificationOrder:
    _officer_kind(actor, order.enterprise)
    order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != RectificationOrder.Status.OPEN:
        raise Conflict(_("This rectification order is already closed."))
    order.status = RectificationOrder.Status.RECTIFIED
    order.closed_by, order.closed_at = actor, timezone.now()
    order.save(update_fields=["status", "closed_by", "closed_at"])
    record(actor, "rectification_order.rectified", order, label=str(order.enterprise))
    return order


# ------------------------------------------------------------------------------- escalation
def _overdue_message(application: Application) -> tuple[str, str]:
    return (
        _("Overdue resumption application: %(name)s") % {"name": application.enterprise.name},
        _("The decision was due on %(due)s.") % {"due": application.due},
    )


def do_escalate_overdue(today: dt.date | None = None) -> int:
    """Notify district officers and the command centre of applications past their due date
    (once per application and round). Returns how many were escalated."""
    today = today or business_today()
    count = 0
    overdue = Application.objects.select_related("enterprise", "enterprise__district").filter(
        status=Application.Status.SUBMITTED, due__lt=today, escalated_at__isnull=True
    )
    centre = list(User.objects.filter(memberships__role=Role.COMMAND_CENTRE))
    for application in overdue:
        with transaction.atomic():
            claimed = Application.objects.filter(
                pk=application.pk, escalated_at__isnull=True
            ).update(escalated_at=timezone.now())
            if not claimed:
                continue
            district_ids = Membership.objects.filter(
                role=Role.DISTRICT_OFFICER, division=application.enterprise.district_id
            ).values("user_id")
            users = list(User.objects.filter(pk__in=district_ids)) + centre
            do_notify(
                users,
                kind="resumption.overdue",
                message=partial(_overdue_message, application),
                link=_link(application),
            )
            record(
                None,
                "resumption_application.escalated",
                application,
                details={"due": application.due.isoformat(), "notified": len(users)},
            )
            count += 1
    return count
