"""Menu entries and home widgets of resumption."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fugong.accounts.access import administered_enterprise
from fugong.accounts.models import Role
from fugong.lib.dates import business_today
from fugong.portal import menu

OFFICERS = {
    Role.COMMAND_CENTRE,
    Role.DISTRICT_OFFICER,
    Role.TOWNSHIP_OFFICER,
    Role.DEPARTMENT_OFFICER,
}
REVIEWERS = {Role.TOWNSHIP_OFFICER, Role.DEPARTMENT_OFFICER}

menu.entry(
    "resumption:mine",
    _("Resumption of work"),
    roles={Role.ENTERPRISE_ADMIN},
    order=15,
    description=_("Apply to resume work, follow the decision, see your status"),
)
menu.entry(
    "resumption:applications",
    _("Resumption applications"),
    roles=OFFICERS,
    order=12,
    description=_("Review applications in parallel, with deadlines in working days"),
)
menu.entry(
    "resumption:inspections",
    _("Inspections"),
    roles=OFFICERS,
    order=14,
    description=_("On-site inspections, rectification orders and suspensions"),
)
menu.entry(
    "resumption:dashboard",
    _("Resumption dashboard"),
    roles=OFFICERS,
    order=10,
    description=_("Resumption and staff return rates by area, industry and scale"),
)
menu.entry(
    "resumption:briefing",
    _("Daily briefing"),
    roles={Role.COMMAND_CENTRE, Role.DISTRICT_OFFICER, Role.TOWNSHIP_OFFICER},
    order=11,
    description=_("The day's figures as an official paragraph, .xlsx and .docx"),
)


def _status(request: HttpRequest) -> dict[str, Any]:
    from .selectors import enterprise_status

    enterprise = administered_enterprise(request.user)
    return {"current": enterprise_status(enterprise) if enterprise else None}


def _waiting(request: HttpRequest) -> dict[str, Any]:
    from .selectors import waiting_for

    qs = waiting_for(request.user)
    return {"waiting": qs.count(), "overdue": qs.filter(due__lt=business_today()).count()}


menu.widget(
    template="resumption/widget_status.html",
    roles={Role.ENTERPRISE_ADMIN},
    context=_status,
    order=20,
)
menu.widget(template="resumption/widget_waiting.html", roles=REVIEWERS, context=_waiting, order=20)
