"""Real-name check (实名核验): an ID number already registered in the city is put on a roster
only with the name registered for it, and the refusal never says that name."""

from __future__ import annotations

from fugong.health.models import RosterImport
from fugong.lib.testing import hire, valid_id_number
from fugong.people.models import Employment, Person

from .test_roster import upload, xlsx

MISMATCH = "姓名与该身份证号码登记的姓名不一致。"


def form(number: str, name: str) -> dict[str, str]:
    return {
        "id_number": number,
        "name": name,
        "phone": "13900001111",
        "home_division": "440604001001",
        "post": "",
        "start_date": "",
    }


def test_the_add_form_refuses_a_registered_id_number_under_another_name(
    world, enterprise_admin, login
):
    number = valid_id_number()
    hire(world.other_enterprise, id_number=number, name="董磊")
    response = login(enterprise_admin).post("/people/roster/add/", form(number, "假名"))
    assert response.status_code == 400
    html = response.content.decode()
    assert MISMATCH in html and "董磊" not in html
    assert response.context["form"].errors["name"] == [MISMATCH]
    assert not Employment.objects.filter(enterprise=world.enterprise).exists()


def test_the_add_form_hires_a_registered_person_under_their_registered_name(
    world, enterprise_admin, login
):
    number = valid_id_number()
    person = hire(world.other_enterprise, id_number=number, name="董磊")
    client = login(enterprise_admin)
    response = client.post("/people/roster/add/", form(number, " 董磊 "), follow=True)
    assert response.redirect_chain[-1] == ("/people/roster/", 302)
    assert Employment.objects.get(enterprise=world.enterprise).person == person
    assert Person.objects.count() == 1
    person.refresh_from_db()
    assert person.phone == "13912345678"  # the registered one, not 13900001111
    assert (
        f"此人已登记:保留其登记的手机号 {person.phone_masked}(打卡链接据此识别本人),未采用本次填写的号码。如号码已过时,请在其花名册行点“编辑”更正。"
        in response.content.decode()
    )


def test_the_api_refuses_a_registered_id_number_under_another_name(world, enterprise_admin, api):
    number = valid_id_number()
    hire(world.other_enterprise, id_number=number, name="董磊")
    body = {"id_number": number, "name": "随便", "phone": "13912345678"}
    body["home_division"] = "440604001001"
    response = api(enterprise_admin).post("/api/v1/employees", body)
    assert response.status_code == 400
    assert response.json() == {"error": MISMATCH, "field": "name"}
    assert "董磊" not in response.content.decode()
    assert not Employment.objects.filter(enterprise=world.enterprise).exists()


def test_the_import_refuses_a_registered_id_number_under_another_name_in_the_name_column(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    number = valid_id_number()
    same = valid_id_number()
    hire(world.other_enterprise, id_number=number, name="董磊")
    hire(world.other_enterprise, id_number=same, name="王五")
    rows = [
        ["假名", number, "13912340000", "440604001001", "", ""],
        ["王五", same, "13912340001", "440604001001", "", ""],
    ]
    client = login(enterprise_admin)
    upload(client, xlsx(rows), valid_rows_only=True, capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert imported.errors == [[2, "姓名", MISMATCH]]
    assert imported.accepted == 1
    mine = Employment.objects.filter(enterprise=world.enterprise).select_related("person")
    assert [e.person.name for e in mine] == ["王五"]
    report = client.get(f"/people/roster/import/{imported.pk}/").content.decode()
    assert MISMATCH in report and "董磊" not in report
