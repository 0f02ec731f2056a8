"""JSON API of resumption: statistics, briefing, checklist, applications and decisions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from pydantic import Field, WithJsonSchema

from fugong.accounts.access import administered_enterprise_or_404, require_role
from fugong.accounts.models import Role
from fugong.lib import openapi
from fugong.lib.dates import business_today
from fugong.lib.errors import FieldError
from fugong.lib.text import InputSchema

from . import checklist as checklist_rules
from .actions import (
    DECISIONS,
    ApplicationData,
    do_decide,
    do_submit_application,
    do_upload_attachment,
)
from .briefing import briefing_scope_for, build_briefing
from .models import Application, Review
from .selectors import enterprise_status, get_application_or_404
from .stats import DIMENSIONS, fast_rows, stats_scope_for

router = Router(tags=["resumption"])

NO_APPLICATION = openapi.error("No application with this id in the caller's scope.")


def parse_day(value: str | None, field: str = "date") -> dt.date:
    """A business date that is given, valid and not in the future (400 naming the field)."""
    if not value:
        raise FieldError(field, _("%(field)s: required (YYYY-MM-DD).") % {"field": field})
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise FieldError(
            field, _("%(field)s: not a date (YYYY-MM-DD).") % {"field": field}
        ) from None
    if day > business_today():
        raise FieldError(field, _("%(field)s: cannot be in the future.") % {"field": field})
    return day


# The values documented; checked in the view, with a message of our own.
Dimension = Annotated[
    str, WithJsonSchema({"type": "string", "enum": list(DIMENSIONS), "default": "district"})
]


@router.get(
    "/stats/resumption",
    openapi_extra={
        "responses": openapi.errors(
            {
                400: openapi.error(
                    "`date` is missing, not YYYY-MM-DD or in the future, or `by` is not one of "
                    "district, township, industry, scale."
                ),
                404: openapi.error("The token's user sees no statistics."),
            }
        )
    },
)
def resumption_stats(
    request: HttpRequest, date: str | None = None, by: Dimension = "district"
) -> dict[str, Any]:
    """Resumption and staff return figures per district, township, industry section or scale
    class, restricted to the caller's jurisdiction."""
    scope = stats_scope_for(request.user)
    day = parse_day(date)
    if by not in DIMENSIONS:
        raise FieldError("by", _("by: one of %(values)s.") % {"values": ", ".join(DIMENSIONS)})
    rows, total = fast_rows(day, by, scope)
    return {"date": day.isoformat(), "rows": rows, "total": total}


@router.get(
    "/briefing",
    openapi_extra={
        "responses": openapi.errors(
            {
                400: openapi.error("`date` is missing, not YYYY-MM-DD or in the future."),
                404: openapi.error(
                    "Only the command centre and district and township officers get a briefing."
                ),
            }
        )
    },
)
def briefing(request: HttpRequest, date: str | None = None) -> dict[str, Any]:
    scope = briefing_scope_for(request.user)
    day = parse_day(date)
    result = build_briefing(day, scope)
    return {"date": day.isoformat(), "text": result.text, "figures": result.figures}


@router.get("/resumption/checklist", openapi_extra={"responses": openapi.errors()})
def checklist(request: HttpRequest) -> dict[str, Any]:
    return {"items": [item.as_json() for item in checklist_rules.items()]}


class ApplicationIn(InputSchema):
    planned_date: dt.date
    staff_planned: int
    staff_from_outside: int = 0
    staff_from_risk_areas: int = 0
    checklist: dict[str, Any]
    commitment: bool = False


class DecisionIn(InputSchema):
    # The values documented; do_decide checks them, with a message of its own.
    decision: str = Field(json_schema_extra={"enum": list(DECISIONS)})
    comment: str = ""
    item_reasons: dict[str, str] = {}


