import datetime as dt

import pytest
from django.utils import timezone

from fugong.jobs import worker
from fugong.jobs.models import Job, ScheduleMark
from fugong.lib import tasks


@tasks.task("tests.count_to")
def count_to(job, *, n: int) -> dict:
    for i in range(1, n + 1):
        job.report(i, n, f"counted {i}")
    return {"counted": n}


@tasks.task("tests.explode")
def explode(job) -> None:
    raise RuntimeError("boom")


_ticks: list[int] = []


@tasks.periodic("tests.tick", every=60)
def tick(job) -> None:
    _ticks.append(1)


def test_an_inline_job_runs_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.enqueue("tests.count_to", n=3)
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.result == {"counted": 3}


def test_a_failing_job_is_recorded_as_failed(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.enqueue("tests.explode")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "boom" in job.error


def test_an_unknown_task_is_refused_at_once(db):
    with pytest.raises(LookupError):
        tasks.enqueue("tests.nothing")
    assert not Job.objects.exists()


def test_the_database_worker_runs_queued_jobs(db, settings):
    settings.TASKS_BACKEND = "db"
    job = tasks.enqueue("tests.count_to", n=2)
    assert worker.run_queued() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_periodic_tasks_run_once_per_interval(db):
    _ticks.clear()
    now = timezone.now()
    assert "tests.tick" in worker.run_due_periodic(now)
    assert "tests.tick" not in worker.run_due_periodic(now + dt.timedelta(seconds=30))
    assert "tests.tick" in worker.run_due_periodic(now + dt.timedelta(seconds=61))
    assert len(_ticks) == 2
    assert ScheduleMark.objects.filter(name="tests.tick").exists()


def test_a_job_page_shows_progress_to_its_owner_only(
    enterprise_admin, other_enterprise_admin, login, settings
):
    settings.TASKS_BACKEND = "db"
    job = tasks.enqueue("tests.count_to", owner=enterprise_admin, label="Import", n=4)
    job.report(1, 4, "row 1")
    page = login(enterprise_admin).get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    assert "25%" in page.content.decode()
    assert login(enterprise_admin).get(f"/jobs/{job.pk}.json").json()["percent"] == 25
    assert login(other_enterprise_admin).get(f"/jobs/{job.pk}/").status_code == 404


def test_a_finished_job_page_drops_the_last_progress_message(enterprise_admin, login, settings):
    settings.TASKS_BACKEND = "db"
    job = tasks.enqueue("tests.count_to", owner=enterprise_admin, label="Import", n=3)
    job.report(2, 3, "counted 2")
    assert "counted 2" in login(enterprise_admin).get(f"/jobs/{job.pk}/").content.decode()
    job.run(count_to)
    page = login(enterprise_admin).get(f"/jobs/{job.pk}/").content.decode()
    assert "100%" in page and "counted 3" not in page  # "still counting" would be stale


def test_the_celery_backend_hands_the_job_to_celery_on_commit(
    db, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from fugong.jobs import celery as celery_wiring

    sent: list[int] = []
    monkeypatch.setattr(celery_wiring.run_job_task, "delay", sent.append)
    settings.TASKS_BACKEND = "celery"
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.enqueue("tests.count_to", n=1)
    assert sent == [job.pk]
    celery_wiring.run_job_task(job.pk)  # what the Celery worker does with it
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_the_celery_beat_schedule_is_built_from_the_periodic_tasks(db):
    from fugong.jobs import celery as celery_wiring

    schedule = celery_wiring.app.conf.beat_schedule
    for item in tasks.periodic_tasks():
        if item.name in schedule:
            assert schedule[item.name]["schedule"] == item.every


@tasks.task("tests.with_result_page")
def with_result_page(job, *, next: str) -> dict:
    return {"next": next}


def test_whoever_waits_on_a_job_page_is_taken_to_its_result_when_it_is_done(
    enterprise_admin, login, settings
):
    settings.TASKS_BACKEND = "db"
    client = login(enterprise_admin)
    job = tasks.enqueue(
        "tests.with_result_page", owner=enterprise_admin, label="Import", next="/people/roster/"
    )
    waiting = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'url=/jobs/{job.pk}/?follow=1"' in waiting  # the refresh follows the job
    assert client.get(f"/jobs/{job.pk}/", {"follow": "1"}).status_code == 200  # still running
    job.run(with_result_page)
    done = client.get(f"/jobs/{job.pk}/", {"follow": "1"})
    assert done.status_code == 302 and done["Location"] == "/people/roster/"
    assert client.get(f"/jobs/{job.pk}/").status_code == 200  # opened later: the job page


def test_a_job_result_never_redirects_off_the_site(enterprise_admin, login, settings):
    settings.TASKS_BACKEND = "db"
    job = tasks.enqueue(
        "tests.with_result_page", owner=enterprise_admin, label="X", next="//evil.example/"
    )
    job.run(with_result_page)
    response = login(enterprise_admin).get(f"/jobs/{job.pk}/", {"follow": "1"})
    assert response.status_code == 200
