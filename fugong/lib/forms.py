"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A browser's date picker (``<input type="date">``). Its value must be YYYY-MM-DD whatever
    the language: Django writes a date in the language's own format (2022/05/11 in Chinese),
    which the browser shows as an empty field and then sends back empty, so a form opened to
    change something else erased the stored date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def add_field_error(form: forms.Form, exc: Any) -> None:
    """Show an action's FieldError (or Conflict) on the form: on the field it names when the
    form has that field, else above the form; each error of a FieldErrors on its own field."""
    for error in getattr(exc, "errors", None) or [exc]:
        form.add_error(error.field if error.field in form.fields else None, error.message)
