from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from .models import Job


def _job_for(request: HttpRequest, pk: int) -> Job:
    # A job is visible to the user who started it only.
    return get_object_or_404(Job, pk=pk, owner=request.user)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    # The page refreshes itself with ?follow=1 while the job runs: whoever waits on it is taken
    # to the job's result (e.g. the import report) as soon as it is done.
    following = request.GET.get("follow") == "1"
    target = (job.result or {}).get("next") if job.finished else None
    if following and isinstance(target, str) and target.startswith("/") and "//" not in target:
        return redirect(target)
    return render(request, "jobs/detail.html", {"job": job})


@login_required
def job_json(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job_for(request, pk)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
            "result": job.result,
        }
    )
