"""Pages of resumption: the enterprise's application, review, inspection, dashboard, briefing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from fugong.accounts.access import (
    administered_enterprise_or_404,
    get_enterprise_or_404,
    memberships,
    require_role,
)
from fugong.accounts.models import Role
from fugong.audit.actions import record
from fugong.geo.models import Division
from fugong.lib.dates import business_today
from fugong.lib.errors import Conflict, FieldError
from fugong.lib.excel import XLSX, xlsx_bytes, xlsx_response
from fugong.lib.paging import paginate, query_without_page

from . import checklist as checklist_rules
from .actions import (
    attachment_path,
    do_decide,
    do_lift_suspension,
    do_mark_rectified,
    do_record_inspection,
    do_resubmit_application,
    do_submit_application,
    do_suspend_enterprise,
    do_upload_attachment,
    missing_attachments,
)
from .briefing import briefing_scope_for, build_briefing, may_see_briefing
from .forms import (
    ApplicationFilterForm,
    ApplicationForm,
    AttachmentForm,
    DashboardForm,
    DecisionForm,
    InspectionForm,
    ReasonForm,
    item_answers,
)
from .models import Application, Attachment, Inspection, RectificationOrder
from .policies import RISK_LEVELS
from .selectors import (
    OFFICER_ROLES,
    applications_for,
    enterprise_status,
    get_application_or_404,
    officer_kinds,
    pending_reviews_for,
    status_history,
    waiting_for,
)
from .stats import (
    DIMENSIONS,
    StatsScope,
    annotated_enterprises,
    fast_rows,
    may_see_division,
    stats_scope_for,
    trend,
)


def _field_error(form: Any, exc: FieldError) -> None:
    name = exc.field if exc.field in form.fields else None
    if exc.field == "checklist":
        name = None
    form.add_error(name, exc.message)


def _checklist_problems(
    form: ApplicationForm, enterprise: Any, application: Any = None
) -> list[str]:
    """What is still missing, item by item (shown before the application is sent)."""
    data = form.data_for_action()
    found = checklist_rules.problems(data.checklist, data.staff_planned or 0)
    for code, message in found.items():
        form.add_error(f"item_{code}", message)
    missing = list(found.values())
    for label in missing_attachments(enterprise, data.files, application=application):
        missing.append(_("Attachment missing: %(kind)s") % {"kind": label})
    if not data.commitment:
        missing.append(_("The commitment letter is not confirmed yet."))
    return missing


def _labelled(attachments: Any) -> list[Attachment]:
    labels = dict(checklist_rules.attachment_kinds())
    result = list(attachments)
    for a in result:
        a.kind_label = labels.get(a.kind, a.kind)
    return result


# --------------------------------------------------------------------------- enterprise side
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ENTERPRISE_ADMIN)
    enterprise = administered_enterprise_or_404(request.user)
    return render(
        request,
        "resumption/mine.html",
        {
            "enterprise": enterprise,
            "current": enterprise_status(enterprise),
            "applications": Application.objects.filter(enterprise=enterprise).order_by("-pk"),
            "history": status_history(enterprise),
        },
    )


def _application_form_page(
    request: HttpRequest, enterprise: Any, application: Application | None
) -> HttpResponse:
    initial_checklist = application.checklist if application else None
    initial = {}
    if application:
        initial = {
            "planned_date": max(application.planned_date, business_today()),
            "staff_planned": application.staff_planned,
            "staff_from_outside": application.staff_from_outside,
            "staff_from_risk_areas": application.staff_from_risk_areas,
        }
    form = ApplicationForm(
        request.POST or None, request.FILES or None, initial=initial, checklist=initial_checklist
    )
    missing: list[str] | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            missing = _checklist_problems(form, enterprise, application)
            if "check" not in request.POST and not missing:
                try:
                    if application is None:
                        application = do_submit_application(
                            enterprise, form.data_for_action(), actor=request.user
                        )
                    else:
                        application = do_resubmit_application(
                            application, form.data_for_action(), actor=request.user
                        )
                except FieldError as exc:
                    _field_error(form, exc)
                except Conflict as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(
                        request,
                        _("Application sent.")
                        if application.status == "submitted"
                        else _("Accepted on commitment: work may resume from %(day)s.")
                        % {"day": application.effective_date},
                    )
                    return redirect("resumption:application", pk=application.pk)
        if not form.is_valid() or missing:
            status = 400 if "check" not in request.POST else 200
    reasons = []
    if application:
        labels = checklist_rules.item_labels()
        for review in application.reviews.filter(round=application.round, decision="return"):
            reasons.append(
                {
                    "review": review,
                    "items": [(labels.get(c, c), r) for c, r in review.item_reasons.items()],
                }
            )
    return render(
        request,
        "resumption/apply.html",
        {
            "form": form,
            "enterprise": enterprise,
            "application": application,
            "missing": missing,
            "reasons": reasons,
            "kept": _labelled(
                Attachment.objects.filter(enterprise=enterprise, application=application)
                if application
                else Attachment.objects.filter(enterprise=enterprise, application__isnull=True)
            ),
        },
        status=status,
    )


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ENTERPRISE_ADMIN)
    enterprise = administered_enterprise_or_404(request.user)
    return _application_form_page(request, enterprise, None)


@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.ENTERPRISE_ADMIN)
    enterprise = administered_enterprise_or_404(request.user)
    application = get_object_or_404(Application, pk=pk, enterprise=enterprise)
    if application.status != Application.Status.RETURNED:
        messages.error(request, _("Only an application returned for correction can be changed."))
        return redirect("resumption:application", pk=pk)
    return _application_form_page(request, enterprise, application)


# ------------------------------------------------------------------------------ applications
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_or_404(request.user, pk)
    pending = pending_reviews_for(request.user, application)
    decision_form = DecisionForm(request.POST if "decision" in request.POST else None)
    upload_form = AttachmentForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    is_admin = any(
        m.role == Role.ENTERPRISE_ADMIN and m.enterprise_id == application.enterprise_id
        for m in memberships(request.user)
    )
    status = 200
    if request.method == "POST" and "decision" in request.POST:
        if decision_form.is_valid():
            try:
                do_decide(
                    application,
                    decision=decision_form.cleaned_data["decision"],
                    comment=decision_form.cleaned_data["comment"],
                    item_reasons=decision_form.reasons(),
                    actor=request.user,
                )
            except FieldError as exc:
                _field_error(decision_form, exc)
            except Conflict as exc:
                decision_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your decision is recorded."))
                return redirect("resumption:application", pk=pk)
        status = 400
    elif request.method == "POST" and "upload" in request.POST:
        if not is_admin or not application.is_open:
            raise Http404
        if upload_form.is_valid():
            try:
                do_upload_attachment(
                    application.enterprise,
                    upload_form.cleaned_data["kind"],
                    upload_form.cleaned_data["file"],
                    actor=request.user,
                    application=application,
                )
            except FieldError as exc:
                upload_form.add_error("file", exc.message)
            else:
                messages.success(request, _("Document added."))
                return redirect("resumption:application", pk=pk)
        status = 400
    labels = checklist_rules.item_labels()
    answers = [
        {"label": item.label, "value": application.checklist.get(item.code), "kind": item.kind}
        for item in checklist_rules.items()
    ]
    reviews = list(application.reviews.select_related("decided_by"))
    from fugong.orgs.models import Department

    names = dict(
        Division.objects.filter(code__in=[r.code for r in reviews]).values_list("code", "name")
    )
    names.update(
        {d.code: d.name for d in Department.objects.filter(code__in=[r.code for r in reviews])}
    )
    for review in reviews:
        review.reason_list = [(labels.get(c, c), r) for c, r in review.item_reasons.items()]
        review.reviewer_name = names.get(review.code, review.code)
    return render(
        request,
        "resumption/application.html",
        {
            "application": application,
            "answers": answers,
            "reviews": reviews,
            "rounds": application.rounds.select_related("submitted_by"),
            "attachments": _labelled(application.attachments.all()),
            "pending": pending,
            "decision_form": decision_form if pending else None,
            "upload_form": upload_form if is_admin and application.is_open else None,
            "is_admin": is_admin,
            "today": business_today(),
            "risk_label": dict(RISK_LEVELS).get(application.risk_level, ""),
        },
        status=status,
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve a document only to users who may see its enterprise (404 otherwise)."""
    doc = get_object_or_404(Attachment, pk=pk)
    get_enterprise_or_404(request.user, doc.enterprise_id)
    path = attachment_path(doc)
    if not path.exists():
        raise Http404
    record(
        request.user,
        "resumption_attachment.downloaded",
        doc,
        details={"enterprise": doc.enterprise_id, "kind": doc.kind},
    )
    response = FileResponse(path.open("rb"), content_type=doc.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(doc.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *OFFICER_ROLES)
    form = ApplicationFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    qs = waiting_for(request.user) if f.get("waiting") else applications_for(request.user)
    today = business_today()
    if f.get("q"):
        qs = qs.filter(
            Q(enterprise__name__icontains=f["q"]) | Q(enterprise__credit_code=f["q"].upper())
        )
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("route"):
        qs = qs.filter(route=f["route"])
    if f.get("overdue"):
        qs = qs.filter(status="submitted", due__lt=today)
    qs = qs.order_by("-submitted_at", "-pk")
    if request.GET.get("format") == "xlsx":
        header = [
            _("Number"),
            _("Enterprise"),
            _("Credit code"),
            _("District"),
            _("Township"),
            _("Route"),
            _("Status"),
            _("Submitted"),
            _("Due"),
            _("Overdue"),
            _("Effective from"),
        ]
        rows = (
            (
                a.pk,
                a.enterprise.name,
                a.enterprise.credit_code,
                a.enterprise.district.name,
                a.enterprise.township.name,
                a.get_route_display(),
                a.get_status_display(),
                a.submitted_on.isoformat(),
                a.due.isoformat(),
                _("Yes") if a.status == "submitted" and a.due < today else "",
                a.effective_date.isoformat() if a.effective_date else "",
            )
            for a in qs.iterator(chunk_size=2000)
        )
        return xlsx_response("resumption-applications.xlsx", header, rows)
    return render(
        request,
        "resumption/applications.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "today": today,
        },
    )


