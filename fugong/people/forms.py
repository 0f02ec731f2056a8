"""Forms of the people pages."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest


class SearchForm(forms.Form):
    """A search sent by POST (names and ID numbers stay out of URLs and access logs); Django's
    field refuses what the database cannot compare (NUL) with a message on the field."""

    q = forms.CharField(required=False, max_length=100, strip=True)


def search_of(request: HttpRequest) -> tuple[SearchForm, str, int]:
    """The bound search form, the words to search for ("" when invalid) and the status."""
    form = SearchForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return form, "", 200
    if form.is_valid():
        return form, form.cleaned_data["q"], 200
    return form, "", 400
