"""Menu entries of the core apps (enterprises, people, audit, policy, one's own account)."""

from django.utils.translation import gettext_lazy as _

from fugong.accounts.models import Role

from . import menu

menu.entry(
    "orgs:list",
    _("Enterprises"),
    roles={
        Role.COMMAND_CENTRE,
        Role.DISTRICT_OFFICER,
        Role.TOWNSHIP_OFFICER,
        Role.DEPARTMENT_OFFICER,
        Role.LIAISON_OFFICER,
    },
    order=20,
    description=_("Search, filter and export the enterprises in your jurisdiction"),
)
menu.entry(
    "orgs:mine",
    _("My enterprise"),
    roles={Role.ENTERPRISE_ADMIN},
    order=5,
    description=_("The registered facts of your enterprise"),
)
menu.entry(
    "people:list",
    _("People"),
    roles={
        Role.COMMAND_CENTRE,
        Role.DISTRICT_OFFICER,
        Role.TOWNSHIP_OFFICER,
        Role.COMMUNITY_WORKER,
    },
    order=30,
    description=_("Residents and staff in your jurisdiction, identifiers masked"),
)
menu.entry(
    "policy:list",
    _("Policy"),
    roles={
        Role.COMMAND_CENTRE,
        Role.DISTRICT_OFFICER,
        Role.TOWNSHIP_OFFICER,
        Role.DEPARTMENT_OFFICER,
    },
    order=80,
    description=_("Thresholds, durations and deadlines, with their versions"),
)
menu.entry(
    "audit:log",
    _("Audit log"),
    roles={Role.COMMAND_CENTRE},
    order=90,
    description=_("Every change and every read of a personal record"),
)
menu.entry(
    "portal:phone-change",
    _("Change phone number"),
    roles={Role.EMPLOYEE},  # the role of those with a person record (portal.views.phone_change)
    account=True,
)
