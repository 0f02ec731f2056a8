"""Errors that actions raise and every interface (form, API, import) turns into a message."""

from __future__ import annotations

from collections.abc import Sequence

# The largest count a PositiveIntegerField holds on every database (PostgreSQL's integer):
# a larger one is a 400 naming its field, not a server error when it is written.
MAX_COUNT = 2_147_483_647


class FieldError(ValueError):
    """Bad input in one named field. The API answers 400 ``{"error", "field"}``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class FieldErrors(FieldError):
    """Bad input in several fields at once, each a FieldError, in the order they were checked.

    As a FieldError it is the first of them (the API answers 400 naming that one field, as when
    the checks stopped at it); a form shows every one on its field
    (``fugong.lib.forms.add_field_error``), so that all of them are corrected in one pass."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__(errors[0].field, errors[0].message)
        self.errors = list(errors)


class Conflict(Exception):
    """The request clashes with the current state (already exists, already decided). → 409"""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
