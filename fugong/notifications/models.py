from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from fugong.lib.languages import in_page_language


class Notification(models.Model):
    """An in-app message to one user (fever alert, overdue escalation, …)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    # language code → [title, body] in every language of the platform, so that a reader who
    # switches language reads the notification in the one they use now. ``title`` and ``body``
    # are in the reader's chosen language when it was raised: what the channels deliver.
    texts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.title

    def _shown(self) -> tuple[str, str]:
        title, body = in_page_language(self.texts, (self.title, self.body))
        return title, body

    @property
    def shown_title(self) -> str:
        """The title in the language of the page it is shown on."""
        return self._shown()[0]

    @property
    def shown_body(self) -> str:
        return self._shown()[1]
