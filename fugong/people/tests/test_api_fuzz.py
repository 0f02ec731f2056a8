"""Any JSON at all, in any field of a new employee: a clear 400 naming the field, or the person
put on the roster (when the value happens to be valid), never a server error."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fugong.lib.fuzzing import fuzz, json_values
from fugong.lib.testing import ApiClient, valid_id_number
from fugong.people.models import Employment

from .test_api_employees import employee

FIELDS = ["id_number", "name", "phone", "home_division", "post", "start_date"]


@fuzz
@given(
    field=st.sampled_from(FIELDS),
    value=json_values | st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
)
def test_any_json_value_in_any_field_of_a_new_employee_is_a_400_naming_it_or_a_201(
    enterprise_admin, field, value
):
    before = Employment.objects.count()
    # A number no earlier example registered: the examples share the test's database, and a
    # number registered by one with another name was refused for its name (a 400 naming "name").
    body = employee(**{"id_number": valid_id_number(), field: value})
    response = ApiClient(enterprise_admin).post("/api/v1/employees", body)
    assert response.status_code in (201, 400, 409), (response.status_code, response.content)
    if response.status_code == 201:
        assert Employment.objects.count() == before + 1
    else:
        assert response.json()["field"] == field or response.status_code == 409
        assert Employment.objects.count() == before
