"""The application state machine through the API contract, and its permissions."""

import datetime as dt
import threading

import pytest
from django.db import connection

from fugong.accounts.models import Membership, Role
from fugong.audit.models import AuditEvent
from fugong.lib.testing import make_user
from fugong.lib.workdays import add_working_days
from fugong.resumption.models import Application, Review, StatusChange, Submission
from fugong.resumption.selectors import is_resumed, resumed_enterprise_ids

from .conftest import payload

MONDAY = dt.date(2020, 3, 2)
APPS = "/api/v1/resumption/applications"


@pytest.fixture
def submitted(world, enterprise_admin, standard_route, clock, api):
    clock(MONDAY)
    response = api(enterprise_admin).post(APPS, payload(MONDAY + dt.timedelta(days=1)))
    assert response.status_code == 201, response.content
    return Application.objects.get(pk=response.json()["id"])


def decide(api, user, application, decision, comment="", **extra):
    body = {"decision": decision, "comment": comment, **extra}
    return api(user).post(f"{APPS}/{application.pk}/decisions", body)


def test_the_checklist_endpoint_gives_the_policy_in_force(world, enterprise_admin, api):
    response = api(enterprise_admin).get("/api/v1/resumption/checklist")
    assert response.status_code == 200
    items = {i["code"]: i for i in response.json()["items"]}
    assert items["isolation_rooms"]["kind"] == "number"
    assert items["isolation_rooms"]["required"] == 1
    assert items["supplies_days"]["required"] == 3
    assert items["fever_hotline"] == {
        "code": "fever_hotline",
        "label": items["fever_hotline"]["label"],
        "kind": "bool",
        "required": True,
    }


def test_a_standard_application_waits_for_the_township_and_the_department(submitted, world):
    body = submitted
    assert body.status == "submitted"
    assert body.route == "standard"
    assert body.due == dt.date(2020, 3, 4)
    kinds = set(Review.objects.filter(application=body).values_list("kind", "code"))
    assert kinds == {("township", world.township.code), ("department", "gxj")}
    assert AuditEvent.objects.filter(action="resumption_application.submitted").count() == 1


def test_the_api_answers_with_the_application_and_its_pending_reviewers(
    submitted, enterprise_admin, api, world
):
    response = api(enterprise_admin).get(f"{APPS}/{submitted.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted" and body["route"] == "standard"
    assert body["due"] == "2020-03-04"
    assert body["decisions"] == []
    assert sorted(p["kind"] for p in body["pending"]) == ["department", "township"]


def test_both_approvals_make_the_enterprise_resumed_from_the_planned_date(
    submitted, township_officer, department_officer, enterprise_admin, api, world
):
    first = decide(api, township_officer, submitted, "approve")
    assert first.status_code == 200
    assert first.json()["status"] == "submitted"
    assert first.json()["pending"] == [{"kind": "department", "code": "gxj"}]
    assert not is_resumed(world.enterprise, MONDAY + dt.timedelta(days=1))
    second = decide(api, department_officer, submitted, "approve")
    assert second.status_code == 200
    assert second.json()["status"] == "approved"
    assert second.json()["pending"] == []
    assert len(second.json()["decisions"]) == 2
    # Approved on Monday with a planned date of Tuesday: resumed from Tuesday.
    assert not is_resumed(world.enterprise, MONDAY)
    assert is_resumed(world.enterprise, MONDAY + dt.timedelta(days=1))
    assert resumed_enterprise_ids(MONDAY + dt.timedelta(days=1)) == {world.enterprise.pk}
    status = api(enterprise_admin).get("/api/v1/resumption/status").json()
    assert status == {"status": "not_resumed", "since": None, "open_application": None}


def test_an_approval_after_the_planned_date_counts_from_the_approval_date(
    world, enterprise_admin, township_officer, department_officer, standard_route, clock, api
):
    clock(MONDAY)
    created = api(enterprise_admin).post(APPS, payload(MONDAY))
    application = Application.objects.get(pk=created.json()["id"])
    clock(MONDAY + dt.timedelta(days=2))
    decide(api, township_officer, application, "approve")
    decide(api, department_officer, application, "approve")
    application.refresh_from_db()
    assert application.effective_date == MONDAY + dt.timedelta(days=2)
    assert not is_resumed(world.enterprise, MONDAY + dt.timedelta(days=1))
    status = api(enterprise_admin).get("/api/v1/resumption/status").json()
    assert status == {"status": "resumed", "since": "2020-03-04", "open_application": None}


def test_a_commitment_application_is_approved_on_submission_with_an_inspection_due(
    world, enterprise_admin, clock, api
):
    clock(MONDAY)
    response = api(enterprise_admin).post(APPS, payload(MONDAY))
    assert response.status_code == 201
    body = response.json()
    assert body["route"] == "commitment"
    assert body["status"] == "approved"
    assert body["pending"] == []
    assert body["inspection_due"] == add_working_days(MONDAY, 5).isoformat()
    assert is_resumed(world.enterprise, MONDAY)
    status = api(enterprise_admin).get("/api/v1/resumption/status").json()
    assert status == {"status": "resumed", "since": "2020-03-02", "open_application": None}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"checklist": {"entrance_guard": False}}, "checklist"),
        ({"commitment": False}, "commitment"),
        ({"planned_date": "2020-03-01"}, "planned_date"),
        ({"planned_date": "2020-02-30"}, "planned_date"),
        ({"staff_planned": -1}, "staff_planned"),
        ({"staff_from_outside": 500}, "staff_from_outside"),
    ],
)
def test_a_bad_application_is_refused_naming_the_field(
    world, enterprise_admin, standard_route, clock, api, changes, field
):
    clock(MONDAY)
    data = payload(MONDAY)
    if "checklist" in changes:
        data["checklist"].update(changes.pop("checklist"))
    data.update(changes)
    response = api(enterprise_admin).post(APPS, data)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not Application.objects.exists()


