"""The check-in path's reading of the resumption rule agrees with resumed_enterprise_ids."""

from __future__ import annotations

import datetime as dt

from fugong.resumption.models import StatusChange
from fugong.resumption.selectors import resumed_days_from, resumed_enterprise_ids

MONDAY = dt.date(2020, 2, 10)


def changes_of(enterprise) -> list[tuple[dt.date, str]]:
    return list(
        StatusChange.objects.filter(enterprise=enterprise)
        .order_by("effective_date", "pk")
        .values_list("effective_date", "status")
    )


def test_resumed_days_from_agrees_with_resumed_enterprise_ids_through_a_suspension(world):
    enterprise = world.enterprise
    days = [MONDAY + dt.timedelta(days=n) for n in range(-1, 12)]
    assert resumed_days_from(changes_of(enterprise), days) == dict.fromkeys(days, False)
    for offset, status in [
        (0, StatusChange.Status.RESUMED),
        (4, StatusChange.Status.SUSPENDED),
        (7, StatusChange.Status.RESUMED),
        (7, StatusChange.Status.SUSPENDED),  # two changes the same day: the later one counts
        (9, StatusChange.Status.RESUMED),
    ]:
        StatusChange.objects.create(
            enterprise=enterprise, status=status, effective_date=MONDAY + dt.timedelta(offset)
        )
    answer = resumed_days_from(changes_of(enterprise), days)
    for day in days:
        assert answer[day] is (enterprise.pk in resumed_enterprise_ids(day, [enterprise.pk]))
    assert [answer[MONDAY + dt.timedelta(n)] for n in (-1, 0, 4, 6, 7, 8, 9, 11)] == [
        False,
        True,
        False,
        False,
        False,
        False,
        True,
        True,
    ]
