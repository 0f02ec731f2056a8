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


def test_a_token_is_checked_in_one_query_and_gives_the_user_as_the_orm_would(
    enterprise_admin, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fugong.accounts.actions import authenticate_token, do_create_api_token
    from fugong.accounts.models import User
    from fugong.lib import sql

    prepared = []  # PostgreSQL's prepared statements bypass Django's query log
    fetch = sql.fetch_prepared
    monkeypatch.setattr(sql, "fetch_prepared", lambda *a: prepared.append(a) or fetch(*a))
    token = do_create_api_token(enterprise_admin, actor=None)
    authenticate_token(token)  # the first use records when the token was last used
    prepared.clear()
    with CaptureQueriesContext(connection) as logged:
        user = authenticate_token(token)
    assert len(logged) + len(prepared) == 1
    expected = User.objects.get(pk=enterprise_admin.pk)
    assert {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in User._meta.concrete_fields
    }
    assert user.date_joined.tzinfo is not None
    assert authenticate_token(token + "x") is None
    assert authenticate_token("not-a-token") is None


def test_a_token_brings_the_users_memberships_in_the_same_query_as_the_orm_would_load_them(
    world, enterprise_admin, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fugong.accounts.access import memberships
    from fugong.accounts.actions import authenticate_token, do_create_api_token, do_grant_membership
    from fugong.accounts.models import Membership, Role
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
        loaded = memberships(user)
    assert len(logged) + len(prepared) == 1
    expected = list(
        Membership.objects.filter(user=enterprise_admin)
        .select_related("enterprise", "division", "department")
        .order_by("pk")
    )
    assert [m.role for m in loaded] == [Role.ENTERPRISE_ADMIN, Role.TOWNSHIP_OFFICER]
    assert [m.pk for m in loaded] == [m.pk for m in expected]
    for got, want in zip(loaded, expected, strict=True):
        for name in ("enterprise", "division", "department"):
            mine, theirs = getattr(got, name), getattr(want, name)
            assert (mine is None) == (theirs is None)
            if mine is not None:
                assert {
                    f.attname: getattr(mine, f.attname) for f in mine._meta.concrete_fields
                } == {f.attname: getattr(theirs, f.attname) for f in theirs._meta.concrete_fields}
        assert got.created_at == want.created_at and got.created_at.tzinfo is not None


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
