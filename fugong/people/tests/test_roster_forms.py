"""The roster's web forms check each field as the import and the API do (one rule each)."""

from __future__ import annotations

import datetime as dt

from fugong.audit.models import AuditEvent
from fugong.lib.dates import business_today
from fugong.lib.testing import hire, valid_id_number
from fugong.people.models import Employment

CONTROL = "请删除文字中的控制字符(制表符、换行或空字符)。"
TOO_FAR = "入职日期晚于一年以后。"


def too_far() -> str:
    return (business_today() + dt.timedelta(days=367)).isoformat()


def test_the_add_form_refuses_a_start_date_more_than_a_year_ahead(world, enterprise_admin, login):
    data = {
        "id_number": valid_id_number(),
        "name": "孙八",
        "phone": "13900001111",
        "home_division": "440604001001",
        "post": "",
        "start_date": too_far(),
    }
    response = login(enterprise_admin).post("/people/roster/add/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["start_date"] == [TOO_FAR]
    assert not Employment.objects.exists()


def test_the_add_form_takes_a_start_date_next_month(world, enterprise_admin, login):
    start = business_today() + dt.timedelta(days=30)
    data = {
        "id_number": valid_id_number(),
        "name": "孙八",
        "phone": "13900001111",
        "home_division": "440604001001",
        "post": "",
        "start_date": start.isoformat(),
    }
    assert login(enterprise_admin).post("/people/roster/add/", data).status_code == 302
    assert Employment.objects.get().start_date == start


def test_the_edit_form_refuses_a_post_with_a_control_character(world, enterprise_admin, login):
    employment = hire(world.enterprise, post="操作工").employments.get()
    response = login(enterprise_admin).post(
        f"/people/roster/{employment.pk}/edit/", {"post": "a\tb", "start_date": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["post"] == [CONTROL]
    assert CONTROL in response.content.decode()
    employment.refresh_from_db()
    assert employment.post == "操作工"
    assert not AuditEvent.objects.filter(action="employment.changed").exists()


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
