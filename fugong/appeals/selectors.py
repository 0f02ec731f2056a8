"""Reads of appeals and liaison work, always scoped to the user.

Who sees which appeal: the command centre all of them; a department those routed to it or that it
co-handles; an enterprise administrator their enterprise's; a liaison officer those of the
enterprises assigned to them; township and district officers those of enterprises in their area.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from fugong.accounts.access import is_command_centre, memberships
from fugong.accounts.models import Role
from fugong.lib.dates import business_today
from fugong.orgs.models import Enterprise, LiaisonAssignment

from .models import (
    AWAITING_ACCEPTANCE,
    AWAITING_ANSWER,
    OPEN_STATUSES,
    Appeal,
    Offer,
    Rating,
    Status,
    VisitLog,
)


def appeal_filter(user: Any) -> Q | None:
    """A filter on Appeal for the user's scope; None means every appeal."""
    if is_command_centre(user):
        return None
    q = Q(pk__in=[])
    for m in memberships(user):
        if m.role == Role.ENTERPRISE_ADMIN and m.enterprise_id:
            q |= Q(enterprise_id=m.enterprise_id)
        elif m.role == Role.DEPARTMENT_OFFICER and m.department_id:
            q |= Q(department_id=m.department_id) | Q(cohandlers=m.department_id)
        elif m.role == Role.LIAISON_OFFICER:
            q |= Q(
                enterprise__liaison_assignments__officer=user,
                enterprise__liaison_assignments__active=True,
            )
        elif m.role in (Role.TOWNSHIP_OFFICER, Role.DISTRICT_OFFICER) and m.division_id:
            q |= Q(enterprise__township__code__startswith=m.division.prefix)
    return q


def appeals_for(user: Any) -> QuerySet[Appeal]:
    q = appeal_filter(user)
    if q is None:
        return Appeal.objects.all()
    if not memberships(user):
        return Appeal.objects.none()
    # A subquery, not .distinct(): the joins above may repeat rows, and DISTINCT would forbid
    # ordering on joined columns and aggregation.
    return Appeal.objects.filter(pk__in=Appeal.objects.filter(q).values("pk"))


def get_appeal_or_404(user: Any, pk: Any) -> Appeal:
    try:
        return (
            appeals_for(user)
            .select_related("enterprise", "enterprise__district", "department", "filed_by")
            .get(pk=pk)
        )
    except (ValueError, TypeError, Appeal.DoesNotExist):
        raise Http404 from None


def history(appeal: Appeal) -> list:
    return list(appeal.events.select_related("from_department", "to_department"))


def overdue_q(today: dt.date) -> Q:
    return Q(status__in=AWAITING_ACCEPTANCE, accept_due__lt=today) | Q(
        status__in=AWAITING_ANSWER, answer_due__lt=today
    )


def search_appeals(
    user: Any,
    *,
    q: str = "",
    status: str = "",
    category: str = "",
    department: str = "",
    district: str = "",
    enterprise: int | None = None,
    overdue: bool = False,
    flagged: bool = False,
    open_only: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Appeal]:
    qs = appeals_for(user).select_related("enterprise", "enterprise__district", "department")
    today = today or business_today()
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(enterprise__name__icontains=q) | Q(counterpart__icontains=q)
            | Q(enterprise__credit_code=q.upper())
        )  # fmt: skip
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if department == "desk":
        qs = qs.filter(department__isnull=True)
    elif department:
        qs = qs.filter(department__code=department)
    if district:
        qs = qs.filter(enterprise__district__code=district)
    if enterprise:
        qs = qs.filter(enterprise_id=enterprise)
    if overdue:
        qs = qs.filter(overdue_q(today))
    if flagged:
        qs = qs.filter(flagged=True)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.order_by("-filed_at", "-pk")


# ---------------------------------------------------------------------------------- grouping
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def need_key(appeal: Appeal) -> str:
    """What makes two appeals "the same need": the counterpart if named, else the title."""
    return _NOISE.sub("", (appeal.counterpart or appeal.title).lower())


