from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fugong.lib.errors import FieldError
from fugong.people.actions import PHONE_TYPED_LENGTH, clean_phone


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class PhoneChangeForm(forms.Form):
    """An employee's new phone number, checked as on the roster forms, and their password."""

    phone = forms.CharField(
        label=_("New phone number"),
        max_length=PHONE_TYPED_LENGTH,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_phone(self) -> str:
        try:
            return clean_phone(self.cleaned_data["phone"])
        except FieldError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Your password is not correct."))
        return password
