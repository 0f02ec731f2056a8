"""Writing the audit log. Call :func:`record` inside the action's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from .models import AuditEvent


@dataclass(frozen=True)
class Anonymous:
    """Someone acting without a login whom the platform identified otherwise (a person checking
    in through their enterprise's link): no user, but the audit row names them by ``label``."""

    label: str
    is_authenticated: bool = False


def _label(actor: Any) -> str:
    if isinstance(actor, Anonymous):
        return actor.label[:150]
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return actor.get_username()


def event_values(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    details: dict[str, Any] | None = None,
    label: str | None = None,
) -> dict[str, Any]:
    """The fields of one audit row (for code that writes it in its own SQL statement)."""
    return {
        "actor": actor if getattr(actor, "is_authenticated", False) else None,
        "actor_label": _label(actor),
        "action": action,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_label": (label if label is not None else str(obj) if obj is not None else "")[:200],
        "details": details or {},
    }


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    details: dict[str, Any] | None = None,
    label: str | None = None,
) -> AuditEvent:
    """Append one audit row. Never put a raw ID number or phone number in ``details``."""
    return AuditEvent.objects.create(
        **event_values(actor, action, obj, details=details, label=label)
    )


def record_many(actor: Any, action: str, objects: list[models.Model], **kwargs: Any) -> None:
    """One row per object, written in a single query (bulk imports)."""
    details = kwargs.get("details") or {}
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                actor_label=_label(actor),
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_label=str(obj)[:200],
                details=details,
            )
            for obj in objects
        ],
        batch_size=1000,
    )