# ------------------------------------------------------------------- enterprise for officers
@login_required
def enterprise_page(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *OFFICER_ROLES)
    enterprise = get_enterprise_or_404(request.user, pk)
    kinds = officer_kinds(request.user, enterprise)
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not kinds:
            raise Http404
        if form.is_valid():
            try:
                if request.POST.get("action") == "lift":
                    do_lift_suspension(
                        enterprise, reason=form.cleaned_data["reason"], actor=request.user
                    )
                    messages.success(request, _("The enterprise may resume work again."))
                else:
                    do_suspend_enterprise(
                        enterprise, reason=form.cleaned_data["reason"], actor=request.user
                    )
                    messages.success(request, _("The enterprise is suspended."))
                return redirect("resumption:enterprise", pk=pk)
            except FieldError as exc:
                form.add_error("reason", exc.message)
            except Conflict as exc:
                form.add_error(None, exc.message)
        status = 400
    return render(
        request,
        "resumption/enterprise.html",
        {
            "enterprise": enterprise,
            "current": enterprise_status(enterprise),
            "history": status_history(enterprise),
            "applications": Application.objects.filter(enterprise=enterprise).order_by("-pk"),
            "inspections": Inspection.objects.filter(enterprise=enterprise).select_related(
                "inspector", "rectification"
            ),
            "can_act": bool(kinds),
            "form": form,
        },
        status=status,
    )


