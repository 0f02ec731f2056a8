"""Menu entries and home widgets of the health check-in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fugong.accounts.models import Role
from fugong.portal import menu

menu.entry(
    "health:checkin",
    _("Daily check-in"),
    roles={Role.EMPLOYEE},
    order=5,
    description=_("Temperature, symptoms and where you work today"),
)
menu.entry(
    "health:history",
    _("My check-in history"),
    roles={Role.EMPLOYEE},
    order=6,
)
menu.entry(
    "health:board",
    _("Today's check-ins"),
    roles={Role.ENTERPRISE_ADMIN},
    order=10,
    description=_("Who has checked in, alerts first, and reminders"),
)
menu.entry(
    "people:roster",
    _("Roster"),
    roles={Role.ENTERPRISE_ADMIN},
    order=11,
    description=_("Add, import and export your staff"),
)
menu.entry(
    "health:travel",
    _("Travel records"),
    roles={Role.ENTERPRISE_ADMIN, Role.COMMUNITY_WORKER},
    order=40,
    description=_("Arrivals from other areas: quarantine is worked out from the risk levels"),
)
menu.entry(
    "health:alerts",
    _("Health alerts"),
    roles={Role.TOWNSHIP_OFFICER, Role.DISTRICT_OFFICER, Role.COMMAND_CENTRE},
    order=44,
    description=_("Today's fevers, symptoms and red statuses in the enterprises of your area"),
)
menu.entry(
    "health:risk",
    _("Risk levels"),
    roles={
        Role.COMMAND_CENTRE,
        Role.DEPARTMENT_OFFICER,
        Role.DISTRICT_OFFICER,
        Role.TOWNSHIP_OFFICER,
    },
    order=45,
    description=_("Low, medium or high risk per area, with effective dates"),
)
menu.entry(
    "health:cases",
    _("Cases and close contacts"),
    roles={Role.COMMAND_CENTRE},
    order=46,
)


def _employee_context(request: HttpRequest) -> dict[str, Any]:
    """Today's verdict at each employer whose roster the employee is on (whether they may
    work on site depends on the employer's resumption, and each board counts the check-ins
    made for it)."""
    from django.http import Http404

    from .views import _my_person_and_employers, _today_context

    try:
        person, employers = _my_person_and_employers(request.user)
    except Http404:  # on no roster now (an employee login without a person: the same to them)
        return {"not_on_roster": True}
    return {
        "employers": [_today_context(person, e) for e in employers],
        "several": len(employers) > 1,
    }


def _board_context(request: HttpRequest) -> dict[str, Any]:
    from fugong.accounts.access import administered_enterprise
    from fugong.lib.dates import business_today

    from .selectors import Board

    enterprise = administered_enterprise(request.user)
    if enterprise is None:
        return {"counts": {}}
    return {"counts": Board(enterprise, business_today()).counts}


menu.widget(
    template="health/widget_employee.html",
    roles={Role.EMPLOYEE},
    context=_employee_context,
    order=5,
)
menu.widget(
    template="health/widget_board.html",
    roles={Role.ENTERPRISE_ADMIN},
    context=_board_context,
    order=10,
)
