from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class PolicyVersion(models.Model):
    """One saved version of a policy document (thresholds, durations, deadlines…).

    Versions are never edited: a change saves a new version; the newest one is in force. The
    defaults in code are version 0 and apply until the command centre saves a first version.
    """

    key = models.CharField(max_length=50)
    version = models.PositiveIntegerField()
    data = models.JSONField()
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Not stored: set by do_save_policy_version on the version it saves, the job of the task the
    # change started (the policy's on_change), if it started one.
    job: Any = None

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="policy_key_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"
