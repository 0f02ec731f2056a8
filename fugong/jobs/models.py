from __future__ import annotations

import logging
import traceback
from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from fugong.accounts.models import language_of

logger = logging.getLogger(__name__)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(max_length=100)
    label = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    kwargs = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created")]

    def __str__(self) -> str:
        return f"{self.label} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def report(self, done: int, total: int | None = None, message: str = "") -> None:
        """Record progress; written straight away so another request can show it."""
        self.done = done
        if total is not None:
            self.total = total
        if message:
            self.message = message[:300]
        Job.objects.filter(pk=self.pk).update(
            done=self.done, total=self.total, message=self.message
        )

    def run(self, fn: Any) -> None:
        claimed = Job.objects.filter(pk=self.pk, status=self.Status.QUEUED).update(
            status=self.Status.RUNNING, started_at=timezone.now()
        )
        if not claimed:
            return  # another worker has it
        self.status = self.Status.RUNNING
        try:
            # What a job writes for its owner (an import's report, its progress) is in their
            # language, not the worker's.
            owners = (
                translation.override(language_of(self.owner)) if self.owner_id else nullcontext()
            )
            with owners:
                result = fn(self, **self.kwargs)
        except Exception:
            logger.exception("job %s (%s) failed", self.pk, self.name)
            self.status = self.Status.FAILED
            self.error = traceback.format_exc(limit=5)[-4000:]
        else:
            self.status = self.Status.DONE
            self.result = result
            if self.total and self.done < self.total:
                self.done = self.total
        self.finished_at = timezone.now()
        self.save(
            update_fields=["status", "error", "result", "done", "total", "message", "finished_at"]
        )


class ScheduleMark(models.Model):
    """When each periodic task last ran, so the db worker runs it on time across restarts."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M}"
