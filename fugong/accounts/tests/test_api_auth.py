from fugong.lib.testing import assert_loaded_as_the_orm_would, fields_of


def test_ping_answers_a_valid_token(api, enterprise_admin):
    response = api(enterprise_admin).get("/api/v1/ping")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_ping_without_a_valid_token_is_401(api, world):
    response = api(None).get("/api/v1/ping")
    assert response.status_code == 401
    assert response.json()["error"]


def test_a_revoked_token_or_an_inactive_user_is_401(api, enterprise_admin):
    from fugong.accounts.models import ApiToken

    client = api(enterprise_admin)
    assert client.get("/api/v1/ping").status_code == 200
    ApiToken.objects.update(revoked=True)
    assert client.get("/api/v1/ping").status_code == 401
    ApiToken.objects.update(revoked=False)
    enterprise_admin.is_active = False
    enterprise_admin.save()
    assert client.get("/api/v1/ping").status_code == 401


def test_a_token_is_checked_in_one_query_that_gives_the_user_and_memberships_as_the_orm_would(
    world, enterprise_admin, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fugong.accounts.access import memberships
    from fugong.accounts.actions import authenticate_token, do_create_api_token, do_grant_membership
    from fugong.accounts.models import Membership, Role, User
    from fugong.lib import sql

    do_grant_membership(
        enterprise_admin, Role.TOWNSHIP_OFFICER, division=world.township, actor=None
    )
    prepared = []  # PostgreSQL's prepared statements bypass Django's query log
    fetch = sql.fetch_prepared
    monkeypatch.setattr(sql, "fetch_prepared", lambda *a: prepared.append(a) or fetch(*a))
    token = do_create_api_token(enterprise_admin, actor=None)
    authenticate_token(token)  # the first use records when the token was last used
    prepared.clear()
    with CaptureQueriesContext(connection) as logged:
        user = authenticate_token(token)
        loaded = memberships(user)  # brought by the same statement
    assert len(logged) + len(prepared) == 1
    assert fields_of(user) == fields_of(User.objects.get(pk=enterprise_admin.pk))
    assert user.date_joined.tzinfo is not None
    expected = Membership.objects.filter(user=enterprise_admin).order_by("pk")
    assert [m.role for m in loaded] == [Role.ENTERPRISE_ADMIN, Role.TOWNSHIP_OFFICER]
    relations = ("enterprise", "division", "department")
    assert_loaded_as_the_orm_would(loaded, expected.select_related(*relations), relations)
    assert authenticate_token(token + "x") is None
    assert authenticate_token("not-a-token") is None


def test_a_token_of_a_user_without_memberships_still_authenticates_and_scopes_nothing(
    api, outsider
):
    from fugong.accounts.access import memberships
    from fugong.accounts.actions import authenticate_token, do_create_api_token

    user = authenticate_token(do_create_api_token(outsider, actor=None))
    assert user is not None and user.pk == outsider.pk
    assert memberships(user) == []
    assert api(outsider).get("/api/v1/employees").status_code == 404


def test_a_membership_granted_after_authentication_is_seen(world, outsider):
    from fugong.accounts.access import administered_enterprise, memberships
    from fugong.accounts.actions import authenticate_token, do_create_api_token, do_grant_membership
    from fugong.accounts.models import Role

    user = authenticate_token(do_create_api_token(outsider, actor=None))
    assert memberships(user) == []
    do_grant_membership(user, Role.ENTERPRISE_ADMIN, enterprise=world.enterprise, actor=None)
    assert [m.role for m in memberships(user)] == [Role.ENTERPRISE_ADMIN]
    assert administered_enterprise(user) == world.enterprise
