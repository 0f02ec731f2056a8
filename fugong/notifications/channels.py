"""Delivery channels. In-app is always on; SMS / WeCom / DingTalk webhooks plug in here.

A channel is a class with ``name`` and ``send(notification)``; list the dotted paths of extra
channels in the ``FUGONG_NOTIFY_CHANNELS`` environment variable (comma-separated), which
``settings.NOTIFY_CHANNELS`` reads. They are checked when the app starts (:func:`check_channels`):
a path that does not import stops the process naming the variable, instead of failing later
inside the request that raised an alert.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .models import Notification

logger = logging.getLogger(__name__)


class Channel(Protocol):
    name: str

    def send(self, notification: Notification) -> None: ...


class InAppChannel:
    """Stored rows are the in-app channel; nothing more to deliver."""

    name = "in_app"

    def send(self, notification: Notification) -> None:
        return None


def configured_channels() -> list[Channel]:
    return [InAppChannel(), *(import_string(path)() for path in settings.NOTIFY_CHANNELS)]


def check_channels(paths: Sequence[str]) -> None:
    """Every path names a class with ``name`` and ``send``; otherwise ImproperlyConfigured."""
    for path in paths:
        try:
            cls = import_string(path)
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"FUGONG_NOTIFY_CHANNELS: cannot import {path!r} ({exc})."
            ) from None
        if not (
            isinstance(cls, type) and hasattr(cls, "name") and callable(getattr(cls, "send", None))
        ):
            raise ImproperlyConfigured(
                f"FUGONG_NOTIFY_CHANNELS: {path!r} is not a channel class (name and send())."
            )
