from __future__ import annotations

import datetime as dt
import re
from itertools import chain
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fugong.accounts.access import (
    administered_enterprise_or_404,
    entries_filter,
    get_person_or_404,
    has_role,
    is_command_centre,
    own_person_or_404,
    people_for,
    user_departments,
)
from fugong.accounts.actions import failures_message
from fugong.accounts.models import Role
from fugong.audit.actions import Anonymous, record
from fugong.lib.dates import business_today, parse_iso_date
from fugong.lib.errors import Conflict, FieldError
from fugong.lib.excel import xlsx_response
from fugong.lib.forms import add_field_error
from fugong.lib.identifiers import InvalidIdentifier, normalize_id_number, validate_id_number
from fugong.lib.paging import paginate, query_without_page
from fugong.people.models import Employment, Person

from . import actions
from .forms import (
    CaseForm,
    CheckInForm,
    FlagReviewForm,
    IdentityForm,
    RiskLevelForm,
    TravelForm,
    TravelRecordForm,
)
from .models import (
    CaseRecord,
    CheckIn,
    CheckInLink,
    CheckInReminder,
    CurrentStatus,
    HealthCode,
    QualityFlag,
    RiskLevel,
    StatusChange,
    TravelRecord,
    WorkMode,
)
from .reasons import symptom_names, texts
from .selectors import (
    Board,
    area_alerts,
    area_red_records,
    completion_history,
    flags_for,
    person_history,
)
from .status import explain, place_names

LINK_SESSION_KEY = "health_link"
LINK_SALT = "fugong.health.link"
LINK_MAX_AGE = 30 * 60


# ------------------------------------------------------------------------ the employee
class NotOnRoster(Http404):
    """The user is a person of the platform on no enterprise's roster now (their employment
    ended): there is nothing to check in for."""


def _my_person(user: Any) -> Person:
    return own_person_or_404(user)  # 404: not an employee of the platform at all


def _my_person_and_employers(user: Any) -> tuple[Person, list[Any]]:
    """The user's person and the enterprises whose roster they are on, longest-standing first."""
    person = _my_person(user)
    employers = [
        e.enterprise
        for e in Employment.objects.filter(person=person, active=True)
        .select_related("enterprise")
        .order_by("pk")
    ]
    if not employers:
        raise NotOnRoster
    return person, employers


def _chosen(employers: list[Any], raw: str | None) -> Any:
    """The employer ``raw`` names (an enterprise's pk, from the query), else the first."""
    return next((e for e in employers if str(e.pk) == raw), employers[0])


def _not_on_roster(request: HttpRequest, link: CheckInLink | None = None) -> HttpResponse:
    """What an employee whose employment ended sees instead of the check-in: why, and whom to
    ask (a 404 all the same: there is no check-in page for them). Through a link: not on the
    roster of the link's enterprise."""
    context = {"enterprise": link.enterprise if link else None}
    return render(request, "health/not_on_roster.html", context, status=404)


def _handle_checkin(
    request: HttpRequest,
    person: Person,
    enterprise: Any,
    via: str,
    *,
    actor: Any,
    employers: list[Any] | None = None,
) -> tuple[CheckInForm, CheckIn | None, int]:
    """Validate and store a check-in from the web form; the same code path as the API. Someone
    on several ``employers``' rosters chooses the one they check in for (``enterprise`` first)."""
    employers = employers or [enterprise]
    if request.method != "POST":
        return CheckInForm.for_person(person, employers, enterprise), None, 200
    form = CheckInForm(request.POST, employers=employers)
    if not form.is_valid():
        return form, None, 400
    enterprise = form.employer()
    payload = form.as_payload()
    payload["date"] = business_today().isoformat()
    [(status, body)] = actions.submit_checkins(
        enterprise, [payload], actor=actor, via=via, person_ids=[person.pk]
    )
    if status >= 400:
        field = body.get("field") or None
        if field == "location" and request.POST.get("location") == "other":
            field = "other_location"  # the code that was refused was typed in the box
        if field not in form.fields:
            field = None
        form.add_error(field, body.get("error", ""))
        return form, None, 400
    return form, CheckIn.objects.get(pk=body["id"]), status


