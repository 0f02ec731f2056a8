"""Deadlines and escalation (policy data), and the default routing rules.

Defaults follow Guangdong's 2020 practice: an appeal is accepted within one working day and a
solution proposed within three working days (complex cases); overdue ones go to the department's
responsible leader and the command centre.
"""

from django.utils.translation import gettext_lazy as _

from fugong.policy.registry import Field, register

APPEALS = register(
    "appeals",
    title=_("Enterprise appeals: deadlines"),
    description=_(
        "Working days allowed to accept an appeal and to propose a solution, counted from the "
        "day it is filed (or transferred, or reopened), skipping weekends and public holidays."
    ),
    fields={
        "accept_working_days": Field(1, _("Accept within (working days)"), minimum=1, maximum=30),
        "answer_working_days": Field(
            3, _("Propose a solution within (working days)"), minimum=1, maximum=60
        ),
        "reopen_limit": Field(
            1, _("Times an unsatisfied enterprise may reopen an appeal"), minimum=0, maximum=5
        ),
    },
)

# category, GB/T 4754 section, division, district code → department code. Blank matches anything.
# Installed by migration 0002 (a frozen copy) into RoutingRule, where the command centre edits
# them; a test checks the two lists agree.
_BY_SECTION = {
    "A": "nyj", "B": "gxj", "C": "gxj", "D": "gxj", "E": "zjj", "F": "swj", "G": "jtj",
    "H": "swj", "I": "kjj", "M": "kjj", "P": "jyj", "Q": "wjj", "R": "wgltj",
}  # fmt: skip
DEFAULT_ROUTING: list[dict[str, str]] = [
    {"category": "labour", "department": "rsj"},
    {"category": "logistics", "department": "jtj"},
    {"category": "funding", "department": "jrj"},
    {"category": "approval", "department": "scjgj"},
    {"category": "approval", "section": "E", "department": "zjj"},
    {"category": "protective_supplies", "department": "gxj"},
    {"category": "protective_supplies", "section": "Q", "department": "wjj"},
    {"category": "supply_chain", "department": "gxj"},
    *(
        {"category": "supply_chain", "section": s, "department": d}
        for s, d in _BY_SECTION.items()
        if d != "gxj"
    ),
    *({"category": "policy", "section": s, "department": d} for s, d in _BY_SECTION.items()),
]
