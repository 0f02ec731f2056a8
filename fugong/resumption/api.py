"""JSON API of resumption: statistics, briefing, checklist, applications and decisions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router
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
from .models import Application, Review, Route
from .selectors import enterprise_status, get_application_or_404
from .stats import DIMENSIONS, fast_rows, stats_scope_for

router = Router(tags=["resumption"])

NO_APPLICATION = openapi.error("No application with this id in the caller's scope.")

# What the endpoints answer (documented with the openapi helper, as the check-ins' answers are;
# fugong/resumption/tests/test_api_docs.py checks real answers against them).
DATE = {"type": "string", "format": "date"}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
FIGURES = {
    "enterprises": {"type": "integer"},
    "resumed": {"type": "integer", "description": "Enterprises that have resumed work."},
    "resumption_rate": {"type": "number", "description": "resumed / enterprises (0 to 1)."},
    "staff": {"type": "integer", "description": "People on the rosters."},
    "staff_at_post": {"type": "integer"},
    "staff_return_rate": {"type": "number", "description": "staff_at_post / staff (0 to 1)."},
}
STATS = {
    "type": "object",
    "required": ["date", "rows", "total"],
    "properties": {
        "date": DATE,
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "name", *FIGURES],
                "properties": {
                    "key": {
                        "type": "string",
                        "description": "A division's code, an industry section or a scale class.",
                    },
                    "name": {"type": "string"},
                    **FIGURES,
                },
            },
        },
        "total": {"type": "object", "required": list(FIGURES), "properties": FIGURES},
    },
}
BRIEFING = {
    "type": "object",
    "required": ["date", "text", "figures"],
    "properties": {
        "date": DATE,
        "text": {"type": "string", "description": "The briefing, in the caller's language."},
        "figures": {
            "type": "object",
            "description": "The text's figures by name (enterprises, resumed, resumption_rate, "
            "staff_at_post, appeals_received …; per scale class with its prefix, e.g. "
            "above_industrial_resumed).",
            "additionalProperties": {"type": "number"},
        },
    },
}
CHECKLIST = {
    "type": "object",
    "required": ["items"],
    "properties": {
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "label", "kind", "required"],
                "properties": {
                    "code": {"type": "string"},
                    "label": {"type": "string", "description": "In the caller's language."},
                    "kind": {"type": "string", "enum": ["bool", "number"]},
                    "required": {
                        "type": ["boolean", "number"],
                        "description": "true, or the threshold of a number.",
                    },
                    "comparison": {
                        "type": "string",
                        "enum": ["min", "max"],
                        "description": "A number's: at least or at most the threshold.",
                    },
                    "per_staff": {
                        "type": "integer",
                        "description": "A number's: one per so many staff on site, if more.",
                    },
                },
            },
        }
    },
}
ATTACHMENT = {
    "type": "object",
    "required": ["id", "kind", "name", "size"],
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string"},
        "name": {"type": "string"},
        "size": {"type": "integer", "description": "Bytes."},
    },
}
UPLOADED = {
    "type": "object",
    "required": [*ATTACHMENT["required"], "application"],
    "properties": {
        **ATTACHMENT["properties"],
        "application": {
            "type": ["integer", "null"],
            "description": "The open application it belongs to; null: kept for the next one.",
        },
    },
}
ENTERPRISE_STATUS = {
    "type": "object",
    "required": ["status", "since", "open_application"],
    "properties": {
        "status": {"type": "string", "enum": ["not_resumed", "resumed", "suspended"]},
        "since": DATE_OR_NULL,
        "open_application": {"type": ["integer", "null"]},
    },
}
APPLICATION = {
    "type": "object",
    "required": [
        "id",
        "enterprise",
        "status",
        "route",
        "round",
        "risk_level",
        "planned_date",
        "staff_planned",
        "staff_from_outside",
        "staff_from_risk_areas",
        "checklist",
        "commitment",
        "submitted_at",
        "due",
        "effective_date",
        "inspection_due",
        "decisions",
        "pending",
        "attachments",
    ],
    "properties": {
        "id": {"type": "integer"},
        "enterprise": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        },
        "status": {"type": "string", "enum": list(Application.Status.values)},
        "route": {"type": "string", "enum": list(Route.values)},
        "round": {"type": "integer"},
        "risk_level": {
            "type": "string",
            "description": "The district's risk level when submitted: low, medium or high.",
        },
        "planned_date": DATE,
        "staff_planned": {"type": "integer"},
        "staff_from_outside": {"type": "integer"},
        "staff_from_risk_areas": {"type": "integer"},
        "checklist": {
            "type": "object",
            "description": "The answers as submitted, by item code.",
            "additionalProperties": {"type": ["boolean", "number"]},
        },
        "commitment": {"type": "boolean"},
        "submitted_at": {"type": "string", "format": "date-time"},
        "due": {**DATE, "description": "The reviewers decide by this day."},
        "effective_date": {**DATE_OR_NULL, "description": "Resumed from this day, if approved."},
        "inspection_due": DATE_OR_NULL,
        "decisions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "round",
                    "kind",
                    "code",
                    "decision",
                    "comment",
                    "item_reasons",
                    "by",
                    "at",
                ],
                "properties": {
                    "round": {"type": "integer"},
                    "kind": {"type": "string", "enum": list(Review.Kind.values)},
                    "code": {
                        "type": "string",
                        "description": "The township's division code or the department's code.",
                    },
                    "decision": {"type": "string", "enum": list(DECISIONS)},
                    "comment": {"type": "string"},
                    "item_reasons": {
                        "type": "object",
                        "description": "Why, by checklist item code.",
                        "additionalProperties": {"type": "string"},
                    },
                    "by": {"type": ["string", "null"], "description": "The reviewer's username."},
                    "at": {"type": ["string", "null"], "format": "date-time"},
                },
            },
        },
        "pending": {
            "type": "array",
            "description": "The reviewers still to decide in this round.",
            "items": {
                "type": "object",
                "required": ["kind", "code"],
                "properties": {
                    "kind": {"type": "string", "enum": list(Review.Kind.values)},
                    "code": {"type": "string"},
                },
            },
        },
        "attachments": {"type": "array", "items": ATTACHMENT},
    },
}


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
        "responses": {
            200: openapi.answer("The figures per group and in all.", STATS),
            **openapi.errors(
                {
                    400: openapi.error(
                        "`date` is missing, not YYYY-MM-DD or in the future, or `by` is not one of "
                        "district, township, industry, scale."
                    ),
                    404: openapi.error("The token's user sees no statistics."),
                }
            ),
        },
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
        "responses": {
            200: openapi.answer("The day's briefing for the caller's area.", BRIEFING),
            **openapi.errors(
                {
                    400: openapi.error("`date` is missing, not YYYY-MM-DD or in the future."),
                    404: openapi.error(
                        "Only the command centre and district and township officers get a briefing."
                    ),
                }
            ),
        },
    },
)
def briefing(request: HttpRequest, date: str | None = None) -> dict[str, Any]:
    scope = briefing_scope_for(request.user)
    day = parse_day(date)
    result = build_briefing(day, scope)
    return {"date": day.isoformat(), "text": result.text, "figures": result.figures}


@router.get(
    "/resumption/checklist",
    openapi_extra={
        "responses": {
            200: openapi.answer("The prevention checklist in force.", CHECKLIST),
            **openapi.errors(),
        }
    },
)
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
    response={201: None},  # answered by openapi.created, documented below
    openapi_extra={
        "responses": {
            201: openapi.answer("Submitted: the application.", APPLICATION),
            **openapi.errors(
                {
                    400: openapi.INVALID,
                    404: openapi.NOT_AN_ADMIN,
                    409: openapi.error(
                        "The enterprise has an open application, or has resumed work already."
                    ),
                }
            ),
        },
    },
)
def submit_application(request: HttpRequest, payload: ApplicationIn) -> HttpResponse:
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
    return openapi.created(request, application_json(application))


@router.post(
    "/resumption/attachments",
    response={201: None},  # answered by openapi.created, documented below
    openapi_extra={
        "responses": {
            201: openapi.answer("Stored.", UPLOADED),
            **openapi.errors(
                {
                    400: openapi.error(
                        "`kind` is not an attachment kind of the policy, or `file` is missing, too "
                        "large or not a PDF, JPEG or PNG, or the form data cannot be read; nothing "
                        "is stored."
                    ),
                    404: openapi.NOT_AN_ADMIN,
                }
            ),
        },
    },
)
def upload_attachment(
    request: HttpRequest, kind: Form[str], file: File[UploadedFile]
) -> HttpResponse:
    """Upload a document (PDF/JPEG/PNG) to the open application, or for the next one."""
    enterprise = administered_enterprise_or_404(request.user)
    try:
        attachment = do_upload_attachment(enterprise, kind, file, actor=request.user)
    except FieldError as exc:
        if exc.field == "attachments":  # the checks of a file, named for this endpoint's field
            raise FieldError("file", exc.message) from None
        raise
    return openapi.created(
        request,
        {
            "id": attachment.pk,
            "kind": attachment.kind,
            "name": attachment.original_name,
            "size": attachment.size,
            "application": attachment.application_id,
        },
    )


@router.get(
    "/resumption/status",
    openapi_extra={
        "responses": {
            200: openapi.answer("The enterprise's resumption status today.", ENTERPRISE_STATUS),
            **openapi.errors({404: openapi.NOT_AN_ADMIN}),
        }
    },
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
    openapi_extra={
        "responses": {
            200: openapi.answer("The application.", APPLICATION),
            **openapi.errors({400: openapi.BAD_ID, 404: NO_APPLICATION}),
        }
    },
)
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return application_json(get_application_or_404(request.user, application_id))


@router.post(
    "/resumption/applications/{application_id}/decisions",
    openapi_extra={
        "responses": {
            200: openapi.answer("Decided: the application.", APPLICATION),
            **openapi.errors(
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
            ),
        },
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
