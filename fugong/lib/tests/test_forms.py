from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.urls import get_resolver
from django.utils import translation

from fugong.lib.forms import DateInput


def all_form_classes() -> list[type[forms.Form]]:
    get_resolver().url_patterns  # every view, and so every form, imported  # noqa: B018
    found, todo = [], [forms.Form]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("fugong."):
            found.append(cls)
    return found


def date_pickers() -> list[tuple[str, forms.Widget]]:
    return [
        (f"{cls.__module__}.{cls.__name__}.{name}", field.widget)
        for cls in all_form_classes()
        for name, field in cls.base_fields.items()
        if getattr(field.widget, "input_type", None) == "date"
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_picker_shows_a_stored_date_as_a_browser_reads_it(language):
    # Django wrote an initial date as 2022/05/11 in Chinese: the browser showed an empty date
    # picker and sent it back empty, so changing an employee's post erased their start date.
    pickers = date_pickers()
    assert len(pickers) >= 10, pickers  # the forms were found
    with translation.override(language):
        shown = {name: widget.format_value(dt.date(2022, 5, 11)) for name, widget in pickers}
    assert shown == dict.fromkeys(shown, "2022-05-11")


def test_the_date_input_renders_its_attributes_and_an_iso_value():
    html = DateInput(attrs={"max": "2026-12-03"}).render("day", dt.date(2020, 2, 10))
    assert 'type="date"' in html and 'value="2020-02-10"' in html and 'max="2026-12-03"' in html