def application_json(application: Application) -> dict[str, Any]:
    reviews = list(application.reviews.select_related("decided_by"))
    return {
        "id": application.pk,
        "enterprise": {"id": application.enterprise_id, "name": application.enterprise.name},
        "status": application.status,
        "route": application.route,
        "round": application.round,
        "risk_level": application.risk_level,
        "planned_date": application.planned_date.isoformat(),
        "staff_planned": application.staff_planned,
        "staff_from_outside": application.staff_from_outside,
        "staff_from_risk_areas": application.staff_from_risk_areas,
        "checklist": application.checklist,
        "commitment": application.commitment,
        "submitted_at": application.submitted_at.isoformat(),
        "due": application.due.isoformat(),
        "effective_date": (
            application.effective_date.isoformat() if application.effective_date else None
        ),
        "inspection_due": (
            application.inspection_due.isoformat() if application.inspection_due else None
        ),
        "decisions": [
            {
                "round": r.round,
                "kind": r.kind,
                "code": r.code,
                "decision": r.decision,
                "comment": r.comment,
                "item_reasons": r.item_reasons,
                "by": r.decided_by.get_username() if r.decided_by else None,
                "at": r.decided_at.isoformat() if r.decided_at else None,
            }
            for r in reviews
            if r.decision not in (Review.Decision.PENDING, Review.Decision.CANCELLED)
        ],
        "pending": [
            {"kind": r.kind, "code": r.code}
            for r in reviews
            if r.decision == Review.Decision.PENDING and r.round == application.round
        ],
        "attachments": [
            {"id": a.pk, "kind": a.kind, "name": a.original_name, "size": a.size}
            for a in application.attachments.all()
        ],
    }


@router.post(
    "/resumption/applications",
    response={201: dict},
    openapi_extra={
        "responses": openapi.errors(
            {
                400: openapi.INVALID,
                404: openapi.NOT_AN_ADMIN,
                409: openapi.error(
                    "The enterprise has an open application, or has resumed work already."
                ),
            }
        )
    },
)
def submit_application(request: HttpRequest, payload: ApplicationIn) -> Status:
    require_role(request.user, Role.ENTERPRISE_ADMIN)
    enterprise = administered_enterprise_or_404(request.user)
    application = do_submit_application(
        enterprise,
        ApplicationData(
            planned_date=payload.planned_date,
            staff_planned=payload.staff_planned,
            staff_from_outside=payload.staff_from_outside,
            staff_from_risk_areas=payload.staff_from_risk_areas,
            checklist=payload.checklist,
            commitment=payload.commitment,
        ),
        actor=request.user,
    )
    return Status(201, application_json(application))


@router.post(
    "/resumption/attachments",
    response={201: dict},
    openapi_extra={
        "responses": openapi.errors(
            {
                400: openapi.error(
                    "`kind` is not an attachment kind of the policy, or `file` is missing, too "
                    "large or not a PDF, JPEG or PNG, or the form data cannot be read; nothing "
                    "is stored."
                ),
                404: openapi.NOT_AN_ADMIN,
            }
        )
    },
)
def upload_attachment(request: HttpRequest, kind: Form[str], file: File[UploadedFile]) -> Status:
    """Upload a document (PDF/JPEG/PNG) to the open application, or for the next one."""
    enterprise = administered_enterprise_or_404(request.user)
    try:
        attachment = do_upload_attachment(enterprise, kind, file, actor=request.user)
    except FieldError as exc:
        if exc.field == "attachments":  # the checks of a file, named for this endpoint's field
            raise FieldError("file", exc.message) from None
        raise
    return Status(
        201,
        {
            "id": attachment.pk,
            "kind": attachment.kind,
            "name": attachment.original_name,
            "size": attachment.size,
            "application": attachment.application_id,
        },
    )


@router.get(
    "/resumption/status", openapi_extra={"responses": openapi.errors({404: openapi.NOT_AN_ADMIN})}
)
def status(request: HttpRequest) -> dict[str, Any]:
    enterprise = administered_enterprise_or_404(request.user)
    current = enterprise_status(enterprise)
    return {
        "status": current.status,
        "since": current.since.isoformat() if current.since else None,
        "open_application": current.open_application.pk if current.open_application else None,
    }


@router.get(
    "/resumption/applications/{application_id}",
    openapi_extra={"responses": openapi.errors({400: openapi.BAD_ID, 404: NO_APPLICATION})},
)
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return application_json(get_application_or_404(request.user, application_id))


@router.post(
    "/resumption/applications/{application_id}/decisions",
    openapi_extra={
        "responses": openapi.errors(
            {
                400: openapi.INVALID,
                404: openapi.error(
                    "No application with this id in the caller's scope, or the caller does not "
                    "review it."
                ),
                409: openapi.error(
                    "The caller decided already, the application no longer waits for a "
                    "decision, or it is their own enterprise's."
                ),
            }
        )
    },
)
def decide(request: HttpRequest, application_id: int, payload: DecisionIn) -> dict[str, Any]:
    application = get_application_or_404(request.user, application_id)
    do_decide(
        application,
        decision=payload.decision,
        comment=payload.comment,
        item_reasons=payload.item_reasons,
        actor=request.user,
    )
    application.refresh_from_db()
    return application_json(application)
