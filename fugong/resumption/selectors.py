"""Reads of resumption state, scoped to a user through fugong.accounts.access.

``resumed_enterprise_ids`` is the single answer to "may this enterprise's staff work on day D?"
(the health app asks it for ``can_work``): an enterprise is resumed on D when its latest status
change effective on or before D is "resumed" (an approval or a commitment acceptance, or the
lifting of a suspension) — so not resumed before any approval, and not while suspended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from fugong.accounts.access import (
    enterprises_for,
    has_role,
    is_command_centre,
    jurisdiction_divisions,
    memberships,
    user_departments,
)
from fugong.accounts.models import Role
from fugong.lib.dates import business_today
from fugong.orgs.models import Enterprise

from .models import Application, Review, StatusChange
from .policies import RESUMPTION

OFFICER_ROLES = (
    Role.COMMAND_CENTRE,
    Role.DISTRICT_OFFICER,
    Role.TOWNSHIP_OFFICER,
    Role.DEPARTMENT_OFFICER,
)
REVIEWER_ROLES = (Role.TOWNSHIP_OFFICER, Role.DEPARTMENT_OFFICER)


def latest_status_subquery(day: dt.date) -> Subquery:
    """The status (resumed/suspended/None) of ``OuterRef('pk')`` (an enterprise) on ``day``."""
    return Subquery(
        StatusChange.objects.filter(enterprise=OuterRef("pk"), effective_date__lte=day)
        .order_by("-effective_date", "-pk")
        .values("status")[:1]
    )


def resumed_enterprise_ids(day: dt.date, enterprise_ids: Iterable[int] | None = None) -> set[int]:
    """Ids of the enterprises (among ``enterprise_ids``, or all) resumed on ``day``."""
    qs = Enterprise.objects.all()
    if enterprise_ids is not None:
        qs = qs.filter(pk__in=list(enterprise_ids))
    qs = qs.annotate(_status=latest_status_subquery(day)).filter(
        _status=StatusChange.Status.RESUMED
    )
    return set(qs.values_list("pk", flat=True))


def resumed_days_from(
    changes: list[tuple[dt.date, str]], days: Iterable[dt.date]
) -> dict[dt.date, bool]:
    """``resumed_enterprise_ids`` for one enterprise on a few days, from its (effective_date,
    status) changes in the order they were made (the check-in path reads them together with
    everything else it needs, in one round trip)."""
    answer = {}
    for day in days:
        latest = None
        for effective, status in changes:
            if effective <= day:
                latest = status
        answer[day] = latest == StatusChange.Status.RESUMED
    return answer


def is_resumed(enterprise: Enterprise, day: dt.date) -> bool:
    return enterprise.pk in resumed_enterprise_ids(day, [enterprise.pk])


# ---------------------------------------------------------------------------- enterprise status
@dataclass(frozen=True)
class EnterpriseStatus:
    status: str  # not_resumed | resumed | suspended
    since: dt.date | None
    open_application: Application | None
    pending_start: dt.date | None  # an approval effective later than ``day``


def enterprise_status(enterprise: Enterprise, day: dt.date | None = None) -> EnterpriseStatus:
    day = day or business_today()
    changes = list(
        StatusChange.objects.filter(enterprise=enterprise).order_by("effective_date", "pk")
    )
    status, since = "not_resumed", None
    for change in changes:
        if change.effective_date > day:
            break
        if change.status != status:
            status, since = change.status, change.effective_date
    later = [c.effective_date for c in changes if c.effective_date > day and c.status == "resumed"]
    open_app = (
        Application.objects.filter(enterprise=enterprise, status__in=Application.OPEN)
        .order_by("-pk")
        .first()
    )
    return EnterpriseStatus(status, since, open_app, later[0] if later else None)


def status_history(enterprise: Enterprise) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(enterprise=enterprise).select_related("created_by")


# ------------------------------------------------------------------------------------ risk
def district_risk_level(
    district: Any, policy: dict[str, Any] | None = None, day: dt.date | None = None
) -> str:
    """The risk level (low/medium/high) of a district: the one place it is read.

    The health app's risk levels (``fugong.health.models.RiskLevel``, the newest in force on
    ``day``) win; without one, the resumption policy's ``district_risk_levels`` and then its
    ``default_risk_level`` apply."""
    policy = policy or RESUMPTION.current()
    code = str(getattr(district, "code", district))
    day = day or business_today()
    try:
        from fugong.health.models import RiskLevel
    except ImportError:  # pragma: no cover - the health app is always installed
        RiskLevel = None  # noqa: N806
    if RiskLevel is not None:
        level = (
            RiskLevel.objects.filter(code=code, effective_from__lte=day)
            .order_by("-effective_from", "-pk")
            .values_list("level", flat=True)
            .first()
        )
        if level in ("low", "medium", "high"):
            return level
    level = (policy.get("district_risk_levels") or {}).get(code) or policy["default_risk_level"]
    return level if level in ("low", "medium", "high") else "low"


def route_for(enterprise: Enterprise, policy: dict[str, Any] | None = None) -> tuple[str, str]:
    """(route, risk level) for an application of this enterprise."""
    policy = policy or RESUMPTION.current()
    level = district_risk_level(enterprise.district, policy)
    route = (policy.get("route_by_risk") or {}).get(level, "standard")
    return ("commitment" if route == "commitment" else "standard"), level


# ------------------------------------------------------------------------------ applications
def applications_for(user: Any) -> QuerySet[Application]:
    """Applications of the enterprises the user may see."""
    if not memberships(user):
        return Application.objects.none()
    qs = Application.objects.select_related(
        "enterprise", "enterprise__township", "enterprise__district", "enterprise__department"
    )
    if is_command_centre(user):
        return qs
    return qs.filter(enterprise__in=enterprises_for(user).values("pk"))


def get_application_or_404(user: Any, pk: Any) -> Application:
    try:
        return applications_for(user).get(pk=pk)
    except (ValueError, TypeError, Application.DoesNotExist):
        raise Http404 from None


def officer_kinds(user: Any, enterprise: Enterprise) -> list[str]:
    """The capacities (township/department) in which this user reviews, inspects and may
    suspend the enterprise: its township's officer, its competent department's officer."""
    kinds = []
    for division in jurisdiction_divisions(user):
        if (
            has_role(user, Role.TOWNSHIP_OFFICER)
            and division.level == "township"
            and division.contains(enterprise.township)
        ):
            kinds.append(Review.Kind.TOWNSHIP)
            break
    if any(d.pk == enterprise.department_id for d in user_departments(user)):
        kinds.append(Review.Kind.DEPARTMENT)
    return kinds


def is_own_enterprise(user: Any, enterprise: Enterprise) -> bool:
    """The user administers or works for the enterprise (so may not decide on it)."""
    if any(m.enterprise_id == enterprise.pk for m in memberships(user)):
        return True
    from fugong.people.models import Employment

    return Employment.objects.filter(person__user=user, enterprise=enterprise, active=True).exists()


def pending_reviews_for(user: Any, application: Application) -> list[Review]:
    if application.status != Application.Status.SUBMITTED:
        return []
    kinds = officer_kinds(user, application.enterprise)
    return [
        r
        for r in application.reviews.filter(
            round=application.round, decision=Review.Decision.PENDING
        )
        if r.kind in kinds
    ]


def officer_scope_q(user: Any) -> Q | None:
    """Filter on applications waiting for this user's decision (township or department)."""
    q = Q(pk__in=[])
    for division in jurisdiction_divisions(user):
        if division.level == "township":
            q |= Q(
                reviews__kind=Review.Kind.TOWNSHIP,
                reviews__code__startswith=division.prefix,
            )
    for dept in user_departments(user):
        q |= Q(reviews__kind=Review.Kind.DEPARTMENT, reviews__code=dept.code)
    return q


def waiting_for(user: Any) -> QuerySet[Application]:
    q = officer_scope_q(user)
    return (
        applications_for(user)
        .filter(status=Application.Status.SUBMITTED)
        .filter(q, reviews__decision=Review.Decision.PENDING)
        .distinct()
    )


def overdue(qs: QuerySet[Application], today: dt.date | None = None) -> QuerySet[Application]:
    today = today or business_today()
    return qs.filter(status=Application.Status.SUBMITTED, due__lt=today)
