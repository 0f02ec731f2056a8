from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from fugong.notifications.actions import do_notify
from fugong.notifications.channels import check_channels, configured_channels
from fugong.notifications.models import Notification

SENT: list[tuple[str, str]] = []


class RecordingChannel:
    """What an SMS or WeCom channel would be: here it records what it was given."""

    name = "recording"

    def send(self, notification: Notification) -> None:
        SENT.append((notification.user.username, notification.title))


class BrokenChannel:
    name = "broken"

    def send(self, notification: Notification) -> None:
        raise ConnectionError("the SMS gateway is down")


@pytest.fixture(autouse=True)
def _clear_sent():
    SENT.clear()


def test_a_configured_channel_gets_each_notification_once_the_transaction_commits(
    enterprise_admin, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_CHANNELS = [f"{__name__}.RecordingChannel"]
    with django_capture_on_commit_callbacks(execute=True):
        do_notify([enterprise_admin], kind="fever", message=lambda: ("张三 38.2 °C", ""))
        assert SENT == []  # nothing leaves before the data is committed
    assert SENT == [("ent_admin", "张三 38.2 °C")]
    assert Notification.objects.get().title == "张三 38.2 °C"


def test_a_channel_that_fails_is_logged_and_the_in_app_notification_stays(
    enterprise_admin, settings, django_capture_on_commit_callbacks, caplog
):
    settings.NOTIFY_CHANNELS = [f"{__name__}.BrokenChannel", f"{__name__}.RecordingChannel"]
    with django_capture_on_commit_callbacks(execute=True):
        do_notify([enterprise_admin], kind="fever", message=lambda: ("李四 38.5 °C", ""))
    assert Notification.objects.filter(title="李四 38.5 °C").exists()
    assert SENT == [("ent_admin", "李四 38.5 °C")]  # the next channel still delivers
    assert "channel broken failed" in caplog.text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("fugong.notifications.nowhere.SmsChannel", "cannot import"),
        ("fugong.notifications.channels.check_channels", "not a channel class"),
    ],
)
def test_a_channel_path_that_is_wrong_stops_the_start_naming_the_variable(path, message):
    with pytest.raises(ImproperlyConfigured, match=f"FUGONG_NOTIFY_CHANNELS.*{message}"):
        check_channels([path])


def test_a_channel_class_passes_the_start_up_check_and_follows_the_in_app_channel(settings):
    path = f"{__name__}.RecordingChannel"
    check_channels([path])  # raises ImproperlyConfigured otherwise
    settings.NOTIFY_CHANNELS = [path]
    assert [channel.name for channel in configured_channels()] == ["in_app", "recording"]
