from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fugong.accounts.access import has_role, require_role
from fugong.accounts.models import Role

from . import registry
from .actions import do_save_policy_version
from .forms import policy_form
from .selectors import version_history

VIEW_ROLES = (
    Role.COMMAND_CENTRE,
    Role.DISTRICT_OFFICER,
    Role.TOWNSHIP_OFFICER,
    Role.DEPARTMENT_OFFICER,
)


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *VIEW_ROLES)
    rows = []
    for policy in registry.all_policies():
        version = policy.current_version()
        rows.append({"policy": policy, "version": version})
    return render(request, "policy/list.html", {"rows": rows})


@login_required
def policy_edit(request: HttpRequest, key: str) -> HttpResponse:
    require_role(request.user, *VIEW_ROLES)
    try:
        policy = registry.get(key)
    except KeyError:
        raise Http404 from None
    can_edit = has_role(request.user, Role.COMMAND_CENTRE)
    current = policy.current()
    form = policy_form(policy, current, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "note"}
            try:
                version = do_save_policy_version(
                    policy, data, note=form.cleaned_data["note"], actor=request.user
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field, errors)
            else:
                messages.success(
                    request, _("Saved version %(v)s of the policy.") % {"v": version.version}
                )
                if version.job:  # its page comes back to this one when the job is done
                    return redirect(reverse("jobs:detail", args=[version.job.pk]) + "?follow=1")
                return redirect("policy:edit", key=key)
        status = 400
    return render(
        request,
        "policy/edit.html",
        {
            "policy": policy,
            "form": form,
            "versions": version_history(policy),
            "can_edit": can_edit,
        },
        status=status,
    )
