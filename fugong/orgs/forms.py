from django import forms
from django.utils.translation import gettext_lazy as _

from fugong.geo.models import Division

from .models import Department, Enterprise, IndustrySection


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or credit code"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    section = forms.ChoiceField(label=_("Industry"), required=False)
    scale = forms.ChoiceField(
        label=_("Scale"), required=False, choices=[("", "—"), *Enterprise.Scale.choices]
    )
    department = forms.ChoiceField(label=_("Department"), required=False)
    key_only = forms.BooleanField(label=_("Key enterprises only"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "—")] + [
            (d.code, d.name) for d in Division.objects.filter(level=Division.Level.DISTRICT)
        ]
        self.fields["section"].choices = [("", "—")] + [
            (s.code, f"{s.code} {s}") for s in IndustrySection.objects.all()
        ]
        self.fields["department"].choices = [("", "—")] + [
            (d.code, str(d)) for d in Department.objects.all()
        ]
