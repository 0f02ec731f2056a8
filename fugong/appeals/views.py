from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fugong.accounts.access import (
    administered_enterprise,
    enterprises_for,
    has_role,
    is_command_centre,
    require_role,
    user_departments,
)
from fugong.accounts.models import Role, User
from fugong.lib.dates import business_today
from fugong.lib.errors import Conflict, FieldError
from fugong.lib.excel import xlsx_response
from fugong.lib.forms import add_field_error
from fugong.lib.paging import paginate, query_without_page
from fugong.orgs.models import Department

from . import actions, selectors
from .forms import (
    ActionForm,
    AppealFilterForm,
    AppealForm,
    BulkAssignForm,
    LeaderForm,
    OfferForm,
    RoutingRuleForm,
    VisitForm,
)
from .models import Appeal, Offer, RoutingRule

DASHBOARD_ROLES = (
    Role.COMMAND_CENTRE, Role.DISTRICT_OFFICER, Role.TOWNSHIP_OFFICER, Role.DEPARTMENT_OFFICER,
)  # fmt: skip
HANDLER_ROLES = (Role.COMMAND_CENTRE, Role.DEPARTMENT_OFFICER)


# ------------------------------------------------------------------------------------ appeals
@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    form = AppealFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    appeals = selectors.search_appeals(request.user, **{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "xlsx":
        return _export(appeals)
    today = business_today()
    page = paginate(request, appeals)
    for appeal in page:
        appeal.overdue_now = appeal.overdue_stage(today)
    return render(
        request,
        "appeals/list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_file": _can_file(request.user),
        },
    )


def _export(appeals: Any) -> HttpResponse:
    today = business_today()
    header = [
        _("No."), _("Filed"), _("Enterprise"), _("Credit code"), _("District"), _("Category"),
        _("Title"), _("Urgency"), _("Quantity"), _("Counterpart"), _("Department"), _("Status"),
        _("Accept by"), _("Answer by"), _("Overdue"), _("Rating"), _("Reopened"), _("Answer"),
    ]  # fmt: skip
    rows = (
        (
            a.pk,
            a.filed_on.isoformat(),
            a.enterprise.name,
            a.enterprise.credit_code,
            a.enterprise.district.name,
            a.get_category_display(),
            a.title,
            a.get_urgency_display(),
            a.quantity,
            a.counterpart,
            a.department_label,
            a.get_status_display(),
            a.accept_due.isoformat(),
            a.answer_due.isoformat(),
            _("Yes") if a.overdue_stage(today) else "",
            a.get_rating_display(),
            a.reopen_count,
            a.answer,
        )  # fmt: skip
        for a in appeals.iterator(chunk_size=2000)
    )
    return xlsx_response("appeals.xlsx", header, rows)


def _can_file(user: Any) -> bool:
    return administered_enterprise(user) is not None or has_role(user, Role.LIAISON_OFFICER)


@login_required
def appeal_new(request: HttpRequest) -> HttpResponse:
    own = administered_enterprise(request.user)
    choices = None
    if own is None:
        require_role(request.user, Role.LIAISON_OFFICER)
        choices = list(selectors.assigned_enterprises(request.user))
    initial = {"enterprise": request.GET.get("enterprise", "")}
    form = AppealForm(request.POST or None, enterprises=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = own
        if choices is not None:
            enterprise = next((e for e in choices if str(e.pk) == data["enterprise"]), None)
        if enterprise is None:
            raise Http404
        try:
            appeal = actions.do_file_appeal(
                enterprise,
                category=data["category"],
                title=data["title"],
                detail=data["detail"],
                urgency=data["urgency"],
                quantity=data["quantity"],
                counterpart=data["counterpart"],
                actor=request.user,
            )
        except FieldError as exc:
            add_field_error(form, exc)
        else:
            messages.success(
                request,
                _("Appeal filed with %(department)s: to be accepted by %(date)s.")
                % {"department": appeal.department_label, "date": appeal.accept_due.isoformat()},
            )
            return redirect("appeals:detail", appeal.pk)
    return render(request, "appeals/new.html", {"form": form})


@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.get_appeal_or_404(request.user, pk)
    return _detail(request, appeal, ActionForm())


def _detail(request: HttpRequest, appeal: Appeal, form: ActionForm, status: int = 200):
    allowed = actions.allowed_actions(request.user, appeal)
    handler = actions.is_handler(request.user, appeal)
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "events": selectors.history(appeal),
            "cohandlers": list(appeal.cohandlers.all()),
            "allowed": allowed,
            "form": form,
            "departments": Department.objects.exclude(pk=appeal.department_id),
            "offers": selectors.matching_offers(appeal) if handler and appeal.is_open else [],
            "visits": list(appeal.visits.select_related("officer")),
        },
        status=status,
    )


