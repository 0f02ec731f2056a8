"""Reasons for a health status, stored as data and worded in the reader's language.

The rules (status.py) give each reason as a small JSON-ready dict: its kind ``"k"`` and the
values it names (dates as ISO text, a temperature as text, symptom and risk-level codes, a
place's name). That is what the check-ins, current statuses and status changes keep, so the
same record reads "自2月10日起居家观察14天,至2月24日。" to one reader and "… from 2/10, until
2/24." to another, and comparing two verdicts does not depend on who asked. :func:`text`
words one reason in the active language; a stored plain string (written before reasons were
data) is shown as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fugong.lib.dates import business_today

from .models import SYMPTOMS, RiskLevel

Reason = dict[str, Any]

# The reasons without values are shared constants (a batch of a thousand green check-ins
# stores and words the same one).
GREEN: Reason = {"k": "green"}
NOT_RESUMED: Reason = {"k": "not_resumed"}


def observation(what: str, start: dt.date, days: int, end: dt.date) -> Reason:
    """Medical observation; ``what`` is ``"close_contact"`` (a recorded case) or
    ``"reported_contact"`` (the person's own check-in)."""
    return {
        "k": "observation",
        "what": what,
        "days": days,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def case(kind: str, since: dt.date) -> Reason:
    """A confirmed (``"confirmed"``) or suspected (``"suspected"``) case."""
    return {"k": kind, "since": since.isoformat()}


def fever(temperature: Any) -> Reason:
    return {"k": "fever", "t": str(temperature)}


def symptoms(codes: Iterable[str]) -> Reason:
    return {"k": "symptoms", "codes": list(codes)}


def travel(place: str, level: str, days: int, start: dt.date, end: dt.date) -> Reason:
    """Home observation after arriving from ``place`` (its name) of risk ``level``."""
    return {
        "k": "travel",
        "place": place,
        "level": level,
        "days": days,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def missed(n: int, day: dt.date) -> Reason:
    return {"k": "missed", "n": n, "date": day.isoformat()}


def no_checkin(day: dt.date) -> Reason:
    """Green on a day judged without a check-in of that day."""
    return {"k": "no_checkin", "date": day.isoformat()}


def day_label(day: dt.date | str) -> str:
    """A day as the reasons name it ("2月10日", "2/10"), with its year when it is not this
    year's ("2019年2月10日", "2019/2/10")."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    if day.year != business_today().year:
        return _("%(year)d/%(month)d/%(day)d") % {
            "year": day.year,
            "month": day.month,
            "day": day.day,
        }
    return _("%(month)d/%(day)d") % {"month": day.month, "day": day.day}


_SYMPTOM_LABELS = dict(SYMPTOMS)


def symptom_names(codes: Iterable[str]) -> str:
    """Symptoms in words, in the active language ("咳嗽、乏力"; "Cough, Fatigue")."""
    return _(", ").join(str(_SYMPTOM_LABELS.get(code, code)) for code in codes)


def _observation_text(r: Reason) -> str:
    what = _("close contact") if r["what"] == "close_contact" else _("reported contact with a case")
    return _("Medical observation as %(what)s for %(days)d days from %(start)s, until %(end)s.") % {
        "what": what,
        "days": r["days"],
        "start": day_label(r["start"]),
        "end": day_label(r["end"]),
    }


def _level_label(code: str) -> str:
    try:
        return str(RiskLevel.Level(code).label)
    except ValueError:
        return code


def _travel_text(r: Reason) -> str:
    return _(
        "Arrived from %(place)s (%(level)s area): home observation for %(days)d days "
        "from %(start)s, until %(end)s."
    ) % {
        "place": r["place"],
        "level": _level_label(r["level"]),
        "days": r["days"],
        "start": day_label(r["start"]),
        "end": day_label(r["end"]),
    }


_WORDING: dict[str, Callable[[Reason], str]] = {
    "green": lambda r: _("Temperature normal, no symptoms, no travel or contact restriction."),
    "not_resumed": lambda r: _("Your enterprise has not been approved to resume work yet."),
    "observation": _observation_text,
    "confirmed": lambda r: _("Confirmed case since %(date)s.") % {"date": day_label(r["since"])},
    "suspected": lambda r: _("Suspected case since %(date)s.") % {"date": day_label(r["since"])},
    "fever": lambda r: _("Fever today: %(t)s °C.") % {"t": r["t"]},
    "symptoms": lambda r: _("Symptoms today: %(list)s.") % {"list": symptom_names(r["codes"])},
    "travel": _travel_text,
    "missed": lambda r: (
        _("No check-in on the %(n)d days before %(date)s.")
        % {"n": r["n"], "date": day_label(r["date"])}
    ),
    "no_checkin": lambda r: (
        _("No check-in on %(date)s; no travel or contact restriction.")
        % {"date": day_label(r["date"])}
    ),
}
# The reasons without values, worded once per language (asked for every check-in of a batch).
_CONSTANT = {"green", "not_resumed"}
_worded: dict[tuple[str | None, str], str] = {}


def text(reason: Reason | str, language: str | None = None) -> str:
    """One reason in words, in the active language (``language`` is that language's code, when
    the caller has it: Django's get_language() costs ~2 µs, more than the wording of a green
    check-in's reason)."""
    if isinstance(reason, str):  # stored before reasons were data
        return reason
    kind = reason.get("k")
    if kind in _CONSTANT:
        key = (language or get_language(), kind)
        if key not in _worded:
            _worded[key] = _WORDING[kind](reason)
        return _worded[key]
    wording = _WORDING.get(kind)  # type: ignore[arg-type]
    if wording is None:  # a kind this version does not know: say what is there
        return " ".join(f"{k}={v}" for k, v in reason.items())
    return wording(reason)


def texts(reasons: Iterable[Reason | str] | None, language: str | None = None) -> list[str]:
    """Reasons in words, in the active language (whose code ``language`` is, if given)."""
    return [text(r, language) for r in reasons or ()]
