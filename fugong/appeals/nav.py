"""Menu entries and home widgets of appeals and liaison work."""

from django.utils.translation import gettext_lazy as _

from fugong.accounts.models import Role
from fugong.portal import menu

menu.entry(
    "appeals:list",
    _("Appeals"),
    roles={
        Role.ENTERPRISE_ADMIN, Role.LIAISON_OFFICER, Role.DEPARTMENT_OFFICER,
        Role.COMMAND_CENTRE, Role.DISTRICT_OFFICER, Role.TOWNSHIP_OFFICER,
    },
    order=40,
    description=_("Enterprises' difficulties: owner, deadline and answer"),
)  # fmt: skip
menu.entry(
    "appeals:dashboard",
    _("Appeals overview"),
    roles={Role.COMMAND_CENTRE, Role.DISTRICT_OFFICER, Role.TOWNSHIP_OFFICER,
           Role.DEPARTMENT_OFFICER},
    order=41,
    description=_("By category, department and district; overdue; satisfaction; liaison coverage"),
)  # fmt: skip
menu.entry(
    "appeals:groups",
    _("Similar appeals"),
    roles={Role.COMMAND_CENTRE, Role.DEPARTMENT_OFFICER},
    order=42,
    description=_("Open appeals with the same need, to answer together"),
)
menu.entry(
    "appeals:offers",
    _("Offers of supplies and labour"),
    roles={Role.COMMAND_CENTRE, Role.DEPARTMENT_OFFICER},
    order=43,
    description=_("What departments have found, matched against open needs"),
)
menu.entry(
    "appeals:liaison",
    _("My enterprises"),
    roles={Role.LIAISON_OFFICER},
    order=15,
    description=_("Status of your enterprises, visit logs and weekly summary"),
)
menu.entry(
    "appeals:assign",
    _("Liaison assignments"),
    roles={Role.COMMAND_CENTRE, Role.DISTRICT_OFFICER},
    order=44,
    description=_("Assign liaison officers to key enterprises, from a list or .xlsx"),
)
menu.entry(
    "appeals:rules",
    _("Appeal routing"),
    roles={Role.COMMAND_CENTRE},
    order=85,
    description=_("Which department owns which appeals; responsible leaders"),
)


def _widget_context(request):
    from fugong.lib.dates import business_today

    from .selectors import appeals_for, overdue_q

    qs = appeals_for(request.user)
    return {
        "open": qs.filter(status__in=("submitted", "transferred", "accepted", "reopened")).count(),
        "overdue": qs.filter(overdue_q(business_today())).count(),
    }


menu.widget(
    template="appeals/widget.html",
    roles={Role.ENTERPRISE_ADMIN, Role.DEPARTMENT_OFFICER, Role.COMMAND_CENTRE,
           Role.LIAISON_OFFICER},
    context=_widget_context,
    order=40,
)  # fmt: skip
