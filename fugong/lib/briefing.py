"""The daily briefing is assembled from sentences that domain apps contribute.

An app adds a sentence in its ``briefing.py``::

    @contributor(order=50)
    def appeals_sentence(day: date, scope: BriefingScope) -> Sentence | None: ...

The resumption app's briefing page calls :func:`sentences` and joins them in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class BriefingScope:
    """The area a briefing covers: the whole city (division None) or one district/township."""

    division: Any = None  # fugong.geo.models.Division | None


@dataclass(frozen=True)
class Sentence:
    text: str
    # The same figures as numbers, merged into the briefing's "figures" object and table.
    figures: dict[str, Any] = field(default_factory=dict)


Contributor = Callable[[dt.date, BriefingScope], Sentence | None]
_CONTRIBUTORS: list[tuple[int, str, Contributor]] = []


def contributor(order: int = 50) -> Callable[[Contributor], Contributor]:
    def register(fn: Contributor) -> Contributor:
        key = f"{fn.__module__}.{fn.__qualname__}"
        if not any(k == key for _, k, _ in _CONTRIBUTORS):
            _CONTRIBUTORS.append((order, key, fn))
            _CONTRIBUTORS.sort(key=lambda item: (item[0], item[1]))
        return fn

    return register


def sentences(day: dt.date, scope: BriefingScope | None = None) -> list[Sentence]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("briefing")
    scope = scope or BriefingScope()
    result = []
    for _, _, fn in _CONTRIBUTORS:
        sentence = fn(day, scope)
        if sentence is not None:
            result.append(sentence)
    return result
