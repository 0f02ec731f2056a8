"""Any JSON at all, in any field of an application to resume work or of a decision on it: a
clear 400 naming the field, or the application / decision stored, never a server error."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fugong.lib.fuzzing import fuzz, json_values
from fugong.lib.testing import ApiClient
from fugong.resumption.models import Application

from .conftest import payload

APPS = "/api/v1/resumption/applications"
MONDAY = dt.date(2020, 3, 2)
APPLICATION_FIELDS = [
    "planned_date",
    "staff_planned",
    "staff_from_outside",
    "staff_from_risk_areas",
    "checklist",
    "commitment",
]
DECISION_FIELDS = ["decision", "comment", "item_reasons"]


@fuzz
@given(field=st.sampled_from(APPLICATION_FIELDS), value=json_values)
def test_any_json_value_in_any_field_of_an_application_is_a_400_naming_it_or_a_201(
    world, enterprise_admin, standard_route, clock, field, value
):
    clock(MONDAY)
    Application.objects.all().delete()
    body = {**payload(MONDAY + dt.timedelta(days=1)), field: value}
    response = ApiClient(enterprise_admin).post(APPS, body)
    assert response.status_code in (201, 400), (response.status_code, response.content)
    if response.status_code == 400:  # this field, or the one it is compared with
        assert response.json()["field"] in APPLICATION_FIELDS
    assert Application.objects.count() == (response.status_code == 201)


@fuzz
@given(field=st.sampled_from(DECISION_FIELDS), value=json_values)
def test_any_json_value_in_a_decision_is_a_400_naming_it_or_a_decision(
    world, enterprise_admin, township_officer, standard_route, clock, field, value
):
    clock(MONDAY)
    Application.objects.all().delete()
    created = ApiClient(enterprise_admin).post(APPS, payload(MONDAY + dt.timedelta(days=1)))
    body = {"decision": "return", "comment": "请整改", "item_reasons": {}, field: value}
    response = ApiClient(township_officer).post(f"{APPS}/{created.json()['id']}/decisions", body)
    assert response.status_code in (200, 400), (response.status_code, response.content)
    if response.status_code == 400:
        assert response.json()["field"] == field
