"""Forms of the account pages: the extra sign-up fields, the profile, access tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from imas.accounts import validators
from imas.accounts.models import ActivityType, Gender, User
from imas.accounts.services import PROFILE_FIELDS

# Fields the sign-up form adds to allauth's email and password (saved by AccountAdapter).
SIGNUP_PROFILE_FIELDS = ("name", "birthday", "height_cm", "weight_kg", "gender", "activity_type")


def _policy_label() -> str:
    return format_html(
        '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
        _("I have read and accept the"),
        reverse_lazy("privacy_policy"),
        _("privacy policy"),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _choices_with_blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("Choose…")), *choices]


class BodyFieldsMixin(forms.Form):
    """Body fields with the same rules as the model, so the message names the field early."""

    birthday = forms.DateField(
        label=_("Birthday"),
        widget=DateInput(attrs={"autocomplete": "bday"}),
        validators=[validators.validate_birthday],
        help_text=_("You must be at least 16."),
    )
    height_cm = forms.FloatField(
        label=_("Height (cm)"),
        validators=[validators.validate_height_cm],
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        help_text=_("Between 50 and 250 cm."),
    )
    weight_kg = forms.FloatField(
        label=_("Weight (kg)"),
        validators=[validators.validate_weight_kg],
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        help_text=_("Between 20 and 350 kg."),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=_choices_with_blank(Gender.choices))
    activity_type = forms.ChoiceField(
        label=_("Main activity"), choices=_choices_with_blank(ActivityType.choices)
    )


class SignupExtraForm(BodyFieldsMixin):
    """What IMAS asks at sign-up beyond email and password (allauth's SIGNUP_FORM_CLASS)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("How IMAS addresses you, e.g. in emails."),
    )
    accept_privacy_policy = forms.BooleanField(
        label=lazy(_policy_label, str)(),
        required=True,
        error_messages={"required": _("You must accept the privacy policy to create an account.")},
    )
    consent_body_data = forms.BooleanField(
        label=_(
            "Use my birthday, height, weight and gender to calculate calories, heart-rate zones "
            "and training load."
        ),
        required=False,
        initial=False,
        help_text=_(
            "Optional. Without it these figures are not calculated. You can change it "
            "at any time on your profile."
        ),
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        """Required by allauth; the fields are saved with the user in AccountAdapter.save_user."""


class ProfileForm(forms.ModelForm[User]):
    """Everything a person can edit about themselves; consents are recorded, not stored here."""

    consent_body_data = forms.BooleanField(
        label=_("Use my body data (birthday, height, weight, gender) in calculations"),
        required=False,
    )
    consent_health_data = forms.BooleanField(
        label=_("Use my heart-rate data in calculations"), required=False
    )

    class Meta:
        model = User
        fields = list(PROFILE_FIELDS)
        widgets = {
            "birthday": DateInput(),
            "height_cm": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            "weight_kg": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = forms.ChoiceField(
            label=_("Time zone"),
            choices=[(name, name) for name in validators.time_zone_names()],
        )
        self.fields["gender"] = forms.ChoiceField(
            label=_("Gender"), required=False, choices=[("", _("Not given")), *Gender.choices]
        )
        self.fields["activity_type"] = forms.ChoiceField(
            label=_("Main activity"),
            required=False,
            choices=[("", _("Not given")), *ActivityType.choices],
        )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say where it is used, e.g. “upload script on my laptop”."),
    )
