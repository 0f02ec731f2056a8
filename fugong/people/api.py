"""/api/v1/employees: an enterprise admin's roster."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import WithJsonSchema

from fugong.accounts.access import administered_enterprise_or_404
from fugong.lib import openapi
from fugong.lib.dates import business_today, parse_iso_date
from fugong.lib.errors import Conflict, FieldError
from fugong.lib.jsonbody import json_body

from .actions import do_end_employment, do_hire_employee
from .models import Employment

router = Router(tags=["employees"])
PAGE_SIZE = 100


def employee_body(employment: Employment) -> dict[str, Any]:
    return {
        "id": employment.pk,
        "person": employment.person.id_masked,
        "name": employment.person.name,
        "post": employment.post or None,
        "start_date": employment.start_date.isoformat() if employment.start_date else None,
    }


def clean_optional_date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return parse_iso_date(value)
    except ValueError:
        raise FieldError(field, _("Give the date as YYYY-MM-DD.")) from None


EMPLOYEE_EXAMPLE = {
    "id_number": "440604199003071236",
    "name": "张三",
    "phone": "13912345678",
    "home_division": "440604001001",
    "post": "操作工",
    "start_date": "2020-02-10",
}
NEW_EMPLOYEE = {
    "type": "object",
    "required": ["id_number", "name", "phone", "home_division"],
    "properties": {
        "id_number": {"type": "string"},
        "name": {
            "type": "string",
            "description": "As registered for this ID number if the city knows the person.",
        },
        "phone": {"type": "string"},
        "home_division": {
            "type": "string",
            "description": "A division code of this city, or a county-level GB/T 2260 code.",
        },
        "post": {"type": ["string", "null"]},
        "start_date": {
            "type": ["string", "null"],
            "format": "date",
            "description": (
                "YYYY-MM-DD, at most a year ahead, not before the birth date in the ID number."
            ),
        },
    },
}
EMPLOYEE = {
    "type": "object",
    "required": ["id", "person", "name", "post", "start_date"],
    "properties": {
        "id": {"type": "integer", "description": "The employment (DELETE /employees/{id})."},
        "person": {"type": "string", "description": "The masked ID number."},
        "name": {"type": "string"},
        "post": {"type": ["string", "null"]},
        "start_date": {"type": ["string", "null"], "format": "date"},
    },
}


@router.post(
    "/employees",
    openapi_extra={
        "requestBody": openapi.body(NEW_EMPLOYEE, EMPLOYEE_EXAMPLE),
        "responses": {
            201: openapi.answer("On the roster.", EMPLOYEE),
            400: openapi.error("A field is invalid (named by `field`); nothing is stored."),
            401: openapi.UNAUTHORIZED,
            404: openapi.NOT_AN_ADMIN,
            409: openapi.error("This ID number is already on this roster."),
        },
    },
    summary="Put a person on the roster",
    response={201: None},
)
def post_employee(request: HttpRequest) -> HttpResponse:
    """201; 409 when the ID number is already on this roster; 400 naming the bad field."""
    enterprise = administered_enterprise_or_404(request.user)
    data = json_body(request)
    if not isinstance(data, dict):
        raise FieldError("", _("Send a JSON object."))
    post = data.get("post")
    if post is not None and not isinstance(post, str):
        raise FieldError("post", _("The post must be text or null."))
    for field in ("id_number", "name", "phone", "home_division"):
        if data.get(field) is not None and not isinstance(data.get(field), str):
            raise FieldError(field, _("This field must be text."))
    employment = do_hire_employee(
        enterprise,
        id_number=data.get("id_number") or "",
        name=data.get("name") or "",
        phone=data.get("phone") or "",
        home_code=data.get("home_division") or "",
        post=post,
        start_date=clean_optional_date(data.get("start_date"), "start_date"),
        actor=request.user,
    )
    return openapi.created(request, employee_body(employment))


# Pages count from 1: documented so, checked in the view (a message of our own, 400).
PageNumber = Annotated[int, WithJsonSchema({"type": "integer", "minimum": 1, "default": 1})]


@router.get(
    "/employees",
    summary="This enterprise's current roster, 100 a page",
    openapi_extra={
        "responses": {
            200: openapi.answer(
                "The roster's size and this page of it.",
                {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "items": {"type": "array", "items": EMPLOYEE},
                    },
                },
            ),
            400: openapi.error("The page number is not a whole number from 1."),
            401: openapi.UNAUTHORIZED,
            404: openapi.NOT_AN_ADMIN,
        },
    },
)
def list_employees(request: HttpRequest, page: PageNumber = 1) -> dict[str, Any]:
    enterprise = administered_enterprise_or_404(request.user)
    if page < 1:
        raise FieldError("page", _("The page number starts at 1."))
    qs = (
        Employment.objects.filter(enterprise=enterprise, active=True)
        .select_related("person")
        .order_by("pk")
    )
    count = qs.count()
    start = (page - 1) * PAGE_SIZE
    # A page past the end is empty (not an offset the database cannot hold).
    items = qs[start : start + PAGE_SIZE] if start < count else []
    return {"count": count, "items": [employee_body(e) for e in items]}


@router.delete(
    "/employees/{employment_id}",
    summary="End an employment (history kept)",
    response={204: None},
    openapi_extra={
        "responses": {
            204: openapi.answer("Ended today."),
            400: openapi.BAD_ID,
            401: openapi.UNAUTHORIZED,
            404: openapi.error("No current employment with this id on this roster."),
        }
    },
)
def delete_employee(request: HttpRequest, employment_id: int) -> HttpResponse:
    enterprise = administered_enterprise_or_404(request.user)
    employment = (
        Employment.objects.filter(pk=employment_id, enterprise=enterprise, active=True)
        .select_related("person")
        .first()
    )
    if employment is None:
        raise Http404
    try:
        do_end_employment(employment, end_date=business_today(), actor=request.user)
    except Conflict:  # another request ended it meanwhile: as when sent after it, a 404
        raise Http404 from None
    return HttpResponse(status=204)
