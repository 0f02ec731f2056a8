"""One small interface for background and scheduled work.

    @task("health.import_roster")
    def import_roster(job: Job, *, upload_id: int) -> dict: ...

    job = enqueue("health.import_roster", owner=request.user, upload_id=7)

A task receives its :class:`~fugong.jobs.models.Job` first, reports progress with
``job.report(done, total, message)`` and returns a JSON-able result. Where it runs is chosen by
``settings.TASKS_BACKEND`` alone:

- ``inline``: at once, in the caller, after the surrounding transaction commits (tests);
- ``db``: the job row waits in the database for ``fugong worker`` (started by ``fugong demo`` and
  ``fugong serve``);
- ``celery``: the job row is created and its id handed to Celery on ``FUGONG_BROKER_URL``.

Scheduled work is declared with ``@periodic(name, every=seconds)``; the db worker runs it on time,
and the Celery app builds its beat schedule from the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

if TYPE_CHECKING:
    from fugong.jobs.models import Job

TaskFn = Callable[..., Any]
_REGISTRY: dict[str, TaskFn] = {}


@dataclass(frozen=True)
class Periodic:
    name: str
    every: int  # seconds


_PERIODIC: dict[str, Periodic] = {}


def task(name: str) -> Callable[[TaskFn], TaskFn]:
    def register(fn: TaskFn) -> TaskFn:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise RuntimeError(f"task {name!r} registered twice")
        _REGISTRY[name] = fn
        return fn

    return register


def periodic(name: str, *, every: int) -> Callable[[TaskFn], TaskFn]:
    """Register a task that the scheduler runs every ``every`` seconds."""

    def register(fn: TaskFn) -> TaskFn:
        task(name)(fn)
        _PERIODIC[name] = Periodic(name, every)
        return fn

    return register


def registered(name: str) -> TaskFn:
    _autodiscover()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"no task named {name!r}") from None


def periodic_tasks() -> list[Periodic]:
    _autodiscover()
    return sorted(_PERIODIC.values(), key=lambda p: p.name)


_discovered = False


def _autodiscover() -> None:
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
        _discovered = True


def enqueue(name: str, *, owner: Any = None, label: str = "", **kwargs: Any) -> Job:
    """Create a job for task ``name`` and start it the way the configured backend does."""
    from fugong.jobs.models import Job

    registered(name)  # fail now, not in the worker, on a typo
    job = Job.objects.create(
        name=name,
        label=label or name,
        owner=owner if getattr(owner, "is_authenticated", False) else None,
        kwargs=kwargs,
    )
    backend = settings.TASKS_BACKEND
    if backend == "inline":
        transaction.on_commit(lambda: run_job(job.pk))
    elif backend == "celery":
        from fugong.jobs.celery import run_job_task

        transaction.on_commit(lambda: run_job_task.delay(job.pk))
    return job


def run_job(job_id: int) -> None:
    """Run one job now, recording its outcome on the row (used by every backend)."""
    from fugong.jobs.models import Job

    job = Job.objects.get(pk=job_id)
    job.run(registered(job.name))
