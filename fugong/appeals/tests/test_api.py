from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import gettext as _

from fugong.appeals.models import Appeal, AppealEvent, Status
from fugong.audit.models import AuditEvent
from fugong.lib.dates import business_today
from fugong.lib.workdays import add_working_days


def test_enterprise_admin_files_an_appeal_and_gets_department_and_deadlines(
    api, enterprise_admin, world
):
    response = api(enterprise_admin).post(
        "/api/v1/appeals",
        {
            "category": "labour",
            "title": "缺普工150人",
            "detail": "节后返岗不足",
            "urgency": "urgent",
            "quantity": 150,
        },
    )
    assert response.status_code == 201
    body = response.json()
    appeal = Appeal.objects.get()
    today = business_today()
    assert body == {
        "id": appeal.pk,
        "status": "submitted",
        "department": {"code": "rsj", "name": appeal.department.name},
        "accept_due": add_working_days(today, 1).isoformat(),
        "answer_due": add_working_days(today, 3).isoformat(),
    }
    assert appeal.enterprise == world.enterprise
    assert appeal.quantity == 150 and appeal.urgency == "urgent"
    assert AuditEvent.objects.filter(action="appeal.filed", object_id=str(appeal.pk)).exists()


def test_unknown_category_is_rejected_naming_the_field(api, enterprise_admin):
    response = api(enterprise_admin).post("/api/v1/appeals", {"category": "masks", "title": "x"})
    assert response.status_code == 400
    assert response.json()["field"] == "category"
    assert not Appeal.objects.exists()


def test_empty_title_is_rejected_naming_the_field(api, enterprise_admin):
    response = api(enterprise_admin).post("/api/v1/appeals", {"category": "labour", "title": " "})
    assert response.status_code == 400
    assert response.json()["field"] == "title"
    assert not Appeal.objects.exists()


def test_text_with_a_nul_character_is_rejected_naming_the_field(api, enterprise_admin):
    # PostgreSQL cannot store NUL in text: it would be a server error there.
    body = {"category": "labour", "title": "缺普工", "detail": "节后\x00返岗不足"}
    response = api(enterprise_admin).post("/api/v1/appeals", body)
    assert response.status_code == 400
    assert response.json()["field"] == "detail"
    assert not Appeal.objects.exists()


def test_a_quantity_beyond_what_the_database_holds_is_rejected_naming_the_field(
    api, enterprise_admin
):
    body = {"category": "labour", "title": "缺普工", "quantity": 2**31}
    response = api(enterprise_admin).post("/api/v1/appeals", body)
    assert response.status_code == 400 and response.json()["field"] == "quantity"
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("quantity", [2**64 + 1, 10**30, 1e30])
def test_a_quantity_beyond_64_bits_is_refused_as_too_large_naming_the_field(
    api, enterprise_admin, quantity
):
    # JSON reads an integer of 2**64 or more as a float: it was told to give a whole number.
    body = {"category": "labour", "title": "缺普工", "quantity": quantity}
    response = api(enterprise_admin).post("/api/v1/appeals", body)
    assert response.status_code == 400
    assert response.json() == {"error": "quantity: 数字过大。", "field": "quantity"}
    assert not Appeal.objects.exists()


def test_a_counterpart_longer_than_100_characters_is_refused_not_cut(api, enterprise_admin):
    body = {"category": "logistics", "title": "物流受阻", "counterpart": "广" * 101}
    response = api(enterprise_admin).post("/api/v1/appeals", body)
    assert response.status_code == 400 and response.json()["field"] == "counterpart"
    assert not Appeal.objects.exists()
    body["counterpart"] = "广" * 100
    assert api(enterprise_admin).post("/api/v1/appeals", body).status_code == 201
    assert Appeal.objects.get().counterpart == "广" * 100


def test_liaison_officer_files_for_an_assigned_enterprise_by_credit_code(
    api, liaison_officer, world
):
    response = api(liaison_officer).post(
        "/api/v1/appeals",
        {
            "category": "logistics",
            "title": "原料运输通行证",
            "enterprise": world.enterprise.credit_code,
        },
    )
    assert response.status_code == 201
    assert response.json()["department"]["code"] == "jtj"
    assert Appeal.objects.get().enterprise == world.enterprise


