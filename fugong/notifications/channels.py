"""Delivery channels. In-app is always on; SMS / WeCom / DingTalk webhooks plug in here.

A channel is a class with ``name`` and ``send(notification)``; list the dotted paths of extra
channels in the ``FUGONG_NOTIFY_CHANNELS`` environment variable (comma-separated).
"""

from __future__ import annotations

import logging
import os
from typing import Protocol

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
    channels: list[Channel] = [InAppChannel()]
    raw = os.environ.get("FUGONG_NOTIFY_CHANNELS", "")
    for path in filter(None, (p.strip() for p in raw.split(","))):
        channels.append(import_string(path)())
    return channels
