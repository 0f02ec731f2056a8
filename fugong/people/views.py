from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fugong.accounts.access import can_view_full_id, get_person_or_404
from fugong.lib.paging import paginate

from .actions import do_reveal_id_number, do_view_person
from .forms import search_of
from .selectors import search_people


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    # A search by ID number is sent by POST so the number never appears in a URL or access log.
    form, q, status = search_of(request)
    page = paginate(request, search_people(request.user, q))
    return render(
        request,
        "people/list.html",
        {"page": page, "q": q, "search": q, "search_form": form},
        status=status,
    )


@login_required
@never_cache
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_or_404(request.user, pk)
    do_view_person(person, actor=request.user)
    employments = person.employments.select_related("enterprise").order_by("-active", "-pk")
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "employments": employments,
            "can_reveal": can_view_full_id(request.user),
        },
    )


@login_required
@never_cache
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_or_404(request.user, pk)
    full = do_reveal_id_number(person, actor=request.user)
    employments = person.employments.select_related("enterprise").order_by("-active", "-pk")
    return render(
        request,
        "people/detail.html",
        {"person": person, "employments": employments, "full_id": full, "can_reveal": True},
    )
