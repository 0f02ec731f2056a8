from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from fugong.lib.identifiers import half_width

from .selectors import find_places

SHOWN_PLACES = 8  # places named in the message when a name fits several


class PlaceField(forms.CharField):
    """A place typed by its division code or by its name (geo.selectors.find_places), cleaned
    to a code. A code is kept as typed: whoever stores it checks it, with the same message as
    the API's. A name that fits several places is an error naming them with their codes."""

    def __init__(self, *, areas: bool = False, **kwargs: Any) -> None:
        self.areas = areas  # provinces and prefectures too (risk levels)
        kwargs.setdefault("max_length", 50)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        code = "".join(half_width(text).split())
        if not code or code.isdigit():
            return code
        places = find_places(text, areas=self.areas)
        if len(places) == 1:
            return places[0].code
        if not places:
            raise forms.ValidationError(
                _("No place is called “%(text)s”: give a name such as 武汉市武昌区, or the code."),
                code="unknown_place",
                params={"text": text},
            )
        shown = _(", ").join(f"{p.name} ({p.code})" for p in places[:SHOWN_PLACES])
        if len(places) > SHOWN_PLACES:
            shown += " …"
        raise forms.ValidationError(
            _("“%(text)s” fits %(n)d places: %(places)s. Give a fuller name or the code."),
            code="several_places",
            params={"text": text, "n": len(places), "places": shown},
        )