@login_required
def inspect(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.TOWNSHIP_OFFICER, Role.DEPARTMENT_OFFICER)
    enterprise = get_enterprise_or_404(request.user, pk)
    if not officer_kinds(request.user, enterprise):
        raise Http404
    form = InspectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                inspection = do_record_inspection(
                    enterprise,
                    results=item_answers(form),
                    notes=form.cleaned_data["notes"],
                    date=form.cleaned_data["date"],
                    actor=request.user,
                )
            except FieldError as exc:
                _field_error(form, exc)
            else:
                if inspection.passed:
                    messages.success(request, _("Inspection recorded: every item passed."))
                else:
                    messages.warning(
                        request,
                        _("Inspection recorded: a rectification order is due by %(day)s.")
                        % {"day": inspection.rectification.deadline},
                    )
                return redirect("resumption:enterprise", pk=pk)
        status = 400
    return render(
        request,
        "resumption/inspect.html",
        {"enterprise": enterprise, "form": form},
        status=status,
    )


@login_required
def inspections(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *OFFICER_ROLES)
    visible = applications_for(request.user)
    today = business_today()
    due = visible.filter(route="commitment", status="approved", inspected_at__isnull=True).order_by(
        "inspection_due", "pk"
    )
    orders = (
        RectificationOrder.objects.filter(
            enterprise__in=visible.values("enterprise"), status="open"
        )
        .select_related("enterprise", "inspection")
        .order_by("deadline", "pk")
    )
    done = (
        Inspection.objects.filter(enterprise__in=visible.values("enterprise"))
        .select_related("enterprise", "inspector")
        .order_by("-date", "-pk")
    )
    labels = checklist_rules.item_labels()
    order_page = paginate(request, orders)
    for order in order_page:
        order.item_labels = [labels.get(c, c) for c in order.items]
    return render(
        request,
        "resumption/inspections.html",
        {
            "due": due[:100],
            "orders": order_page,
            "done": done[:50],
            "today": today,
            "query": query_without_page(request),
            "page": order_page,
        },
    )


