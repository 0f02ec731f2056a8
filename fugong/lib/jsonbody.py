"""Reading a request's JSON body strictly (RFC 8259)."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .errors import FieldError


def json_body(request: HttpRequest) -> Any:
    """The request's body read as JSON with orjson, which refuses what the standard library's
    json module lets through (NaN, Infinity, -Infinity; text that is not UTF-8). A body that is
    not JSON is a 400 naming no field."""
    try:
        return orjson.loads(request.body or b"null")
    except ValueError:  # orjson.JSONDecodeError
        raise FieldError("", _("The body is not valid JSON.")) from None
