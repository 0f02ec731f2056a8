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
    assert job.result == {
        "version": 1,
        "judged": 1,
        "changed": 1,
        "next": "/policy/health/",
    }


def test_a_status_of_an_earlier_day_is_not_judged_again_nor_blamed_on_the_policy(
    world, command_centre, staff, django_capture_on_commit_callbacks
):
    import datetime as dt

    from fugong.lib.dates import business_today

    person, _number = staff
    CurrentStatus.objects.create(
        person=person,
        code="yellow",
        date=business_today() - dt.timedelta(days=2),
        reasons=[["fever", {"temperature": "38.0"}]],
    )
    with django_capture_on_commit_callbacks(execute=True):
        do_save_policy_version(
            HEALTH, HEALTH.current() | {"fever_threshold": 38.5}, actor=command_centre
        )
    assert CurrentStatus.objects.get(person=person).code == "yellow"
    assert not StatusChange.objects.filter(person=person, cause="policy").exists()
    assert Job.objects.get(name="health.judge_again").result["judged"] == 0


def test_saving_the_policy_unchanged_judges_nobody_again(command_centre):
    do_save_policy_version(HEALTH, HEALTH.current(), actor=command_centre)
    assert not Job.objects.filter(name="health.judge_again").exists()


def test_saving_the_health_policy_on_its_page_follows_the_job_back_to_the_page(
    command_centre, login, django_capture_on_commit_callbacks
):
    client = login(command_centre)
    data = {k: v for k, v in HEALTH.current().items() if v is not False}
    data |= {"fever_threshold": "38.0", "note": "发热标准调整"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/policy/health/", data)
    assert response.status_code == 302, response.context["form"].errors
    job = Job.objects.get(name="health.judge_again")
    assert response["Location"] == f"/jobs/{job.pk}/?follow=1"
    assert client.get(response["Location"])["Location"] == "/policy/health/"
