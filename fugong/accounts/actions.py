from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from fugong.audit.actions import record
from fugong.lib.crypto import token_hash
from fugong.lib.sql import JoinedQuery

from .access import MEMBERSHIPS
from .models import ApiToken, Membership, User, is_platform_language


@transaction.atomic
def do_create_user(
    username: str,
    *,
    password: str | None,
    display_name: str = "",
    password_hash: str | None = None,
    actor: Any,
) -> User:
    user = User(username=username, display_name=display_name)
    if password_hash:
        user.password = password_hash
    elif password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record(actor, "user.created", user)
    return user


@transaction.atomic
def do_grant_membership(user: User, role: str, *, actor: Any, **scope: Any) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, role=role, **scope)
    if created:
        record(actor, "membership.granted", user, details={"role": role})
    user.__dict__.pop("_fugong_memberships", None)
    return membership


@transaction.atomic
def do_set_user_language(user: User, language: str, *, actor: Any) -> None:
    """Remember the language the user chose (``settings.LANGUAGES``): notifications to them are
    written in it, and logging in elsewhere brings it back."""
    if not is_platform_language(language):
        raise ValueError(f"not a language of the platform: {language!r}")
    if user.language == language:
        return
    user.language = language
    user.save(update_fields=["language"])
    record(actor, "user.language_set", user, details={"language": language})


@transaction.atomic
def do_change_password(user: User, new_password: str, *, actor: Any) -> None:
    """Set the user's password (already checked against the password validators). Their
    sessions elsewhere end: Django ties each session to the password it was opened with."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(actor, "user.password_changed", user)


@transaction.atomic
def do_create_api_token(user: User, *, label: str = "", actor: Any) -> str:
    """Create a token and return it; only its hash is kept, so it is shown once."""
    token = "fg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, token_hash=token_hash(token), prefix=token[:8], label=label)
    record(actor, "api_token.created", user, details={"prefix": token[:8]})
    return token


# Every API call asks this: one plain statement (prepared on PostgreSQL), not the ORM's, which
# also brings the user's memberships: every endpoint asks them for its scope, so this saves it a
# round trip (GET /api/v1/ping, which needs no scope, pays for the joins all the same).
_TOKENS = JoinedQuery(
    ApiToken,
    ["user"],
    where="t0.token_hash = %(hash)s AND t0.revoked = %(revoked)s",
    many=(MEMBERSHIPS, "m0.user_id = t0.user_id"),
)


def authenticate_token(token: str) -> User | None:
    """The active user of a valid API token, with their memberships loaded; None otherwise."""
    if not token.startswith("fg_"):
        return None
    rows = _TOKENS.fetch_with_many({"hash": token_hash(token), "revoked": False})
    if not rows:
        return None
    row, members = rows[0]
    if not row.user.is_active:
        return None
    row.user._fugong_memberships = members
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


# ------------------------------------------------------------------------- login throttling
def _throttle_keys(username: str, address: str) -> list[str]:
    return [f"login-fail:u:{username.lower()}", f"login-fail:a:{address}"]


def login_blocked(username: str, address: str) -> str:
    """Why a login is refused before the password is checked ("" when it is not): too many
    failures for this username, or, at a much higher ceiling, from this address (a factory's
    staff share one)."""
    from django.conf import settings

    user_key, address_key = _throttle_keys(username, address)
    if (cache.get(user_key) or 0) >= settings.LOGIN_FAILURE_LIMIT:
        return failures_message(per_entries=True)
    if (cache.get(address_key) or 0) >= settings.ADDRESS_FAILURE_LIMIT:
        return failures_message(per_entries=False)
    return ""


def failures_message(*, per_entries: bool) -> str:
    """What someone blocked after failed logins or identity checks is told: why, and how long
    the block may last (the failures' window)."""
    from django.conf import settings

    minutes = -(-settings.LOGIN_FAILURE_WINDOW // 60)
    if per_entries:
        return ngettext(
            "Too many failed attempts with these entries. Try again in %(n)d minute.",
            "Too many failed attempts with these entries. Try again in %(n)d minutes.",
            minutes,
        ) % {"n": minutes}
    return ngettext(
        "Too many failed attempts from this network. Try again in %(n)d minute.",
        "Too many failed attempts from this network. Try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}


def note_login_failure(username: str, address: str) -> None:
    from django.conf import settings

    for key in _throttle_keys(username, address):
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)
    record(None, "login.failed", None, details={"username": username[:150]})


def clear_login_failures(username: str, address: str) -> None:
    """A login succeeded: the username's failures are forgiven, not the address's."""
    cache.delete(_throttle_keys(username, address)[0])
