from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: Any, per_page: int = 50) -> Page:
    """The requested page (``?page=N``, or ``page`` in the form of a list searched by POST);
    out-of-range numbers give the nearest page."""
    number = request.POST.get("page") if request.method == "POST" else request.GET.get("page")
    return Paginator(queryset, per_page).get_page(number)


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
