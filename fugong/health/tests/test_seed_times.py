from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Max
from django.utils import timezone

from fugong.demo.seeding import DOMAIN_SEEDERS, build_city
from fugong.health.models import CheckIn, StatusChange
from fugong.lib.dates import SHANGHAI, business_today


def seed_at(
    monkeypatch, tmp_path, hour: int, minute: int, domains: tuple[str, ...] = ("health",)
) -> dt.datetime:
    """Seed the tiny city with the clock at ``hour:minute`` in Shanghai today."""
    moment = dt.datetime.combine(business_today(), dt.time(hour, minute), tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    build_city("tiny", 7, quiet=True, logins_path=tmp_path / "logins.json", domains=domains)
    return moment


@pytest.mark.django_db(transaction=True)
def test_a_city_seeded_before_seven_in_the_morning_has_no_check_in_today_yet(monkeypatch, tmp_path):
    moment = seed_at(monkeypatch, tmp_path, 3, 30)
    assert not CheckIn.objects.filter(date=moment.date()).exists()
    assert CheckIn.objects.filter(date=moment.date() - dt.timedelta(days=1)).exists()
    assert not CheckIn.objects.filter(created_at__gt=moment).exists()
    assert not StatusChange.objects.filter(created_at__gt=moment).exists()


@pytest.mark.django_db(transaction=True)
def test_a_city_seeded_at_eight_has_this_mornings_check_ins_up_to_eight_only(monkeypatch, tmp_path):
    moment = seed_at(monkeypatch, tmp_path, 8, 0)
    today = CheckIn.objects.filter(date=moment.date())
    assert today.exists()
    assert today.aggregate(last=Max("created_at"))["last"] <= moment
    assert not StatusChange.objects.filter(created_at__gt=moment).exists()


@pytest.mark.django_db(transaction=True)
def test_nothing_a_city_seeded_at_night_records_is_dated_after_the_moment_of_seeding(
    monkeypatch, tmp_path
):
    from django.apps import apps
    from django.db import models

    from fugong.appeals.models import Appeal
    from fugong.resumption.models import Application

    real_now = timezone.now
    moment = seed_at(monkeypatch, tmp_path, 3, 30, domains=DOMAIN_SEEDERS)
    later = {}
    for model in apps.get_models():
        if not model.__module__.startswith("fugong."):
            continue
        for field in model._meta.fields:
            # (a default of timezone.now is the function itself, which the clock above is not)
            if isinstance(field, models.DateTimeField) and field.default is not real_now:
                n = model.objects.filter(**{f"{field.name}__gt": moment}).count()
                if n:
                    later[f"{model.__name__}.{field.name}"] = n
    assert later == {}
    assert Application.objects.exclude(decided_at=None).exists() and Appeal.objects.exists()
