from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fugong.audit.actions import record
from fugong.lib.tasks import enqueue

from .models import PolicyVersion
from .registry import Policy


def validate_policy_data(policy: Policy, data: dict[str, Any]) -> dict[str, Any]:
    """Check types and bounds of every field; raise ValidationError naming the field."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, spec in policy.fields.items():
        value = data.get(name, spec.default)
        kind = spec.kind
        try:
            if kind == "bool":
                if not isinstance(value, bool):
                    raise TypeError
            elif kind == "int":
                if isinstance(value, bool) or int(value) != value:
                    raise TypeError
                value = int(value)
            elif kind == "float":
                if isinstance(value, bool):
                    raise TypeError
                value = float(value)
            elif kind == "str":
                value = str(value)
                if spec.choices and value not in dict(spec.choices):
                    raise TypeError
            elif not isinstance(value, type(spec.default)):
                raise TypeError
        except (TypeError, ValueError):
            errors[name] = _("This value has the wrong type.")
            continue
        if kind in ("int", "float"):
            if spec.minimum is not None and value < spec.minimum:
                errors[name] = _("At least %(min)s.") % {"min": spec.minimum}
                continue
            if spec.maximum is not None and value > spec.maximum:
                errors[name] = _("At most %(max)s.") % {"max": spec.maximum}
                continue
        clean[name] = value
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def do_save_policy_version(
    policy: Policy, data: dict[str, Any], *, note: str = "", actor
) -> PolicyVersion:
    clean = validate_policy_data(policy, data)
    last = (
        PolicyVersion.objects.select_for_update()
        .filter(key=policy.key)
        .order_by("-version")
        .first()
    )
    before = policy.merge(last.data if last else None)
    version = PolicyVersion.objects.create(
        key=policy.key,
        version=(last.version if last else 0) + 1,
        data=clean,
        note=note,
        created_by=actor,
    )
    changed = {k: [before.get(k), v] for k, v in clean.items() if before.get(k) != v}
    record(
        actor,
        "policy.changed",
        version,
        details={"key": policy.key, "version": version.version, "changed": changed},
    )
    policy.forget()  # this transaction sees the new version at once…
    transaction.on_commit(policy.forget)  # …and others once it commits
    if policy.on_change and changed:
        version.job = enqueue(
            policy.on_change, owner=actor, label=str(policy.title), version=version.version
        )
    return version
