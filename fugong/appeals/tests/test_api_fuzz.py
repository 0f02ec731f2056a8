"""Any JSON at all, in any field of an appeal or of an action on it: a clear 400 naming the
field, or the appeal filed / the action taken, never a server error."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fugong.appeals.models import Appeal
from fugong.lib.fuzzing import fuzz, json_values
from fugong.lib.testing import ApiClient

GOOD = {"category": "labour", "title": "缺普工150人", "detail": "节后返岗不足", "quantity": 150}
APPEAL_FIELDS = ["category", "title", "detail", "urgency", "quantity", "counterpart", "enterprise"]
EVENT_FIELDS = ["action", "comment", "to_department", "rating"]


@fuzz
@given(field=st.sampled_from(APPEAL_FIELDS), value=json_values)
def test_any_json_value_in_any_field_of_an_appeal_is_a_400_naming_it_or_a_201(
    enterprise_admin, field, value
):
    before = Appeal.objects.count()
    response = ApiClient(enterprise_admin).post("/api/v1/appeals", {**GOOD, field: value})
    assert response.status_code in (201, 400), (response.status_code, response.content)
    if response.status_code == 400:
        assert response.json()["field"] == field
    assert Appeal.objects.count() == before + (response.status_code == 201)


@fuzz
@given(
    action=st.sampled_from(["accept", "answer", "transfer", "rate", "reopen", "comment"]),
    field=st.sampled_from(EVENT_FIELDS),
    value=json_values,
)
def test_any_json_value_in_an_action_on_an_appeal_is_answered_without_a_server_error(
    file_appeal, enterprise_admin, rsj_officer, action, field, value
):
    appeal = file_appeal()
    body = {"action": action, "comment": "已处理", "to_department": "gxj", "rating": "satisfied"}
    for user in (rsj_officer, enterprise_admin):
        response = ApiClient(user).post(
            f"/api/v1/appeals/{appeal.pk}/events", {**body, field: value}
        )
        assert response.status_code in (200, 201, 400, 404, 409), (
            response.status_code,
            response.content,
        )
        if response.status_code == 400:
            assert "field" in response.json()