@login_required
@never_cache
def checkin(request: HttpRequest) -> HttpResponse:
    try:
        person, employers = _my_person_and_employers(request.user)
    except NotOnRoster:
        return _not_on_roster(request)
    enterprise = _chosen(employers, request.GET.get("enterprise"))
    form, stored, status = _handle_checkin(
        request, person, enterprise, "web", actor=request.user, employers=employers
    )
    if stored is not None:
        if len(employers) > 1:  # the verdict for the employer they checked in for
            return redirect(f"{reverse('health:today')}?enterprise={stored.enterprise_id}")
        return redirect("health:today")
    return render(
        request,
        "health/checkin.html",
        {
            "form": form,
            "enterprise": enterprise,
            "person": person,
            "action": reverse("health:checkin"),
            "checked_at": _checked_in_today_at(person, enterprise),
        },
        status=status,
    )


def _checked_in_today_at(person: Person, enterprise: Any) -> dt.datetime | None:
    """When the person last checked in today for this employer (None: not yet): the check-in
    page says so, since another submission adds a check-in rather than correcting one."""
    return (
        CheckIn.objects.filter(person=person, enterprise=enterprise, date=business_today())
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


@login_required
@never_cache
def today(request: HttpRequest) -> HttpResponse:
    try:
        person, employers = _my_person_and_employers(request.user)
    except NotOnRoster:
        return _not_on_roster(request)
    enterprise = _chosen(employers, request.GET.get("enterprise"))
    context = {**_today_context(person, enterprise), "employers": employers}
    return render(request, "health/today.html", context)


def _today_context(person: Person, enterprise: Any) -> dict[str, Any]:
    from fugong.resumption.selectors import is_resumed

    day = business_today()
    latest = (  # at this employer: its board counts check-ins made for it
        CheckIn.objects.filter(person=person, enterprise=enterprise, date=day)
        .order_by("-created_at", "-pk")
        .first()
    )
    # The check-in's verdict, unless the person was judged again since (a case, a journey or a
    # risk level recorded after it): then the status as the data stand now.
    if (
        latest is not None
        and not CurrentStatus.objects.filter(
            person=person, date=day, updated_at__gt=latest.created_at
        ).exists()
    ):
        code, reasons, allowed = latest.health_code, latest.reason_texts, latest.can_work
    else:
        from .status import work_verdict

        status = explain(person, day)
        code = status.code
        allowed, shown = work_verdict(code, status.reasons, resumed=is_resumed(enterprise, day))
        reasons = texts(shown)
    return {
        "person": person,
        "enterprise": enterprise,
        "day": day,
        "latest": latest,
        "code": code,
        "code_label": HealthCode(code).label,
        "reasons": reasons,
        "can_work": allowed,
    }


@login_required
@never_cache
def history(request: HttpRequest) -> HttpResponse:
    """One's own check-ins and status changes, also after one's employment ended."""
    person = _my_person(request.user)
    checkins = paginate(request, person_history(person))
    places = place_names(c.location for c in checkins)
    for c in checkins:  # what the employee reported, in words
        c.place = places[c.location]
        c.symptom_names = symptom_names(c.symptoms)
    return render(
        request,
        "health/history.html",
        {"person": person, **_pages_of_changes(request, person), "checkins": checkins},
    )


CHANGES_PAGE = "changes_page"  # the status changes page apart from the check-ins


def _pages_of_changes(request: HttpRequest, person: Person) -> dict[str, Any]:
    """The page of the person's status changes shown beside their check-ins, and the query
    strings each list's pager keeps (the other list's page)."""
    return {
        "changes": paginate(
            request, StatusChange.objects.filter(person=person), param=CHANGES_PAGE
        ),
        "changes_param": CHANGES_PAGE,
        "changes_query": query_without_page(request, CHANGES_PAGE),
        "query": query_without_page(request),
    }


# ------------------------------------------------------------------- the QR / link path
def _link_or_404(token: str) -> CheckInLink:
    # Anyone may follow a link: what cannot be a token (a NUL, which PostgreSQL refuses to
    # compare, or any other character) is simply not found.
    if not _TOKEN.fullmatch(token):
        raise Http404
    return get_object_or_404(CheckInLink.objects.select_related("enterprise"), token=token)


_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,43}")  # what CheckInLink.new_token() gives