@login_required
@require_POST
def order_action(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(RectificationOrder.objects.select_related("enterprise"), pk=pk)
    enterprise = get_enterprise_or_404(request.user, order.enterprise_id)
    try:
        if request.POST.get("action") == "suspend":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise FieldError("reason", _("Give the reason for the suspension."))
            do_suspend_enterprise(
                enterprise, reason=form.cleaned_data["reason"], actor=request.user, order=order
            )
            messages.success(request, _("The enterprise is suspended."))
        else:
            do_mark_rectified(order, actor=request.user)
            messages.success(request, _("Marked as rectified."))
    except (FieldError, Conflict) as exc:
        messages.error(request, exc.message)
    return redirect("resumption:inspections")


# -------------------------------------------------------------------------------- dashboard
def _bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["resumption_pct"] = round(row["resumption_rate"] * 100, 1)
        row["return_pct"] = round(row["staff_return_rate"] * 100, 1)
    return rows


def _trend_chart(points: list[dict[str, Any]]) -> dict[str, Any]:
    width, height, pad = 600, 180, 24
    n = max(len(points) - 1, 1)

    def xy(i: int, rate: float) -> str:
        x = pad + (width - 2 * pad) * i / n
        y = height - pad - (height - 2 * pad) * rate
        return f"{x:.1f},{y:.1f}"

    return {
        "width": width,
        "height": height,
        "resumption": " ".join(xy(i, p["resumption_rate"]) for i, p in enumerate(points)),
        "return": " ".join(xy(i, p["staff_return_rate"]) for i, p in enumerate(points)),
        "labels": [
            {"x": pad + (width - 2 * pad) * i / n, "text": f"{p['date']:%m-%d}"}
            for i, p in enumerate(points)
            if i % 2 == (len(points) - 1) % 2
        ],
        "grid": [
            {"y": height - pad - (height - 2 * pad) * r, "label": f"{int(r * 100)}%"}
            for r in (0, 0.25, 0.5, 0.75, 1)
        ],
        "points": points,
    }


def _division_or_404(code: str) -> Division | None:
    if not code:
        return None
    if not (code.isascii() and code.isdigit()):  # a division code is digits (NUL: a 500)
        raise Http404
    division = Division.objects.filter(code=code).first()
    if division is None or division.level not in ("district", "township"):
        raise Http404
    return division


def _parent_shown(scope: StatsScope, user: Any, division: Division | None) -> Division | None:
    if division is None or division.level != "township":
        return None
    parent = division.parent
    return parent if parent is not None and may_see_division(scope, user, parent) else None


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *OFFICER_ROLES)
    form = DashboardForm(request.GET or None)
    if request.GET and not form.is_valid():
        day = business_today()
        values: dict[str, Any] = {"date": day, "division": "", "scale": ""}
    else:
        values = form.cleaned_data if request.GET else {"date": business_today()}
        day = values.get("date") or business_today()
    division = _division_or_404(values.get("division") or "")
    scope = stats_scope_for(request.user, division).of_scale(values.get("scale"))
    tables = {}
    for by in DIMENSIONS:
        if by == "district" and division is not None:
            continue
        if by == "township" and division is not None and division.level == "township":
            continue
        rows, total = fast_rows(day, by, scope)
        tables[by] = {"rows": _bars(rows), "total": _bars([total])[0]}
    if "district" in tables:  # a township officer sees their district's row, not its page
        rows = tables["district"]["rows"]
        shown = {
            d.code
            for d in Division.objects.filter(code__in=[r["key"] for r in rows])
            if may_see_division(scope, request.user, d)
        }
        for r in rows:
            r["linked"] = r["key"] in shown
    export = request.GET.get("export")
    # The 14 days up to ``day`` (fewer at the calendar's very start, 0001-01-01).
    days = [day - dt.timedelta(days=i) for i in range(min(13, day.toordinal() - 1), -1, -1)]
    points = trend(days, scope)
    if export == "trend":
        header = [
            _("Date"),
            pgettext("count", "Enterprises"),
            _("Resumed"),
            _("Resumption rate"),
            _("Staff"),
            _("Staff at post"),
            _("Staff return rate"),
        ]
        rows = [
            (
                p["date"].isoformat(),
                p["enterprises"],
                p["resumed"],
                p["resumption_rate"],
                p["staff"],
                p["staff_at_post"],
                p["staff_return_rate"],
            )
            for p in points
        ]
        return xlsx_response(f"resumption-trend-{day.isoformat()}.xlsx", header, rows)
    titles = {
        "district": _("By district"),
        "township": _("By township"),
        "industry": _("By industry section"),
        "scale": _("By scale class"),
    }
    if export in tables:
        header = [
            _("Code"),
            _("Name"),
            pgettext("count", "Enterprises"),
            _("Resumed"),
            _("Resumption rate"),
            _("Staff"),
            _("Staff at post"),
            _("Staff return rate"),
        ]
        rows = [
            (
                r["key"],
                r["name"],
                r["enterprises"],
                r["resumed"],
                r["resumption_rate"],
                r["staff"],
                r["staff_at_post"],
                r["staff_return_rate"],
            )
            for r in tables[export]["rows"]
        ]
        t = tables[export]["total"]
        rows.append(
            (
                "",
                _("Total"),
                t["enterprises"],
                t["resumed"],
                t["resumption_rate"],
                t["staff"],
                t["staff_at_post"],
                t["staff_return_rate"],
            )
        )
        return xlsx_response(f"resumption-{export}-{day.isoformat()}.xlsx", header, rows)
    slowest = sorted(
        [r for r in tables.get("township", {"rows": []})["rows"] if r["enterprises"]],
        key=lambda r: (r["resumption_rate"], r["key"]),
    )[:5]
    overdue = (
        applications_for(request.user)
        .filter(status="submitted", due__lt=business_today())
        .order_by("due", "pk")
    )
    if division is not None:
        overdue = overdue.filter(enterprise__township__code__startswith=division.prefix)
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "resumption/dashboard.html",
        {
            "form": form,
            "day": day,
            "division": division,
            # Up one level, to the district, only for those who may see it (a township
            # officer's way up is to their whole jurisdiction, not to a page that is a 404).
            "parent": _parent_shown(scope, request.user, division),
            "tables": [(by, titles[by], t) for by, t in tables.items()],
            "chart": _trend_chart(points),
            "slowest": slowest,
            "overdue": overdue[:20],
            "overdue_count": overdue.count(),
            "query": query.urlencode(),
            "scale": values.get("scale") or "",
            "briefing": may_see_briefing(request.user),
        },
    )


