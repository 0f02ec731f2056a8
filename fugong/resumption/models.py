"""Resumption of work: applications, parallel reviews, status over time, inspections, and the
daily snapshot tables behind the fast statistics."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Route(models.TextChoices):
    STANDARD = "standard", _("Standard (parallel review)")
    COMMITMENT = "commitment", _("Commitment (告知承诺制)")


class Application(models.Model):
    """One enterprise's application to resume work; corrected and resubmitted in rounds."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    OPEN = (Status.SUBMITTED, Status.RETURNED)

    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.CASCADE, related_name="resumption_applications"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status)
    route = models.CharField(_("route"), max_length=12, choices=Route)
    round = models.PositiveSmallIntegerField(default=1)
    planned_date = models.DateField(_("planned date"))
    staff_planned = models.PositiveIntegerField(_("staff planned on site"))
    staff_from_outside = models.PositiveIntegerField(_("staff arriving from outside the city"))
    staff_from_risk_areas = models.PositiveIntegerField(_("staff arriving from risk areas"))
    checklist = models.JSONField(_("prevention checklist"), default=dict)
    commitment = models.BooleanField(_("commitment letter confirmed"), default=False)
    risk_level = models.CharField(max_length=10, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_on = models.DateField()
    due = models.DateField(_("decision due"))
    decided_at = models.DateTimeField(null=True, blank=True)
    effective_date = models.DateField(null=True, blank=True)
    inspection_due = models.DateField(null=True, blank=True)
    inspected_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(status__in=["submitted", "returned"]),
                name="one_open_resumption_application",
            )
        ]
        indexes = [models.Index(fields=["status", "due"], name="application_status_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.enterprise}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Submission(models.Model):
    """What the enterprise sent in one round (history kept when an application is corrected)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="rounds")
    round = models.PositiveSmallIntegerField()
    data = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="one_submission_a_round")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} round {self.round}"


class Review(models.Model):
    """One reviewer's slot in one round: the township or the competent department."""

    class Kind(models.TextChoices):
        TOWNSHIP = "township", _("Township")
        DEPARTMENT = "department", _("Department")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVE = "approve", _("Approved")
        RETURN = "return", _("Returned for correction")
        REJECT = "reject", _("Rejected")
        CANCELLED = "cancelled", _("No longer needed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind)
    code = models.CharField(max_length=30)  # township division code or department code
    decision = models.CharField(max_length=12, choices=Decision, default=Decision.PENDING)
    comment = models.TextField(blank=True)
    item_reasons = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "round", "kind"], name="one_review_per_kind_and_round"
            )
        ]
        indexes = [models.Index(fields=["kind", "code", "decision"], name="review_queue")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.decision}"


class StatusChange(models.Model):
    """The enterprise's resumption status from ``effective_date`` on (until the next change)."""

    class Status(models.TextChoices):
        RESUMED = "resumed", _("Resumed")
        SUSPENDED = "suspended", _("Suspended")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.CASCADE, related_name="resumption_changes"
    )
    status = models.CharField(max_length=10, choices=Status)
    effective_date = models.DateField()
    reason = models.TextField(blank=True)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.ForeignKey(
        "RectificationOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_kind = models.CharField(max_length=12, blank=True)  # township / department / system
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enterprise", "effective_date", "pk"]
        indexes = [
            models.Index(fields=["enterprise", "effective_date"], name="status_change_ent_date")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.status} {self.effective_date}"


class Attachment(models.Model):
    """A PDF/JPEG/PNG kept under MEDIA_ROOT (outside the web root), served by a scoped view."""

    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.CASCADE, related_name="resumption_attachments"
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(max_length=40)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    stored_name = models.CharField(max_length=100, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Inspection(models.Model):
    """An on-site inspection against the prevention checklist."""

    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.CASCADE, related_name="resumption_inspections"
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="inspections"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_kind = models.CharField(max_length=12)
    date = models.DateField(_("inspection date"))
    results = models.JSONField(default=dict)
    failed_items = models.JSONField(default=list)
    passed = models.BooleanField()
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.date}"


class RectificationOrder(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RECTIFIED = "rectified", _("Rectified")
        SUSPENDED = "suspended", _("Enterprise suspended")

    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.CASCADE, related_name="rectification_orders"
    )
    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="rectification"
    )
    items = models.JSONField(default=list)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.deadline}"


# ------------------------------------------------------------------ statistics snapshot tables
class SnapshotDay(models.Model):
    """A business day whose snapshot rows exist (built once, then kept up to date)."""

    day = models.DateField(unique=True)
    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.day)


class Watermark(models.Model):
    """The highest check-in id already folded into the snapshot (check-ins written in bulk
    send no signal; the statistics catch up from here on every read)."""

    name = models.CharField(max_length=30, unique=True)
    last_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} {self.last_id}"


class EnterpriseDay(models.Model):
    """One enterprise on one day: resumed?, staff on the roster, staff at post."""

    day = models.DateField()
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.CASCADE, related_name="+")
    township_id = models.BigIntegerField()
    district_id = models.BigIntegerField()
    section = models.CharField(max_length=1)
    scale = models.CharField(max_length=20)
    department_id = models.BigIntegerField()
    resumed = models.BooleanField(default=False)
    staff = models.PositiveIntegerField(default=0)
    staff_at_post = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "enterprise"], name="one_enterprise_day")
        ]
        indexes = [
            models.Index(
                fields=["day", "township_id", "section", "scale", "department_id"],
                name="enterprise_day_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.day}"


class DailyCell(models.Model):
    """Sums of EnterpriseDay per day × township × industry section × scale × department."""

    day = models.DateField()
    township_id = models.BigIntegerField()
    district_id = models.BigIntegerField()
    section = models.CharField(max_length=1)
    scale = models.CharField(max_length=20)
    department_id = models.BigIntegerField()
    enterprises = models.PositiveIntegerField(default=0)
    resumed = models.PositiveIntegerField(default=0)
    staff = models.PositiveIntegerField(default=0)
    staff_at_post = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "township_id", "section", "scale", "department_id"],
                name="one_daily_cell",
            )
        ]
        indexes = [models.Index(fields=["day", "district_id"], name="daily_cell_day_district")]

    def __str__(self) -> str:
        return f"{self.day} {self.township_id} {self.section} {self.scale}"
