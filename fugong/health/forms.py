from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fugong.geo.forms import PlaceField
from fugong.geo.models import Division
from fugong.lib.forms import DateInput
from fugong.lib.text import has_line_controls, line_controls_message

from .models import SYMPTOMS, CaseRecord, QualityFlag, RiskLevel, TravelRecord, WorkMode

ELSEWHERE = _("Elsewhere in China (name the place below)")  # the choice the box goes with


def location_choices() -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = [("", "—")]
    for d in Division.objects.filter(
        level__in=[Division.Level.DISTRICT, Division.Level.TOWNSHIP]
    ).order_by("code"):
        prefix = "" if d.level == Division.Level.DISTRICT else "· "
        choices.append((d.code, prefix + d.name))
    choices.append(("other", str(ELSEWHERE)))
    return choices


class TemperatureField(forms.DecimalField):
    """A decimal whose trailing zeros are not decimals: 36.50 is 36.5 (Django counts them and
    refused it), 36.55 is still refused."""

    def to_python(self, value: Any) -> Decimal | None:
        number = super().to_python(value)
        if number is None or self.decimal_places is None:
            return number
        try:
            rounded = number.quantize(Decimal(1).scaleb(-self.decimal_places))
        except InvalidOperation:  # infinite, or too large to round: validate() says why
            return number
        return rounded if rounded == number else number


class CheckInForm(forms.Form):
    temperature = TemperatureField(
        label=_("Temperature (°C)"),
        min_value=34,
        max_value=43,
        decimal_places=1,
        widget=forms.NumberInput(
            attrs={"step": "0.1", "inputmode": "decimal", "min": "34", "max": "43"}
        ),
        # The API's words for the same checks (actions.clean_temperature), not Django's.
        error_messages={
            "required": _("The temperature is required, in °C."),
            "invalid": _("The temperature must be a number in °C."),
            "min_value": _("The temperature must be between 34.0 and 43.0 °C."),
            "max_value": _("The temperature must be between 34.0 and 43.0 °C."),
            "max_decimal_places": _("Give the temperature with one decimal place."),
            "max_digits": _("The temperature must be between 34.0 and 43.0 °C."),
            "max_whole_digits": _("The temperature must be between 34.0 and 43.0 °C."),
        },
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms today"),
        choices=SYMPTOMS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    location = forms.ChoiceField(
        label=_("Where are you today?"),
        error_messages={"required": _("Choose where you are today.")},
    )
    other_location = PlaceField(
        label=_("If elsewhere: the county or district, by name or code"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "武汉市武昌区 / 420106"}),
    )
    close_contact = forms.TypedChoiceField(
        label=_("Contact with a confirmed or suspected case recently?"),  # days: __init__
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    work_mode = forms.ChoiceField(
        label=_("How do you work today?"),
        choices=WorkMode.choices,
        widget=forms.RadioSelect,
        initial=WorkMode.ONSITE,
    )
    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, employers: list[Any] | None = None, **kwargs: Any) -> None:
        from .policies import HEALTH

        super().__init__(*args, **kwargs)
        self.employers = {str(e.pk): e for e in employers or ()}
        if len(self.employers) > 1:  # on several rosters: each board counts its own check-ins
            self.fields["employer"] = forms.ChoiceField(
                label=_("Checking in for"),
                choices=[(pk, e.name) for pk, e in self.employers.items()],
                widget=forms.RadioSelect,
            )
        self.fields["location"].choices = location_choices()
        # The window is the policy's close-contact observation, which the command centre edits.
        self.fields["close_contact"].label = _(
            "Contact with a confirmed or suspected case in the last %(days)d days?"
        ) % {"days": int(HEALTH.current()["close_contact_days"])}

    @classmethod
    def for_person(cls, person: Any, employers: list[Any], employer: Any) -> CheckInForm:
        """A new check-in for ``employer``, "where are you" set to the person's home township or
        district when it is one of the city's. Someone living elsewhere chooses: their home
        county is seldom where a worker on this city's roster is on a working day, nor is the
        city's first district."""
        form = cls(
            initial={"client_id": uuid.uuid4(), "employer": str(employer.pk)}, employers=employers
        )
        options = {code for code, _label in form.fields["location"].choices}
        home = person.home_code
        form.initial["location"] = next((c for c in (home[:9], home[:6]) if c in options), "")
        return form

    def clean(self) -> dict:
        data = super().clean()
        if data.get("location") == "other":
            code = data.get("other_location")
            if "other_location" in self.errors:
                pass  # the box's own error (no such place) says it
            elif not code:
                self.add_error("other_location", _("Name the place where you are."))
            else:
                data["location"] = code
        elif data.get("location") and self.data.get(self.add_prefix("other_location"), "").strip():
            # A place typed in the box (always shown without JavaScript) with a division of the
            # city chosen above would be dropped without a word.
            self.add_error(
                "other_location",
                _("To give this place, choose “%(option)s” above; otherwise clear this box.")
                % {"option": ELSEWHERE},
            )
        return data

    def employer(self) -> Any:
        """The enterprise checked in for: the one chosen, or the only one."""
        chosen = self.cleaned_data.get("employer")
        return self.employers[chosen] if chosen else next(iter(self.employers.values()))

    def as_payload(self) -> dict:
        d = self.cleaned_data
        return {
            "date": None,
            "temperature": d["temperature"],
            "symptoms": list(d["symptoms"]),
            "location": d["location"],
            "close_contact": d["close_contact"],
            "work_mode": d["work_mode"],
            "client_id": str(d["client_id"]),
        }


class IdentityForm(forms.Form):
    id_tail = forms.CharField(
        label=_("Last 6 characters of your ID number"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class RiskLevelForm(forms.Form):
    code = PlaceField(
        areas=True,
        label=_("Place"),
        help_text=_("A province, a prefecture, a county or a place of this city, by name or code."),
    )
    level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.Level.choices)
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TravelRecordForm(forms.Form):
    """Where a person came from, when and how (entering and correcting a travel record)."""

    origin_code = PlaceField(
        label=_("Coming from"),
        help_text=_(
            "A place of this city or a county of China, by name (e.g. 武汉市武昌区) or code "
            "(e.g. 420106)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    arrival_date = forms.DateField(
        label=_("Arrival date"),
        widget=DateInput(),
    )
    means = forms.ChoiceField(label=_("Means of travel"), choices=TravelRecord.Means.choices)

    @classmethod
    def for_record(cls, travel: TravelRecord, data: Any = None) -> TravelRecordForm:
        return cls(
            data,
            initial={
                "origin_code": travel.origin_code,
                "arrival_date": travel.arrival_date,
                "means": travel.means,
            },
        )


class TravelForm(TravelRecordForm):
    """A new travel record: the person is named by their ID number (POSTed, never in a URL)."""

    field_order = ["id_number", "origin_code", "arrival_date", "means"]

    id_number = forms.CharField(
        label=_("ID number"), max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class CaseForm(forms.Form):
    id_number = forms.CharField(
        label=_("ID number"), max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseRecord.Kind.choices)
    since = forms.DateField(
        label=_("Since (for a close contact: the last contact)"),
        widget=DateInput(),
    )


class FlagReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=QualityFlag.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False, strip=True)

    def clean_note(self) -> str:
        note = self.cleaned_data["note"]
        if has_line_controls(note):
            raise forms.ValidationError(line_controls_message(note))
        return note
