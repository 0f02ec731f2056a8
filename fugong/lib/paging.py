from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: Any, per_page: int = 50, param: str = "page") -> Page:
    """The requested page (``?page=N``, or ``page`` in the form of a list searched by POST);
    out-of-range numbers give the nearest page. A page with two lists pages the second by
    another ``param`` (the pager then takes ``param`` too)."""
    number = request.POST.get(param) if request.method == "POST" else request.GET.get(param)
    return Paginator(queryset, per_page).get_page(number)


def query_without_page(request: HttpRequest, param: str = "page") -> str:
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()
