"""A user changes their own password, giving the current one."""

from __future__ import annotations

from django.test import Client

from fugong.audit.models import AuditEvent

NEW = "Fugong-2026-new"


def _change(client: Client, old: str, new: str = NEW, again: str | None = None):
    return client.post(
        "/account/password/",
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_a_user_changes_their_password_and_logs_in_with_the_new_one(employee):
    client = Client()
    client.post("/login/", {"username": "employee", "password": "pw-employee"})
    elsewhere = Client()
    elsewhere.post("/login/", {"username": "employee", "password": "pw-employee"})
    page = client.get("/account/password/")
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    response = _change(client, "pw-employee")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "密码已修改" in client.get("/").content.decode()  # and this session stays open
    assert AuditEvent.objects.filter(action="user.password_changed", actor=employee).exists()
    assert elsewhere.get("/").status_code == 302  # the other session has ended
    fresh = Client()
    assert (
        fresh.post("/login/", {"username": "employee", "password": "pw-employee"}).status_code
        == 400
    )
    assert fresh.post("/login/", {"username": "employee", "password": NEW}).status_code == 302


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(employee, login):
    client = login(employee)
    wrong = _change(client, "nope")
    assert wrong.status_code == 400 and "旧密码不正确" in wrong.content.decode()
    weak = _change(client, "pw-employee", new="12345678")
    assert weak.status_code == 400 and "这个密码太常见了" in weak.content.decode()
    mismatch = _change(client, "pw-employee", again=NEW + "x")
    assert mismatch.status_code == 400
    employee.refresh_from_db()
    assert employee.check_password("pw-employee")
    assert not AuditEvent.objects.filter(action="user.password_changed").exists()


def test_guessing_the_current_password_is_throttled_like_logins(employee, login, settings):
    client = login(employee)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _change(client, "nope")
    blocked = _change(client, "pw-employee")
    assert blocked.status_code == 429
    employee.refresh_from_db()
    assert employee.check_password("pw-employee")


def test_the_password_page_needs_a_login(client):
    response = client.get("/account/password/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert _change(client, "x").status_code == 302