# Failed identity checks are counted per person, by each of the two entries they type (the ID
# number's last characters, the phone number: a person's own retries), and per address only up
# to a ceiling many times higher (a factory's staff share the gate's Wi-Fi or a carrier's NAT).
def _person_keys(token: str, tail: str, phone: str) -> list[str]:
    from fugong.lib.crypto import lookup_hash  # keyed: no ID number or phone in the cache

    return [
        f"health-link-fail:{kind}:{token[:12]}:{lookup_hash(f'{kind}:{value}')[:32]}"
        for kind, value in (("i", tail), ("p", phone))
    ]


def _address_key(address: str) -> str:
    return f"health-link-fail:a:{address}"


def _failures(key: str) -> int:
    return cache.get(key) or 0


def _note_failure(keys: list[str]) -> None:
    for key in keys:
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)


def _identity_entries(id_tail: str, phone: str) -> tuple[str, str]:
    """The ID number's last characters and the phone number as identify() reads them."""
    from fugong.people.actions import clean_phone

    try:
        phone = clean_phone(phone)
    except FieldError:
        phone = "".join(phone.split())
    return normalize_id_number(id_tail), phone


def identify(enterprise: Any, tail: str, phone: str) -> Person | None:
    """The person on the roster whose phone matches and whose ID number ends with ``tail``
    (both as :func:`_identity_entries` reads them)."""
    if len(tail) != 6:
        return None
    for person in Person.objects.filter(
        phone=phone, employments__enterprise=enterprise, employments__active=True
    ).distinct():
        if person.id_number.endswith(tail):
            return person
    return None


def _identified(link: CheckInLink, form: IdentityForm, address: str) -> tuple[Person | None, int]:
    """The person whom the form's entries name on the link's roster, or None and the status of
    the answer, the form saying why. Both are audited, neither with what was typed."""
    entries = _identity_entries(form.cleaned_data["id_tail"], form.cleaned_data["phone"])
    keys = _person_keys(link.token, *entries)
    if any(_failures(k) >= settings.LOGIN_FAILURE_LIMIT for k in keys):
        form.add_error(None, failures_message(per_entries=True))
        return None, 429
    person = identify(link.enterprise, *entries)
    if person is None:
        _note_failure([*keys, address])
        record(None, "checkin.link_identity_failed", link.enterprise)
        form.add_error(
            None, _("We could not find you on this enterprise's roster. Check both entries.")
        )
        return None, 400
    cache.delete_many(keys)  # their own failures are forgiven, not the address's
    record(Anonymous(str(person)), "checkin.link_identified", person)
    return person, 302


@never_cache
def link_start(request: HttpRequest, token: str) -> HttpResponse:
    link = _link_or_404(token)
    form = IdentityForm(request.POST or None)
    status = 200
    if request.method == "POST":
        address = _address_key(request.META.get("REMOTE_ADDR", ""))
        status = 400
        if _failures(address) >= settings.ADDRESS_FAILURE_LIMIT:
            form.add_error(None, failures_message(per_entries=False))
            status = 429
        elif form.is_valid():
            person, status = _identified(link, form, address)
            if person is not None:
                request.session[LINK_SESSION_KEY] = signing.dumps(
                    {"p": person.pk, "e": link.enterprise_id, "t": link.token}, salt=LINK_SALT
                )
                return redirect("health:link_checkin", token=token)
    return render(
        request,
        "health/link_start.html",
        {"form": form, "enterprise": link.enterprise},
        status=status,
    )


def _link_person(request: HttpRequest, link: CheckInLink) -> Person | None:
    """The person this session identified for the link, ``on_roster`` saying whether they are
    still on its enterprise's roster."""
    raw = request.session.get(LINK_SESSION_KEY)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("e") != link.enterprise_id or data.get("t") != link.token:
        return None
    employed = Employment.objects.filter(
        person=OuterRef("pk"), enterprise=link.enterprise, active=True
    )
    return Person.objects.filter(pk=data.get("p")).annotate(on_roster=Exists(employed)).first()


def _linked(request: HttpRequest, token: str) -> tuple[CheckInLink, Person] | HttpResponse:
    """The link and the person its identity check found in this session, or where to send the
    visitor instead: to the identity check, or told that they left the roster since."""
    link = _link_or_404(token)
    person = _link_person(request, link)
    if person is None:
        return redirect("health:link", token=token)
    if not person.on_roster:  # their employment ended since they proved who they are
        return _not_on_roster(request, link)
    return link, person