def similar_groups(user: Any, *, minimum: int = 2) -> list[dict[str, Any]]:
    """Open appeals in the user's scope with the same department, category and need."""
    open_appeals = (
        appeals_for(user)
        .filter(status__in=AWAITING_ANSWER)
        .select_related("enterprise", "department")
        .order_by("filed_at", "pk")
    )
    groups: dict[tuple, list[Appeal]] = defaultdict(list)
    for appeal in open_appeals:
        groups[(appeal.department_id, appeal.category, need_key(appeal))].append(appeal)
    result = []
    for (_dept, category, key), members in groups.items():
        if len(members) >= minimum:
            first = members[0]
            result.append({
                "key": f"{first.department_id or 'desk'}:{category}:{key}",
                "category": first.get_category_display(),
                "need": first.counterpart or first.title,
                "department": first.department_label,
                "appeals": members,
                "quantity": sum(a.quantity or 0 for a in members),
            })  # fmt: skip
    result.sort(key=lambda g: -len(g["appeals"]))
    return result


def matching_offers(appeal: Appeal) -> list[Offer]:
    """Active offers of the same category whose item appears in the appeal's need."""
    text = f"{appeal.title} {appeal.detail} {appeal.counterpart}".lower()
    return [
        o for o in Offer.objects.filter(active=True, category=appeal.category)
        .select_related("department")[:200]
        if o.item.lower() in text
    ]  # fmt: skip


# ----------------------------------------------------------------------------- statistics
def _median_hours(pairs: list[tuple[dt.datetime, dt.datetime | None]]) -> float | None:
    spans = [(end - start).total_seconds() / 3600 for start, end in pairs if end]
    return round(statistics.median(spans), 1) if spans else None


def dashboard(user: Any, today: dt.date | None = None) -> dict[str, Any]:
    from fugong.orgs.models import Department

    today = today or business_today()
    qs = appeals_for(user)
    total = qs.count()

    def counted(field: str) -> list[tuple[Any, int]]:
        return list(qs.values_list(field).annotate(n=Count("pk", distinct=True)).order_by("-n"))

    by_status = dict(counted("status"))
    by_category = counted("category")
    by_department = counted("department__code")
    by_district = counted("enterprise__district__code")
    departments = {d.code: d.name for d in Department.objects.all()}
    from fugong.geo.models import Division

    districts = dict(
        Division.objects.filter(level=Division.Level.DISTRICT).values_list("code", "name")
    )
    rated = Counter(qs.exclude(rating="").values_list("rating", flat=True))
    rated_total = sum(rated.values())
    satisfied = rated[Rating.SATISFIED] + rated[Rating.BASICALLY_SATISFIED]
    closed = by_status.get(Status.CLOSED, 0)
    overdue = (
        qs.filter(overdue_q(today))
        .select_related("enterprise", "department")
        .order_by("answer_due", "pk")
    )
    from .models import Category

    labels = dict(Category.choices)
    status_labels = dict(Status.choices)
    return {
        "total": total,
        "closed": closed,
        "close_rate": round(100 * closed / total, 1) if total else None,
        "by_status": _bars(
            [(s, status_labels[s], by_status.get(s, 0)) for s in Status.values], "status"
        ),
        "by_category": _bars([(c, labels.get(c, c), n) for c, n in by_category], "category"),
        "by_department": _bars(
            [(c or "desk", departments.get(c, "") if c else "", n) for c, n in by_department],
            "department",
        ),
        "by_district": _bars([(c, districts.get(c, c), n) for c, n in by_district], "district"),
        "median_accept_hours": _median_hours(
            list(qs.filter(accepted_at__isnull=False).values_list("filed_at", "accepted_at"))
        ),
        "median_answer_hours": _median_hours(
            list(qs.filter(answered_at__isnull=False).values_list("filed_at", "answered_at"))
        ),
        "overdue_count": overdue.count(),
        "overdue": overdue[:50],
        "flagged_count": qs.filter(flagged=True).count(),
        "rated": rated_total,
        "satisfaction_rate": round(100 * satisfied / rated_total, 1) if rated_total else None,
        "coverage": liaison_coverage(user, today),
    }


def _bars(items: list[tuple[str, str, int]], param: str) -> list[dict[str, Any]]:
    from django.utils.translation import gettext as _

    top = max((n for _c, _l, n in items), default=0) or 1
    return [
        {
            "code": code,
            "label": label or (_("Command centre desk") if code == "desk" else code),
            "n": n,
            "pct": round(100 * n / top),
            "param": param,
        }
        for code, label, n in items
    ]


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def liaison_coverage(user: Any, today: dt.date) -> dict[str, Any]:
    """Key enterprises in scope: how many have an active liaison, how many were visited this week."""
    from fugong.accounts.access import enterprises_for

    keys = enterprises_for(user).filter(is_key=True)
    key_ids = list(keys.values_list("pk", flat=True))
    assigned = set(
        LiaisonAssignment.objects.filter(active=True, enterprise_id__in=key_ids).values_list(
            "enterprise_id", flat=True
        )
    )
    monday, sunday = week_bounds(today)
    visited = set(
        VisitLog.objects.filter(
            enterprise_id__in=key_ids, date__range=(monday, sunday)
        ).values_list("enterprise_id", flat=True)
    )
    n = len(key_ids)
    return {
        "key": n,
        "assigned": len(assigned),
        "visited": len(visited),
        "assigned_pct": round(100 * len(assigned) / n) if n else 0,
        "visited_pct": round(100 * len(visited) / n) if n else 0,
        "week_start": monday,
    }


