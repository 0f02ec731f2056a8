"""The prevention checklist in force: labels in the user's language and the check of answers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .policies import RESUMPTION


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    kind: str  # bool | number
    required: Any  # True, or the threshold
    comparison: str = "min"  # min | max
    per_staff: int | None = None
    zero_allowed: bool = False

    def threshold(self, staff: int) -> Any:
        """The requirement for an enterprise with ``staff`` people on site."""
        if self.kind == "number" and self.per_staff:
            return max(self.required, math.ceil(staff / self.per_staff))
        return self.required

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "label": self.label,
            "kind": self.kind,
            "required": self.required,
        }
        if self.kind == "number":
            data["comparison"] = self.comparison
            if self.per_staff:
                data["per_staff"] = self.per_staff
        return data


def _label(raw: dict[str, Any]) -> str:
    english = (get_language() or "").startswith("en")
    return str(raw.get("label_en" if english else "label_zh") or raw.get("label_zh") or raw["code"])


def items(policy: dict[str, Any] | None = None) -> list[Item]:
    policy = policy or RESUMPTION.current()
    result = []
    for raw in policy["checklist"]:
        kind = "number" if raw.get("kind") == "number" else "bool"
        result.append(
            Item(
                code=str(raw["code"]),
                label=_label(raw),
                kind=kind,
                required=raw.get("required", True) if kind == "number" else True,
                comparison="max" if raw.get("comparison") == "max" else "min",
                per_staff=raw.get("per_staff") or None,
                zero_allowed=bool(raw.get("zero_allowed")),
            )
        )
    return result


def attachment_kinds(policy: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    policy = policy or RESUMPTION.current()
    return [(str(k["code"]), _label(k)) for k in policy["attachment_kinds"]]


def item_labels() -> dict[str, str]:
    return {i.code: i.label for i in items()}


def problems(answers: dict[str, Any], staff: int, policy: dict[str, Any] | None = None) -> dict:
    """item code → what is wrong with the answer (empty when the checklist passes)."""
    found: dict[str, str] = {}
    for item in items(policy):
        value = answers.get(item.code)
        if item.kind == "bool":
            if value is not True:
                found[item.code] = _("%(item)s: must be in place.") % {"item": item.label}
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            found[item.code] = _("%(item)s: enter a number.") % {"item": item.label}
            continue
        need = item.threshold(staff)
        if value < 0:
            found[item.code] = _("%(item)s: cannot be negative.") % {"item": item.label}
        elif item.comparison == "max" and value > need:
            found[item.code] = _("%(item)s: at most %(need)s (entered %(value)s).") % {
                "item": item.label,
                "need": need,
                "value": value,
            }
        elif item.comparison == "min" and value < need and not (item.zero_allowed and value == 0):
            found[item.code] = _("%(item)s: at least %(need)s (entered %(value)s).") % {
                "item": item.label,
                "need": need,
                "value": value,
            }
    return found
