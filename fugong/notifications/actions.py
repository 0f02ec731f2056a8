from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from fugong.accounts.models import language_of
from fugong.lib.languages import in_every_language

from .channels import configured_channels
from .models import Notification

logger = logging.getLogger(__name__)


def do_notify(
    users: Iterable[Any],
    *,
    kind: str,
    message: Callable[[], tuple[str, str]],
    link: str = "",
) -> list[Notification]:
    """Notify users in-app now and through the extra channels once the transaction commits.

    ``message()`` gives (title, body); it is called once per language of the platform, with
    that language active, so each reads the notification in their own (``language_of``), not
    in the language of the request or worker that raised it, and in the other one once they
    switch (``Notification.texts``)."""
    by_language: dict[str, list[Any]] = defaultdict(list)
    for user in {u.pk: u for u in users}.values():
        by_language[language_of(user)].append(user)
    if not by_language:
        return []

    def worded() -> list[str]:
        title, body = (str(text) for text in message())
        return [title[:200], body]

    texts = in_every_language(worded)
    new = []
    for language, group in by_language.items():
        title, body = texts[language]
        new += [
            Notification(user=u, kind=kind, title=title, body=body, link=link, texts=texts)
            for u in group
        ]
    rows = Notification.objects.bulk_create(new)

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
