"""Each reader gets a notification in the language they chose, not in the language of the
request or worker that raised it."""

from __future__ import annotations

import pytest
from django.utils import translation

from fugong.audit.models import AuditEvent
from fugong.health.tests.conftest import (  # noqa: F401 (fixtures)
    every_enterprise_resumed,
    payload,
    staff,
)
from fugong.notifications.models import Notification


def _choose(user, language: str) -> None:
    from fugong.accounts.actions import do_set_user_language

    do_set_user_language(user, language, actor=user)


def test_a_fever_alert_reaches_each_reader_in_the_language_they_chose(
    world,
    enterprise_admin,
    township_officer,
    api,
    staff,  # noqa: F811
):
    _choose(township_officer, "en")
    _, number = staff
    response = api(enterprise_admin).post("/api/v1/checkins", payload(number, temperature=38.2))
    assert response.status_code == 201
    assert any("发热" in reason for reason in response.json()["reasons"])  # the request's own
    officers = Notification.objects.get(user=township_officer, kind="health.alert")
    admins = Notification.objects.get(user=enterprise_admin, kind="health.alert")
    assert officers.title.startswith("Fever 38.2 °C:") and world.enterprise.name in officers.title
    assert "Fever today: 38.2 °C." in officers.body and "发热" not in officers.body
    assert admins.title.startswith("发热 38.2 °C:") and "Fever" not in admins.body
    assert " 的 " not in admins.title and "员工 4406" in admins.title


def test_an_alert_raised_by_an_english_request_reaches_a_reader_who_chose_nothing_in_chinese(
    world,
    enterprise_admin,
    township_officer,
    api,
    staff,  # noqa: F811
):
    _, number = staff
    client = api(enterprise_admin)
    client.client.cookies["django_language"] = "en"
    response = client.post("/api/v1/checkins", payload(number, temperature=38.6))
    assert response.status_code == 201
    assert any("Fever" in reason for reason in response.json()["reasons"])  # the request's own
    officers = Notification.objects.get(user=township_officer, kind="health.alert")
    assert officers.title.startswith("发热 38.6 °C:") and "Fever" not in officers.body


def test_the_morning_reminder_from_the_worker_reaches_an_employee_in_their_language(
    world, employee, enterprise_admin
):
    from fugong.health.actions import do_send_checkin_reminders
    from fugong.lib.dates import business_today

    _choose(employee, "en")
    with translation.override("zh-hans"):  # the worker's language
        do_send_checkin_reminders(
            [world.enterprise.pk], business_today(), actor=None, automatic=True, at="08:30"
        )
    reminder = Notification.objects.get(user=employee, kind="health.reminder")
    assert reminder.title == "Please check in today"
    summary = Notification.objects.get(user=enterprise_admin, kind="health.reminder_summary")
    assert "提醒" in summary.title


def test_the_language_switch_is_remembered_for_a_logged_in_user(township_officer, login):
    client = login(township_officer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    township_officer.refresh_from_db()
    assert township_officer.language == "en"
    event = AuditEvent.objects.get(action="user.language_set")
    assert event.details == {"language": "en"} and event.actor_id == township_officer.pk
    client.post("/i18n/setlang/", {"language": "klingon", "next": "/"})
    township_officer.refresh_from_db()
    assert township_officer.language == "en"


@pytest.mark.parametrize("chosen_before", ["", "en"])
def test_logging_in_brings_back_the_language_the_user_chose_on_another_device(
    client, township_officer, chosen_before
):
    _choose(township_officer, "en")
    if chosen_before:
        client.cookies["django_language"] = "zh-hans"
    response = client.post(
        "/login/",
        {"username": township_officer.username, "password": "pw-" + township_officer.username},
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    home = client.get("/")
    assert home.status_code == 200 and 'lang="en"' in home.content.decode()


def test_a_language_chosen_before_logging_in_becomes_the_users(client, township_officer):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.post(
        "/login/",
        {"username": township_officer.username, "password": "pw-" + township_officer.username},
    )
    assert response.status_code == 302
    township_officer.refresh_from_db()
    assert township_officer.language == "en"


def test_the_language_switch_still_works_without_logging_in(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert 'lang="en"' in client.get("/login/").content.decode()
    assert not AuditEvent.objects.filter(action="user.language_set").exists()


def test_a_reader_who_switches_language_reads_earlier_notifications_in_the_new_one(
    world, enterprise_admin, login
):
    # Those raised before the switch stayed in Chinese, so the list mixed both languages.
    from django.utils.translation import gettext as _

    from fugong.notifications.actions import do_notify

    do_notify([enterprise_admin], kind="test", message=lambda: (_("Please check in today"), ""))
    client = login(enterprise_admin)
    assert "请完成今日健康打卡" in client.get("/notifications/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in ("/notifications/", "/"):
        page = client.get(url).content.decode()
        assert "Please check in today" in page and "请完成今日健康打卡" not in page, url
    # What the channels delivered stays in the language the reader had chosen then.
    assert Notification.objects.get(kind="test").title == "请完成今日健康打卡"
