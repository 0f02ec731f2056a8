from __future__ import annotations

import pytest

from fugong.appeals.actions import allowed_actions, do_act
from fugong.appeals.models import Appeal, AppealEvent, Status
from fugong.audit.models import AuditEvent
from fugong.lib.errors import Conflict, FieldError
from fugong.notifications.models import Notification


def _state(appeal):
    appeal.refresh_from_db()
    return appeal.status, appeal.events.count(), appeal.department_id


def test_the_whole_lifecycle_with_a_transfer_is_audited_step_by_step(
    file_appeal, rsj_officer, jtj_officer, enterprise_admin, command_centre
):
    appeal = file_appeal("labour", "包车接返员工")
    do_act(appeal, "accept", actor=rsj_officer)
    do_act(appeal, "transfer", actor=rsj_officer, to_department="jtj", comment="属包车运输")
    appeal.refresh_from_db()
    assert appeal.status == Status.TRANSFERRED and appeal.department.code == "jtj"
    assert Notification.objects.filter(user=jtj_officer, kind="appeal.transferred").exists()
    do_act(appeal, "accept", actor=jtj_officer)
    do_act(appeal, "answer", actor=jtj_officer, comment="已安排包车")
    assert Notification.objects.filter(user=enterprise_admin, kind="appeal.answered").exists()
    do_act(appeal, "close", actor=enterprise_admin, rating="basically_satisfied")
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.rating == "basically_satisfied"
    assert list(appeal.events.values_list("action", flat=True)) == [
        "filed", "accepted", "transferred", "accepted", "answered", "closed",
    ]  # fmt: skip
    audited = set(
        AuditEvent.objects.filter(
            object_id=str(appeal.pk), object_type="appeals.appeal"
        ).values_list("action", flat=True)
    )
    assert audited == {
        "appeal.filed", "appeal.accepted", "appeal.transferred", "appeal.answered",
        "appeal.closed",
    }  # fmt: skip


def test_not_satisfied_reopens_once_and_flags_it_for_the_command_centre(
    file_appeal, rsj_officer, enterprise_admin, command_centre
):
    appeal = file_appeal()
    do_act(appeal, "accept", actor=rsj_officer)
    do_act(appeal, "answer", actor=rsj_officer, comment="请自行招聘")
    do_act(appeal, "close", actor=enterprise_admin, rating="not_satisfied", comment="未解决")
    appeal.refresh_from_db()
    assert appeal.status == Status.REOPENED
    assert appeal.reopen_count == 1 and appeal.flagged
    assert Notification.objects.filter(user=command_centre, kind="appeal.flagged").exists()
    assert Notification.objects.filter(user=rsj_officer, kind="appeal.reopened").exists()
    # second round: not satisfied again closes it for good, still flagged
    do_act(appeal, "answer", actor=rsj_officer, comment="已推荐30人")
    do_act(appeal, "close", actor=enterprise_admin, rating="not_satisfied")
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.flagged and appeal.reopen_count == 1
    assert "reopen" not in allowed_actions(enterprise_admin, appeal)
    with pytest.raises(Conflict):
        do_act(appeal, "reopen", actor=enterprise_admin, comment="再试")


def test_the_enterprise_may_reopen_a_closed_appeal_once(file_appeal, rsj_officer, enterprise_admin):
    appeal = file_appeal()
    do_act(appeal, "accept", actor=rsj_officer)
    do_act(appeal, "answer", actor=rsj_officer, comment="ok")
    do_act(appeal, "close", actor=enterprise_admin, rating="satisfied")
    with pytest.raises(FieldError) as err:
        do_act(appeal, "reopen", actor=enterprise_admin)
    assert err.value.field == "comment"
    do_act(appeal, "reopen", actor=enterprise_admin, comment="人员又流失")
    appeal.refresh_from_db()
    assert appeal.status == Status.REOPENED and appeal.flagged and appeal.closed_at is None


# state → the actions that must be refused there, for (department officer, enterprise admin)
FORBIDDEN = {
    Status.SUBMITTED: (["answer", "close", "reopen"], ["accept", "answer", "close", "reopen",
                                                       "transfer"]),
    Status.ACCEPTED: (["accept", "close", "reopen"], ["accept", "answer", "close", "reopen",
                                                      "transfer"]),
    Status.ANSWERED: (["accept", "answer", "transfer", "close", "reopen"],
                      ["accept", "answer", "transfer"]),
    Status.CLOSED: (["accept", "answer", "transfer", "close", "reopen"],
                    ["accept", "answer", "transfer", "close"]),
}  # fmt: skip


