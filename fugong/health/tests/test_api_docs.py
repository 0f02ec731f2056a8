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
    assert set(delete) == {"204", "401", "404"}


def test_the_roster_example_is_a_valid_new_employee(world, enterprise_admin, api):
    from fugong.people.api import EMPLOYEE_EXAMPLE

    response = api(enterprise_admin).post("/api/v1/employees", EMPLOYEE_EXAMPLE)
    assert response.status_code == 201
    assert response.json()["name"] == EMPLOYEE_EXAMPLE["name"]
