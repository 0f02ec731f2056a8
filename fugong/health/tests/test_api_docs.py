from __future__ import annotations

import uuid

from fugong.health.api import CHECKIN_EXAMPLE
from fugong.health.models import CheckIn
from fugong.lib.dates import business_today
from fugong.lib.testing import hire


def test_the_api_description_gives_the_check_in_contract(client):
    schema = client.get("/api/v1/openapi.json").json()
    single = schema["paths"]["/api/v1/checkins"]["post"]
    assert set(single["responses"]) == {"200", "201", "400", "401", "404"}
    answer = single["responses"]["201"]["content"]["application/json"]["schema"]
    assert answer["required"] == ["id", "person", "date", "health_code", "can_work", "reasons"]
    sent = single["requestBody"]["content"]["application/json"]["schema"]
    assert set(sent["required"]) == set(CHECKIN_EXAMPLE) - {"symptoms"}
    assert sent["properties"]["temperature"]["type"] == "number"
    assert sent["properties"]["work_mode"]["enum"] == ["leave", "onsite", "remote"]
    error = single["responses"]["400"]["content"]["application/json"]["schema"]
    assert set(error["properties"]) == {"error", "field"}
    batch = schema["paths"]["/api/v1/checkins/batch"]["post"]
    assert set(batch["responses"]) == {"200", "400", "401", "404"}
    assert "Bearer TOKEN" in schema["info"]["description"]


def test_the_documented_example_is_a_valid_check_in_but_for_its_date(world, enterprise_admin, api):
    hire(world.enterprise, id_number=CHECKIN_EXAMPLE["id_number"])
    example = {**CHECKIN_EXAMPLE, "client_id": str(uuid.uuid4())}
    old = api(enterprise_admin).post("/api/v1/checkins", example)
    assert old.status_code == 400 and old.json()["field"] == "date"
    today = {**example, "date": business_today().isoformat()}
    assert api(enterprise_admin).post("/api/v1/checkins", today).status_code == 201
    assert CheckIn.objects.count() == 1


def test_the_api_description_gives_the_roster_contract(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/employees"]["post"]["responses"]) == {
        "201",
        "400",
        "401",
        "404",
        "409",
    }
    assert set(paths["/api/v1/employees"]["get"]["responses"]) == {"200", "400", "401", "404"}
    delete = paths["/api/v1/employees/{employment_id}"]["delete"]["responses"]
    assert set(delete) == {"204", "400", "401", "404"}  # 400: an id that is not a number
    (page,) = paths["/api/v1/employees"]["get"]["parameters"]
    assert page["name"] == "page" and page["schema"]["minimum"] == 1


def test_the_roster_example_is_a_valid_new_employee(world, enterprise_admin, api):
    from fugong.people.api import EMPLOYEE_EXAMPLE

    response = api(enterprise_admin).post("/api/v1/employees", EMPLOYEE_EXAMPLE)
    assert response.status_code == 201
    assert response.json()["name"] == EMPLOYEE_EXAMPLE["name"]


# What each operation answers besides its success: every one takes a token (401); these are the
# errors their code raises (a schema's validation and FieldError 400, Http404, Conflict 409).
DOCUMENTED_ERRORS = {
    ("get", "/api/v1/ping"): {"401"},
    ("post", "/api/v1/employees"): {"400", "401", "404", "409"},
    ("get", "/api/v1/employees"): {"400", "401", "404"},
    ("delete", "/api/v1/employees/{employment_id}"): {"400", "401", "404"},
    ("post", "/api/v1/checkins"): {"400", "401", "404"},
    ("post", "/api/v1/checkins/batch"): {"400", "401", "404"},
    ("get", "/api/v1/stats/resumption"): {"400", "401", "404"},
    ("get", "/api/v1/briefing"): {"400", "401", "404"},
    ("get", "/api/v1/resumption/checklist"): {"401"},
    ("post", "/api/v1/resumption/applications"): {"400", "401", "404", "409"},
    ("post", "/api/v1/resumption/attachments"): {"400", "401", "404"},
    ("get", "/api/v1/resumption/status"): {"401", "404"},
    ("get", "/api/v1/resumption/applications/{application_id}"): {"400", "401", "404"},
    ("post", "/api/v1/resumption/applications/{application_id}/decisions"): {
        "400",
        "401",
        "404",
        "409",
    },
    ("post", "/api/v1/appeals"): {"400", "401", "404"},
    ("get", "/api/v1/appeals/{appeal_id}"): {"400", "401", "404"},
    ("post", "/api/v1/appeals/{appeal_id}/events"): {"400", "401", "404", "409"},
}


def test_every_operation_documents_the_errors_it_answers_in_the_error_shape(client):
    from fugong.lib.openapi import ERROR

    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = {(m, path): op for path, ops in paths.items() for m, op in ops.items()}
    assert set(operations) == set(DOCUMENTED_ERRORS)
    for key, operation in operations.items():
        errors = {code for code in operation["responses"] if code.startswith("4")}
        assert errors == DOCUMENTED_ERRORS[key], key
        for code in errors:
            schema = operation["responses"][code]["content"]["application/json"]["schema"]
            assert schema == ERROR, (key, code)


def test_the_values_a_field_takes_are_documented_where_they_are_few(client):
    schema = client.get("/api/v1/openapi.json").json()
    parts = schema["components"]["schemas"]
    assert "labour" in parts["AppealIn"]["properties"]["category"]["enum"]
    assert parts["AppealIn"]["properties"]["urgency"]["enum"] == ["normal", "urgent"]
    assert parts["EventIn"]["properties"]["action"]["enum"] == [
        "accept",
        "transfer",
        "answer",
        "close",
        "reopen",
    ]
    assert parts["DecisionIn"]["properties"]["decision"]["enum"] == ["approve", "return", "reject"]
    stats = schema["paths"]["/api/v1/stats/resumption"]["get"]["parameters"]
    by = next(p for p in stats if p["name"] == "by")
    assert by["schema"]["enum"] == ["district", "township", "industry", "scale"]
