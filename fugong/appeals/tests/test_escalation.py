from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fugong.accounts.models import Role
from fugong.appeals.actions import do_act
from fugong.appeals.models import Appeal, AppealEvent, ResponsibleLeader
from fugong.jobs.worker import run_due_periodic
from fugong.lib.dates import SHANGHAI
from fugong.lib.tasks import enqueue
from fugong.lib.testing import make_user
from fugong.notifications.models import Notification

FILED = dt.datetime(2020, 2, 14, 9, 0, tzinfo=SHANGHAI)  # Friday


def _at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_scheduled_run_escalates_an_unaccepted_appeal_to_the_leader_and_command_centre(
    monkeypatch, file_appeal, rsj_officer, command_centre, world
):
    from fugong.orgs.models import Department

    leader = make_user("rsj_leader", Role.DEPARTMENT_OFFICER,
                       department=Department.objects.get(code="rsj"))  # fmt: skip
    ResponsibleLeader.objects.create(department=leader.memberships.get().department, user=leader)
    _at(monkeypatch, FILED)
    appeal = file_appeal()
    assert appeal.accept_due == dt.date(2020, 2, 17)  # Monday
    # Monday evening: not overdue yet.
    _at(monkeypatch, dt.datetime(2020, 2, 17, 20, 0, tzinfo=SHANGHAI))
    assert "appeals.escalate_overdue" in run_due_periodic()
    assert not Notification.objects.filter(kind="appeal.overdue").exists()
    # Tuesday morning, 15 minutes later than the last run: overdue.
    _at(monkeypatch, dt.datetime(2020, 2, 18, 8, 0, tzinfo=SHANGHAI))
    assert "appeals.escalate_overdue" in run_due_periodic()
    told = set(
        Notification.objects.filter(kind="appeal.overdue").values_list("user__username", flat=True)
    )
    assert told == {"rsj_leader", "command"}
    appeal.refresh_from_db()
    assert appeal.escalated_accept_at is not None
    assert appeal.overdue_stage(dt.date(2020, 2, 18)) == "accept"
    assert AppealEvent.objects.filter(appeal=appeal, action="escalated").count() == 1
    # A later run does not escalate the same stage twice, and it stays overdue.
    _at(monkeypatch, dt.datetime(2020, 2, 18, 12, 0, tzinfo=SHANGHAI))
    run_due_periodic()
    assert Notification.objects.filter(kind="appeal.overdue").count() == 2
    assert Appeal.objects.get().overdue_stage(dt.date(2020, 2, 18)) == "accept"


def test_without_a_responsible_leader_the_department_officers_are_told(
    monkeypatch, file_appeal, rsj_officer, command_centre, django_capture_on_commit_callbacks
):
    _at(monkeypatch, FILED)
    appeal = file_appeal()
    do_act(appeal, "accept", actor=rsj_officer)  # accepted in time, but never answered
    assert appeal.answer_due == dt.date(2020, 2, 19)

    def run(now: str):
        with django_capture_on_commit_callbacks(execute=True):
            job = enqueue("appeals.escalate_overdue", now=now)
        job.refresh_from_db()
        return job.result

    assert run("2020-02-19T23:00:00+08:00") == {"accept": 0, "answer": 0}
    assert run("2020-02-20T10:00:00+08:00") == {"accept": 0, "answer": 1}
    told = set(
        Notification.objects.filter(kind="appeal.overdue").values_list("user__username", flat=True)
    )
    assert told == {"dept_rsj", "command"}
    appeal.refresh_from_db()
    assert appeal.escalated_answer_at is not None and appeal.escalated_accept_at is None


def test_an_answered_appeal_is_never_escalated(monkeypatch, file_appeal, rsj_officer):
    _at(monkeypatch, FILED)
    appeal = file_appeal()
    do_act(appeal, "accept", actor=rsj_officer)
    do_act(appeal, "answer", actor=rsj_officer, comment="done")
    _at(monkeypatch, dt.datetime(2020, 3, 2, 10, 0, tzinfo=SHANGHAI))
    run_due_periodic()
    assert not Notification.objects.filter(kind="appeal.overdue").exists()
