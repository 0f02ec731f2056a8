"""Texts kept in every language of the platform and read in the page's (notifications, import
reports): worded once when written, shown in whichever language the reader uses later."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from django.conf import settings
from django.utils import translation

T = TypeVar("T")


def in_every_language(word: Callable[[], T]) -> dict[str, T]:
    """Language code → what ``word()`` gives with that language active, for every language of
    the platform."""
    texts: dict[str, T] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts[language] = word()
    return texts


def in_page_language(texts: Mapping[str, T], default: T) -> T:
    """The text kept for the active language (the page's), else ``default``."""
    return texts.get(translation.get_language() or "", default)
