"""An employee changes their own phone number, the one the check-in link identifies them by."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client

from fugong.audit.models import AuditEvent
from fugong.health.actions import link_for
from fugong.lib.testing import hire
from fugong.people.actions import do_change_own_phone

OLD = "13912345678"  # the employee fixture's (fugong.lib.testing.hire)
NEW = "13900002222"
BAD_PHONE = "请填写 11 位手机号码或固定电话号码。"


def _change(client: Client, phone: str, password: str = "pw-employee"):
    return client.post("/account/phone/", {"phone": phone, "password": password})


def _identify(client: Client, world, person, phone: str):
    """The check-in link's identity check, as someone at the factory gate would fill it in."""
    link = link_for(world.enterprise)
    return client.post(f"/c/{link.token}/", {"id_tail": person.id_number[-6:], "phone": phone})


def test_an_employee_changes_their_phone_and_the_check_in_link_knows_them_by_the_new_one(
    world, employee, login
):
    person = employee.person
    client = login(employee)
    page = client.get("/account/phone/")
    html = page.content.decode()
    assert page.status_code == 200 and "修改手机号码" in html
    assert "已登记:139*****678" in html and OLD not in html  # their own number, masked
    response = _change(client, "139-0000-2222")  # as typed: dashes go
    assert response.status_code == 302 and response["Location"] == "/"
    assert "您的手机号码已改为 139*****222" in client.get("/").content.decode()
    person.refresh_from_db()
    assert person.phone == NEW
    assert _identify(Client(), world, person, OLD).status_code == 400
    new = _identify(Client(), world, person, NEW)
    assert new.status_code == 302 and new["Location"].endswith("/checkin/")


def test_the_change_is_audited_with_the_new_number_masked_and_nowhere_in_full(employee, login):
    response = _change(login(employee), NEW)
    assert response.status_code == 302 and NEW not in response["Location"]
    changed = AuditEvent.objects.get(action="person.changed")
    assert changed.actor == employee and changed.object_id == str(employee.person.pk)
    assert changed.details == {"phone": "139*****222"}  # as the admin's correction writes it
    for event in AuditEvent.objects.all():
        assert NEW not in str(event.details) and OLD not in str(event.details)


def test_a_wrong_password_changes_nothing_and_counts_as_a_failed_login(employee, login):
    client = login(employee)
    response = _change(client, NEW, password="nope")
    assert response.status_code == 400 and "登录密码不正确。" in response.content.decode()
    employee.person.refresh_from_db()
    assert employee.person.phone == OLD
    assert not AuditEvent.objects.filter(action="person.changed").exists()
    assert AuditEvent.objects.filter(action="login.failed").count() == 1


def test_guessing_the_password_on_the_phone_page_is_throttled_like_logins(
    employee, login, settings
):
    client = login(employee)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert _change(client, NEW, password="nope").status_code == 400
    blocked = _change(client, NEW)
    assert blocked.status_code == 429 and "尝试失败次数过多" in blocked.content.decode()
    employee.person.refresh_from_db()
    assert employee.person.phone == OLD
    # The same count as the login form's: that is blocked too.
    fresh = Client()
    login_page = fresh.post("/login/", {"username": "employee", "password": "pw-employee"})
    assert login_page.status_code == 429


def test_a_number_that_is_not_one_is_refused_with_the_roster_forms_message(employee, login):
    client = login(employee)
    response = _change(client, "2391234567")
    assert response.status_code == 400
    assert response.context["form"].errors["phone"] == [BAD_PHONE]
    assert BAD_PHONE in response.content.decode()
    too_long = _change(client, "1" * 31)  # longer than PHONE_TYPED_LENGTH
    assert too_long.status_code == 400 and "31" in too_long.context["form"].errors["phone"][0]
    employee.person.refresh_from_db()
    assert employee.person.phone == OLD
    assert not AuditEvent.objects.filter(action="person.changed").exists()
    assert not AuditEvent.objects.filter(action="login.failed").exists()  # the password was right


def test_the_number_they_already_have_changes_nothing(employee, login):
    client = login(employee)
    response = _change(client, "139 1234 5678")
    assert response.status_code == 302
    assert "139*****678 已是您的手机号码,未作修改。" in client.get("/").content.decode()
    assert not AuditEvent.objects.filter(action="person.changed").exists()


def test_a_user_with_no_person_record_gets_404(township_officer, command_centre, login):
    for user in (township_officer, command_centre):
        client = login(user)
        assert client.get("/account/phone/").status_code == 404
        assert client.post("/account/phone/", {"phone": NEW, "password": "x"}).status_code == 404


def test_the_phone_page_needs_a_login(client):
    response = client.get("/account/phone/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_menu_offers_the_phone_page_to_an_employee_and_not_to_an_officer(
    employee, township_officer, login
):
    html = login(employee).get("/").content.decode()
    assert html.count('href="/account/phone/"') == 1  # in the menu, not as a home-page tile
    assert "修改手机号码" in html
    officer = login(township_officer).get("/").content.decode()
    assert 'href="/account/phone/"' not in officer and "修改手机号码" not in officer


def test_another_persons_phone_cannot_be_changed_through_the_action(world, employee):
    colleague = hire(world.enterprise, name="钱七", phone="13800000001")
    with pytest.raises(Http404):
        do_change_own_phone(colleague, NEW, actor=employee)
    colleague.refresh_from_db()
    assert colleague.phone == "13800000001"


def test_the_phone_page_in_english(employee, login, settings):
    client = login(employee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/account/phone/").content.decode()
    assert "Change phone number" in page and "Registered: 139*****678" in page
    assert "New phone number" in page and "Your password" in page
    assert "check-in link identifies you by this number" in page
    wrong = _change(client, NEW, password="nope").content.decode()
    assert "Your password is not correct." in wrong
    bad = _change(client, "2391234567").content.decode()
    assert "Give a mobile number of 11 digits or a landline number." in bad
    _change(client, NEW)
    assert "Your phone number is now 139*****222." in client.get("/").content.decode()