@login_required
@require_POST
def appeal_act(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.get_appeal_or_404(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return _detail(request, appeal, form, status=400)
    data = form.cleaned_data
    try:
        actions.do_act(
            appeal,
            data["action"],
            actor=request.user,
            comment=data["comment"],
            to_department=data["to_department"],
            rating=data["rating"],
        )
    except FieldError as exc:
        add_field_error(form, exc)
        return _detail(request, appeal, form, status=400)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("appeals:detail", appeal.pk)
    messages.success(request, _("Saved."))
    if not selectors.appeals_for(request.user).filter(pk=appeal.pk).exists():
        return redirect("appeals:list")  # transferred away: no longer ours to see
    return redirect("appeals:detail", appeal.pk)


# ------------------------------------------------------------------------------------ groups
@login_required
def groups(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *HANDLER_ROLES)
    found = selectors.similar_groups(request.user)
    if request.method == "POST":
        key = request.POST.get("group", "")
        group = next((g for g in found if g["key"] == key), None)
        if group is None:
            raise Http404
        try:
            done = actions.do_answer_together(
                group["appeals"], comment=request.POST.get("comment", ""), actor=request.user
            )
        except FieldError as exc:
            messages.error(request, exc.message)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)d appeals answered together.") % {"n": len(done)})
        return redirect("appeals:groups")
    return render(request, "appeals/groups.html", {"groups": found})


@login_required
def offers(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *HANDLER_ROLES)
    departments = user_departments(request.user)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not departments:
            raise Http404  # the command centre records offers through a department
        try:
            actions.do_record_offer(departments[0], actor=request.user, **form.cleaned_data)
        except FieldError as exc:
            add_field_error(form, exc)
        else:
            messages.success(request, _("Offer recorded."))
            return redirect("appeals:offers")
    qs = Offer.objects.select_related("department").filter(active=True)
    if not is_command_centre(request.user):
        qs = qs.filter(department__in=departments)
    rows = []
    open_appeals = list(
        selectors.appeals_for(request.user)
        .filter(status__in=("submitted", "transferred", "accepted", "reopened"))
        .select_related("enterprise")[:500]
    )
    page = paginate(request, qs)
    for offer in page:
        item = offer.item.lower()
        matches = [
            a for a in open_appeals
            if a.category == offer.category
            and item in f"{a.title} {a.detail} {a.counterpart}".lower()
        ]  # fmt: skip
        rows.append((offer, matches))
    return render(
        request,
        "appeals/offers.html",
        {"form": form, "rows": rows, "page": page, "can_record": bool(departments)},
    )


# --------------------------------------------------------------------------------- dashboard
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *DASHBOARD_ROLES)
    data = selectors.dashboard(request.user)
    if request.GET.get("format") == "xlsx":
        return _export(
            selectors.search_appeals(request.user, overdue=True).order_by("answer_due", "pk")
        )
    return render(request, "appeals/dashboard.html", {"d": data})


# ------------------------------------------------------------------------------ routing rules
@login_required
def rules(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.COMMAND_CENTRE)
    form = RoutingRuleForm(request.POST if request.POST.get("form") == "rule" else None)
    leader_form = LeaderForm(request.POST if request.POST.get("form") == "leader" else None)
    if request.method == "POST":
        if request.POST.get("form") == "delete":
            raw = request.POST.get("rule", "")
            rule = RoutingRule.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
            if rule is None:
                raise Http404
            actions.do_delete_routing_rule(rule, actor=request.user)
            messages.success(request, _("Rule deleted."))
            return redirect("appeals:rules")
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_save_routing_rule(
                    category=data["category"],
                    section=data["section"],
                    industry=data["industry"],
                    district=data["district"],
                    department=Department.objects.get(code=data["department"]),
                    actor=request.user,
                )
            except FieldError as exc:
                add_field_error(form, exc)
            else:
                messages.success(request, _("Rule added."))
                return redirect("appeals:rules")
        if leader_form.is_bound and leader_form.is_valid():
            data = leader_form.cleaned_data
            user = User.objects.filter(username=data["username"].strip(), is_active=True).first()
            if user is None:
                leader_form.add_error("username", _("No such user."))
            else:
                actions.do_set_responsible_leader(
                    Department.objects.get(code=data["department"]), user, actor=request.user
                )
                messages.success(request, _("Responsible leader set."))
                return redirect("appeals:rules")
    names = {d.code: d.name for d in Department.objects.all()}
    rule_rows = [(r, names.get(r.department, r.department)) for r in RoutingRule.objects.all()]
    from .models import ResponsibleLeader

    return render(
        request,
        "appeals/rules.html",
        {
            "form": form,
            "leader_form": leader_form,
            "rules": rule_rows,
            "leaders": ResponsibleLeader.objects.select_related("department", "user"),
        },
    )


