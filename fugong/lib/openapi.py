"""What the OpenAPI description (/api/v1/docs) says of endpoints that read and write their JSON
themselves (the check-ins and the roster: orjson, checks in actions.py) instead of through
django-ninja's schemas: their bodies, answers and errors, written once here; the answers of the
endpoints that build them as dicts (appeals, resumption: ``{200: answer(…, SCHEMA)}``, which
django-ninja would describe as any object); and the errors of every other endpoint (django-ninja
describes only its success), which each lists in ``openapi_extra={"responses": errors(...)}``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "What is wrong, in the caller's language."},
        "field": {
            "type": "string",
            "description": "The field it is about (400; a 409 may name one too).",
        },
    },
}


def created(request: HttpRequest, body: Any) -> HttpResponse:
    """A 201 with ``body``, rendered by the API, for an operation that documents its 201 itself
    (``answer``): declared through django-ninja (``response={201: dict}``), its description
    would be merged with django-ninja's "any object"."""
    from fugong.api import api

    return api.create_response(request, body, status=201)


def answer(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """One response of an operation's ``responses``."""
    if schema is None:
        return {"description": description}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error(description: str) -> dict[str, Any]:
    return answer(description, ERROR)


UNAUTHORIZED = error("No valid bearer token.")
NOT_AN_ADMIN = error("The token's user administers no enterprise.")
INVALID = error("A field is invalid (named by `field`); nothing is stored.")
BAD_ID = error("The id in the address is not a whole number (named by `field`).")


def errors(answers: dict[int, dict[str, Any]] | None = None) -> dict[int, dict[str, Any]]:
    """An operation's error answers: 401 (every endpoint takes a token) and those given, by
    status (``errors({400: INVALID, 404: NOT_AN_ADMIN})``)."""
    return dict(sorted({401: UNAUTHORIZED, **(answers or {})}.items()))


def body(schema: dict[str, Any], example: Any) -> dict[str, Any]:
    """The ``requestBody`` of an operation."""
    return {
        "required": True,
        "content": {"application/json": {"schema": schema, "example": example}},
    }
