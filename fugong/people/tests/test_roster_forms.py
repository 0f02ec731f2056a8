"""The roster's web forms check each field as the import and the API do (one rule each)."""

from __future__ import annotations

import datetime as dt

import pytest

from fugong.audit.models import AuditEvent
from fugong.lib.dates import business_today
from fugong.lib.testing import hire, valid_id_number
from fugong.people.models import Employment, Person

CONTROL = "请删除文字中的控制字符(制表符、换行或空字符)。"
TOO_FAR = "入职日期不能晚于一年以后。"
BAD_CHECK = "该身份证号码的校验码错误。"
BAD_PHONE = "请填写 11 位手机号码或固定电话号码。"
BAD_DIVISION = "请填写本市的行政区划代码或全国县级行政区划代码。"
REQUIRED = "这个字段是必填项。"
DIRECTION = "请删除文字中看不见的文字方向控制字符(如 U+202E,它使其后的文字反向显示)。"
BEFORE_BIRTH = "入职日期不能早于本人的出生日期(见身份证号码)。"


def bad_check_character(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def add_form(**changes: str) -> dict[str, str]:
    """What the add form sends for a valid new person, with ``changes``."""
    data = {
        "id_number": valid_id_number(),
        "name": "孙八",
        "phone": "13900001111",
        "home_division": "440604001001",
        "post": "",
    }
    data.update(changes)
    return data


def too_far() -> str:
    return (business_today() + dt.timedelta(days=367)).isoformat()


def test_the_add_form_refuses_a_start_date_more_than_a_year_ahead(world, enterprise_admin, login):
    data = add_form(start_date=too_far())
    response = login(enterprise_admin).post("/people/roster/add/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["start_date"] == [TOO_FAR]
    assert not Employment.objects.exists()


def test_the_add_form_takes_a_start_date_next_month(world, enterprise_admin, login):
    start = business_today() + dt.timedelta(days=30)
    data = add_form(start_date=start.isoformat())
    assert login(enterprise_admin).post("/people/roster/add/", data).status_code == 302
    assert Employment.objects.get().start_date == start


@pytest.mark.parametrize("post", ["a\tb", "工\u2028人"])
def test_the_edit_form_refuses_a_post_with_a_control_character(
    world, enterprise_admin, login, post
):
    employment = hire(world.enterprise, post="操作工").employments.get()
    response = login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/", {"post": post, "start_date": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["post"] == [CONTROL]
    assert CONTROL in response.content.decode()
    employment.refresh_from_db()
    assert employment.post == "操作工"
    assert not AuditEvent.objects.filter(action="employment.changed").exists()


def test_a_nul_in_the_post_is_named_as_nul(world, enterprise_admin, login):
    employment = hire(world.enterprise, post="操作工").employments.get()
    response = login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/", {"post": "a\x00b", "start_date": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["post"] == ["文字中不能含有空字符。"]


def test_the_edit_form_refuses_a_start_date_more_than_a_year_ahead(world, enterprise_admin, login):
    employment = hire(world.enterprise).employments.get()
    response = login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/", {"post": "主管", "start_date": too_far()}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["start_date"] == [TOO_FAR]
    employment.refresh_from_db()
    assert (employment.post, employment.start_date) == ("操作工", None)


def test_a_change_on_the_edit_form_is_saved_and_audited(world, enterprise_admin, login):
    employment = hire(world.enterprise).employments.get()
    response = login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/", {"post": " 主管 ", "start_date": "2020-02-03"}
    )
    assert response.status_code == 302
    employment.refresh_from_db()
    assert (employment.post, employment.start_date) == ("主管", dt.date(2020, 2, 3))
    assert AuditEvent.objects.filter(action="employment.changed").count() == 1


def test_another_enterprises_employment_cannot_be_edited(world, other_enterprise_admin, login):
    employment = hire(world.enterprise).employments.get()
    response = login(other_enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/", {"post": "主管", "start_date": ""}
    )
    assert response.status_code == 404
    employment.refresh_from_db()
    assert employment.post == "操作工"


def test_a_hire_that_has_not_started_is_called_off_on_the_end_page(world, enterprise_admin, login):
    # The end page refused every last day before the start date, so someone imported with a
    # start date ahead could not be taken off the roster (the board counted them as missing).
    employment = hire(world.enterprise, name="周九").employments.get()
    start = business_today() + dt.timedelta(days=60)
    Employment.objects.filter(pk=employment.pk).update(start_date=start)
    client = login(enterprise_admin)
    page = client.get(f"/people/roster/{employment.pk}/end/").content.decode()
    assert "此人尚未入职:终止雇佣即记录此次录用未实现。" in page
    assert 'min="' not in page
    response = client.post(f"/people/roster/{employment.pk}/end/", {"end_date": ""}, follow=True)
    assert response.status_code == 200
    assert "录用已取消,记录保留。" in response.content.decode()
    employment.refresh_from_db()
    assert (employment.active, employment.start_date) == (False, start)
    assert employment.end_date == business_today()
    event = AuditEvent.objects.get(action="employment.ended", object_id=str(employment.pk))
    assert event.details == {"end_date": business_today().isoformat(), "not_started": True}
    assert "周九" not in client.get("/people/roster/").content.decode()


def test_a_hire_that_has_not_started_still_cannot_end_in_the_future(world, enterprise_admin, login):
    employment = hire(world.enterprise).employments.get()
    start = business_today() + dt.timedelta(days=60)
    Employment.objects.filter(pk=employment.pk).update(start_date=start)
    tomorrow = business_today() + dt.timedelta(days=1)
    response = login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/end/", {"end_date": tomorrow.isoformat()}
    )
    assert response.status_code == 400
    assert "最后工作日不能晚于今天。" in response.content.decode()
    employment.refresh_from_db()
    assert employment.active


