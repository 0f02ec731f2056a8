from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from fugong.accounts.access import own_person_or_404
from fugong.accounts.actions import (
    clear_login_failures,
    do_change_password,
    do_set_user_language,
    login_blocked,
    note_login_failure,
)
from fugong.accounts.models import is_platform_language
from fugong.audit.actions import record
from fugong.lib.paging import paginate
from fugong.notifications.actions import do_mark_read
from fugong.notifications.models import Notification
from fugong.people.actions import do_change_own_phone

from .forms import LoginForm, PhoneChangeForm
from .menu import widgets_for


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        address = _client_address(request)
        blocked = login_blocked(username, address)
        if blocked:
            form.add_error(None, blocked)
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                note_login_failure(username, address)
                form.add_error(None, _("Wrong username or password."))
                status = 400
            else:
                clear_login_failures(username, address)
                login(request, user)
                record(user, "user.logged_in", user)
                return _with_users_language(request, user, redirect(next_url or "portal:home"))
    elif request.method == "POST":
        status = 400
    return render(request, "portal/login.html", {"form": form, "next": next_url}, status=status)


def _with_users_language(request: HttpRequest, user: Any, response: HttpResponse) -> HttpResponse:
    """The language the user chose before, on any device, is theirs again; a choice made only
    on this device (before logging in) becomes theirs."""
    if is_platform_language(user.language):
        _set_language_cookie(response, user.language)
    else:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if is_platform_language(chosen):
            do_set_user_language(user, chosen, actor=user)
    return response


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    """The cookie Django's language switch sets."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (a cookie for this browser), also remembered for a logged-in
    user: notifications to them are written in it."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and is_platform_language(language)
    ):
        do_set_user_language(request.user, language, actor=request.user)
    return response


def _checked_with_password(request: HttpRequest, form: Any, password_field: str) -> int:
    """Check a posted form that asks for the user's current password (``password_field``):
    wrong guesses count as failed logins of that username, so a session left open does not let
    anyone try passwords freely. Returns 0 when the form is valid, else the page's status (200
    before a post, 429 while blocked, 400)."""
    if request.method != "POST":
        return 200
    username, address = request.user.username, _client_address(request)
    blocked = login_blocked(username, address)
    if blocked:
        form.add_error(None, blocked)
        return 429
    if form.is_valid():
        clear_login_failures(username, address)
        return 0
    if password_field in form.errors:
        note_login_failure(username, address)
    return 400


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """A user sets a new password, giving the current one."""
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    status = _checked_with_password(request, form, "old_password")
    if not status:
        do_change_password(user, form.cleaned_data["new_password1"], actor=user)
        update_session_auth_hash(request, user)  # this session stays open
        messages.success(
            request,
            _("Your password was changed. Elsewhere you will need to log in again with it."),
        )
        return redirect("portal:home")
    return render(request, "portal/password_change.html", {"form": form}, status=status)


@login_required
def phone_change(request: HttpRequest) -> HttpResponse:
    """An employee sets their own phone number, the one their enterprise's check-in link
    identifies them by, giving their password. A user with no person record: 404."""
    user = request.user
    person = own_person_or_404(user)
    form = PhoneChangeForm(user, request.POST or None)
    status = _checked_with_password(request, form, "password")
    if not status:
        if do_change_own_phone(person, form.cleaned_data["phone"], actor=user):
            messages.success(
                request,
                _(
                    "Your phone number is now %(phone)s. Use it with your enterprise's "
                    "check-in link from now on."
                )
                % {"phone": person.phone_masked},
            )
        else:
            messages.info(
                request,
                _("%(phone)s is already your phone number: nothing was changed.")
                % {"phone": person.phone_masked},
            )
        return redirect("portal:home")
    return render(
        request, "portal/phone_change.html", {"form": form, "person": person}, status=status
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Alerts (a fever, a red status, an overdue approval) come first: the newest unread ones.
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True)[:5]
    return render(
        request, "portal/home.html", {"widgets": widgets_for(request), "unread": list(unread)}
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Notification.objects.filter(user=request.user))
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    do_mark_read(notification, actor=request.user)
    return redirect(notification.link or "portal:notifications")
