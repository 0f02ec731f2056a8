from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import Policy


class JSONTextField(forms.CharField):
    def prepare_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)

    def to_python(self, value: Any) -> Any:
        try:
            return json.loads(value)
        except (TypeError, ValueError):
            raise forms.ValidationError(_('Enter valid JSON, e.g. ["B", "C"].')) from None


def policy_form(policy: Policy, current: dict[str, Any], data: Any = None) -> forms.Form:
    form = forms.Form(data)
    for name, spec in policy.fields.items():
        common = {"label": spec.label, "help_text": spec.help, "initial": current.get(name)}
        if spec.minimum is not None and spec.maximum is not None:
            between = _("Give a value from %(min)s to %(max)s.") % {
                "min": spec.minimum,
                "max": spec.maximum,
            }
            common["error_messages"] = {"min_value": between, "max_value": between}
        if spec.kind == "bool":
            field: forms.Field = forms.BooleanField(required=False, **common)
        elif spec.kind == "int":
            field = forms.IntegerField(min_value=spec.minimum, max_value=spec.maximum, **common)
        elif spec.kind == "float":
            field = forms.FloatField(min_value=spec.minimum, max_value=spec.maximum, **common)
        elif spec.kind == "str" and spec.choices:
            field = forms.ChoiceField(choices=spec.choices, **common)
        elif spec.kind == "str":
            field = forms.CharField(**common)
        else:
            field = JSONTextField(widget=forms.Textarea({"rows": 2}), **common)
        form.fields[name] = field
    form.fields["note"] = forms.CharField(label=_("Reason for the change"), max_length=300)
    return form
