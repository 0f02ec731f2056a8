"""Celery wiring, used only when FUGONG_TASKS=celery (run: celery -A fugong.jobs.celery worker -B)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fugong.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from fugong.lib import tasks  # noqa: E402

app = Celery("fugong", broker=settings.BROKER_URL or None)
app.conf.timezone = settings.TIME_ZONE
app.conf.beat_schedule = {
    item.name: {"task": "fugong.run_periodic", "schedule": item.every, "args": (item.name,)}
    for item in tasks.periodic_tasks()
}


@app.task(name="fugong.run_job")
def run_job_task(job_id: int) -> None:
    tasks.run_job(job_id)


@app.task(name="fugong.run_periodic")
def run_periodic_task(name: str) -> None:
    from .models import Job

    job = Job.objects.create(name=name, label=name)
    job.run(tasks.registered(name))
