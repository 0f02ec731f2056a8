"""The daily briefing: the resumption sentence, plus every other app's contribution.

"截至2月16日24时,全市规模以上工业企业复工4717家,复工率约59.7%,比前一日增加120家;……"
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fugong.accounts.access import (
    division_in_scope,
    has_role,
    is_command_centre,
    jurisdiction_divisions,
)
from fugong.accounts.models import Role
from fugong.lib.briefing import BriefingScope, Sentence, contributor, sentences

from .stats import StatsScope, fast_rows

CLASSES = ("above_industrial", "above_trade", "all")


def class_label(klass: str) -> str:
    return {
        "above_industrial": _("above-scale industrial enterprises"),
        "above_trade": _("above-quota trade and catering enterprises"),
        "all": _("enterprises of all kinds"),
    }[klass]


def day_text(day: dt.date) -> str:
    return _("%(month)s/%(day)s") % {"month": day.month, "day": day.day}


def stats_scope(scope: BriefingScope) -> StatsScope:
    if scope.division is None:
        return StatsScope()
    return StatsScope((scope.division.prefix,), ())


def class_figures(day: dt.date, scope: BriefingScope) -> dict[str, dict[str, Any]]:
    """scale class (and "all") → the figures of that class on ``day``."""
    rows, total = fast_rows(day, "scale", stats_scope(scope))
    result = {r["key"]: r for r in rows}
    result["all"] = total
    return result


def _change_text(delta: int, people: bool = False) -> str:
    if people:
        if delta > 0:
            return _("%(n)s more people than the day before") % {"n": delta}
        if delta < 0:
            return _("%(n)s fewer people than the day before") % {"n": -delta}
        return _("unchanged from the day before")
    if delta > 0:
        return _("%(n)s more than the day before") % {"n": delta}
    if delta < 0:
        return _("%(n)s fewer than the day before") % {"n": -delta}
    return _("unchanged from the day before")


def figures_the_day_before(day: dt.date, scope: BriefingScope) -> dict[str, dict[str, Any]]:
    """What ``day``'s figures are compared with: the day before's. The calendar's first day
    (0001-01-01, a date a client may ask for) has none: it is compared with itself, no change."""
    if day == dt.date.min:
        return class_figures(day, scope)
    return class_figures(day - dt.timedelta(days=1), scope)


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}"


@contributor(order=10)
def resumption_sentence(day: dt.date, scope: BriefingScope) -> Sentence:
    today = class_figures(day, scope)
    before = figures_the_day_before(day, scope)
    area = scope.division.name if scope.division is not None else _("the whole city")
    parts = []
    figures: dict[str, Any] = {}
    for klass in CLASSES:
        now = today.get(klass)
        if not now or not now.get("enterprises"):
            continue
        prev = before.get(klass) or {}
        delta = now["resumed"] - prev.get("resumed", 0)
        parts.append(
            _(
                "%(resumed)s %(klass)s resumed work, a resumption rate of about %(rate)s%%, %(change)s"
            )
            % {
                "klass": class_label(klass),
                "resumed": now["resumed"],
                "rate": _pct(now["resumption_rate"]),
                "change": _change_text(delta),
            }
        )
        prefix = "" if klass == "all" else f"{klass}_"
        figures[f"{prefix}enterprises"] = now["enterprises"]
        figures[f"{prefix}resumed"] = now["resumed"]
        figures[f"{prefix}resumption_rate"] = now["resumption_rate"]
        figures[f"{prefix}resumed_change"] = delta
    total = today["all"]
    prev_total = before["all"]
    staff = _(
        "%(at_post)s of %(staff)s staff were at their posts, a return rate of about %(rate)s%%, "
        "%(change)s"
    ) % {
        "at_post": total["staff_at_post"],
        "staff": total["staff"],
        "rate": _pct(total["staff_return_rate"]),
        "change": _change_text(total["staff_at_post"] - prev_total["staff_at_post"], people=True),
    }
    figures.update(
        staff=total["staff"],
        staff_at_post=total["staff_at_post"],
        staff_return_rate=total["staff_return_rate"],
        staff_at_post_change=total["staff_at_post"] - prev_total["staff_at_post"],
    )
    head = _("As of 24:00 on %(date)s, in %(area)s: ") % {"date": day_text(day), "area": area}
    text = head + _("; ").join(parts) + _("; ") + staff + _(".")
    return Sentence(text=text, figures=figures)


@dataclass
class Briefing:
    day: dt.date
    scope: BriefingScope
    text: str
    figures: dict[str, Any]
    table: list[dict[str, Any]] = field(default_factory=list)


def build_briefing(day: dt.date, scope: BriefingScope) -> Briefing:
    """All contributed sentences joined, their figures merged, and the table by class."""
    said = sentences(day, scope)
    joiner = " " if (get_language() or "").startswith("en") else ""
    figures: dict[str, Any] = {}
    for sentence in said:
        figures.update(sentence.figures)
    today = class_figures(day, scope)
    before = figures_the_day_before(day, scope)
    table = []
    for klass in CLASSES:
        now = today.get(klass)
        if not now:
            continue
        prev = before.get(klass) or {}
        table.append(
            {
                "label": class_label(klass),
                **now,
                "resumed_change": now["resumed"] - prev.get("resumed", 0),
            }
        )
    return Briefing(day, scope, joiner.join(s.text for s in said), figures, table)


def may_see_briefing(user: Any) -> bool:
    """Whether ``user`` gets a briefing at all (pages offer the link only then)."""
    try:
        briefing_scope_for(user)
    except Http404:
        return False
    return True


def briefing_scope_for(user: Any, division: Any = None) -> BriefingScope:
    """The city for the command centre, their own division for district and township officers;
    nobody else gets a briefing (404)."""
    if is_command_centre(user):
        if division is not None:
            return BriefingScope(division)
        return BriefingScope()
    mine = [d for d in jurisdiction_divisions(user) if d.level in ("district", "township")]
    if not mine or not has_role(user, Role.DISTRICT_OFFICER, Role.TOWNSHIP_OFFICER):
        raise Http404
    if division is not None:
        if not division_in_scope(user, division):
            raise Http404
        return BriefingScope(division)
    return BriefingScope(mine[0])