def test_another_enterprise_cannot_call_off_a_hire(world, other_enterprise_admin, login):
    employment = hire(world.enterprise).employments.get()
    Employment.objects.filter(pk=employment.pk).update(
        start_date=business_today() + dt.timedelta(days=60)
    )
    response = login(other_enterprise_admin).post(f"/people/roster/{employment.pk}/end/")
    assert response.status_code == 404
    employment.refresh_from_db()
    assert employment.active


def test_a_roster_search_without_matches_says_nobody_matches(world, enterprise_admin, login):
    hire(world.enterprise, name="周九")
    client = login(enterprise_admin)
    html = client.post("/people/roster/", {"q": "王"}).content.decode()
    assert "花名册中没有符合条件的人员。" in html and "花名册中还没有人员。" not in html
    found = client.post("/people/roster/", {"q": "周"}).content.decode()
    assert "周九" in found and 'data-testid="roster-empty"' not in found


def test_an_empty_roster_says_nobody_is_on_it_yet(world, enterprise_admin, login):
    html = login(enterprise_admin).get("/people/roster/").content.decode()
    assert "花名册中还没有人员。" in html and "花名册中没有符合条件的人员。" not in html


def test_the_edit_form_corrects_the_phone_number_the_check_in_link_identifies_by(
    world, enterprise_admin, login
):
    person = hire(world.enterprise, phone="13912345678")
    employment = person.employments.get()
    client = login(enterprise_admin)
    page = client.get(f"/people/roster/{employment.pk}/edit/").content.decode()
    assert "已登记:139*****678" in page and "13912345678" not in page
    response = client.post(
        f"/people/roster/{employment.pk}/edit/",
        {"post": "操作工", "start_date": "", "phone": "139-0000-2222"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13900002222"
    changed = AuditEvent.objects.get(action="person.changed", object_id=str(person.pk))
    assert changed.details == {"phone": "139*****222"} and changed.actor == enterprise_admin
    assert AuditEvent.objects.get(action="employment.changed").details == {
        "fields": ["post", "start_date", "phone"]
    }


def test_the_edit_form_keeps_the_phone_number_when_the_field_is_left_empty(
    world, enterprise_admin, login
):
    person = hire(world.enterprise, phone="13912345678")
    employment = person.employments.get()
    response = login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/", {"post": "主管", "start_date": "", "phone": " "}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13912345678"
    assert not AuditEvent.objects.filter(action="person.changed").exists()


def test_the_edit_form_refuses_a_phone_number_that_is_not_one(world, enterprise_admin, login):
    person = hire(world.enterprise, phone="13912345678")
    employment = person.employments.get()
    response = login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/",
        {"post": "主管", "start_date": "", "phone": "2391234567"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["phone"] == ["请填写 11 位手机号码或固定电话号码。"]
    person.refresh_from_db()
    employment.refresh_from_db()
    assert (person.phone, employment.post) == ("13912345678", "操作工")  # nothing half-written
    assert not AuditEvent.objects.filter(action__in=["person.changed", "employment.changed"])


def test_another_enterprise_cannot_correct_a_persons_phone_number(
    world, other_enterprise_admin, login
):
    person = hire(world.enterprise, phone="13912345678")
    employment = person.employments.get()
    response = login(other_enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/",
        {"post": "操作工", "start_date": "", "phone": "13900002222"},
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.phone == "13912345678"


def test_after_a_phone_correction_the_check_in_link_knows_the_person_by_the_new_number(
    world, enterprise_admin, login, client
):
    from fugong.health.actions import link_for

    number = valid_id_number()
    person = hire(world.enterprise, id_number=number, phone="13912345678")
    employment = person.employments.get()
    login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/",
        {"post": "操作工", "start_date": "", "phone": "13900002222"},
    )
    link = link_for(world.enterprise)
    old = client.post(f"/c/{link.token}/", {"id_tail": number[-6:], "phone": "13912345678"})
    assert old.status_code == 400
    new = client.post(f"/c/{link.token}/", {"id_tail": number[-6:], "phone": "13900002222"})
    assert new.status_code == 302 and new["Location"].endswith("/checkin/")


def test_the_add_form_shows_every_bad_field_on_one_submit(world, enterprise_admin, login):
    data = add_form(
        id_number=bad_check_character(valid_id_number()),
        phone="139000",
        home_division="999",
        start_date=too_far(),
    )
    response = login(enterprise_admin).post("/people/roster/add/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "id_number": [BAD_CHECK],
        "phone": [BAD_PHONE],
        "home_division": [BAD_DIVISION],
        "start_date": [TOO_FAR],
    }
    html = response.content.decode()
    assert all(m in html for m in (BAD_CHECK, BAD_PHONE, BAD_DIVISION, TOO_FAR))
    assert not Employment.objects.exists() and not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_add_form_shows_a_wrong_id_number_beside_the_empty_required_fields(
    world, enterprise_admin, login
):
    data = {"id_number": bad_check_character(valid_id_number()), "name": "", "phone": ""}
    response = login(enterprise_admin).post("/people/roster/add/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "id_number": [BAD_CHECK],
        "name": [REQUIRED],
        "phone": [REQUIRED],
        "home_division": [REQUIRED],
    }
    assert BAD_CHECK in response.content.decode()
    assert not Person.objects.exists()


def test_the_edit_form_shows_every_bad_field_on_one_submit(world, enterprise_admin, login):
    person = hire(world.enterprise, phone="13912345678")
    employment = person.employments.get()
    response = login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/",
        {"post": "a\tb", "start_date": too_far(), "phone": "139000"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "post": [CONTROL],
        "start_date": [TOO_FAR],
        "phone": [BAD_PHONE],
    }
    employment.refresh_from_db()
    person.refresh_from_db()
    assert (employment.post, person.phone) == ("操作工", "13912345678")


def test_the_add_form_refuses_a_start_date_before_the_persons_birth(world, enterprise_admin, login):
    data = add_form(id_number=valid_id_number(birth=dt.date(1985, 6, 12)), start_date="1900-01-01")
    response = login(enterprise_admin).post("/people/roster/add/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == {"start_date": [BEFORE_BIRTH]}
    assert BEFORE_BIRTH in response.content.decode()
    assert not Employment.objects.exists() and not Person.objects.exists()


def test_the_add_form_takes_a_start_date_after_the_persons_birth(world, enterprise_admin, login):
    data = add_form(id_number=valid_id_number(birth=dt.date(1985, 6, 12)), start_date="2005-07-01")
    assert login(enterprise_admin).post("/people/roster/add/", data).status_code == 302
    assert Employment.objects.get().start_date == dt.date(2005, 7, 1)


def test_the_edit_form_refuses_a_start_date_before_the_persons_birth(
    world, enterprise_admin, login
):
    person = hire(world.enterprise, id_number=valid_id_number(birth=dt.date(1985, 6, 12)))
    employment = person.employments.get()
    response = login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/", {"post": "主管", "start_date": "1985-06-11"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"start_date": [BEFORE_BIRTH]}
    employment.refresh_from_db()
    assert (employment.post, employment.start_date) == ("操作工", None)
    assert not AuditEvent.objects.filter(action="employment.changed").exists()


@pytest.mark.parametrize("name", ["王\u202e五六", "\u2067王五\u2069", "王\u200f五"])
def test_the_add_form_refuses_a_name_with_an_invisible_text_direction_character(
    world, enterprise_admin, login, name
):
    data = {
        "id_number": valid_id_number(),
        "name": name,
        "phone": "13900001111",
        "home_division": "440604001001",
    }
    response = login(enterprise_admin).post("/people/roster/add/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == {"name": [DIRECTION]}
    assert DIRECTION in response.content.decode()
    assert not Person.objects.exists()


def test_the_add_form_takes_a_minority_name_with_a_middle_dot(world, enterprise_admin, login):
    data = {
        "id_number": valid_id_number(),
        "name": "阿依古丽·买买提",
        "phone": "13900001111",
        "home_division": "440604001001",
    }
    assert login(enterprise_admin).post("/people/roster/add/", data).status_code == 302
    assert Person.objects.get().name == "阿依古丽·买买提"


def test_the_edit_form_refuses_a_post_with_an_invisible_text_direction_character(
    world, enterprise_admin, login
):
    employment = hire(world.enterprise, post="操作工").employments.get()
    response = login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/", {"post": "工\u202e人", "start_date": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"post": [DIRECTION]}
    employment.refresh_from_db()
    assert employment.post == "操作工"


def test_the_add_and_edit_forms_take_a_phone_number_typed_with_spaces_and_dashes_alike(
    world, enterprise_admin, login
):
    typed = "+86 139 - 0000 - 1111"  # 21 characters: the add form took 20, the edit form 30
    assert len(typed) > 20
    client = login(enterprise_admin)
    data = {
        "id_number": valid_id_number(),
        "name": "孙八",
        "phone": typed,
        "home_division": "440604001001",
    }
    assert client.post("/people/roster/add/", data).status_code == 302
    person = Person.objects.get()
    assert person.phone == "13900001111"
    employment = person.employments.get()
    edit = client.post(
        f"/people/roster/{employment.pk}/edit/",
        {"post": "", "start_date": "", "phone": typed.replace("1111", "2222")},
    )
    assert edit.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13900002222"
    add_page = client.get("/people/roster/add/").content.decode()
    edit_page = client.get(f"/people/roster/{employment.pk}/edit/").content.decode()
    assert 'name="phone" maxlength="30"' in add_page
    assert 'name="phone" maxlength="30"' in edit_page