# ------------------------------------------------------------------------------ liaison work
@login_required
def liaison_home(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.LIAISON_OFFICER)
    return render(
        request,
        "appeals/liaison.html",
        {
            "rows": selectors.work_page(request.user),
            "visits": selectors.recent_visits(request.user),
            "today": business_today(),
        },
    )


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.LIAISON_OFFICER)
    enterprises = list(selectors.assigned_enterprises(request.user))
    open_appeals = list(
        Appeal.objects.filter(enterprise__in=enterprises)
        .select_related("enterprise")
        .order_by("-filed_at")[:100]
    )
    initial = {"enterprise": request.GET.get("enterprise", "")}
    form = VisitForm(
        request.POST or None, enterprises=enterprises, appeals=open_appeals, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = next(e for e in enterprises if str(e.pk) == data["enterprise"])
        chosen = [a for a in open_appeals if str(a.pk) in data["appeals"]]
        try:
            actions.do_log_visit(
                request.user,
                enterprise,
                date=data["date"],
                met=data["met"],
                findings=data["findings"],
                appeals=chosen,
                actor=request.user,
            )
        except FieldError as exc:
            add_field_error(form, exc)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("appeals:liaison")
    return render(request, "appeals/visit_new.html", {"form": form})


WEEK = dt.timedelta(days=7)


@login_required
def weekly_summary(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.LIAISON_OFFICER)
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = business_today()
    if not dt.date.min + WEEK <= day <= dt.date.max - WEEK:  # no week before or after it
        day = business_today()
    summary = selectors.weekly_summary(request.user, day)
    return render(
        request,
        "appeals/summary.html",
        {
            "s": summary,
            "previous": summary["monday"] - WEEK,
            "next": summary["monday"] + WEEK,
        },
    )


@login_required
def assign(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.COMMAND_CENTRE, Role.DISTRICT_OFFICER)
    form = BulkAssignForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("file"):
            try:
                rows = _xlsx_rows(data["file"])
            except FieldError as exc:
                form.add_error("file", exc.message)
                rows = None
        else:
            officer = data["officer"].strip()
            rows = [
                (n, officer, line.strip())
                for n, line in enumerate(data["codes"].splitlines(), start=1)
                if line.strip()
            ]
        if rows is not None:
            created, errors = actions.do_bulk_assign_liaisons(rows, actor=request.user)
            if not errors:
                messages.success(
                    request,
                    _("Rows read: %(rows)d; new assignments: %(n)d.")
                    % {"rows": len(rows), "n": created},
                )
                return redirect("appeals:assign")
    from fugong.orgs.models import LiaisonAssignment

    assignments = (
        LiaisonAssignment.objects.filter(active=True, enterprise__in=enterprises_for(request.user))
        .select_related("officer", "enterprise")
        .order_by("officer__username", "enterprise__name")
    )
    return render(
        request,
        "appeals/assign.html",
        {"form": form, "errors": errors, "page": paginate(request, assignments, 100)},
    )


def _xlsx_rows(upload: Any) -> list[tuple[int, str, str]]:
    from openpyxl import load_workbook

    # openpyxl raises many kinds of error for a file it cannot read, also while reading the
    # rows (read-only mode parses lazily), and a workbook may have no worksheet at all.
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
        try:
            sheet_rows = list(book.active.iter_rows(values_only=True))
        finally:
            book.close()
    except Exception:
        raise FieldError("file", _("This is not an .xlsx file.")) from None
    rows = []
    for n, row in enumerate(sheet_rows, start=1):
        cells = ["" if v is None else str(v).strip() for v in (row or ())][:2]
        if len(cells) < 2 or not any(cells):
            continue
        if n == 1 and not any(c.isdigit() for c in cells[1]):
            continue  # a header row
        rows.append((n, cells[0], cells[1]))
    return rows
