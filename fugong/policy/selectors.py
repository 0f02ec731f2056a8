"""Reads of policy versions for the policy pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .models import PolicyVersion
from .registry import Field, Policy


@dataclass(frozen=True)
class Change:
    label: Any  # the form's label of the field
    before: str
    after: str


@dataclass(frozen=True)
class VersionChanges:
    version: PolicyVersion
    changes: list[Change]  # what differs from the version before (the first: from the defaults)


def shown_value(spec: Field, value: Any) -> str:
    """A policy value as the reader reads it: yes/no, a choice's label, a list as JSON."""
    if spec.kind == "bool":
        return _("Yes") if value else _("No")
    if spec.choices:
        return str(dict(spec.choices).get(value, value))
    if spec.kind == "json":
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def version_history(policy: Policy, limit: int = 50) -> list[VersionChanges]:
    """The latest ``limit`` versions, newest first, each with what it changed (one query)."""
    versions = list(
        PolicyVersion.objects.filter(key=policy.key).select_related("created_by")[: limit + 1]
    )
    history = []
    for i, version in enumerate(versions[:limit]):
        previous = versions[i + 1].data if i + 1 < len(versions) else None
        before, after = policy.merge(previous), policy.merge(version.data)
        history.append(
            VersionChanges(
                version,
                [
                    Change(
                        spec.label, shown_value(spec, before[name]), shown_value(spec, after[name])
                    )
                    for name, spec in policy.fields.items()
                    if before[name] != after[name]
                ],
            )
        )
    return history