def test_liaison_officer_cannot_file_for_an_enterprise_not_assigned_to_him(
    api, liaison_officer, world
):
    response = api(liaison_officer).post(
        "/api/v1/appeals",
        {"category": "labour", "title": "x", "enterprise": world.other_enterprise.credit_code},
    )
    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_liaison_officer_must_name_the_enterprise(api, liaison_officer):
    response = api(liaison_officer).post("/api/v1/appeals", {"category": "labour", "title": "x"})
    assert response.status_code == 400
    assert response.json()["field"] == "enterprise"


def test_department_officer_cannot_file_appeals(api, department_officer):
    response = api(department_officer).post("/api/v1/appeals", {"category": "labour", "title": "x"})
    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_no_token_is_401(api, world):
    response = api(None).post("/api/v1/appeals", {"category": "labour", "title": "x"})
    assert response.status_code == 401


def test_full_lifecycle_through_the_api_shows_the_whole_history(
    api, enterprise_admin, rsj_officer, world
):
    ent, dept = api(enterprise_admin), api(rsj_officer)
    pk = ent.post("/api/v1/appeals", {"category": "labour", "title": "缺普工"}).json()["id"]
    r = dept.post(f"/api/v1/appeals/{pk}/events", {"action": "accept", "comment": "已受理"})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = dept.post(
        f"/api/v1/appeals/{pk}/events", {"action": "answer", "comment": "已对接人力资源市场"}
    )
    assert r.status_code == 200 and r.json()["status"] == "answered"
    r = ent.post(f"/api/v1/appeals/{pk}/events", {"action": "close", "rating": "satisfied"})
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "closed" and body["rating"] == "satisfied"
    seen = ent.get(f"/api/v1/appeals/{pk}").json()
    assert [h["action"] for h in seen["history"]] == ["filed", "accepted", "answered", "closed"]
    assert seen["answer"] == "已对接人力资源市场"
    assert Appeal.objects.get().closed_at is not None


def test_transfer_needs_a_reason_and_a_known_department(api, enterprise_admin, rsj_officer):
    pk = (
        api(enterprise_admin)
        .post("/api/v1/appeals", {"category": "labour", "title": "x"})
        .json()["id"]
    )
    dept = api(rsj_officer)
    r = dept.post(f"/api/v1/appeals/{pk}/events", {"action": "transfer", "to_department": "jtj"})
    assert r.status_code == 400 and r.json()["field"] == "comment"
    r = dept.post(
        f"/api/v1/appeals/{pk}/events",
        {"action": "transfer", "to_department": "nope", "comment": "不属本部门"},
    )
    assert r.status_code == 400 and r.json()["field"] == "to_department"
    r = dept.post(
        f"/api/v1/appeals/{pk}/events",
        {"action": "transfer", "to_department": "jtj", "comment": "属交通运输"},
    )
    assert r.status_code == 200
    assert r.json()["status"] == "transferred" and r.json()["department"]["code"] == "jtj"
    assert Appeal.objects.get().department.code == "jtj"
    event = AppealEvent.objects.get(action="transferred")
    assert event.from_department.code == "rsj" and event.comment == "属交通运输"
    # rsj no longer sees it once transferred
    assert dept.get(f"/api/v1/appeals/{pk}").status_code == 404


def test_unknown_action_is_400(api, enterprise_admin, rsj_officer):
    pk = (
        api(enterprise_admin)
        .post("/api/v1/appeals", {"category": "labour", "title": "x"})
        .json()["id"]
    )
    r = api(rsj_officer).post(f"/api/v1/appeals/{pk}/events", {"action": "approve"})
    assert r.status_code == 400 and r.json()["field"] == "action"
    assert Appeal.objects.get().status == Status.SUBMITTED


