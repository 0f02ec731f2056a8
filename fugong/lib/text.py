"""Text from outside (API bodies, spreadsheets) that no database column can hold.

PostgreSQL's text and jsonb columns cannot store the character NUL (U+0000); other control
characters (a tab or a line break pasted into a name) store fine but have no place in a one-line
field. Django's form fields already refuse NUL; JSON bodies and spreadsheet cells are checked
here, so that such a value is a 400 naming its field (or a rejected row), not a server error.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Schema
from pydantic import field_validator

# C0 controls, DEL and Unicode's line breaks (NEL, line and paragraph separators): nothing a
# one-line field (a name, a post) should hold.
_CONTROLS = "\x00-\x1f\x7f\x85\u2028\u2029"
# Unicode's bidirectional formatting characters (embeddings, overrides, isolates, the marks:
# U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): invisible, they reorder the text
# shown around them, so that a name reads other than it is written ("王\u202e五六" shows as
# 王六五). A one-line field holds none either; the middle dot of minority names (·) is text.
_DIRECTION_MARKS = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_LINE_CONTROLS = re.compile(f"[{_CONTROLS}{_DIRECTION_MARKS}]")
_ONLY_CONTROLS = re.compile(f"[{_CONTROLS}]")

# Django's own message for NUL in a form field, worded by this project (Django's Chinese reads
# "an empty string is not allowed"); kept here so that makemessages keeps it.
gettext_noop("Null characters are not allowed.")


def holds_nul(value: Any) -> bool:
    """Whether a parsed JSON value holds NUL in any text, key or nested value."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(v) for v in value)
    return False


def nul_message() -> str:
    return _("Text cannot contain the NUL character (\\u0000).")


def line_controls_message(text: str | None = None) -> str:
    """Why a one-line text is refused (see has_line_controls): for a control character, or,
    when ``text`` holds no control character but an invisible text-direction character, for
    that."""
    if text is not None and _ONLY_CONTROLS.search(text) is None and has_line_controls(text):
        return _(
            "Remove the invisible text-direction character (such as U+202E, which shows the "
            "text after it reversed) from this text."
        )
    return _("Remove the control character (a tab, a line break or NUL) from this text.")


def has_line_controls(text: str) -> bool:
    """Whether a one-line text holds a control character (NUL, tab, line break …) or an
    invisible bidirectional formatting character (U+202E …)."""
    return _LINE_CONTROLS.search(text) is not None


class InputSchema(Schema):
    """A JSON request body whose text the database can store: NUL anywhere in a field (nested
    values included) is a 400 naming that field."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if holds_nul(value):
            raise ValueError(nul_message())
        return value