@login_required
def dashboard_enterprises(request: HttpRequest) -> HttpResponse:
    """The enterprises of a township (or district) with their status and staff on the day."""
    require_role(request.user, *OFFICER_ROLES)
    form = DashboardForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    day = values.get("date") or business_today()
    division = _division_or_404(values.get("division") or request.GET.get("division", ""))
    if division is None:
        raise Http404
    scope = stats_scope_for(request.user, division).of_scale(values.get("scale"))
    from fugong.orgs.models import Enterprise

    qs = annotated_enterprises(
        day,
        Enterprise.objects.filter(scope.enterprise_q()).select_related(
            "township", "industry", "industry__section"
        ),
    )
    status = request.GET.get("status")
    if status == "resumed":
        qs = qs.filter(is_resumed=1)
    elif status == "not_resumed":
        qs = qs.filter(is_resumed=0)
    qs = qs.order_by("name", "pk")
    if request.GET.get("format") == "xlsx":
        header = [
            _("Credit code"),
            _("Name"),
            _("Township"),
            _("Industry"),
            _("Scale"),
            _("Status"),
            _("Staff"),
            _("Staff at post"),
        ]
        rows = (
            (
                e.credit_code,
                e.name,
                e.township.name,
                str(e.industry),
                e.get_scale_display(),
                _status_label(e.status_on_day),
                e.staff_n,
                e.at_post_n,
            )
            for e in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(f"resumption-enterprises-{division.code}.xlsx", header, rows)
    page = paginate(request, qs)
    for e in page:
        e.status_label = _status_label(e.status_on_day)
    return render(
        request,
        "resumption/drill.html",
        {
            "division": division,
            "day": day,
            "page": page,
            "query": query_without_page(request),
            "status": status or "",
        },
    )


def _status_label(status: str | None) -> str:
    return {"resumed": _("Resumed"), "suspended": _("Suspended")}.get(
        status or "", _("Not resumed")
    )


# --------------------------------------------------------------------------------- briefing
@login_required
def briefing_page(request: HttpRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    day = values.get("date") or business_today()
    division = _division_or_404(request.GET.get("division", ""))
    scope = briefing_scope_for(request.user, division)
    result = build_briefing(day, scope)
    header = [
        _("Class"),
        pgettext("count", "Enterprises"),
        _("Resumed"),
        _("Resumption rate"),
        _("Change on the previous day"),
        _("Staff"),
        _("Staff at post"),
        _("Staff return rate"),
    ]
    rows = [
        (
            r["label"],
            r["enterprises"],
            r["resumed"],
            r["resumption_rate"],
            r["resumed_change"],
            r["staff"],
            r["staff_at_post"],
            r["staff_return_rate"],
        )
        for r in result.table
    ]
    fmt = request.GET.get("format")
    name = f"briefing-{day.isoformat()}"
    if fmt == "xlsx":
        data = xlsx_bytes(
            [(_("Briefing"), [_("Text")], [[result.text]]), (_("Figures"), header, rows)]
        )
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename={name}.xlsx"
        return response
    if fmt == "docx":
        return _docx_response(
            name, _("Daily briefing on resumption of work"), result.text, header, rows
        )
    return render(
        request,
        "resumption/briefing.html",
        {
            "form": form,
            "day": day,
            "briefing": result,
            "header": header,
            "rows": rows,
            "division": division,
        },
    )


def _docx_response(name: str, title: str, text: str, header: list, rows: list) -> HttpResponse:
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(value)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = f"{value * 100:.1f}%" if isinstance(value, float) else str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename={name}.docx"
    return response
