"""Any JSON at all, in any field of a check-in: a clear 400 naming the field, or a check-in stored
(when the value happens to be valid), never a server error and never a half-written one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fugong.health.models import CheckIn
from fugong.lib.fuzzing import fuzz, json_values
from fugong.lib.testing import ApiClient

from .conftest import payload

FIELDS = [
    "id_number",
    "date",
    "temperature",
    "symptoms",
    "location",
    "close_contact",
    "work_mode",
    "client_id",
]


@fuzz
@given(field=st.sampled_from(FIELDS), value=json_values)
def test_any_json_value_in_any_field_is_a_400_naming_it_or_a_stored_check_in(
    enterprise_admin, staff, field, value
):
    _, number = staff
    before = CheckIn.objects.count()
    response = ApiClient(enterprise_admin).post(
        "/api/v1/checkins", payload(number, **{field: value})
    )
    assert response.status_code in (201, 400), (response.status_code, response.content)
    if response.status_code == 400:
        assert response.json()["field"] == field and response.json()["error"]
        assert CheckIn.objects.count() == before
    else:
        assert CheckIn.objects.count() == before + 1


@fuzz
@given(items=st.lists(json_values, min_size=1, max_size=4))
def test_a_batch_of_anything_answers_each_item_without_a_server_error(
    enterprise_admin, staff, items
):
    _, number = staff
    before = CheckIn.objects.count()
    items = [payload(number), *items]
    response = ApiClient(enterprise_admin).post("/api/v1/checkins/batch", {"items": items})
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert len(results) == len(items) and results[0]["status"] == 201
    assert all(r["status"] in (201, 400, 404) for r in results)
    assert CheckIn.objects.count() == before + sum(r["status"] == 201 for r in results)


@fuzz
@given(body=json_values)
def test_a_body_of_any_json_is_a_400_never_a_server_error(enterprise_admin, body):
    for path in ("/api/v1/checkins", "/api/v1/checkins/batch"):
        response = ApiClient(enterprise_admin).post(path, body)
        assert response.status_code == 400, (path, body, response.content)
        assert "error" in response.json()
    assert CheckIn.objects.count() == 0