def test_enterprise_cannot_accept_its_own_appeal(api, enterprise_admin, rsj_officer):
    ent = api(enterprise_admin)
    pk = ent.post("/api/v1/appeals", {"category": "labour", "title": "x"}).json()["id"]
    r = ent.post(f"/api/v1/appeals/{pk}/events", {"action": "accept"})
    assert r.status_code == 409
    assert Appeal.objects.get().status == Status.SUBMITTED
    assert AppealEvent.objects.count() == 1


def test_other_department_gets_404_and_changes_nothing(api, enterprise_admin, jtj_officer):
    pk = (
        api(enterprise_admin)
        .post("/api/v1/appeals", {"category": "labour", "title": "x"})
        .json()["id"]
    )
    other = api(jtj_officer)
    assert other.get(f"/api/v1/appeals/{pk}").status_code == 404
    r = other.post(f"/api/v1/appeals/{pk}/events", {"action": "accept"})
    assert r.status_code == 404
    assert Appeal.objects.get().status == Status.SUBMITTED


def test_other_enterprise_gets_404(api, enterprise_admin, other_enterprise_admin):
    pk = (
        api(enterprise_admin)
        .post("/api/v1/appeals", {"category": "labour", "title": "x"})
        .json()["id"]
    )
    assert api(other_enterprise_admin).get(f"/api/v1/appeals/{pk}").status_code == 404
    r = api(other_enterprise_admin).post(
        f"/api/v1/appeals/{pk}/events", {"action": "reopen", "comment": "x"}
    )
    assert r.status_code == 404


def test_deadline_dates_skip_the_2020_spring_festival_in_the_api_answer(
    api, enterprise_admin, monkeypatch
):
    from django.utils import timezone

    from fugong.lib.dates import SHANGHAI

    moment = dt.datetime(2020, 1, 23, 10, 0, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    body = (
        api(enterprise_admin).post("/api/v1/appeals", {"category": "labour", "title": "x"}).json()
    )
    # Spring Festival holiday 24 Jan – 2 Feb 2020: the next working day is Monday 3 Feb.
    assert body["accept_due"] == "2020-02-03"
    assert body["answer_due"] == "2020-02-05"


def test_a_lone_surrogate_escape_in_a_text_is_a_400_and_nothing_is_stored(api, enterprise_admin):
    # \ud800 is half of a UTF-16 pair: no database can store it (a server error once).
    client = api(enterprise_admin)
    body = '{"category": "labour", "title": "\\ud800缺普工"}'
    response = client.client.post(
        "/api/v1/appeals", body, content_type="application/json", headers=client._headers()
    )
    assert response.status_code == 400
    assert response.json() == {"error": _("The body is not valid JSON."), "field": ""}
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"\xb4\x18!",  # not UTF-8
        b'{"category": "labour", "title": "x", "quantity": NaN}',  # not JSON (RFC 8259)
        b'{"category": "labour", "title": ',
    ],
)
def test_a_body_that_is_not_json_is_a_400_in_the_error_shape_naming_no_field(
    api, enterprise_admin, body
):
    # django-ninja's own answer was {"detail": "Cannot parse request body"}, in English.
    client = api(enterprise_admin)
    response = client.client.post(
        "/api/v1/appeals", body, content_type="application/json", headers=client._headers()
    )
    assert response.status_code == 400
    assert response.json() == {"error": _("The body is not valid JSON."), "field": ""}
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_filing_or_acting_without_a_body_is_told_to_send_a_json_object_and_nothing_changes(
    api, enterprise_admin, file_appeal, content_type
):
    # It answered "This field is required." naming no field.
    appeal = file_appeal()
    client = api(enterprise_admin)
    for address in ("/api/v1/appeals", f"/api/v1/appeals/{appeal.pk}/events"):
        # None: no body at all, no Content-Type (curl -X POST)
        body = None if content_type is None else b""
        response = client.post_raw(address, body, content_type)
        assert response.status_code == 400
        assert response.json() == {"error": "请发送一个 JSON 对象。", "field": ""}
    assert list(Appeal.objects.values_list("pk", "status")) == [(appeal.pk, Status.SUBMITTED)]
    assert AppealEvent.objects.filter(appeal=appeal).count() == 1