@never_cache
def link_checkin(request: HttpRequest, token: str) -> HttpResponse:
    found = _linked(request, token)
    if isinstance(found, HttpResponse):
        return found
    link, person = found
    # No login: the audit row names the person the identity check found (their masked label).
    form, stored, status = _handle_checkin(
        request, person, link.enterprise, "link", actor=Anonymous(str(person))
    )
    if stored is not None:  # the answer is a page of its own: reloading it sends nothing
        return redirect("health:link_today", token=token)
    return render(
        request,
        "health/checkin.html",
        {
            "form": form,
            "enterprise": link.enterprise,
            "person": person,
            "action": reverse("health:link_checkin", args=[token]),
            "checked_at": _checked_in_today_at(person, link.enterprise),
        },
        status=status,
    )


@never_cache
def link_today(request: HttpRequest, token: str) -> HttpResponse:
    """Today's status of the person the link's identity check found, after their check-in."""
    found = _linked(request, token)
    if isinstance(found, HttpResponse):
        return found
    link, person = found
    context = {**_today_context(person, link.enterprise), "via_link": True, "link_token": token}
    return render(request, "health/today.html", context)


# --------------------------------------------------------------- the enterprise admin
def _day_param(request: HttpRequest) -> dt.date:
    """The day asked for in ``?date=``, today when none; a date that cannot be read or is still
    to come gives today, saying so."""
    raw = request.GET.get("date", "").strip()
    today_ = business_today()
    if not raw:
        return today_
    try:
        day = parse_iso_date(raw)
    except ValueError:
        messages.warning(
            request,
            _("“%(value)s” is not a date (YYYY-MM-DD): today is shown.") % {"value": raw[:40]},
        )
        return today_
    if day > today_:
        messages.warning(request, _("%(date)s is still to come: today is shown.") % {"date": raw})
        return today_
    return day


