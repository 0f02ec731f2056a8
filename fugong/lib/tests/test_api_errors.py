from __future__ import annotations

import pytest
from django.conf import settings


def test_a_query_parameter_of_the_wrong_type_is_a_400_in_the_callers_language(
    world, enterprise_admin, api
):
    client = api(enterprise_admin)
    response = client.get("/api/v1/employees", page="abc")
    assert response.status_code == 400
    assert response.json() == {"error": "page: 请填写整数。", "field": "page"}
    client.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/api/v1/employees", page="abc")
    assert response.json() == {"error": "page: Give a whole number.", "field": "page"}


def test_a_body_field_of_the_wrong_type_names_the_problem_in_words(world, enterprise_admin, api):
    response = api(enterprise_admin).post(
        "/api/v1/appeals", {"category": "labour", "title": "缺工", "quantity": "很多"}
    )
    assert response.status_code == 400
    assert response.json() == {"error": "quantity: 请填写整数。", "field": "quantity"}


def test_a_method_an_api_address_does_not_take_is_a_405_in_the_error_shape(
    world, enterprise_admin, api
):
    response = api(enterprise_admin).client.put("/api/v1/checkins")
    assert response.status_code == 405
    assert response.json() == {"error": "此地址不接受 PUT 请求。"}
    assert response.headers["Allow"] == "POST"


def test_an_unknown_api_address_is_a_404_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "未找到"}


def test_a_page_that_does_not_take_a_method_still_answers_in_plain_html(client):
    response = client.get("/logout/")
    assert response.status_code == 405
    assert response["Content-Type"] != "application/json"


def _json_body_operations() -> list[str]:
    """Every POST address whose body is JSON, as the OpenAPI description lists them (an id in
    the address as 1: the body is read before the id is looked up)."""
    import re

    from fugong.api import api

    paths = api.get_openapi_schema()["paths"]
    return sorted(
        re.sub(r"\{[^}]+\}", "1", path)
        for path, operations in paths.items()
        if "application/json"
        in operations.get("post", {}).get("requestBody", {}).get("content", {})
    )


def _stored() -> dict[str, int]:
    from fugong.appeals.models import Appeal, AppealEvent
    from fugong.audit.models import AuditEvent
    from fugong.health.models import CheckIn
    from fugong.people.models import Employment
    from fugong.resumption.models import Application

    return {
        model.__name__: model.objects.count()
        for model in (Appeal, AppealEvent, Application, CheckIn, Employment, AuditEvent)
    }


def _assert_told_to_send_a_json_object(response, address: str) -> None:
    assert response.status_code == 400, address
    if address == "/api/v1/checkins/batch":  # its contract: the body is {"items": [ … ]}
        assert response.json() == {"error": '请发送 {"items": [ … ]}。', "field": "items"}
    else:
        assert response.json() == {"error": "请发送一个 JSON 对象。", "field": ""}, address


@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_a_post_without_a_body_is_told_to_send_a_json_object_naming_no_field_at_every_address(
    world, enterprise_admin, api, content_type
):
    # The appeals' and the resumption's answered "This field is required." naming no field.
    client = api(enterprise_admin)
    addresses = _json_body_operations()
    assert "/api/v1/appeals" in addresses and "/api/v1/checkins" in addresses
    stored = _stored()
    for address in addresses:
        # None: no body at all, no Content-Type (curl -X POST)
        body = None if content_type is None else b""
        response = client.post_raw(address, body, content_type)
        _assert_told_to_send_a_json_object(response, address)
    assert _stored() == stored


@pytest.mark.parametrize("body", [b"null", b"[]", b"[{}]", b"3", b'"x"', b"true"])
def test_a_body_that_is_json_but_no_object_is_told_to_send_a_json_object_at_every_address(
    world, enterprise_admin, api, body
):
    # The appeals' and the resumption's read it as an object with no fields, and asked for
    # their first required field ("category", "planned_date").
    client = api(enterprise_admin)
    stored = _stored()
    for address in _json_body_operations():
        response = client.post_raw(address, body, "application/json")
        _assert_told_to_send_a_json_object(response, address)
    assert _stored() == stored
