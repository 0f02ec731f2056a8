"""/api/v1/appeals: file an appeal, read it with its history, move it through its lifecycle."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import Field

from fugong.accounts.access import administered_enterprise, has_role
from fugong.accounts.models import Role
from fugong.lib import openapi
from fugong.lib.errors import FieldError
from fugong.lib.text import InputSchema
from fugong.orgs.actions import clean_credit_code
from fugong.orgs.models import Enterprise

from .actions import do_act, do_file_appeal
from .models import Appeal, AppealEvent, Category, Rating, Status, Urgency
from .selectors import get_appeal_or_404, history

router = Router(tags=["appeals"])

NO_APPEAL = openapi.error("No appeal with this id in the caller's scope.")


ACTIONS = ("accept", "transfer", "answer", "close", "reopen")


# Fields with a few values document them (enum); do_file_appeal and do_act check them, with
# messages of their own.
class AppealIn(InputSchema):
    category: str = Field("", json_schema_extra={"enum": list(Category.values)})
    title: str = ""
    detail: str = ""
    urgency: str = Field("normal", json_schema_extra={"enum": list(Urgency.values)})
    quantity: int | None = None
    counterpart: str = ""
    enterprise: str | None = None


class EventIn(InputSchema):
    action: str = Field("", json_schema_extra={"enum": list(ACTIONS)})
    comment: str = ""
    to_department: str | None = None
    rating: str = ""


# What the endpoints answer (documented with the openapi helper, as the check-ins' answers are;
# fugong/appeals/tests/test_api_docs.py checks real answers against them).
DATE = {"type": "string", "format": "date"}
DEPARTMENT = {
    "type": "object",
    "required": ["code", "name"],
    "properties": {
        "code": {
            "type": "string",
            "description": "The department handling it, or `desk`: the command centre's desk.",
        },
        "name": {"type": "string"},
    },
}
FILED = {
    "type": "object",
    "required": ["id", "status", "department", "accept_due", "answer_due"],
    "properties": {
        "id": {"type": "integer"},
        "status": {"type": "string", "enum": list(Status.values)},
        "department": DEPARTMENT,
        "accept_due": {**DATE, "description": "The department accepts it by this day."},
        "answer_due": {**DATE, "description": "The department answers it by this day."},
    },
}
RATINGS = [*Rating.values, None]
EVENT = {
    "type": "object",
    "required": [
        "at",
        "action",
        "actor",
        "comment",
        "from_department",
        "to_department",
        "rating",
    ],
    "properties": {
        "at": {"type": "string", "format": "date-time"},
        "action": {"type": "string", "enum": list(AppealEvent.Action.values)},
        "actor": {"type": "string"},
        "comment": {"type": "string"},
        "from_department": {"type": ["string", "null"], "description": "A department's code."},
        "to_department": {"type": ["string", "null"], "description": "A department's code."},
        "rating": {"type": ["string", "null"], "enum": RATINGS},
    },
}
APPEAL = {
    "type": "object",
    "required": [
        "id",
        "status",
        "category",
        "title",
        "detail",
        "urgency",
        "quantity",
        "counterpart",
        "enterprise",
        "department",
        "cohandlers",
        "filed_at",
        "accept_due",
        "answer_due",
        "overdue",
        "answer",
        "rating",
        "reopen_count",
        "flagged",
        "history",
    ],
    "properties": {
        **FILED["properties"],
        "category": {"type": "string", "enum": list(Category.values)},
        "title": {"type": "string"},
        "detail": {"type": "string"},
        "urgency": {"type": "string", "enum": list(Urgency.values)},
        "quantity": {"type": ["integer", "null"]},
        "counterpart": {"type": "string"},
        "enterprise": {
            "type": "object",
            "required": ["credit_code", "name"],
            "properties": {"credit_code": {"type": "string"}, "name": {"type": "string"}},
        },
        "cohandlers": {
            "type": "array",
            "items": {"type": "string"},
            "description": "The codes of the departments asked to help.",
        },
        "filed_at": {"type": "string", "format": "date-time"},
        "overdue": {
            "type": ["string", "null"],
            "enum": ["accept", "answer", None],
            "description": "The deadline passed without the step being done.",
        },
        "answer": {"type": "string"},
        "rating": {"type": ["string", "null"], "enum": RATINGS},
        "reopen_count": {"type": "integer"},
        "flagged": {"type": "boolean", "description": "Flagged for the command centre."},
        "history": {"type": "array", "items": EVENT},
    },
}


def _department(appeal: Appeal) -> dict[str, str]:
    if appeal.department_id is None:
        return {"code": "desk", "name": str(_("Command centre desk"))}
    return {"code": appeal.department.code, "name": appeal.department.name}


def appeal_json(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "status": appeal.status,
        "category": appeal.category,
        "title": appeal.title,
        "detail": appeal.detail,
        "urgency": appeal.urgency,
        "quantity": appeal.quantity,
        "counterpart": appeal.counterpart,
        "enterprise": {
            "credit_code": appeal.enterprise.credit_code,
            "name": appeal.enterprise.name,
        },
        "department": _department(appeal),
        "cohandlers": [d.code for d in appeal.cohandlers.all()],
        "filed_at": appeal.filed_at.isoformat(),
        "accept_due": appeal.accept_due.isoformat(),
        "answer_due": appeal.answer_due.isoformat(),
        "overdue": appeal.overdue or None,
        "answer": appeal.answer,
        "rating": appeal.rating or None,
        "reopen_count": appeal.reopen_count,
        "flagged": appeal.flagged,
        "history": [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "actor": e.actor_label,
                "comment": e.comment,
                "from_department": e.from_department.code if e.from_department else None,
                "to_department": e.to_department.code if e.to_department else None,
                "rating": e.rating or None,
            }
            for e in history(appeal)
        ],
    }


def _enterprise_for_filing(request: HttpRequest, code: str | None) -> Enterprise:
    own = administered_enterprise(request.user)
    if own is not None and not code:
        return own
    if code:
        credit_code = clean_credit_code(code, "enterprise")
        if own is not None and own.credit_code == credit_code:
            return own
        if has_role(request.user, Role.LIAISON_OFFICER):
            enterprise = Enterprise.objects.filter(
                credit_code=credit_code,
                liaison_assignments__officer=request.user,
                liaison_assignments__active=True,
            ).first()
            if enterprise is not None:
                return enterprise
        raise Http404
    if has_role(request.user, Role.LIAISON_OFFICER):
        raise FieldError("enterprise", _("Give the enterprise's credit code."))
    raise Http404


@router.post(
    "/appeals",
    response={201: None},  # answered by openapi.created, documented below
    openapi_extra={
        "responses": {
            201: openapi.answer("Filed: where it went and its deadlines.", FILED),
            **openapi.errors(
                {
                    400: openapi.INVALID,
                    404: openapi.error(
                        "The token's user administers no enterprise, or `enterprise` is not theirs "
                        "nor one assigned to them as liaison officer."
                    ),
                }
            ),
        },
    },
)
def file_appeal(request: HttpRequest, payload: AppealIn) -> HttpResponse:
    """File an appeal (enterprise administrator, or liaison officer with ``enterprise``)."""
    enterprise = _enterprise_for_filing(request, payload.enterprise)
    appeal = do_file_appeal(
        enterprise,
        category=payload.category,
        title=payload.title,
        detail=payload.detail,
        urgency=payload.urgency,
        quantity=payload.quantity,
        counterpart=payload.counterpart,
        actor=request.user,
    )
    return openapi.created(
        request,
        {
            "id": appeal.pk,
            "status": appeal.status,
            "department": _department(appeal),
            "accept_due": appeal.accept_due.isoformat(),
            "answer_due": appeal.answer_due.isoformat(),
        },
    )


@router.get(
    "/appeals/{appeal_id}",
    openapi_extra={
        "responses": {
            200: openapi.answer("The appeal with its history.", APPEAL),
            **openapi.errors(
                {
                    400: openapi.BAD_ID,
                    404: NO_APPEAL,
                }
            ),
        },
    },
)
def get_appeal(request: HttpRequest, appeal_id: int) -> dict[str, Any]:
    """The appeal with its full history."""
    return appeal_json(get_appeal_or_404(request.user, appeal_id))


@router.post(
    "/appeals/{appeal_id}/events",
    openapi_extra={
        "responses": {
            200: openapi.answer("Done: the appeal with its history.", APPEAL),
            **openapi.errors(
                {
                    400: openapi.INVALID,
                    404: NO_APPEAL,
                    409: openapi.error(
                        "The action is not open to the caller in the appeal's state (`field` may "
                        "name the field)."
                    ),
                }
            ),
        },
    },
)
def add_event(request: HttpRequest, appeal_id: int, payload: EventIn) -> dict[str, Any]:
    """accept | transfer (to_department, comment) | answer (comment) | close (rating) | reopen."""
    appeal = get_appeal_or_404(request.user, appeal_id)
    if payload.action not in ACTIONS:
        raise FieldError("action", _("The action is accept, transfer, answer, close or reopen."))
    appeal = do_act(
        appeal,
        payload.action,
        actor=request.user,
        comment=payload.comment,
        to_department=payload.to_department,
        rating=payload.rating,
    )
    # Reloaded without the scope: a department that transfers an appeal no longer sees it,
    # but its own request still gets the result.
    return appeal_json(Appeal.objects.select_related("enterprise", "department").get(pk=appeal.pk))