def test_too_few_isolation_rooms_for_the_staff_fails_the_checklist(
    world, enterprise_admin, standard_route, clock, api
):
    clock(MONDAY)
    data = payload(MONDAY, staff_planned=350)  # 4 rooms needed at one per 100
    data["checklist"]["isolation_rooms"] = 3
    response = api(enterprise_admin).post(APPS, data)
    assert response.status_code == 400
    assert response.json()["field"] == "checklist"
    assert "4" in response.json()["error"]


def test_a_second_open_application_is_a_conflict(submitted, enterprise_admin, api):
    response = api(enterprise_admin).post(APPS, payload(MONDAY))
    assert response.status_code == 409
    assert Application.objects.count() == 1


def test_only_an_enterprise_admin_can_apply(world, township_officer, employee, clock, api):
    clock(MONDAY)
    assert api(township_officer).post(APPS, payload(MONDAY)).status_code == 404
    assert api(employee).post(APPS, payload(MONDAY)).status_code == 404
    assert api(None).post(APPS, payload(MONDAY)).status_code == 401
    assert not Application.objects.exists()


def test_returning_with_reasons_per_item_cancels_the_other_review(
    submitted, township_officer, department_officer, api
):
    response = decide(
        api,
        township_officer,
        submitted,
        "return",
        item_reasons={"isolation_rooms": "房间未独立通风"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert response.json()["decisions"][0]["item_reasons"] == {"isolation_rooms": "房间未独立通风"}
    assert Review.objects.get(application=submitted, kind="department").decision == "cancelled"
    late = decide(api, department_officer, submitted, "approve")
    assert late.status_code == 409
    assert Application.objects.get(pk=submitted.pk).status == "returned"


def test_a_return_without_any_reason_is_refused(submitted, township_officer, api):
    response = decide(api, township_officer, submitted, "return")
    assert response.status_code == 400
    assert response.json()["field"] == "comment"
    assert Review.objects.get(application=submitted, kind="township").decision == "pending"


def test_a_returned_application_is_corrected_and_resubmitted_keeping_its_history(
    submitted, township_officer, department_officer, enterprise_admin, api, clock
):
    from fugong.resumption.actions import ApplicationData, do_resubmit_application
    from fugong.resumption.tests.conftest import GOOD_CHECKLIST

    decide(api, township_officer, submitted, "return", "请补充隔离室")
    clock(MONDAY + dt.timedelta(days=1))
    do_resubmit_application(
        submitted,
        ApplicationData(MONDAY + dt.timedelta(days=2), 100, 10, 0, dict(GOOD_CHECKLIST), True),
        actor=enterprise_admin,
    )
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.round == 2
    assert submitted.due == dt.date(2020, 3, 5)
    assert Submission.objects.filter(application=submitted).count() == 2
    assert Review.objects.filter(application=submitted, round=2, decision="pending").count() == 2
    body = api(enterprise_admin).get(f"{APPS}/{submitted.pk}").json()
    assert [d["decision"] for d in body["decisions"]] == ["return"]
    assert len(body["pending"]) == 2


def test_only_a_returned_application_can_be_resubmitted(submitted, enterprise_admin):
    from fugong.lib.errors import Conflict
    from fugong.resumption.actions import ApplicationData, do_resubmit_application
    from fugong.resumption.tests.conftest import GOOD_CHECKLIST

    with pytest.raises(Conflict):
        do_resubmit_application(
            submitted,
            ApplicationData(MONDAY, 100, 10, 0, dict(GOOD_CHECKLIST), True),
            actor=enterprise_admin,
        )
    assert Submission.objects.filter(application=submitted).count() == 1


def test_a_rejection_needs_a_reason_and_ends_the_application(
    submitted, department_officer, township_officer, enterprise_admin, api
):
    assert decide(api, department_officer, submitted, "reject").status_code == 400
    response = decide(api, department_officer, submitted, "reject", "不符合复工条件")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert decide(api, township_officer, submitted, "approve").status_code == 409
    assert not StatusChange.objects.exists()
    # A rejected application is closed: the enterprise may apply again.
    assert api(enterprise_admin).post(APPS, payload(MONDAY)).status_code == 201


def test_a_decision_on_an_approved_application_is_a_conflict(
    submitted, township_officer, department_officer, api
):
    decide(api, township_officer, submitted, "approve")
    decide(api, department_officer, submitted, "approve")
    again = decide(api, township_officer, submitted, "reject", "改主意")
    assert again.status_code == 409
    assert Application.objects.get(pk=submitted.pk).status == "approved"


def test_deciding_twice_is_a_conflict_and_changes_nothing(submitted, township_officer, api):
    assert decide(api, township_officer, submitted, "approve").status_code == 200
    again = decide(api, township_officer, submitted, "reject", "再想想")
    assert again.status_code == 409
    review = Review.objects.get(application=submitted, kind="township")
    assert review.decision == "approve"
    assert Application.objects.get(pk=submitted.pk).status == "submitted"


def test_an_unknown_decision_is_refused_naming_the_field(submitted, township_officer, api):
    response = decide(api, township_officer, submitted, "maybe")
    assert response.status_code == 400
    assert response.json()["field"] == "decision"


def test_a_comment_with_a_nul_character_is_refused_naming_the_field(
    submitted, township_officer, api
):
    # PostgreSQL cannot store NUL in text: it would be a server error there.
    response = decide(api, township_officer, submitted, "reject", "不\x00合格")
    assert response.status_code == 400 and response.json()["field"] == "comment"
    assert Review.objects.get(application=submitted, kind="township").decision == "pending"


def test_a_reason_per_item_with_a_nul_character_is_refused_naming_the_field(
    submitted, township_officer, api
):
    # Nor in jsonb, where the reasons per checklist item are kept.
    reasons = {"isolation_rooms": "房间未\x00独立通风"}
    response = decide(api, township_officer, submitted, "return", "请整改", item_reasons=reasons)
    assert response.status_code == 400 and response.json()["field"] == "item_reasons"
    assert Review.objects.get(application=submitted, kind="township").decision == "pending"


def test_a_staff_count_beyond_what_the_database_holds_is_refused_naming_the_field(
    world, enterprise_admin, standard_route, clock, api
):
    clock(MONDAY)
    body = payload(MONDAY + dt.timedelta(days=1), staff_planned=2**31)
    response = api(enterprise_admin).post(APPS, body)
    assert response.status_code == 400 and response.json()["field"] == "staff_planned"
    assert not Application.objects.exists()


@pytest.mark.parametrize("field", ["staff_planned", "staff_from_outside", "staff_from_risk_areas"])
def test_a_staff_count_beyond_64_bits_is_refused_as_too_large_naming_the_field(
    world, enterprise_admin, standard_route, clock, api, field
):
    # JSON reads an integer of 2**64 or more as a float: it was told to give a whole number.
    clock(MONDAY)
    body = payload(MONDAY + dt.timedelta(days=1), **{field: 2**64 + 1})
    response = api(enterprise_admin).post(APPS, body)
    assert response.status_code == 400
    assert response.json() == {"error": f"{field}: 数字过大。", "field": field}
    assert not Application.objects.exists()


@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_applying_or_deciding_without_a_body_is_told_to_send_a_json_object_and_nothing_changes(
    submitted, enterprise_admin, township_officer, api, content_type
):
    # It answered "This field is required." naming no field.
    for user, address in (
        (enterprise_admin, APPS),
        (township_officer, f"{APPS}/{submitted.pk}/decisions"),
    ):
        client = api(user)
        # None: no body at all, no Content-Type (curl -X POST)
        body = None if content_type is None else b""
        response = client.post_raw(address, body, content_type)
        assert response.status_code == 400
        assert response.json() == {"error": "请发送一个 JSON 对象。", "field": ""}
    assert list(Application.objects.values_list("pk", flat=True)) == [submitted.pk]
    assert set(Review.objects.values_list("decision", flat=True)) == {"pending"}


def test_a_planned_date_more_than_a_year_ahead_is_refused(
    world, enterprise_admin, standard_route, clock, api
):
    clock(MONDAY)
    for day in (MONDAY + dt.timedelta(days=367), dt.date(9999, 12, 31)):
        response = api(enterprise_admin).post(APPS, payload(day))
        assert response.status_code == 400 and response.json()["field"] == "planned_date"
    assert (
        api(enterprise_admin).post(APPS, payload(MONDAY + dt.timedelta(days=366))).status_code
        == 201
    )


def test_a_bad_value_inside_the_reasons_per_item_names_the_reasons(
    submitted, township_officer, api
):
    response = decide(api, township_officer, submitted, "return", item_reasons={"": None})
    assert response.status_code == 400 and response.json()["field"] == "item_reasons"


def test_officers_outside_the_application_cannot_decide(
    submitted,
    other_township_officer,
    district_officer,
    command_centre,
    enterprise_admin,
    other_enterprise_admin,
    api,
    world,
):
    swj = make_user("dept_swj", Role.DEPARTMENT_OFFICER, department=world.swj)
    for user in (other_township_officer, swj, other_enterprise_admin):
        assert decide(api, user, submitted, "approve").status_code == 404
    # In scope but not a reviewer: district officer, command centre, the applicant.
    for user in (district_officer, command_centre, enterprise_admin):
        assert decide(api, user, submitted, "approve").status_code == 404
    assert not Review.objects.exclude(decision="pending").exists()


def test_nobody_decides_on_an_application_of_their_own_enterprise(
    submitted, township_officer, api, world
):
    Membership.objects.create(
        user=township_officer, role=Role.ENTERPRISE_ADMIN, enterprise=world.enterprise
    )
    response = decide(api, township_officer, submitted, "approve")
    assert response.status_code == 409
    assert Review.objects.get(application=submitted, kind="township").decision == "pending"


def test_an_application_is_visible_only_in_scope(
    submitted,
    other_enterprise_admin,
    other_township_officer,
    department_officer,
    command_centre,
    api,
):
    url = f"{APPS}/{submitted.pk}"
    assert api(other_enterprise_admin).get(url).status_code == 404
    assert api(other_township_officer).get(url).status_code == 404
    assert api(department_officer).get(url).status_code == 200
    assert api(command_centre).get(url).status_code == 200


def test_decisions_are_audited(submitted, township_officer, api):
    decide(api, township_officer, submitted, "approve")
    event = AuditEvent.objects.get(action="resumption_application.decided")
    assert event.actor == township_officer
    assert event.details["decision"] == "approve"
    assert event.details["kind"] == "township"


def test_two_decisions_of_one_slot_sent_at_the_same_moment_yield_one_decision(
    submitted, township_officer, api
):
    """The second request works on a stale copy of the application: the conditional update
    of the review slot refuses it."""
    from fugong.lib.errors import Conflict
    from fugong.resumption.actions import do_decide

    stale = Application.objects.get(pk=submitted.pk)
    do_decide(submitted, decision="approve", actor=township_officer)
    with pytest.raises(Conflict):
        do_decide(stale, decision="reject", comment="并发", actor=township_officer)
    assert Review.objects.get(application=submitted, kind="township").decision == "approve"


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_by_both_reviewers_approve_exactly_once(
    world, enterprise_admin, township_officer, department_officer, set_policy, clock
):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises every writer)")
    from fugong.resumption.actions import ApplicationData, do_decide, do_submit_application
    from fugong.resumption.tests.conftest import GOOD_CHECKLIST

    set_policy(district_risk_levels={"440604": "high"})
    clock(MONDAY)
    application = do_submit_application(
        world.enterprise,
        ApplicationData(MONDAY, 100, 0, 0, dict(GOOD_CHECKLIST), True),
        actor=enterprise_admin,
    )
    barrier = threading.Barrier(3)
    errors: list[Exception] = []

    def run(user):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            do_decide(application, decision="approve", actor=user)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=run, args=(u,))
        for u in (township_officer, department_officer, township_officer)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    application.refresh_from_db()
    assert application.status == "approved"
    assert StatusChange.objects.filter(application=application).count() == 1
    assert len(errors) == 1  # the township officer's duplicate
