import pytest
from django.test import Client

from fugong.accounts.models import Role
from fugong.audit.models import AuditEvent


def test_the_login_page_speaks_chinese_by_default(db):
    response = Client().get("/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_the_login_page_speaks_english_when_asked(db):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Log in" in client.get("/login/").content.decode()


def test_pages_need_a_login(db):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_user_logs_in_and_lands_on_their_home(enterprise_admin):
    client = Client()
    response = client.post("/login/", {"username": "ent_admin", "password": "pw-ent_admin"})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "甲电器有限公司" in home.content.decode()
    assert AuditEvent.objects.filter(action="user.logged_in", actor=enterprise_admin).exists()


def test_a_wrong_password_is_refused_with_a_message(enterprise_admin):
    response = Client().post("/login/", {"username": "ent_admin", "password": "nope"})
    assert response.status_code == 400
    assert "用户名或密码错误" in response.content.decode()


def test_repeated_failures_block_further_attempts_even_with_the_right_password(
    enterprise_admin, settings
):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/login/", {"username": "ent_admin", "password": "nope"})
    response = client.post("/login/", {"username": "ent_admin", "password": "pw-ent_admin"})
    assert response.status_code == 429
    assert "此账号尝试失败次数过多" not in response.content.decode()
    assert "尝试失败次数过多,请 15 分钟后再试。" in response.content.decode()
    assert client.get("/").status_code == 302  # still logged out


def test_typos_of_many_people_behind_one_address_do_not_lock_out_the_others(
    enterprise_admin, township_officer, settings
):
    client = Client()  # one address: a factory's Wi-Fi
    for k in range(settings.LOGIN_FAILURE_LIMIT * 2):
        client.post("/login/", {"username": f"worker{k}", "password": "nope"})
    response = client.post("/login/", {"username": "ent_admin", "password": "pw-ent_admin"})
    assert response.status_code == 302
    settings.ADDRESS_FAILURE_LIMIT = settings.LOGIN_FAILURE_LIMIT * 3
    for k in range(settings.LOGIN_FAILURE_LIMIT):  # the address's count is not forgiven
        client.post("/login/", {"username": f"other{k}", "password": "nope"})
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert (
        elsewhere.post("/login/", {"username": "township", "password": "pw-township"}).status_code
        == 302
    )
    blocked = client.post("/login/", {"username": "township", "password": "pw-township"})
    assert blocked.status_code == 429
    assert "此网络尝试失败次数过多,请 15 分钟后再试。" in blocked.content.decode()


def test_logging_out_needs_a_post(enterprise_admin, login):
    client = login(enterprise_admin)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("command_centre", "/audit/", None),
        ("township_officer", "/enterprises/", "/audit/"),
        ("community_worker", "/people/", "/enterprises/"),
        ("enterprise_admin", None, "/people/"),
    ],
)
def test_the_menu_offers_what_the_role_may_use(persona, shown, hidden, request, login):
    page = login(request.getfixturevalue(persona)).get("/").content.decode()
    if shown:
        assert f'href="{shown}"' in page
    if hidden:
        assert f'href="{hidden}"' not in page


def test_the_home_page_names_the_role_and_its_scope(township_officer, login):
    page = login(township_officer).get("/").content.decode()
    assert str(Role.TOWNSHIP_OFFICER.label) in page or "乡镇" in page
    assert "祖庙街道" in page


def test_passwords_are_hashed_with_argon2_in_production():
    from fugong import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_chinese_is_shown_even_to_a_browser_that_prefers_english(db):
    response = Client(headers={"Accept-Language": "en-US,en;q=0.9"}).get("/login/")
    assert "登录" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_the_api_docs_page_needs_no_internet(db):
    # Government intranets have no internet: Swagger UI came from cdn.jsdelivr.net and the
    # favicon from django-ninja.dev, so /api/v1/docs was a blank page there.
    import re

    client = Client()
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', response.content.decode())
    assert assets and all(url.startswith("/static/") for url in assets), assets
    for url in assets:
        assert client.get(url).status_code == 200, url


def test_error_pages_speak_chinese_and_lead_home(enterprise_admin, login, rf):
    # Django's own pages say "Not Found" / "Server Error (500)" in English, unstyled; the
    # platform answers 404 for everything outside a user's scope, so users meet it often.
    from django.views.defaults import server_error

    page = login(enterprise_admin).get("/no/such/page/")
    html = page.content.decode()
    assert page.status_code == 404 and "页面不存在" in html and 'href="/"' in html
    assert "Not Found" not in html
    crashed = server_error(rf.get("/"))  # rendered without a request context or a database
    assert crashed.status_code == 500 and "系统出错了" in crashed.content.decode()


def test_a_form_sent_after_it_expired_explains_what_to_do(enterprise_admin):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "ent_admin", "password": "x"})
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()


def test_unread_notifications_show_in_the_top_bar_and_first_on_the_home_page(
    township_officer, login
):
    from fugong.notifications.actions import do_notify
    from fugong.notifications.models import Notification

    client = login(township_officer)
    home = client.get("/").content.decode()
    assert 'data-testid="unread-badge"' not in home and 'data-testid="unread"' not in home
    do_notify(
        [township_officer], kind="fever", message=lambda: ("发热预警:张三 38.5 °C", ""), link="/"
    )
    do_notify([township_officer], kind="red", message=lambda: ("红码:李四", ""))
    home = client.get("/").content.decode()
    # The menu is folded on a phone: the count shows on its button, the alerts on the page.
    assert '<span class="badge" data-testid="unread-badge"' in home and "2 条未读通知" in home
    assert home.index("红码:李四") < home.index("发热预警:张三 38.5 °C")  # newest first
    opened = Notification.objects.get(kind="fever")
    client.post(f"/notifications/{opened.pk}/open/")
    assert "1 条未读通知" in client.get("/").content.decode()
