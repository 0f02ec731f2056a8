"""The check-in reminder: the scheduled morning run (policy time, once a day) and the board's
button, which share one action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from fugong.accounts.models import Role
from fugong.audit.models import AuditEvent
from fugong.health.actions import do_send_checkin_reminders
from fugong.health.models import CheckInReminder, ReminderDay
from fugong.health.policies import HEALTH
from fugong.health.tasks import checkin_reminders
from fugong.jobs.worker import run_due_periodic
from fugong.lib.dates import SHANGHAI
from fugong.lib.testing import hire, make_user, valid_id_number
from fugong.notifications.models import Notification
from fugong.policy.models import PolicyVersion

from .conftest import payload

MONDAY = dt.date(2020, 2, 10)


def at(monkeypatch, hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def employee_with_login(enterprise, username: str):
    user = make_user(username, Role.EMPLOYEE, enterprise=enterprise)
    person = hire(enterprise, name=username, id_number=valid_id_number())
    person.user = user
    person.save(update_fields=["user"])
    return user, person


def reminders(kind: str = "health.reminder") -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in Notification.objects.filter(kind=kind).values_list("user__username", flat=True):
        counts[name] = counts.get(name, 0) + 1
    return counts


def set_policy(**values) -> None:
    last = PolicyVersion.objects.filter(key="health").order_by("-version").first()
    PolicyVersion.objects.create(
        key="health", version=(last.version if last else 0) + 1, data=values
    )
    HEALTH.forget()


@pytest.fixture
def morning(world, employee, enterprise_admin, other_enterprise_admin, staff, api):
    """Enterprise A: ``employee`` (login, no check-in), ``early`` (login, checked in),
    ``staff`` (no login, no check-in). Enterprise B: ``far`` (login, no check-in)."""
    from fugong.people.models import Employment

    early, early_person = employee_with_login(world.enterprise, "early")
    far, _far_person = employee_with_login(world.other_enterprise, "far")
    # Everyone was on the platform before the morning these tests play (2020, while the rows
    # were written today): who was recorded later is not expected to have checked in then.
    Employment.objects.update(created_at=dt.datetime(2020, 2, 1, 8, tzinfo=SHANGHAI))
    return {"early": early, "early_person": early_person, "far": far}


def check_in(api, enterprise_admin, person) -> None:
    response = api(enterprise_admin).post(
        "/api/v1/checkins", payload(person.id_number, date=MONDAY.isoformat())
    )
    assert response.status_code == 201, response.content


def test_the_morning_reminder_waits_for_the_policy_time_then_reminds_each_missing_person_once(
    monkeypatch, world, morning, enterprise_admin, other_enterprise_admin, api
):
    at(monkeypatch, 8, 0)
    check_in(api, enterprise_admin, morning["early_person"])
    # Before 09:30 (the default time) nothing is sent.
    at(monkeypatch, 9, 0)
    assert "health.checkin_reminders" in run_due_periodic()
    assert reminders() == {} and reminders("health.reminder_summary") == {}
    assert not ReminderDay.objects.exists()
    # After it: the people with a login and no check-in get exactly one reminder; the one who
    # checked in and the one without a login get none.
    at(monkeypatch, 9, 31)
    assert "health.checkin_reminders" in run_due_periodic()
    assert reminders() == {"employee": 1, "far": 1}
    reminder = Notification.objects.get(user__username="employee", kind="health.reminder")
    assert reminder.link == "/checkin/"
    assert "2020-02-10" in reminder.body
    # Each admin learns how many of their people were reminded (A: 1 of 2 missing).
    summary = Notification.objects.get(user=enterprise_admin, kind="health.reminder_summary")
    with translation.override(settings.LANGUAGE_CODE):
        assert summary.title == ngettext(
            "%(n)d of your people was reminded to check in",
            "%(n)d of your people were reminded to check in",
            1,
        ) % {"n": 1}
        assert summary.body == gettext(
            "At %(time)s on %(date)s, %(missing)d people on your roster had not checked in. "
            "Those with a login (%(n)d) were reminded once; please contact the others "
            "another way."
        ) % {"time": "09:30", "date": "2020-02-10", "missing": 2, "n": 1}
    assert Notification.objects.filter(
        user=other_enterprise_admin, kind="health.reminder_summary"
    ).exists()
    stored = {
        (r.enterprise.name, r.missing, r.notified)
        for r in CheckInReminder.objects.select_related("enterprise")
    }
    assert stored == {(world.enterprise.name, 2, 1), (world.other_enterprise.name, 1, 1)}
    assert ReminderDay.objects.get(date=MONDAY).finished_at is not None
    assert AuditEvent.objects.filter(action="checkin.reminded_automatically").count() == 1
    # A second run the same day sends nothing new.
    at(monkeypatch, 10, 0)
    assert "health.checkin_reminders" in run_due_periodic()
    assert checkin_reminders(now="2020-02-10T11:00:00+08:00")["skipped"] == "done"
    assert reminders() == {"employee": 1, "far": 1}
    assert Notification.objects.filter(kind="health.reminder_summary").count() == 2
    # The next day is a new day.
    assert checkin_reminders(now="2020-02-11T09:45:00+08:00")["reminded"] == 3


def test_the_reminder_time_is_policy_data(monkeypatch, morning):
    set_policy(reminder_time="07:15")
    assert checkin_reminders(now="2020-02-10T07:10:00+08:00") == {
        "date": "2020-02-10",
        "skipped": "not yet",
    }
    assert reminders() == {}
    assert checkin_reminders(now="2020-02-10T07:16:00+08:00")["reminded"] == 3
    assert reminders() == {"employee": 1, "early": 1, "far": 1}


def test_with_automatic_reminders_switched_off_nothing_is_sent(monkeypatch, morning):
    set_policy(reminder_enabled=False)
    at(monkeypatch, 9, 40)
    assert "health.checkin_reminders" in run_due_periodic()
    assert checkin_reminders(now="2020-02-10T18:00:00+08:00")["skipped"] == "off"
    assert Notification.objects.filter(kind__startswith="health.reminder").count() == 0
    assert not CheckInReminder.objects.exists() and not ReminderDay.objects.exists()


def test_a_run_resumed_after_an_interruption_reminds_nobody_twice(morning):
    assert checkin_reminders(now="2020-02-10T09:30:00+08:00")["reminded"] == 3
    ReminderDay.objects.update(finished_at=None)  # as if the run had stopped before its end
    assert checkin_reminders(now="2020-02-10T09:35:00+08:00")["reminded"] == 0
    assert reminders() == {"employee": 1, "early": 1, "far": 1}
    assert ReminderDay.objects.get().finished_at is not None


def test_an_enterprise_already_reminded_automatically_is_skipped_by_the_action(world, morning):
    first = do_send_checkin_reminders(
        [world.enterprise.pk], MONDAY, actor=None, automatic=True, at="09:30"
    )
    assert first[world.enterprise.pk].notified == 2
    again = do_send_checkin_reminders(
        [world.enterprise.pk], MONDAY, actor=None, automatic=True, at="09:30"
    )
    assert again == {}
    assert reminders() == {"employee": 1, "early": 1}


def test_someone_on_two_rosters_gets_one_reminder(world, morning):
    from fugong.people.models import Employment

    person = morning["early_person"]
    Employment.objects.create(person=person, enterprise=world.other_enterprise)
    checkin_reminders(now="2020-02-10T09:30:00+08:00")
    assert reminders()["early"] == 1


def test_the_run_uses_the_same_number_of_queries_for_one_enterprise_or_many(world):
    from fugong.people.models import Employment

    def build(enterprise, n: int) -> None:
        for k in range(n):
            employee_with_login(enterprise, f"{enterprise.pk}-{k}")
        make_user(f"admin-{enterprise.pk}", Role.ENTERPRISE_ADMIN, enterprise=enterprise)
        Employment.objects.update(created_at=dt.datetime(2020, 2, 1, 8, tzinfo=SHANGHAI))

    build(world.enterprise, 3)

    def queries(ids: list[int], day: dt.date) -> int:
        with CaptureQueriesContext(connection) as ctx:
            do_send_checkin_reminders(ids, day, actor=None, automatic=True, at="09:30")
        return len(ctx.captured_queries)

    one = queries([world.enterprise.pk], MONDAY)
    build(world.sibling_enterprise, 4)
    build(world.other_enterprise, 2)
    many = queries(
        [world.enterprise.pk, world.sibling_enterprise.pk, world.other_enterprise.pk],
        MONDAY + dt.timedelta(days=1),
    )
    assert reminders("health.reminder_summary") == {
        f"admin-{world.enterprise.pk}": 2,
        f"admin-{world.sibling_enterprise.pk}": 1,
        f"admin-{world.other_enterprise.pk}": 1,
    }
    # Three enterprises with different counts: one more insert per distinct admin message.
    assert many <= one + 2


def test_the_board_button_uses_the_same_action_and_shows_what_was_sent(
    monkeypatch, morning, enterprise_admin, login, api
):
    at(monkeypatch, 8, 0)
    check_in(api, enterprise_admin, morning["early_person"])
    client = login(enterprise_admin)
    response = client.post("/health/board/remind/", follow=True)
    assert response.status_code == 200
    with translation.override(settings.LANGUAGE_CODE):
        told = gettext("Not checked in yet: %(missing)d; reminded (those with a login): %(n)d.") % {
            "missing": 2,
            "n": 1,
        }
    assert told in response.content.decode()
    assert reminders() == {"employee": 1}  # not the other enterprise's "far", not "early"
    row = CheckInReminder.objects.get()
    assert (row.automatic, row.missing, row.notified, row.sent_by) == (
        False,
        2,
        1,
        enterprise_admin,
    )
    assert AuditEvent.objects.filter(action="checkin.reminded", actor=enterprise_admin).exists()
    assert 'data-testid="reminders"' in client.get("/health/board/").content.decode()
    # The manual reminder does not stop the automatic one (nor the other way round).
    assert checkin_reminders(now="2020-02-10T09:30:00+08:00")["reminded"] == 2
    at(monkeypatch, 10, 1)  # half an hour after the last reminder
    client.post("/health/board/remind/")
    assert reminders()["employee"] == 3


def test_an_employee_cannot_send_reminders(employee, login):
    assert login(employee).post("/health/board/remind/").status_code == 404
    assert not Notification.objects.exists()


def test_the_command_centre_sets_the_reminder_time_on_the_policy_page(command_centre, login):
    client = login(command_centre)
    page = client.get("/policy/health/").content.decode()
    assert "09:30" in page and 'name="reminder_time"' in page
    post = {k: v for k, v in HEALTH.current().items() if not isinstance(v, bool) or v}
    post |= {"reminder_time": "10:15", "note": "later reminder"}
    post.pop("reminder_enabled")  # unticked: automatic reminders off
    assert client.post("/policy/health/", post).status_code == 302
    assert HEALTH.current()["reminder_time"] == "10:15"
    assert HEALTH.current()["reminder_enabled"] is False
    post |= {"reminder_time": "9h30"}
    assert client.post("/policy/health/", post).status_code == 400  # refused, field error
    assert HEALTH.current()["reminder_time"] == "10:15"
