from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fugong.accounts.access import administered_enterprise_or_404, get_enterprise_or_404
from fugong.lib.excel import xlsx_response
from fugong.lib.paging import paginate, query_without_page

from .forms import EnterpriseFilterForm
from .selectors import search_enterprises


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    form = EnterpriseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    enterprises = search_enterprises(request.user, **{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "xlsx":
        header = [
            _("Credit code"),
            _("Name"),
            _("District"),
            _("Township"),
            _("Industry"),
            _("Scale"),
            _("Key enterprise"),
            _("Department"),
            _("Responsible person"),
        ]
        rows = (
            (
                e.credit_code,
                e.name,
                e.district.name,
                e.township.name,
                str(e.industry),
                e.get_scale_display(),
                _("Yes") if e.is_key else "",
                str(e.department),
                e.responsible_person,
            )
            for e in enterprises.iterator(chunk_size=2000)
        )
        return xlsx_response("enterprises.xlsx", header, rows)
    return render(
        request,
        "orgs/list.html",
        {
            "form": form,
            "page": paginate(request, enterprises),
            "query": query_without_page(request),
        },
    )


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_or_404(request.user, pk)
    return render(request, "orgs/detail.html", {"enterprise": enterprise})


@login_required
def my_enterprise(request: HttpRequest) -> HttpResponse:
    return redirect("orgs:detail", pk=administered_enterprise_or_404(request.user).pk)
