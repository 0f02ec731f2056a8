from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fugong.lib.languages import in_page_language


class WorkMode(models.TextChoices):
    ONSITE = "onsite", _("On site")
    REMOTE = "remote", _("Remote")
    LEAVE = "leave", _("On leave")


class HealthCode(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


SYMPTOMS = (
    ("fever", _("Fever")),
    ("cough", _("Cough")),
    ("sore_throat", _("Sore throat")),
    ("fatigue", _("Fatigue")),
    ("shortness_of_breath", _("Shortness of breath")),
    ("diarrhea", _("Diarrhoea")),
    ("loss_of_smell_taste", _("Loss of smell or taste")),
)
SYMPTOM_CODES = frozenset(code for code, _label in SYMPTOMS)


class WordedReasons:
    """For a record whose ``reasons`` are stored as data (reasons.py): them in words."""

    reasons: Any

    @property
    def reason_texts(self) -> list[str]:
        """``reasons`` in words, in the active language."""
        from .reasons import texts

        return texts(self.reasons)


class CheckIn(WordedReasons, models.Model):
    """One daily health check-in. Every submission is kept; a day's status uses all of them.

    The resumption statistics rely on: person, enterprise, date (Asia/Shanghai business date)
    and work_mode ("staff at post on D" = people with a check-in on D that is onsite or remote).
    The status computed when the check-in was stored (health_code, can_work, reasons) is kept on
    the row so that a repeated submission answers with exactly the same body (the reasons as
    data, worded in the reader's language: see reasons.py).
    """

    # Both foreign keys lead the composite indexes below, which serve their look-ups too.
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    date = models.DateField(_("date"))
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=1)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    location = models.CharField(_("location"), max_length=12)
    close_contact = models.BooleanField(_("contact with a case"), default=False)
    work_mode = models.CharField(_("work mode"), max_length=10, choices=WorkMode)
    client_id = models.UUIDField(unique=True, default=uuid.uuid4)
    # Not indexed: no query looks check-ins up by who submitted them, and an index would cost
    # every check-in a write (users are never deleted, the one use SET_NULL would have).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    health_code = models.CharField(
        _("health status"), max_length=6, choices=HealthCode, default=HealthCode.GREEN
    )
    can_work = models.BooleanField(_("may work on site"), default=True)
    reasons = models.JSONField(default=list, blank=True)
    via = models.CharField(max_length=10, default="api")  # api, web, link

    class Meta:
        indexes = [
            models.Index(fields=["enterprise", "date"], name="checkin_enterprise_date"),
            # What the status rules read of a person's recent days, in the index itself
            # (PostgreSQL answers from the index alone; other databases ignore ``include``).
            models.Index(
                fields=["person", "date"],
                include=["temperature", "close_contact", "symptoms"],
                name="checkin_person_date_facts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.date} {self.temperature}"


class CheckInLink(models.Model):
    """The enterprise's check-in link (shown as a QR code); rotating it voids the old one."""

    enterprise = models.OneToOneField(
        "orgs.Enterprise", on_delete=models.CASCADE, related_name="checkin_link"
    )
    token = models.CharField(max_length=43, unique=True)
    rotated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.token[:6]}…"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)


class RiskLevel(models.Model):
    """The epidemic risk level of a division from a date on (the newest in force wins)."""

    class Level(models.TextChoices):
        LOW = "low", _("Low risk")
        MEDIUM = "medium", _("Medium risk")
        HIGH = "high", _("High risk")

    code = models.CharField(_("division code"), max_length=12)
    level = models.CharField(_("risk level"), max_length=6, choices=Level)
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code", "-effective_from", "-pk"]
        indexes = [models.Index(fields=["code", "effective_from"], name="risk_code_from")]

    def __str__(self) -> str:
        return f"{self.code} {self.level} {self.effective_from}"


class TravelRecord(models.Model):
    class Means(models.TextChoices):
        TRAIN = "train", _("Train")
        PLANE = "plane", _("Plane")
        COACH = "coach", _("Coach")
        CAR = "car", _("Car")
        SHIP = "ship", _("Ship")
        OTHER = "other", _("Other")

    person = models.ForeignKey(  # indexed by travel_person_arrival_facts, which leads with it
        "people.Person", on_delete=models.CASCADE, related_name="travels", db_index=False
    )
    origin_code = models.CharField(_("coming from (division code)"), max_length=12)
    arrival_date = models.DateField(_("arrival date"))
    means = models.CharField(_("means of travel"), max_length=10, choices=Means)
    enterprise = models.ForeignKey(
        "orgs.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-arrival_date", "-pk"]
        indexes = [
            # What the status rules read of a person's arrivals, in the index itself (one probe
            # per person, whatever the table's size: see health/store.py)
            models.Index(
                fields=["person", "arrival_date"],
                include=["origin_code"],
                name="travel_person_arrival_facts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ← {self.origin_code} {self.arrival_date}"


class CaseRecord(models.Model):
    """A confirmed or suspected case, or a close contact, as the health department records it."""

    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed case")
        SUSPECTED = "suspected", _("Suspected case")
        CLOSE_CONTACT = "close_contact", _("Close contact")

    person = models.ForeignKey(  # indexed by case_person_since_facts, which leads with it
        "people.Person", on_delete=models.CASCADE, related_name="cases", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind)
    since = models.DateField(_("since (for a close contact: date of the last contact)"))
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-since", "-pk"]
        indexes = [
            models.Index(
                fields=["person", "since"],
                include=["kind", "cleared_on"],
                name="case_person_since_facts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.since}"


class StatusChange(WordedReasons, models.Model):
    """A person's status changed on ``date``; ``reasons`` and ``cause`` say why."""

    class Cause(models.TextChoices):
        CHECKIN = "checkin", _("Check-in")
        TRAVEL = "travel", _("Travel record")
        CASE = "case", _("Case record")
        RISK_LEVEL = "risk_level", _("Risk level")
        MISSED = "missed", _("Missed check-ins")
        POLICY = "policy", _("Health policy")

    person = models.ForeignKey(  # indexed by status_person_date, which leads with it
        "people.Person", on_delete=models.CASCADE, related_name="status_changes", db_index=False
    )
    date = models.DateField()
    code = models.CharField(max_length=6, choices=HealthCode)
    previous = models.CharField(max_length=6, choices=HealthCode, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    cause = models.CharField(max_length=30, choices=Cause)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["person", "date"], name="status_person_date")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.date} {self.previous}→{self.code}"


class QualityFlag(models.Model):
    """A check-in that looks automated, waiting for a person to review it."""

    class Kind(models.TextChoices):
        SAME_TEMPERATURE = "same_temperature", _("Same temperature many days in a row")
        SAME_SECOND = "same_second", _("Identical submissions in the same second")

    class Outcome(models.TextChoices):
        DISMISSED = "dismissed", _("Plausible: nothing to do")
        CONFIRMED = "confirmed", _("Looks automated: the enterprise must check in for real")

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="flags")
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind)
    reviewed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The review: what the reviewer (the enterprise admin or an officer of its area) decided.
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkin", "kind"], name="one_flag_per_kind")
        ]
        indexes = [models.Index(fields=["enterprise", "reviewed"], name="flag_ent_reviewed")]

    def __str__(self) -> str:
        return f"{self.checkin_id} {self.kind}"


class RosterImport(models.Model):
    """An uploaded roster file and, once checked, its per-row report."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being checked")
        REJECTED = "rejected", _("Not imported: errors found")
        DONE = "done", _("Imported")
        FAILED = "failed", _("The file could not be read")

    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=200)
    data = models.BinaryField()
    valid_rows_only = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    rows = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # [[row, column, reason], …] and why a whole file was refused, in the language of the admin
    # who ran the import (what a report written before ``texts`` holds).
    errors = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=300, blank=True)
    # language code → {"errors": [reason, …] aligned with ``errors``, "message": …} in every
    # language of the platform, so that the report is read in the language of its page.
    texts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    def _texts(self) -> dict[str, Any]:
        return in_page_language(self.texts, {})

    @property
    def shown_errors(self) -> list[list[Any]]:
        """``errors`` with each reason in the language of the page (as stored, in the language
        of whoever ran the import, when it was not kept in that language)."""
        reasons = self._texts().get("errors")
        if reasons is None or len(reasons) != len(self.errors):
            return self.errors
        return [
            [row, column, reason]
            for (row, column, _r), reason in zip(self.errors, reasons, strict=True)
        ]

    @property
    def shown_message(self) -> str:
        """``message`` in the language of the page (as stored when not kept in that language)."""
        return self._texts().get("message") or self.message


class CurrentStatus(WordedReasons, models.Model):
    """The latest known status of a person (the history is in StatusChange)."""

    person = models.OneToOneField(
        "people.Person", primary_key=True, on_delete=models.CASCADE, related_name="health_status"
    )
    code = models.CharField(max_length=6, choices=HealthCode)
    date = models.DateField()
    reasons = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.person_id} {self.code} {self.date}"


class CheckInReminder(models.Model):
    """A reminder sent to one enterprise's staff who had not checked in on ``date``.

    The automatic morning reminder is stored at most once per enterprise and day (the
    constraint), which keeps a repeated or concurrent run from reminding anyone twice.
    """

    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    automatic = models.BooleanField(default=False)
    missing = models.PositiveIntegerField(default=0)  # on the roster, no check-in on ``date``
    notified = models.PositiveIntegerField(default=0)  # of those, reminded (they have a login)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "date"],
                condition=models.Q(automatic=True),
                name="one_automatic_reminder_per_day",
            )
        ]
        indexes = [models.Index(fields=["enterprise", "date"], name="reminder_enterprise_date")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.date} {self.notified}/{self.missing}"


class ReminderDay(models.Model):
    """The automatic reminder run of one business day; ``finished_at`` set once it has gone
    through every enterprise (later runs that day then do nothing)."""

    date = models.DateField(unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    enterprises = models.PositiveIntegerField(default=0)  # enterprises whose staff were reminded
    reminded = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.date} {self.reminded}"
