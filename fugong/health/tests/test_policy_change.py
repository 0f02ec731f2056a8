from __future__ import annotations

from fugong.health.models import CurrentStatus, StatusChange
from fugong.health.policies import HEALTH
from fugong.jobs.models import Job
from fugong.policy.actions import do_save_policy_version

from .conftest import payload


def test_a_new_fever_threshold_judges_everyone_again_and_records_the_policy_as_the_cause(
    world, enterprise_admin, command_centre, api, staff, django_capture_on_commit_callbacks
):
    person, number = staff
    body = api(enterprise_admin).post("/api/v1/checkins", payload(number, temperature=37.5))
    assert body.json()["health_code"] == "yellow"
    with django_capture_on_commit_callbacks(execute=True):
        do_save_policy_version(
            HEALTH, HEALTH.current() | {"fever_threshold": 38.0}, actor=command_centre
        )
    assert CurrentStatus.objects.get(person=person).code == "green"
    change = StatusChange.objects.filter(person=person).latest("pk")
    assert (change.previous, change.code, change.cause) == ("yellow", "green", "policy")
    job = Job.objects.get(name="health.judge_again")
    assert job.result == {"version": 1, "judged": 1, "changed": 1}


def test_saving_the_policy_unchanged_judges_nobody_again(command_centre):
    do_save_policy_version(HEALTH, HEALTH.current(), actor=command_centre)
    assert not Job.objects.filter(name="health.judge_again").exists()
