"""Who may see and do what. Every view, API endpoint and export asks these functions.

A user's jurisdiction is the union of their memberships' scopes. Anything outside it does not
exist for them: the ``get_*_or_404`` helpers raise Http404, never 403, so a probe cannot tell
"forbidden" from "absent".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from fugong.lib.sql import JoinedQuery

from .models import Membership, Role

if TYPE_CHECKING:
    from fugong.geo.models import Division
    from fugong.orgs.models import Department, Enterprise
    from fugong.people.models import Person

# Roles that may see a full ID number (through an audited reveal): those who screen people.
FULL_ID_ROLES = frozenset({Role.COMMUNITY_WORKER, Role.COMMAND_CENTRE})
OFFICER_ROLES = frozenset(
    {Role.TOWNSHIP_OFFICER, Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER, Role.COMMAND_CENTRE}
)


def memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_fugong_memberships", None)
    if cached is None:
        cached = user._fugong_memberships = _load_memberships(user.pk)
    return cached


def _load_memberships(user_id: int) -> list[Membership]:
    """The user's memberships with their enterprise, division and department, in one query
    (every request asks this; an API token brings them with it: accounts.actions)."""
    return MEMBERSHIPS.fetch({"user": user_id})


MEMBERSHIPS = JoinedQuery(
    Membership,
    ["enterprise", "division", "department"],
    where="m0.user_id = %(user)s",
    alias="m",
)


def roles(user: Any) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user: Any, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def is_command_centre(user: Any) -> bool:
    return has_role(user, Role.COMMAND_CENTRE)


def can_view_full_id(user: Any) -> bool:
    return bool(roles(user) & FULL_ID_ROLES)


def administered_enterprise(user: Any) -> Enterprise | None:
    """The enterprise this user administers (the first, should they hold several)."""
    for m in memberships(user):
        if m.role == Role.ENTERPRISE_ADMIN and m.enterprise is not None:
            return m.enterprise
    return None


def administered_enterprise_or_404(user: Any) -> Enterprise:
    enterprise = administered_enterprise(user)
    if enterprise is None:
        raise Http404
    return enterprise


def jurisdiction_divisions(user: Any) -> list[Division]:
    """Divisions whose whole area the user oversees (township, district, community roles)."""
    return [
        m.division
        for m in memberships(user)
        if m.division is not None
        and m.role in (Role.TOWNSHIP_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNITY_WORKER)
    ]


def user_departments(user: Any) -> list[Department]:
    return [
        m.department
        for m in memberships(user)
        if m.role == Role.DEPARTMENT_OFFICER and m.department is not None
    ]


def enterprise_filter(user: Any) -> Q | None:
    """A filter on Enterprise for the user's scope; None means the whole city."""
    if is_command_centre(user):
        return None
    q = Q(pk__in=[])
    for m in memberships(user):
        if m.role in (Role.ENTERPRISE_ADMIN, Role.EMPLOYEE) and m.enterprise_id:
            q |= Q(pk=m.enterprise_id)
        elif m.role in (Role.TOWNSHIP_OFFICER, Role.DISTRICT_OFFICER) and m.division_id:
            q |= Q(township__code__startswith=m.division.prefix)
        elif m.role == Role.DEPARTMENT_OFFICER and m.department_id:
            q |= Q(department_id=m.department_id)
        elif m.role == Role.LIAISON_OFFICER:
            q |= Q(liaison_assignments__officer=user, liaison_assignments__active=True)
    return q


def enterprises_for(user: Any) -> QuerySet[Enterprise]:
    from fugong.orgs.models import Enterprise

    q = enterprise_filter(user)
    qs = Enterprise.objects.all()
    if q is None:
        return qs
    if not memberships(user):
        return qs.none()
    return qs.filter(q).distinct()


def people_for(user: Any) -> QuerySet[Person]:
    """People whose records the user may open.

    Enterprise admins: their current staff (a former employer no longer sees the person's
    records, nor what their new employer enters). Township/district officers: people living
    in, or now employed in, their area. Community workers: residents of their community.
    Employees: themselves. Department officers and liaison officers work with enterprises, not
    personal records, and see nobody.
    """
    from fugong.people.models import Person

    if is_command_centre(user):
        return Person.objects.all()
    q = Q(pk__in=[])
    for m in memberships(user):
        if m.role == Role.ENTERPRISE_ADMIN and m.enterprise_id:
            q |= Q(employments__enterprise_id=m.enterprise_id, employments__active=True)
        elif m.role in (Role.TOWNSHIP_OFFICER, Role.DISTRICT_OFFICER) and m.division_id:
            prefix = m.division.prefix
            q |= Q(home_division__code__startswith=prefix)
            q |= Q(
                employments__enterprise__township__code__startswith=prefix,
                employments__active=True,
            )
        elif m.role == Role.COMMUNITY_WORKER and m.division_id:
            q |= Q(home_division__code__startswith=m.division.prefix)
        elif m.role == Role.EMPLOYEE:
            q |= Q(user=user)
    if not memberships(user):
        return Person.objects.none()
    return Person.objects.filter(q).distinct()


def entries_filter(user: Any) -> Q | None:
    """A filter on the records people enter about a person (travel records: ``enterprise``,
    ``entered_by``) for those the user may correct or delete; None means every record.

    An enterprise admin: those their enterprise entered. A community worker: those the workers
    of their community entered. Others see records of people in scope (people_for) read-only.
    Whether the person is in the user's scope is asked apart (people_for)."""
    from django.db.models import Exists, OuterRef

    if is_command_centre(user):
        return None
    q = Q(pk__in=[])
    enterprises = [
        m.enterprise_id
        for m in memberships(user)
        if m.role == Role.ENTERPRISE_ADMIN and m.enterprise_id
    ]
    if enterprises:
        q |= Q(enterprise_id__in=enterprises)
    communities = [
        m.division_id
        for m in memberships(user)
        if m.role == Role.COMMUNITY_WORKER and m.division_id
    ]
    if communities:
        colleague = Membership.objects.filter(
            user_id=OuterRef("entered_by_id"),
            role=Role.COMMUNITY_WORKER,
            division_id__in=communities,
        )
        q |= Q(enterprise__isnull=True) & Exists(colleague)
    return q


def get_enterprise_or_404(user: Any, pk: Any) -> Enterprise:
    try:
        return enterprises_for(user).get(pk=pk)
    except (ValueError, TypeError, enterprises_for(user).model.DoesNotExist):
        raise Http404 from None


def get_person_or_404(user: Any, pk: Any) -> Person:
    qs = people_for(user)
    try:
        return qs.get(pk=pk)
    except (ValueError, TypeError, qs.model.DoesNotExist):
        raise Http404 from None


def own_person_or_404(user: Any) -> Person:
    """The person whose login this is (an employee's record on the rosters); Http404 for a user
    with none (officers, the command centre)."""
    from fugong.people.models import Person

    person = Person.objects.filter(user=user).first() if user.is_authenticated else None
    if person is None:
        raise Http404
    return person


def division_in_scope(user: Any, division: Division) -> bool:
    if is_command_centre(user):
        return True
    return any(d.contains(division) for d in jurisdiction_divisions(user))


def require_role(user: Any, *wanted: str) -> None:
    """Raise Http404 unless the user holds one of the roles."""
    if not has_role(user, *wanted):
        raise Http404