# ---------------------------------------------------------------------------- liaison work
def assigned_enterprises(officer: Any) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.filter(liaison_assignments__officer=officer,
                                  liaison_assignments__active=True)
        .select_related("township", "district", "industry")
        .order_by("name", "pk")
        .distinct()
    )  # fmt: skip


def work_page(officer: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per assigned enterprise: resumed?, check-in completion, open and overdue appeals."""
    from fugong.health.selectors import checkin_completion
    from fugong.resumption.selectors import resumed_enterprise_ids

    today = today or business_today()
    enterprises = list(assigned_enterprises(officer))
    ids = [e.pk for e in enterprises]
    resumed = resumed_enterprise_ids(today, ids)
    completion = checkin_completion(ids, today)
    appeals = Appeal.objects.filter(enterprise_id__in=ids)
    open_counts = dict(
        appeals.filter(status__in=OPEN_STATUSES)
        .values_list("enterprise_id").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    overdue_counts = dict(
        appeals.filter(overdue_q(today))
        .values_list("enterprise_id").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    last_visit: dict[int, dt.date] = {}
    for enterprise_id, date in (
        VisitLog.objects.filter(officer=officer, enterprise_id__in=ids)
        .order_by("enterprise_id", "-date")
        .values_list("enterprise_id", "date")
    ):
        last_visit.setdefault(enterprise_id, date)
    rows = []
    for e in enterprises:
        checked, roster = completion.get(e.pk, (0, 0))
        rows.append({
            "enterprise": e,
            "resumed": e.pk in resumed,
            "checked_in": checked,
            "roster": roster,
            "completion_pct": round(100 * checked / roster) if roster else None,
            "open_appeals": open_counts.get(e.pk, 0),
            "overdue": overdue_counts.get(e.pk, 0),
            "last_visit": last_visit.get(e.pk),
        })  # fmt: skip
    return rows


def recent_visits(officer: Any, limit: int = 30) -> QuerySet[VisitLog]:
    return (
        VisitLog.objects.filter(officer=officer)
        .select_related("enterprise")
        .prefetch_related("appeals")
        .order_by("-date", "-pk")[:limit]
    )


def weekly_summary(officer: Any, day: dt.date) -> dict[str, Any]:
    """Built from the week's visit logs and appeals — nothing is typed twice."""
    monday, sunday = week_bounds(day)
    enterprises = list(assigned_enterprises(officer))
    ids = [e.pk for e in enterprises]
    visits = list(
        VisitLog.objects.filter(officer=officer, date__range=(monday, sunday))
        .select_related("enterprise")
        .prefetch_related("appeals")
        .order_by("date", "pk")
    )
    visited_ids = {v.enterprise_id for v in visits}
    week_q = Q(filed_at__date__range=(monday, sunday))
    appeals = Appeal.objects.filter(enterprise_id__in=ids)
    raised = list(appeals.filter(week_q).select_related("enterprise", "department"))
    closed = appeals.filter(closed_at__date__range=(monday, sunday)).count()
    answered = appeals.filter(answered_at__date__range=(monday, sunday)).count()
    from .models import Category

    labels = dict(Category.choices)
    by_category = Counter(labels[a.category] for a in raised)
    end = min(sunday, business_today())
    return {
        "monday": monday,
        "sunday": sunday,
        "assigned": len(enterprises),
        "visits": visits,
        "visited": len(visited_ids),
        "not_visited": [e for e in enterprises if e.pk not in visited_ids],
        "raised": raised,
        "raised_by_category": sorted(by_category.items(), key=lambda kv: -kv[1]),
        "answered": answered,
        "closed": closed,
        "still_open": appeals.filter(status__in=OPEN_STATUSES).count(),
        "overdue": list(appeals.filter(overdue_q(end)).select_related("enterprise", "department")),
    }
