"""Enterprise appeals (诉求), their routing rules and history, and liaison officers' visits."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fugong.lib.dates import business_date


class Category(models.TextChoices):
    LABOUR = "labour", _("Labour")
    LOGISTICS = "logistics", _("Logistics")
    SUPPLY_CHAIN = "supply_chain", _("Supply chain")
    PROTECTIVE_SUPPLIES = "protective_supplies", _("Protective supplies")
    FUNDING = "funding", _("Funding")
    APPROVAL = "approval", _("Approval")
    POLICY = "policy", pgettext_lazy("appeal category", "Policy")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    TRANSFERRED = "transferred", _("Transferred")
    ANSWERED = "answered", _("Answered")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


# Waiting for a department to accept it.
AWAITING_ACCEPTANCE = (Status.SUBMITTED, Status.TRANSFERRED)
# Waiting for an answer (accepted or not yet).
AWAITING_ANSWER = (Status.SUBMITTED, Status.TRANSFERRED, Status.ACCEPTED, Status.REOPENED)
OPEN_STATUSES = (*AWAITING_ANSWER, Status.ANSWERED)


class RoutingRule(models.Model):
    """category × industry (section or division) × district → department.

    Blank fields match anything; the most specific matching rule wins. Codes rather than foreign
    keys, so the defaults can be installed before any department or district exists. An appeal no
    rule matches goes to the command centre's desk.
    """

    category = models.CharField(_("category"), max_length=30, choices=Category, blank=True)
    section = models.CharField(_("industry section"), max_length=1, blank=True)
    industry = models.CharField(_("industry division"), max_length=2, blank=True)
    district = models.CharField(_("district code"), max_length=12, blank=True)
    department = models.CharField(_("department code"), max_length=30)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category", "section", "industry", "district", "pk"]

    def __str__(self) -> str:
        parts = [self.category or "*", self.industry or self.section or "*", self.district or "*"]
        return " × ".join(parts) + f" → {self.department}"

    @property
    def specificity(self) -> int:
        industry = 2 if self.industry else 1 if self.section else 0
        return 4 * bool(self.category) + industry + bool(self.district)


class ResponsibleLeader(models.Model):
    """The leader of a department who is told when its appeals are overdue."""

    department = models.OneToOneField(
        "orgs.Department", on_delete=models.CASCADE, related_name="appeal_leader"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.department} · {self.user}"


class Appeal(models.Model):
    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.PROTECT, related_name="appeals"
    )
    category = models.CharField(_("category"), max_length=30, choices=Category)
    title = models.CharField(_("title"), max_length=120)
    detail = models.TextField(_("detail"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency, default=Urgency.NORMAL)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    counterpart = models.CharField(
        _("counterpart"),
        max_length=100,
        blank=True,
        help_text=_("A supplier's credit code, a route, a bank…"),
    )
    # None: nobody's rule matched, the command centre's desk handles it.
    department = models.ForeignKey(
        "orgs.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("department"),
    )
    cohandlers = models.ManyToManyField(
        "orgs.Department", blank=True, related_name="cohandled_appeals"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)
    accept_due = models.DateField(_("accept by"))
    answer_due = models.DateField(_("answer by"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    flagged = models.BooleanField(_("flagged for the command centre"), default=False)
    escalated_accept_at = models.DateTimeField(null=True, blank=True)
    escalated_answer_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "answer_due"], name="appeal_status_due"),
            models.Index(fields=["department", "status"], name="appeal_department_status"),
            models.Index(fields=["enterprise", "status"], name="appeal_enterprise_status"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_stage(self, today: dt.date) -> str:
        """ "accept", "answer" or "" — which deadline has passed without the step being done."""
        if self.status in AWAITING_ACCEPTANCE and today > self.accept_due:
            return "accept"
        if self.status in AWAITING_ANSWER and today > self.answer_due:
            return "answer"
        return ""

    @property
    def overdue(self) -> str:
        from fugong.lib.dates import business_today

        return self.overdue_stage(business_today())

    @property
    def filed_on(self) -> dt.date:
        return business_date(self.filed_at)

    @property
    def department_label(self) -> str:
        return self.department.name if self.department_id else str(_("Command centre desk"))


class AppealEvent(models.Model):
    """One step of an appeal's history, shown to everyone who may see the appeal."""

    class Action(models.TextChoices):
        FILED = "filed", _("Filed")
        ACCEPTED = "accepted", _("Accepted")
        TRANSFERRED = "transferred", _("Transferred")
        COHANDLE = "cohandle", _("Co-handling requested")
        NOTE = "note", _("Note")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        ESCALATED = "escalated", _("Escalated")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action)
    comment = models.TextField(blank=True)
    from_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.CharField(max_length=20, choices=Rating, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.action}"


class Offer(models.Model):
    """Supplies or labour a department has found, to be matched against appeals' needs."""

    department = models.ForeignKey(
        "orgs.Department", on_delete=models.CASCADE, related_name="appeal_offers"
    )
    category = models.CharField(_("category"), max_length=30, choices=Category)
    item = models.CharField(_("what is offered"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=200)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item} · {self.provider}"


class VisitLog(models.Model):
    """A liaison officer's visit to (or call with) one of their enterprises."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="liaison_visits"
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.CASCADE, related_name="liaison_visits"
    )
    date = models.DateField(_("date"))
    met = models.CharField(_("who was met"), max_length=100)
    findings = models.TextField(_("findings"))
    appeals = models.ManyToManyField(Appeal, blank=True, related_name="visits")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["officer", "date"], name="visit_officer_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.enterprise}"
