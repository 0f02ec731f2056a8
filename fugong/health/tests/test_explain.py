"""A person's status on a past day is explained under the policy in force that day."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fugong.health.policies import HEALTH
from fugong.health.status import explain
from fugong.lib.dates import business_today
from fugong.policy.models import PolicyVersion

from .conftest import stored_checkin


def test_a_past_day_is_explained_under_the_policy_of_that_day_not_todays(world, staff):
    person, _number = staff
    today = business_today()
    yesterday = today - dt.timedelta(days=1)
    long_ago = timezone.now() - dt.timedelta(days=30)
    PolicyVersion.objects.create(
        key="health", version=1, data={"fever_threshold": 37.0}, created_at=long_ago
    )
    for day in (yesterday, today):
        stored_checkin(person, world.enterprise, day, temperature="37.2")
    PolicyVersion.objects.create(key="health", version=2, data={"fever_threshold": 37.5})
    HEALTH.forget()
    assert explain(person, yesterday).code == "yellow"  # 37.2 was a fever under 37.0
    assert explain(person, today).code == "green"  # and is not under today's 37.5
    assert explain(person, today - dt.timedelta(days=40)).code == "green"  # the defaults


def test_the_status_page_explains_a_past_day_under_that_days_threshold(
    world, staff, enterprise_admin, login
):
    person, _number = staff
    yesterday = business_today() - dt.timedelta(days=1)
    stored_checkin(person, world.enterprise, yesterday, temperature="37.4")
    PolicyVersion.objects.create(key="health", version=1, data={"fever_threshold": 37.5})
    HEALTH.forget()
    page = login(enterprise_admin).get(
        f"/health/people/{person.pk}/", {"date": yesterday.isoformat()}
    )
    status = page.content.decode().split('data-testid="status"')[1].split("</section>")[0]
    assert "黄码" in status and "37.4" in status  # the default 37.3 was in force yesterday