def _bring_to(status, file_appeal, dept, admin):
    appeal = file_appeal()
    if status in (Status.ACCEPTED, Status.ANSWERED, Status.CLOSED):
        do_act(appeal, "accept", actor=dept)
    if status in (Status.ANSWERED, Status.CLOSED):
        do_act(appeal, "answer", actor=dept, comment="answer")
    if status == Status.CLOSED:
        do_act(appeal, "close", actor=admin, rating="satisfied")
    appeal.refresh_from_db()
    return appeal


@pytest.mark.parametrize("status", list(FORBIDDEN))
def test_every_forbidden_transition_is_refused_and_changes_nothing(
    status, file_appeal, rsj_officer, enterprise_admin
):
    appeal = _bring_to(status, file_appeal, rsj_officer, enterprise_admin)
    dept_refused, admin_refused = FORBIDDEN[status]
    before = _state(appeal)
    for actor, refused in ((rsj_officer, dept_refused), (enterprise_admin, admin_refused)):
        for action in refused:
            with pytest.raises(Conflict):
                do_act(appeal, action, actor=actor, comment="x", to_department="jtj",
                       rating="satisfied")  # fmt: skip
            assert _state(appeal) == before, (actor, action)


def test_a_co_handling_department_sees_the_appeal_and_may_add_notes_but_not_answer(
    file_appeal, rsj_officer, jtj_officer, api
):
    appeal = file_appeal()
    assert api(jtj_officer).get(f"/api/v1/appeals/{appeal.pk}").status_code == 404
    do_act(appeal, "cohandle", actor=rsj_officer, to_department="jtj", comment="请协助包车")
    assert api(jtj_officer).get(f"/api/v1/appeals/{appeal.pk}").status_code == 200
    do_act(appeal, "accept", actor=rsj_officer)
    assert allowed_actions(jtj_officer, appeal) == ["note"]
    do_act(appeal, "note", actor=jtj_officer, comment="已联系汽运集团")
    r = api(jtj_officer).post(f"/api/v1/appeals/{appeal.pk}/events",
                              {"action": "answer", "comment": "x"})  # fmt: skip
    assert r.status_code == 409
    assert Appeal.objects.get().status == Status.ACCEPTED
    assert AppealEvent.objects.filter(action="note", comment="已联系汽运集团").exists()


def test_answering_needs_text(file_appeal, rsj_officer):
    appeal = file_appeal()
    do_act(appeal, "accept", actor=rsj_officer)
    with pytest.raises(FieldError) as err:
        do_act(appeal, "answer", actor=rsj_officer, comment="  ")
    assert err.value.field == "comment"
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED


def test_closing_needs_a_known_rating(file_appeal, rsj_officer, enterprise_admin):
    appeal = file_appeal()
    do_act(appeal, "accept", actor=rsj_officer)
    do_act(appeal, "answer", actor=rsj_officer, comment="ok")
    with pytest.raises(FieldError) as err:
        do_act(appeal, "close", actor=enterprise_admin, rating="great")
    assert err.value.field == "rating"
    appeal.refresh_from_db()
    assert appeal.status == Status.ANSWERED and appeal.rating == ""


def test_the_liaison_officer_may_close_for_his_enterprise(
    file_appeal, rsj_officer, liaison_officer
):
    appeal = file_appeal()
    do_act(appeal, "accept", actor=rsj_officer)
    do_act(appeal, "answer", actor=rsj_officer, comment="ok")
    do_act(appeal, "close", actor=liaison_officer, rating="satisfied")
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED


def test_the_command_centre_handles_the_desk(file_appeal, command_centre, enterprise_admin):
    appeal = file_appeal("other", "隔离场所")
    assert Notification.objects.filter(user=command_centre, kind="appeal.new").exists()
    do_act(appeal, "transfer", actor=command_centre, to_department="wjj", comment="卫健负责")
    appeal.refresh_from_db()
    assert appeal.department.code == "wjj" and appeal.status == Status.TRANSFERRED
