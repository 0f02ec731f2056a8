"""/api/v1/employees reads its body strictly (orjson), a start date exactly as YYYY-MM-DD within
the form's and the import's bounds, and answers a DELETE that lost a race as a repeat: 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fugong.audit.models import AuditEvent
from fugong.lib.dates import business_today
from fugong.lib.testing import hire, valid_id_number
from fugong.people import api as employees_api
from fugong.people.models import Employment, Person

from .test_api_employees import employee


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_a_body_with_nan_or_infinity_is_not_json(enterprise_admin, api, number):
    # The json module read them (as a float), so they reached the fields' checks.
    body = json.dumps(employee(), ensure_ascii=False).replace(
        '"post": "操作工"', f'"post": {number}'
    )
    assert number in body
    response = api(enterprise_admin).post("/api/v1/employees", body)
    assert response.status_code == 400
    assert response.json() == {"error": "请求正文不是有效的 JSON。", "field": ""}
    assert not Person.objects.exists()


@pytest.mark.parametrize("typed", ["2026-W49-4", "2026-12-3 ", "20261203", "２０２６-１２-０３"])
def test_a_start_date_not_written_yyyy_mm_dd_is_400(enterprise_admin, api, typed):
    # 2026-W49-4 (ISO week date, ten characters) was stored as 2026-12-03.
    response = api(enterprise_admin).post("/api/v1/employees", employee(start_date=typed))
    assert response.status_code == 400
    assert response.json() == {"error": "日期格式为 YYYY-MM-DD。", "field": "start_date"}
    assert not Employment.objects.exists()


def test_a_start_date_more_than_a_year_ahead_is_400(enterprise_admin, api):
    far = (business_today() + dt.timedelta(days=367)).isoformat()
    response = api(enterprise_admin).post("/api/v1/employees", employee(start_date=far))
    assert response.status_code == 400
    assert response.json() == {"error": "入职日期不能晚于一年以后。", "field": "start_date"}
    assert not Employment.objects.exists() and not Person.objects.exists()


def test_a_start_date_before_the_persons_birth_is_400(enterprise_admin, api):
    body = employee(id_number=valid_id_number(birth=dt.date(1985, 6, 12)), start_date="1900-01-01")
    response = api(enterprise_admin).post("/api/v1/employees", body)
    assert response.status_code == 400
    assert response.json() == {
        "error": "入职日期不能早于本人的出生日期(见身份证号码)。",
        "field": "start_date",
    }
    assert not Employment.objects.exists() and not Person.objects.exists()


def test_a_body_with_several_bad_fields_is_400_naming_the_first_of_them(enterprise_admin, api):
    # The add form shows every bad field at once; the API's answer stays one error, one field.
    number = valid_id_number()
    body = employee(
        id_number=number[:17] + ("0" if number[17] != "0" else "1"),
        phone="139000",
        home_division="999",
        start_date="2999-01-01",
    )
    response = api(enterprise_admin).post("/api/v1/employees", body)
    assert response.status_code == 400
    assert response.json() == {"error": "该身份证号码的校验码错误。", "field": "id_number"}
    body["id_number"] = number
    response = api(enterprise_admin).post("/api/v1/employees", body)
    assert response.json() == {
        "error": "请填写 11 位手机号码或固定电话号码。",
        "field": "phone",
    }
    assert not Person.objects.exists()


def test_a_delete_that_another_delete_overtook_is_404(world, enterprise_admin, api, monkeypatch):
    employment = hire(world.enterprise).employments.get()
    real = employees_api.do_end_employment

    def overtaken(employment, **kwargs):
        real(Employment.objects.get(pk=employment.pk), **kwargs)  # the other request, first
        return real(employment, **kwargs)

    monkeypatch.setattr(employees_api, "do_end_employment", overtaken)
    response = api(enterprise_admin).delete(f"/api/v1/employees/{employment.pk}")
    assert response.status_code == 404  # was 409, while a repeat after it is 404
    employment.refresh_from_db()
    assert employment.active is False
    assert AuditEvent.objects.filter(action="employment.ended").count() == 1
