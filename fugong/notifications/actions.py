from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from .channels import configured_channels
from .models import Notification

logger = logging.getLogger(__name__)


def do_notify(
    users: Iterable[Any], *, kind: str, title: str, body: str = "", link: str = ""
) -> list[Notification]:
    """Notify users in-app now and through the extra channels once the transaction commits."""
    rows = Notification.objects.bulk_create(
        [
            Notification(user=u, kind=kind, title=title[:200], body=body, link=link)
            for u in {u.pk: u for u in users}.values()
        ]
    )

    def deliver() -> None:
        for channel in configured_channels()[1:]:
            for row in rows:
                try:
                    channel.send(row)
                except Exception:
                    logger.exception("channel %s failed for notification %s", channel.name, row.pk)

    # robust: a channel that cannot deliver is logged; it never turns the request that raised
    # the alert (already committed) into an error page.
    transaction.on_commit(deliver, robust=True)
    return rows


def do_mark_read(notification: Notification, *, actor: Any) -> None:
    if notification.user_id == actor.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