ALERT_ROLES = (Role.TOWNSHIP_OFFICER, Role.DISTRICT_OFFICER, Role.COMMAND_CENTRE)
RED_RECORDS_SHOWN = 500  # people turned red by a record on one day: cases, few


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """The day's fevers, symptoms and red statuses across the officer's area, newest first."""
    if not has_role(request.user, *ALERT_ROLES):
        raise Http404
    day = _day_param(request)
    found = area_alerts(request.user, day)
    red = list(area_red_records(request.user, day)[:RED_RECORDS_SHOWN])
    if request.GET.get("format") == "xlsx":
        record(request.user, "alerts.exported", None, details={"date": day.isoformat()})
        red_label = str(HealthCode.RED.label)
        return xlsx_response(
            f"health-alerts-{day.isoformat()}.xlsx",
            [
                _("Time"),
                pgettext("person", "Name"),
                _("Temperature"),
                _("Symptoms"),
                _("Health status"),
                _("Enterprise"),
                _("ID number"),
                _("Reasons"),
            ],
            chain(
                (
                    (
                        timezone.localtime(r.created_at).strftime("%H:%M"),
                        r.person.name,
                        "",
                        "",
                        f"{red_label} ({r.get_cause_display()})",
                        r.enterprise_name,
                        r.person.id_masked,
                        " ".join(r.reason_texts),
                    )
                    for r in red
                ),
                (
                    (
                        timezone.localtime(c.created_at).strftime("%H:%M"),
                        c.person.name,
                        float(c.temperature),
                        symptom_names(c.symptoms),
                        c.get_health_code_display(),
                        c.enterprise.name,
                        c.person.id_masked,
                        " ".join(c.reason_texts),
                    )
                    for c in found.iterator(chunk_size=2000)
                ),
            ),
        )
    page = paginate(request, found)
    for c in page:
        c.symptom_names = symptom_names(c.symptoms)
    flags = flags_for(request.user)
    return render(
        request,
        "health/alerts.html",
        {
            "day": day,
            "page": page,
            "red": red,
            "query": query_without_page(request),
            "flags": flags.filter(reviewed=False).count() if flags is not None else 0,
        },
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    enterprise = administered_enterprise_or_404(request.user)
    day = _day_param(request)
    show = request.GET.get("show", "")
    board = Board(enterprise, day)
    shown = board.shown(show)
    if request.GET.get("format") == "xlsx":
        # Names with temperatures and symptoms: health data leaving the platform is audited.
        record(request.user, "checkins.exported", enterprise, details={"date": day.isoformat()})
        return xlsx_response(
            f"checkins-{day.isoformat()}.xlsx",
            [
                pgettext("person", "Name"),
                _("ID number"),
                _("Post"),
                _("Checked in"),
                _("Temperature"),
                _("Symptoms"),
                _("Health status"),
                _("May work on site"),
                _("Work mode"),
                _("Reasons"),
            ],
            (
                (
                    x.employment.person.name,
                    x.employment.person.id_masked,
                    x.employment.post,
                    _("Yes") if x.checked_in else _("No"),
                    float(x.temperature) if x.temperature is not None else "",
                    symptom_names(x.symptoms),
                    str(HealthCode(x.health_code).label) if x.health_code else "",
                    (_("Yes") if x.can_work else _("No")) if x.checked_in else "",
                    str(WorkMode(x.work_mode).label) if x.work_mode else "",
                    " ".join(x.reason_texts),
                )
                for x in board.lines(shown)
            ),
        )
    page = paginate(request, shown)
    page.object_list = board.lines(page.object_list)
    days = [business_today() - dt.timedelta(days=i) for i in range(14)]
    return render(
        request,
        "health/board.html",
        {
            "enterprise": enterprise,
            "day": day,
            "is_today": day == business_today(),
            "show": show,
            "counts": board.counts,
            "page": page,
            "query": query_without_page(request),
            "history": completion_history(enterprise, days),
            "flags": QualityFlag.objects.filter(enterprise=enterprise, reviewed=False).count(),
            "reminders": CheckInReminder.objects.filter(enterprise=enterprise, date=day)[:5],
        },
    )


@login_required
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    enterprise = administered_enterprise_or_404(request.user)
    try:
        result = actions.do_send_checkin_reminders(
            [enterprise.pk], business_today(), actor=request.user
        )[enterprise.pk]
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("health:board")
    messages.success(
        request,
        _("Not checked in yet: %(missing)d; reminded (those with a login): %(n)d.")
        % {"missing": result.missing, "n": result.notified},
    )
    return redirect("health:board")


@login_required
def link_admin(request: HttpRequest) -> HttpResponse:
    import segno

    enterprise = administered_enterprise_or_404(request.user)
    if request.method == "POST":
        link = actions.do_rotate_link(enterprise, actor=request.user)
        messages.success(request, _("A new check-in link was made; the old one no longer works."))
        return redirect("health:link_admin")
    link = actions.link_for(enterprise)
    url = request.build_absolute_uri(reverse("health:link", args=[link.token]))
    svg = segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff")
    return render(
        request,
        "health/link_admin.html",
        {"enterprise": enterprise, "url": url, "svg": svg, "link": link},
    )


@login_required
def flags(request: HttpRequest) -> HttpResponse:
    """Check-ins that look automated, for the enterprise admin and the officers of its area to
    review: to review by default, ``?show=reviewed`` for what was decided, by whom."""
    from fugong.accounts.access import administered_enterprise

    scope = flags_for(request.user)
    if scope is None:
        raise Http404
    form = FlagReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("flag") if x.isascii() and x.isdigit()]
        ids = [pk for pk in ids if pk < 2**63]  # what a database id can be
        if not ids:
            form.add_error(None, _("Tick the check-ins you have reviewed."))
        if form.is_valid():
            n = actions.do_review_flags(scope, ids, **form.cleaned_data, actor=request.user)
            messages.success(request, _("%(n)d flags marked as reviewed.") % {"n": n})
            return redirect("health:flags")
        status = 400
    reviewed = request.GET.get("show") == "reviewed"
    qs = (
        scope.filter(reviewed=reviewed)
        .select_related("checkin__person", "enterprise", "reviewed_by")
        .order_by("-reviewed_at" if reviewed else "-created_at", "-pk")
    )
    context = {
        "page": paginate(request, qs),
        "form": form,
        "reviewed": reviewed,
        "officer": administered_enterprise(request.user) is None,
    }
    return render(request, "health/flags.html", context, status=status)


