from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkMode(models.TextChoices):
    ONSITE = "onsite", _("On site")
    REMOTE = "remote", _("Remote")
    LEAVE = "leave", _("On leave")


class CheckIn(models.Model):
    """One daily health check-in. Every submission is kept; a day's status uses all of them.

    The resumption statistics rely on: person, enterprise, date (Asia/Shanghai business date)
    and work_mode ("staff at post on D" = people with a check-in on D that is onsite or remote).
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="checkins")
    enterprise = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.CASCADE, related_name="checkins"
    )
    date = models.DateField()
    temperature = models.DecimalField(max_digits=3, decimal_places=1)
    symptoms = models.JSONField(default=list, blank=True)
    location = models.CharField(max_length=12)
    close_contact = models.BooleanField(default=False)
    work_mode = models.CharField(max_length=10, choices=WorkMode)
    client_id = models.UUIDField(unique=True, default=uuid.uuid4)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["enterprise", "date"], name="checkin_enterprise_date"),
            models.Index(fields=["person", "date"], name="checkin_person_date"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.date} {self.temperature}"
