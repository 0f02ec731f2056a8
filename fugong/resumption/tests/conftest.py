"""Helpers for resumption tests: a clock fixed at a chosen Shanghai moment, policy changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from fugong.lib.dates import SHANGHAI


@pytest.fixture
def clock(monkeypatch) -> Callable[[dt.datetime | dt.date], None]:
    """``clock(date or datetime)`` fixes "now" (Asia/Shanghai) for business dates."""

    def set_now(moment: dt.datetime | dt.date) -> None:
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time(10, 0))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=SHANGHAI)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


@pytest.fixture
def set_policy() -> Callable[..., Any]:
    from fugong.policy.actions import do_save_policy_version
    from fugong.resumption.policies import RESUMPTION

    def save(**changes: Any) -> None:
        data = RESUMPTION.current()
        data.update(changes)
        do_save_policy_version(RESUMPTION, data, note="test", actor=None)
        RESUMPTION.forget()

    return save


@pytest.fixture
def standard_route(set_policy, world) -> None:
    """Both test districts at medium risk: applications take the standard (parallel) route."""
    set_policy(district_risk_levels={"440604": "medium", "440605": "medium"})


GOOD_CHECKLIST = {
    "entrance_guard": True,
    "temperature_checks": True,
    "isolation_rooms": 2,
    "supplies_days": 5,
    "staggered_meals": True,
    "dorm_people_per_room": 4,
    "dorm_area_per_person": 3,
    "shuttle_disinfection": True,
    "fever_hotline": True,
    "principal_responsible": True,
}


def payload(day: dt.date, **changes: Any) -> dict[str, Any]:
    data = {
        "planned_date": day.isoformat(),
        "staff_planned": 120,
        "staff_from_outside": 30,
        "staff_from_risk_areas": 2,
        "checklist": dict(GOOD_CHECKLIST),
        "commitment": True,
    }
    data.update(changes)
    return data
