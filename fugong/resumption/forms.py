from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fugong.lib.dates import business_today
from fugong.lib.forms import DateInput
from fugong.orgs.models import Enterprise

from . import checklist as checklist_rules
from .actions import ApplicationData


def _number(value: Any) -> Any:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def add_item_fields(form: forms.Form, initial: dict[str, Any] | None = None) -> None:
    for item in checklist_rules.items():
        name = f"item_{item.code}"
        value = (initial or {}).get(item.code)
        if item.kind == "bool":
            form.fields[name] = forms.BooleanField(
                label=item.label, required=False, initial=value is True
            )
        else:
            need = item.required
            if item.comparison == "max":
                help_text = _("At most %(n)s") % {"n": need}
            elif item.per_staff:
                help_text = _("At least %(n)s, and one per %(per)s staff") % {
                    "n": need,
                    "per": item.per_staff,
                }
            else:
                help_text = _("At least %(n)s") % {"n": need}
            form.fields[name] = forms.DecimalField(
                label=item.label,
                required=False,
                min_value=0,
                initial=value,
                help_text=help_text,
                max_digits=8,
                decimal_places=2,
            )


def item_answers(form: forms.Form) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in checklist_rules.items():
        value = form.cleaned_data.get(f"item_{item.code}")
        answers[item.code] = bool(value) if item.kind == "bool" else _number(value)
    return answers


class ApplicationForm(forms.Form):
    planned_date = forms.DateField(label=_("Planned date of resumption"), widget=DateInput())
    staff_planned = forms.IntegerField(label=_("Staff planned on site"), min_value=0)
    staff_from_outside = forms.IntegerField(
        label=_("Of whom arriving from outside the city"), min_value=0, initial=0
    )
    staff_from_risk_areas = forms.IntegerField(
        label=_("Of whom arriving from risk areas"), min_value=0, initial=0
    )

    def __init__(self, *args: Any, checklist: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "planned_date" not in self.initial:
            self.initial["planned_date"] = business_today()
        add_item_fields(self, checklist)
        for code, label in checklist_rules.attachment_kinds():
            self.fields[f"file_{code}"] = forms.FileField(
                label=label,
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
            )
        self.fields["commitment"] = forms.BooleanField(
            label=_(
                "I confirm the commitment letter (承诺书): the enterprise will carry out every "
                "measure above, report truthfully and accept inspection."
            ),
            required=False,
        )

    def item_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n.startswith("item_")]

    def file_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n.startswith("file_")]

    def data_for_action(self) -> ApplicationData:
        files = [
            (name.removeprefix("file_"), self.cleaned_data[name])
            for name in self.fields
            if name.startswith("file_") and self.cleaned_data.get(name)
        ]
        return ApplicationData(
            planned_date=self.cleaned_data["planned_date"],
            staff_planned=self.cleaned_data["staff_planned"],
            staff_from_outside=self.cleaned_data["staff_from_outside"] or 0,
            staff_from_risk_areas=self.cleaned_data["staff_from_risk_areas"] or 0,
            checklist=item_answers(self),
            commitment=bool(self.cleaned_data.get("commitment")),
            files=files,
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("return", _("Return for correction")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (required to reject)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for item in checklist_rules.items():
            self.fields[f"reason_{item.code}"] = forms.CharField(
                label=item.label, required=False, max_length=300
            )

    def reason_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n.startswith("reason_")]

    def reasons(self) -> dict[str, str]:
        return {
            n.removeprefix("reason_"): v
            for n, v in self.cleaned_data.items()
            if n.startswith("reason_") and v
        }


class InspectionForm(forms.Form):
    date = forms.DateField(label=_("Inspection date"), widget=DateInput())
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["date"] = business_today()
        add_item_fields(self)

    def item_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n.startswith("item_")]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"))
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = checklist_rules.attachment_kinds()


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Enterprise name or credit code"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any"))]
        + [
            ("submitted", _("Submitted")),
            ("returned", _("Returned for correction")),
            ("approved", _("Approved")),
            ("rejected", _("Rejected")),
        ],
    )
    route = forms.ChoiceField(
        label=_("Route"),
        required=False,
        choices=[("", _("Any")), ("standard", _("Standard")), ("commitment", _("Commitment"))],
    )
    waiting = forms.BooleanField(label=_("Waiting for my decision"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class DashboardForm(forms.Form):
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    division = forms.CharField(required=False, widget=forms.HiddenInput)
    scale = forms.ChoiceField(
        label=_("Scale class"),
        required=False,
        choices=[("", _("All enterprises"))] + list(Enterprise.Scale.choices),
    )

    def clean_date(self) -> Any:
        day = self.cleaned_data.get("date") or business_today()
        if day > business_today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day
