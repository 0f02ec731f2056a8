from __future__ import annotations

import time
from pathlib import Path

import polib
import pytest

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_string_of_the_app_is_translated_to_chinese():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    assert PO.with_suffix(".mo").exists()


def test_pages_speak_chinese_by_default_and_english_on_request(login, command_centre):
    page = login(command_centre).get("/appeals/dashboard/").content.decode()
    assert "诉求总览" in page
    client = login(command_centre)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Appeals overview" in client.get("/appeals/dashboard/").content.decode()


def test_the_tiny_city_seed_creates_believable_appeals_and_visits(db, tmp_path, settings):
    from fugong.appeals.models import Appeal, RoutingRule, Status, VisitLog
    from fugong.appeals.policies import DEFAULT_ROUTING
    from fugong.demo.seeding import build_city

    if not RoutingRule.objects.exists():  # --nomigrations
        RoutingRule.objects.bulk_create(RoutingRule(**rule) for rule in DEFAULT_ROUTING)
    settings.FUGONG_HOME = tmp_path
    started = time.monotonic()
    build_city("tiny", quiet=True, logins_path=tmp_path / "logins.json")
    elapsed = time.monotonic() - started
    statuses = set(Appeal.objects.values_list("status", flat=True))
    assert {Status.CLOSED, Status.REOPENED} <= statuses
    assert len(set(Appeal.objects.values_list("category", flat=True))) == 8
    assert Appeal.objects.exclude(rating="").exists()
    assert Appeal.objects.filter(reopen_count=1, flagged=True).exists()
    assert VisitLog.objects.filter(officer__username="liaison-1").exists()
    assert (
        Appeal.objects.filter(escalated_answer_at__isnull=False).exists()
        or Appeal.objects.filter(escalated_accept_at__isnull=False).exists()
    )
    assert elapsed < 60


@pytest.mark.parametrize("hour", [0, 19])  # 19:30 on a Saturday once seeded no overdue appeal
def test_the_seed_shows_an_escalation_whatever_the_time_of_day(
    db, tmp_path, settings, monkeypatch, hour
):
    import datetime as dt

    from django.utils import timezone

    from fugong.appeals.models import Appeal, RoutingRule
    from fugong.appeals.policies import DEFAULT_ROUTING
    from fugong.demo.seeding import build_city
    from fugong.lib.dates import SHANGHAI

    moment = dt.datetime(2026, 11, 28, hour, 30, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    if not RoutingRule.objects.exists():  # --nomigrations
        RoutingRule.objects.bulk_create(RoutingRule(**rule) for rule in DEFAULT_ROUTING)
    settings.FUGONG_HOME = tmp_path
    build_city("tiny", quiet=True, logins_path=tmp_path / "logins.json")
    assert Appeal.objects.filter(escalated_accept_at__isnull=False).exists()
