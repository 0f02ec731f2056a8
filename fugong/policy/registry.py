"""Policy documents: defaults declared by each app, versions saved by the command centre.

An app declares its policy in ``<app>/policies.py``::

    HEALTH = register(
        "health",
        title=_("Health status rules"),
        fields={
            "fever_threshold": Field(37.3, _("Fever threshold (°C)"), minimum=37.0, maximum=38.5),
            ...
        },
    )

and reads the version in force with ``HEALTH.current()`` (a dict), or the version in force at a
moment with ``HEALTH.as_of(moment)``.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Field:
    default: Any
    label: Any  # a lazy translation
    help: Any = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[tuple[str, Any], ...] | None = None

    @property
    def kind(self) -> str:
        if isinstance(self.default, bool):
            return "bool"
        if isinstance(self.default, int):
            return "int"
        if isinstance(self.default, float):
            return "float"
        if isinstance(self.default, str):
            return "str"
        return "json"


@dataclass
class Policy:
    key: str
    title: Any
    fields: dict[str, Field]
    description: Any = ""
    on_change: str = ""  # a task (fugong.lib.tasks) run once a new version is saved
    _cache_key: str = field(init=False)

    def __post_init__(self) -> None:
        self._cache_key = f"policy:{self.key}"

    def defaults(self) -> dict[str, Any]:
        return {name: copy.deepcopy(f.default) for name, f in self.fields.items()}

    def merge(self, data: dict[str, Any] | None) -> dict[str, Any]:
        merged = self.defaults()
        for name, value in (data or {}).items():
            if name in self.fields:
                merged[name] = value
        return merged

    def current_version(self):  # -> PolicyVersion | None
        from .models import PolicyVersion

        return PolicyVersion.objects.filter(key=self.key).order_by("-version").first()

    def current(self) -> dict[str, Any]:
        """The policy in force now, cached until a new version is saved (in a process-local
        cache, other processes see it after ``settings.POLICY_CACHE_SECONDS``). The caller may
        change the dict it gets: Django's caches serialize, so every get is a fresh copy."""
        data = cache.get(self._cache_key)
        if data is None:
            version = self.current_version()
            data = self.merge(version.data if version else None)
            cache.set(self._cache_key, data, settings.POLICY_CACHE_SECONDS)
        return data

    def as_of(self, moment: dt.datetime) -> dict[str, Any]:
        from .models import PolicyVersion

        version = (
            PolicyVersion.objects.filter(key=self.key, created_at__lte=moment)
            .order_by("-version")
            .first()
        )
        return self.merge(version.data if version else None)

    def forget(self) -> None:
        cache.delete(self._cache_key)


_POLICIES: dict[str, Policy] = {}


def register(
    key: str, *, title: Any, fields: dict[str, Field], description: Any = "", on_change: str = ""
) -> Policy:
    if key in _POLICIES:
        return _POLICIES[key]
    policy = Policy(
        key=key, title=title, fields=fields, description=description, on_change=on_change
    )
    _POLICIES[key] = policy
    return policy


def get(key: str) -> Policy:
    return _POLICIES[key]


def all_policies() -> list[Policy]:
    return sorted(_POLICIES.values(), key=lambda p: p.key)
