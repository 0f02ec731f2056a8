from __future__ import annotations

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
