from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from fugong.accounts.access import require_role
from fugong.accounts.models import Role
from fugong.lib.excel import xlsx_response
from fugong.lib.paging import paginate, query_without_page

from .actions import record
from .forms import AuditFilterForm
from .selectors import audit_events


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.COMMAND_CENTRE)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(**{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "xlsx":
        # The log names the people whose records were read: its export is itself recorded,
        # with the filters it was taken with (the export's rows are read before this one).
        events = list(events[:100_000])
        shown = {k: str(v) for k, v in filters.items() if v}
        record(request.user, "audit.exported", None, details={**shown, "rows": len(events)})
        rows = (
            (
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_label,
                e.action,
                e.object_type,
                e.object_id,
                e.object_label,
                json.dumps(e.details, ensure_ascii=False),
            )
            for e in events
        )
        header = [
            _("Time"),
            _("Actor"),
            _("Action"),
            _("Object type"),
            _("Object id"),
            _("Object"),
            _("Details"),
        ]
        return xlsx_response("audit.xlsx", header, rows)
    page = paginate(request, events)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )
