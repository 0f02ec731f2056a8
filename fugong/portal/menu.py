"""The menu and home-page widgets, contributed by each app from its ``nav.py``.

menu.entry("health:board", _("Today's check-ins"), roles={Role.ENTERPRISE_ADMIN}, order=10)
menu.entry("portal:phone-change", _("Change phone number"), roles={Role.EMPLOYEE}, account=True)
menu.widget(roles={Role.ENTERPRISE_ADMIN}, template="health/widget_board.html",
            context=lambda request: {...}, order=10)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from fugong.accounts.access import roles


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Any
    roles: frozenset[str]
    order: int = 50
    description: Any = ""
    # One's own account (beside "Change password" at the menu's end), not a home-page tile.
    account: bool = False


@dataclass(frozen=True)
class Widget:
    template: str
    roles: frozenset[str]
    context: Callable[[HttpRequest], dict[str, Any]] = field(default=lambda request: {})
    order: int = 50


_ENTRIES: list[Entry] = []
_WIDGETS: list[Widget] = []


def entry(
    url_name: str,
    label: Any,
    *,
    roles: set[str],
    order: int = 50,
    description: Any = "",
    account: bool = False,
) -> None:
    if not any(e.url_name == url_name for e in _ENTRIES):
        _ENTRIES.append(Entry(url_name, label, frozenset(roles), order, description, account))


def widget(
    *,
    template: str,
    roles: set[str],
    context: Callable[[HttpRequest], dict[str, Any]] | None = None,
    order: int = 50,
) -> None:
    if not any(w.template == template for w in _WIDGETS):
        _WIDGETS.append(Widget(template, frozenset(roles), context or (lambda r: {}), order))


def entries_for(user: Any, *, account: bool = False) -> list[dict[str, Any]]:
    """The user's entries of the menu (and home page), or with ``account`` those of their own
    account."""
    mine = roles(user)
    items = []
    for e in sorted(_ENTRIES, key=lambda e: (e.order, str(e.label))):
        if e.account == account and e.roles & mine:
            try:
                url = reverse(e.url_name)
            except NoReverseMatch:
                continue
            items.append({"url": url, "label": e.label, "description": e.description})
    return items


def widgets_for(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    mine = roles(request.user)
    return [
        (w.template, w.context(request))
        for w in sorted(_WIDGETS, key=lambda w: w.order)
        if w.roles & mine
    ]