# ------------------------------------------------- health department and command centre
def _is_health_officer(user: Any) -> bool:
    return is_command_centre(user) or any(d.code == "wjj" for d in user_departments(user))


@login_required
def risk_levels(request: HttpRequest) -> HttpResponse:
    """Everyone in government sees the levels; the health department and command centre edit."""
    if not has_role(
        request.user,
        Role.COMMAND_CENTRE,
        Role.DEPARTMENT_OFFICER,
        Role.DISTRICT_OFFICER,
        Role.TOWNSHIP_OFFICER,
    ):
        raise Http404
    can_edit = _is_health_officer(request.user)
    if request.method == "POST" and not can_edit:
        raise Http404
    form = RiskLevelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.do_set_risk_level(
                    form.cleaned_data["code"],
                    level=form.cleaned_data["level"],
                    effective_from=form.cleaned_data["effective_from"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except FieldError as exc:
                add_field_error(form, exc)
            else:
                messages.success(request, _("Risk level saved."))
                return redirect("health:risk")
        status = 400
    levels = list(RiskLevel.objects.select_related("set_by")[:200])
    names = place_names(r.code for r in levels)
    rows = [(r, names[r.code]) for r in levels]
    return render(
        request,
        "health/risk.html",
        {"form": form, "rows": rows, "can_edit": can_edit},
        status=status,
    )


def _person_by_id_number(
    raw: str, form: Any, *, among: QuerySet[Person], missing: str
) -> Person | None:
    """The person ``among`` these whose ID number the form's ``id_number`` gives, the number
    checked first; else None, the form saying why (``missing``: nobody has it)."""
    try:
        number = validate_id_number(raw)
    except InvalidIdentifier as exc:
        form.add_error("id_number", str(exc))
        return None
    person = among.filter(id_hash=Person.hash_id(number)).first()
    if person is None:
        form.add_error("id_number", missing)
    return person


TRAVEL_ROLES = (Role.ENTERPRISE_ADMIN, Role.COMMUNITY_WORKER, Role.COMMAND_CENTRE)


@login_required
def travel(request: HttpRequest) -> HttpResponse:
    """Enterprises (their staff) and communities (their residents) enter travel records.

    ``?person=<pk>`` lists one person's records (in the user's scope, else 404).
    """
    if not has_role(request.user, *TRAVEL_ROLES):
        raise Http404
    form = TravelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            person = _person_by_id_number(
                form.cleaned_data["id_number"],
                form,
                among=people_for(request.user),
                missing=_("Nobody with this ID number in your jurisdiction."),
            )
            if person is not None:
                try:
                    actions.do_record_travel(
                        person,
                        origin_code=form.cleaned_data["origin_code"],
                        arrival_date=form.cleaned_data["arrival_date"],
                        means=form.cleaned_data["means"],
                        enterprise=_admin_enterprise(request.user),
                        actor=request.user,
                    )
                except FieldError as exc:
                    add_field_error(form, exc)
                else:
                    messages.success(request, _("Travel record saved."))
                    return redirect("health:travel")
        status = 400
    person = None
    recent = TravelRecord.objects.filter(person__in=people_for(request.user))
    if request.GET.get("person"):
        from fugong.people.actions import do_view_person

        person = get_person_or_404(request.user, request.GET["person"])
        do_view_person(person, actor=request.user)
        recent = recent.filter(person=person)
    recent = list(
        _with_rights(request.user, recent)
        .select_related("person", "enterprise", "entered_by")
        .order_by("-created_at", "-pk")[:50]
    )
    return render(
        request,
        "health/travel.html",
        {"form": form, "recent": _with_origin_names(recent), "person": person},
        status=status,
    )


def _with_origin_names(travels: list[TravelRecord]) -> list[TravelRecord]:
    """The travel records, each with ``origin_name``: the place it came from (one query)."""
    names = place_names(t.origin_code for t in travels)
    for t in travels:
        t.origin_name = names[t.origin_code]
    return travels


def _with_rights(user: Any, travels: QuerySet[TravelRecord]) -> QuerySet[TravelRecord]:
    """The travel records, each with ``editable``: whether the user may correct or delete it
    (those their enterprise or community entered: access.entries_filter); the others are shown
    with who entered them."""
    mine = entries_filter(user)
    if mine is None:
        return travels.annotate(editable=Value(True))
    return travels.annotate(editable=Case(When(mine, then=Value(True)), default=Value(False)))


def _travel_or_404(user: Any, pk: int) -> TravelRecord:
    """A travel record the user may correct: the role to enter one, the person in scope, and
    entered by the user's enterprise or community (access.entries_filter); anything else is a
    404."""
    if not has_role(user, *TRAVEL_ROLES):
        raise Http404
    travels = TravelRecord.objects.select_related("person").filter(person__in=people_for(user))
    mine = entries_filter(user)
    if mine is not None:
        travels = travels.filter(mine)
    return get_object_or_404(travels, pk=pk)


def _travel_list_url(travel: TravelRecord) -> str:
    return f"{reverse('health:travel')}?person={travel.person_id}"


@login_required
def travel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    travel = _travel_or_404(request.user, pk)
    form = TravelRecordForm.for_record(travel, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.do_update_travel_record(
                    travel,
                    origin_code=form.cleaned_data["origin_code"],
                    arrival_date=form.cleaned_data["arrival_date"],
                    means=form.cleaned_data["means"],
                    actor=request.user,
                )
            except FieldError as exc:
                add_field_error(form, exc)
            except Conflict as exc:
                messages.error(request, exc.message)
                return redirect("health:travel")
            else:
                messages.success(request, _("Travel record corrected."))
                return redirect(_travel_list_url(travel))
        status = 400
    return render(
        request,
        "health/travel_edit.html",
        {"form": form, "travel": travel, "back": _travel_list_url(travel)},
        status=status,
    )


@login_required
def travel_delete(request: HttpRequest, pk: int) -> HttpResponse:
    travel = _travel_or_404(request.user, pk)
    if request.method == "POST":
        back = _travel_list_url(travel)
        try:
            actions.do_delete_travel_record(travel, actor=request.user)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Travel record deleted."))
        return redirect(back)
    return render(
        request,
        "health/travel_delete.html",
        {"travel": _with_origin_names([travel])[0], "back": _travel_list_url(travel)},
    )


def _admin_enterprise(user: Any) -> Any:
    from fugong.accounts.access import administered_enterprise

    return administered_enterprise(user)


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    if not _is_health_officer(request.user):
        raise Http404
    form = CaseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            person = _person_by_id_number(  # the health department: anyone registered
                form.cleaned_data["id_number"],
                form,
                among=Person.objects.all(),
                missing=_("Nobody with this ID number is registered."),
            )
            if person is not None:
                try:
                    actions.do_record_case(
                        person,
                        kind=form.cleaned_data["kind"],
                        since=form.cleaned_data["since"],
                        actor=request.user,
                    )
                except FieldError as exc:
                    add_field_error(form, exc)
                else:
                    messages.success(request, _("Case recorded."))
                    return redirect("health:cases")
        status = 400
    recent = CaseRecord.objects.select_related("person").order_by("-created_at")[:50]
    return render(request, "health/cases.html", {"form": form, "recent": recent}, status=status)


@login_required
@require_POST
def case_clear(request: HttpRequest, pk: int) -> HttpResponse:
    if not _is_health_officer(request.user):
        raise Http404
    case = get_object_or_404(CaseRecord, pk=pk)
    try:
        actions.do_clear_case(case, cleared_on=business_today(), actor=request.user)
    except Exception as exc:  # Conflict or FieldError: shown as a message
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("health:cases")


@login_required
@never_cache
def person_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's status on a chosen day with every reason, and the recorded changes."""
    from fugong.people.actions import do_view_person

    person = get_person_or_404(request.user, pk)
    do_view_person(person, actor=request.user)
    day = _day_param(request)
    return render(
        request,
        "health/person_status.html",
        {
            "person": person,
            "day": day,
            "status": explain(person, day),
            **_pages_of_changes(request, person),
            "checkins": paginate(request, person_history(person)),
            "travels": _with_origin_names(
                list(
                    _with_rights(
                        request.user, TravelRecord.objects.filter(person=person)
                    ).select_related("enterprise", "entered_by")[:20]
                )
            ),
            "can_edit_travel": has_role(request.user, *TRAVEL_ROLES),
        },
    )
