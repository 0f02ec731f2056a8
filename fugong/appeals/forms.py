from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fugong.geo.models import Division
from fugong.lib.dates import business_today
from fugong.lib.forms import DateInput
from fugong.orgs.models import Department, IndustrySection

from .models import Category, Rating, Status, Urgency


def _departments(blank: bool = True) -> list[tuple[str, str]]:
    choices = [(d.code, d.name) for d in Department.objects.all()]
    return [("", "—"), *choices] if blank else choices


class AppealForm(forms.Form):
    enterprise = forms.ChoiceField(label=_("Enterprise"), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    detail = forms.CharField(label=_("Detail"), widget=forms.Textarea({"rows": 4}), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=0,
        required=False,
        help_text=_("Where relevant: 20000 masks, 150 workers…"),
    )
    counterpart = forms.CharField(
        label=_("Counterpart"),
        max_length=100,
        required=False,
        help_text=_("A supplier's credit code, a route, a bank…"),
    )

    def __init__(self, *args: Any, enterprises: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if enterprises is None:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].required = True
            self.fields["enterprise"].choices = [("", "—")] + [
                (str(e.pk), e.name) for e in enterprises
            ]


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("accept", "transfer", "cohandle", "answer", "close", "reopen",
                                  "note")]
    )  # fmt: skip
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea)
    to_department = forms.CharField(label=_("Department"), required=False)
    rating = forms.ChoiceField(
        label=_("Rating"), required=False, choices=[("", "—"), *Rating.choices]
    )


class AppealFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    flagged = forms.BooleanField(label=_("Flagged only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "—"), *Status.choices]
        self.fields["category"].choices = [("", "—"), *Category.choices]
        self.fields["department"].choices = [
            ("", "—"), ("desk", _("Command centre desk")), *_departments(blank=False)
        ]  # fmt: skip
        self.fields["district"].choices = [("", "—")] + [
            (d.code, d.name) for d in Division.objects.filter(level=Division.Level.DISTRICT)
        ]


class RoutingRuleForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    section = forms.ChoiceField(label=_("Industry section"), required=False)
    industry = forms.CharField(
        label=_("Industry division (2 digits)"), max_length=2, required=False
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    department = forms.ChoiceField(label=_("Department"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("any")), *Category.choices]
        self.fields["section"].choices = [("", _("any"))] + [
            (s.code, f"{s.code} {s}") for s in IndustrySection.objects.all()
        ]
        self.fields["district"].choices = [("", _("any"))] + [
            (d.code, d.name) for d in Division.objects.filter(level=Division.Level.DISTRICT)
        ]
        self.fields["department"].choices = _departments(blank=False)

    def clean_industry(self) -> str:
        value = self.cleaned_data["industry"].strip()
        if value and not (len(value) == 2 and value.isdigit()):
            raise forms.ValidationError(_("An industry division is two digits, e.g. 38."))
        return value


class LeaderForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"))
    username = forms.CharField(label=_("Responsible leader (user name)"), max_length=150)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _departments(blank=False)


class VisitForm(forms.Form):
    enterprise = forms.ChoiceField(label=_("Enterprise"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    met = forms.CharField(label=_("Who was met"), max_length=100)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea({"rows": 4}))
    appeals = forms.MultipleChoiceField(
        label=_("Appeals raised in this visit"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, enterprises: list, appeals: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [("", "—")] + [(str(e.pk), e.name) for e in enterprises]
        self.fields["appeals"].choices = [
            (str(a.pk), f"{a.enterprise.name} · {a.title}") for a in appeals
        ]
        self.fields["date"].initial = business_today()


class BulkAssignForm(forms.Form):
    officer = forms.CharField(
        label=_("Liaison officer (user name)"),
        max_length=150,
        required=False,
        help_text=_("For the list below; the .xlsx names the officer on each row."),
    )
    codes = forms.CharField(
        label=_("Credit codes, one a line"),
        widget=forms.Textarea({"rows": 6}),
        required=False,
    )
    file = forms.FileField(
        label=_(".xlsx file (columns: officer user name, credit code)"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("file") and not (data.get("codes") or "").strip():
            raise forms.ValidationError(_("Paste a list of credit codes or choose an .xlsx file."))
        if (data.get("codes") or "").strip() and not data.get("officer"):
            self.add_error("officer", _("Name the officer the listed enterprises go to."))
        return data


class OfferForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    item = forms.CharField(label=_("What is offered"), max_length=100)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, required=False)
    provider = forms.CharField(label=_("Provider"), max_length=200)
    contact = forms.CharField(label=_("Contact"), max_length=100, required=False)
