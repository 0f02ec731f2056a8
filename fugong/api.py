"""The JSON API under /api/v1/ (OpenAPI at /api/v1/docs), assembled from each app's router.

Errors share one shape: ``{"error": "<message>", "field": "<name>"}`` with 400 for bad input,
401 without a valid token, 404 outside the caller's scope, 409 for a clash with the state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from fugong.accounts.actions import authenticate_token
from fugong.accounts.models import language_of
from fugong.lib import openapi
from fugong.lib.errors import Conflict, FieldError
from fugong.lib.jsonbody import json_body


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = authenticate_token(token)
        if user is not None:
            request.user = user
            _speak_the_users_language(request, user)
        return user


def _speak_the_users_language(request: HttpRequest, user: Any) -> None:
    """Answer (messages, a status's reasons) in the language the token's user chose with the
    switch, unless this request names one itself (the language cookie, as on the pages)."""
    chosen = language_of(user)
    if (
        chosen != getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
    ):
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen


class StrictJsonParser(Parser):
    """The bodies django-ninja reads for a schema are read as the check-ins' are (orjson, strict
    RFC 8259): text that is not UTF-8, NaN, or a lone surrogate escape (``"\\ud800"``, which no
    database can store) is a body that is not JSON, not a value passed on to the database. Every
    such body is an object: another value (``null``, ``[]``, ``3``) is answered as the check-ins
    and the roster answer it, instead of being read as an object with no fields."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json_body(request)
        if not isinstance(data, dict):
            raise FieldError("", _("Send a JSON object."))
        return data


api = NinjaAPI(
    title="Fugong API",
    version="1",
    urls_namespace="api",
    auth=BearerToken(),
    parser=StrictJsonParser(),
    description="Epidemic prevention and return to work. Every call sends "
    "`Authorization: Bearer TOKEN`, a token from `fugong token create USERNAME`.",
)


_SOURCES = {"body", "query", "form", "file", "path", "header", "cookie"}


def _field_of(error: dict) -> str:
    """The request's field an error is about: ``title`` for ("body", "payload", "title"), also
    for a value nested in it (("body", "payload", "item_reasons", "isolation_rooms") names
    ``item_reasons``)."""
    loc = [str(part) for part in error.get("loc", ())]
    if loc and loc[0] in _SOURCES:
        loc = loc[1:]
    if loc and loc[0] == "payload":  # the schema parameter's name in every view
        loc = loc[1:]
    return loc[0] if loc else ""


# What a type of pydantic's errors means, in words that are translated (pydantic's own are
# English only): by the whole type, else by its first part (int_parsing, int_from_float → int).
_PROBLEMS = {
    "missing": gettext_lazy("This field is required."),
    # A number beyond 64 bits (orjson reads 2**64 and more as a float, 1e30 too): too large for
    # any column, as the actions say of one beyond the column's (MAX_COUNT).
    "int_parsing_size": gettext_lazy("The number is too large."),
    "int": gettext_lazy("Give a whole number."),
    "float": gettext_lazy("Give a number."),
    "decimal": gettext_lazy("Give a number."),
    "bool": gettext_lazy("Answer true or false."),
    "string": gettext_lazy("Give a text."),
    "date": gettext_lazy("Give the date as YYYY-MM-DD."),
    "dict": gettext_lazy("Give a JSON object."),
    "model": gettext_lazy("Give a JSON object."),
    "list": gettext_lazy("Give a list."),
}


def _problem(error: dict) -> str:
    kind = str(error.get("type", ""))
    if kind == "value_error" and "error" in error.get("ctx", {}):
        return str(error["ctx"]["error"])  # our own validators' messages, translated
    problem = _PROBLEMS.get(kind) or _PROBLEMS.get(kind.split("_")[0])
    return str(problem or _("This value is not valid."))


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = _field_of(first)
    if (
        not field
        and first.get("type") == "missing"
        and tuple(first.get("loc", ()))[:1] == ("body",)
    ):
        # No body at all, or an empty one (django-ninja reads none, so the schema's parameter is
        # missing): a body that is no JSON object, answered as the check-ins and the roster
        # answer one, naming no field (the body as a whole) instead of "This field is required."
        return on_field_error(request, FieldError("", _("Send a JSON object.")))
    message = _problem(first)
    if field:
        message = f"{field}: {message}"
    return api.create_response(request, {"error": message, "field": field}, status=400)


@api.exception_handler(FieldError)
def on_field_error(request: HttpRequest, exc: FieldError) -> HttpResponse:
    return api.create_response(request, {"error": exc.message, "field": exc.field}, status=400)


@api.exception_handler(HttpError)
def on_unreadable_body(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own errors (it answers ``{"detail": …}``) in the API's shape: a body it could
    not read is the 400 of ``json_body`` (StrictJsonParser), naming no field."""
    if isinstance(exc.__cause__, FieldError):
        return on_field_error(request, exc.__cause__)
    if exc.status_code == 400:
        return on_field_error(request, FieldError("", _("The body is not valid JSON.")))
    return api.create_response(request, {"error": str(exc)}, status=exc.status_code)


def _refused_request(request: HttpRequest, exc: Exception, message: str) -> HttpResponse:
    """A request Django refuses to read (a SuspiciousOperation: too large, too many fields or
    files), logged as Django's own handler logs it, answered with a 400 in the API's shape
    instead of a server error (debug) or Django's HTML page."""
    logging.getLogger(f"django.security.{type(exc).__name__}").error(
        str(exc), extra={"status_code": 400, "request": request}
    )
    return on_field_error(request, FieldError("", message))


@api.exception_handler(RequestDataTooBig)
def on_body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return _refused_request(
        request, exc, _("The body is too large (at most %(size)d MB).") % {"size": size}
    )


@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def on_too_many_fields(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _refused_request(request, exc, _("The request has too many fields or files."))


@api.exception_handler(MultiPartParserError)
def on_unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """A multipart body Django cannot parse (no boundary, a broken part): a 400 naming no
    field, as for a body that is not JSON."""
    message = _("The form data could not be read (multipart/form-data with a boundary).")
    return on_field_error(request, FieldError("", message))


@api.exception_handler(Conflict)
def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    body = {"error": exc.message}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=409)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"error": _("not found")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"error": _("a valid bearer token is required")}, status=401
    )


@api.get("/ping", tags=["meta"], openapi_extra={"responses": openapi.errors()})
def ping(request: HttpRequest) -> dict:
    """Answers any valid token: the framework's own ceiling in benchmarks."""
    return {"ok": True}


def _mount() -> None:
    from importlib import import_module

    for app, prefix in (
        ("people", "/"),
        ("health", "/"),
        ("resumption", "/"),
        ("appeals", "/"),
    ):
        module = import_module(f"fugong.{app}.api")
        api.add_router(prefix, module.router)


_mount()


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other address under /api/v1/: the API's 404 (fugong.urls routes it here)."""
    return JsonResponse({"error": _("not found")}, status=404)


def json_errors_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A method an API address does not take (ninja answers 405 in plain text) answers in the
    API's error shape, with the methods it takes in ``Allow`` as before."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code == 405 and request.path.startswith("/api/v1/"):
            allowed = response.headers.get("Allow", "")
            response = JsonResponse(
                {"error": _("This address does not take %(method)s.") % {"method": request.method}},
                status=405,
            )
            response.headers["Allow"] = allowed
        return response

    return middleware
