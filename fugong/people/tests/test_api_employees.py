from __future__ import annotations

import pytest

from fugong.audit.models import AuditEvent
from fugong.lib.testing import hire, valid_id_number
from fugong.people.models import Employment, Person


def employee(**overrides):
    body = {
        "id_number": valid_id_number(),
        "name": "周九",
        "phone": "13912345678",
        "home_division": "440604001001",
        "post": "操作工",
        "start_date": "2020-02-10",
    }
    body.update(overrides)
    return body


def test_an_enterprise_admin_adds_an_employee(world, enterprise_admin, api):
    data = employee()
    response = api(enterprise_admin).post("/api/v1/employees", data)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "person", "name", "post", "start_date"}
    assert body["person"].startswith("4406") and "*" in body["person"]
    assert data["id_number"] not in response.content.decode()
    assert body["start_date"] == "2020-02-10" and body["post"] == "操作工"
    employment = Employment.objects.get(pk=body["id"])
    assert employment.enterprise == world.enterprise and employment.person.name == "周九"
    assert AuditEvent.objects.filter(action="employment.created").exists()


def test_post_and_start_date_may_be_null(enterprise_admin, api):
    response = api(enterprise_admin).post("/api/v1/employees", employee(post=None, start_date=None))
    assert response.status_code == 201
    assert response.json()["post"] is None and response.json()["start_date"] is None


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_full_width_digits_are_stored_as_digits(enterprise_admin, api):
    number = valid_id_number()
    data = employee(
        id_number=number.translate(FULL_WIDTH),
        phone="１３９１２３４５６７８",
        home_division="４４０６０４００１００１",
    )
    assert api(enterprise_admin).post("/api/v1/employees", data).status_code == 201
    person = Person.objects.get()
    assert (person.id_number, person.phone) == (number, "13912345678")
    assert person.home_division.code == "440604001001"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13912345678", "13912345678"),
        ("+86 139-1234-5678", "13912345678"),
        ("020-12345678", "02012345678"),  # a three-digit area code and 8 digits
        ("0757-8123456", "07578123456"),  # a four-digit area code and 7 digits: 11 digits
        ("0757-82345678", "075782345678"),
        ("+86 757 8234 5678", "075782345678"),  # after +86 the area code drops its 0
        ("82345678", "82345678"),  # a landline without its area code
    ],
)
def test_mobile_and_landline_numbers_are_accepted(enterprise_admin, api, typed, stored):
    response = api(enterprise_admin).post("/api/v1/employees", employee(phone=typed))
    assert response.status_code == 201
    assert Person.objects.get().phone == stored


@pytest.mark.parametrize(
    "typed",
    [
        "1391234567",  # a mobile number missing a digit (was taken for a landline)
        "139123456789",  # one too many
        "23912345678",
        "4008123456",  # a service number, nobody's phone
        "0757123",  # an area code and too few digits
        "123456",
    ],
)
def test_numbers_that_are_neither_mobile_nor_landline_are_refused(enterprise_admin, api, typed):
    response = api(enterprise_admin).post("/api/v1/employees", employee(phone=typed))
    assert response.status_code == 400 and response.json()["field"] == "phone"
    assert not Person.objects.exists()


def test_the_same_id_on_this_roster_is_409(enterprise_admin, api):
    data = employee()
    client = api(enterprise_admin)
    assert client.post("/api/v1/employees", data).status_code == 201
    again = client.post("/api/v1/employees", data)
    assert again.status_code == 409
    assert Employment.objects.count() == 1


def test_every_invalid_field_is_400_and_nothing_is_stored(enterprise_admin, api):
    client = api(enterprise_admin)
    cases = {
        "id_number": "440604199003071230",
        "name": "",
        "phone": "12",
        "home_division": "999999",
        "post": "x" * 101,
        "start_date": "2020/02/10",
    }
    for field, value in cases.items():
        response = client.post("/api/v1/employees", employee(**{field: value}))
        assert response.status_code == 400, field
        assert response.json()["field"] == field
    assert Employment.objects.count() == 0 and Person.objects.count() == 0


def test_a_name_or_post_with_a_control_character_is_400_naming_the_field(enterprise_admin, api):
    client = api(enterprise_admin)
    for field, value in [("name", "周\x00九"), ("name", "周\t九"), ("post", "操作\n工")]:
        response = client.post("/api/v1/employees", employee(**{field: value}))
        assert response.status_code == 400, (field, value)
        assert response.json()["field"] == field
    assert Employment.objects.count() == 0 and Person.objects.count() == 0


def test_a_name_with_an_invisible_text_direction_character_is_400_naming_the_field(
    enterprise_admin, api
):
    response = api(enterprise_admin).post("/api/v1/employees", employee(name="王\u202e五六"))
    assert response.status_code == 400
    assert response.json() == {
        "error": "请删除文字中看不见的文字方向控制字符(如 U+202E,它使其后的文字反向显示)。",
        "field": "name",
    }
    assert Employment.objects.count() == 0 and Person.objects.count() == 0


def test_the_list_shows_this_enterprise_only_with_paging(world, enterprise_admin, api):
    for _ in range(3):
        hire(world.enterprise)
    hire(world.other_enterprise, name="外人")
    response = api(enterprise_admin).get("/api/v1/employees", page=1)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and len(body["items"]) == 3
    assert "外人" not in response.content.decode()
    assert api(enterprise_admin).get("/api/v1/employees", page=2).json()["items"] == []


def test_a_page_past_the_end_is_empty_however_far(world, enterprise_admin, api):
    hire(world.enterprise)
    for page in (2, 10**20):
        response = api(enterprise_admin).get("/api/v1/employees", page=page)
        assert response.status_code == 200
        assert response.json() == {"count": 1, "items": []}


def test_delete_ends_the_employment_and_keeps_history(world, enterprise_admin, api):
    person = hire(world.enterprise)
    employment = person.employments.get()
    response = api(enterprise_admin).delete(f"/api/v1/employees/{employment.pk}")
    assert response.status_code == 204
    employment.refresh_from_db()
    assert employment.active is False and Person.objects.filter(pk=person.pk).exists()
    assert api(enterprise_admin).delete(f"/api/v1/employees/{employment.pk}").status_code == 404


def test_another_enterprises_employee_cannot_be_deleted(world, other_enterprise_admin, api):
    employment = hire(world.enterprise).employments.get()
    assert (
        api(other_enterprise_admin).delete(f"/api/v1/employees/{employment.pk}").status_code == 404
    )
    employment.refresh_from_db()
    assert employment.active


def test_an_officer_without_an_enterprise_gets_404_and_no_token_gets_401(township_officer, api):
    assert api(township_officer).post("/api/v1/employees", employee()).status_code == 404
    assert api(township_officer).get("/api/v1/employees").status_code == 404
    assert api(None).get("/api/v1/employees").status_code == 401
    assert Employment.objects.count() == 0


def test_ending_an_employment_whose_id_is_not_a_number_is_the_documented_400(
    world, enterprise_admin, api
):
    hire(world.enterprise)
    response = api(enterprise_admin).delete("/api/v1/employees/null,null")
    assert response.status_code == 400
    assert response.json() == {"error": "employment_id: 请填写整数。", "field": "employment_id"}
    assert Employment.objects.filter(active=True).count() == 1
