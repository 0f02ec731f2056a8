from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from fugong.lib.dates import business_today
from fugong.lib.testing import hire, valid_id_number


@pytest.fixture(autouse=True)
def every_enterprise_resumed(monkeypatch):
    """Health tests judge health, not resumption: treat every enterprise as resumed (a test
    about a non-resumed enterprise patches the selector again)."""
    from fugong.orgs.models import Enterprise

    def resumed(day, enterprise_ids=None):
        qs = Enterprise.objects.all()
        if enterprise_ids is not None:
            qs = qs.filter(pk__in=list(enterprise_ids))
        return set(qs.values_list("pk", flat=True))

    monkeypatch.setattr("fugong.resumption.selectors.resumed_enterprise_ids", resumed)
    monkeypatch.setattr(
        "fugong.resumption.selectors.resumed_days_from",
        lambda changes, days: dict.fromkeys(days, True),
    )
    monkeypatch.setattr("fugong.resumption.selectors.is_resumed", lambda enterprise, day: True)


@pytest.fixture
def staff(world):
    """A person on enterprise A's roster, with their ID number."""
    number = valid_id_number()
    person = hire(world.enterprise, name="王五", id_number=number)
    return person, number


def payload(number: str, /, **overrides):
    body = {
        "id_number": number,
        "date": business_today().isoformat(),
        "temperature": 36.6,
        "symptoms": [],
        "location": "440604",
        "close_contact": False,
        "work_mode": "onsite",
        "client_id": str(uuid.uuid4()),
    }
    body.update(overrides)
    return body


def stored_checkin(person: Any, enterprise: Any, day: dt.date, **fields: Any):
    """A check-in already in the database (set-up only: no status, no audit row)."""
    from fugong.health.models import CheckIn

    values = {"temperature": "36.5", "location": "440604", "work_mode": "onsite", **fields}
    return CheckIn.objects.create(person=person, enterprise=enterprise, date=day, **values)


def on_the_roster_for_days(enterprise: Any, days: int) -> None:
    """Everyone on ``enterprise``'s roster was recorded there ``days`` days ago."""
    from django.utils import timezone

    from fugong.people.models import Employment

    Employment.objects.filter(enterprise=enterprise).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )


@pytest.fixture
def in_2020(monkeypatch):
    """Reasons read in 2020, the year of the dates a test names (a day of another year than the
    reader's is worded with its year)."""
    monkeypatch.setattr("fugong.health.reasons.business_today", lambda: dt.date(2020, 3, 1))
