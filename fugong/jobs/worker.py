"""The database-backed worker: runs queued jobs and the periodic schedule, no broker needed."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.db import close_old_connections, transaction
from django.utils import timezone

from fugong.lib import tasks

from .models import Job, ScheduleMark

logger = logging.getLogger(__name__)


def run_due_periodic(now=None) -> list[str]:
    """Run every periodic task whose interval has passed; returns the names run."""
    now = now or timezone.now()
    ran = []
    for item in tasks.periodic_tasks():
        with transaction.atomic():
            mark = ScheduleMark.objects.select_for_update().filter(name=item.name).first()
            if mark and mark.last_run_at + timedelta(seconds=item.every) > now:
                continue
            ScheduleMark.objects.update_or_create(name=item.name, defaults={"last_run_at": now})
        job = Job.objects.create(name=item.name, label=item.name)
        job.run(tasks.registered(item.name))
        ran.append(item.name)
    return ran


def run_queued(limit: int = 10) -> int:
    count = 0
    for job_id in (
        Job.objects.filter(status=Job.Status.QUEUED)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    ):
        tasks.run_job(job_id)
        count += 1
    return count


def work_forever(poll_seconds: float = 1.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    logger.info("worker started")
    while not stop.is_set():
        close_old_connections()
        try:
            busy = run_queued()
            run_due_periodic()
        except Exception:
            logger.exception("worker loop failed; retrying")
            busy = 0
        if not busy:
            stop.wait(poll_seconds)


def start_in_thread() -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=work_forever, kwargs={"stop": stop}, daemon=True).start()
    return stop
