from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accord.partnerships.models import (
    DEFAULT_ESCALATION_WINDOWS,
    MINIMUM_ANONYMITY_K,
    Membership,
    Participant,
    Partnership,
)
from accord.partnerships.services import K_TOO_SMALL, validate_settings

WINDOW_LABELS = {
    "operational_leads": _("Operational leads (days)"),
    "alliance_managers": _("Alliance managers (days)"),
    "executive_sponsors": _("Executive sponsors (days)"),
    "neutral_facilitation": _("Neutral facilitation (days)"),
}


class DateInput(forms.DateInput):
    input_type = "date"


class PartnershipForm(forms.ModelForm):  # type: ignore[type-arg]
    anonymity_k = forms.IntegerField(
        min_value=MINIMUM_ANONYMITY_K,
        max_value=50,
        initial=MINIMUM_ANONYMITY_K,
        label=_("Anonymity threshold (k)"),
        error_messages={"min_value": K_TOO_SMALL},
        help_text=_("Survey results are shown only for groups of at least k respondents (≥ 3)."),
    )
    notice_lead_days = forms.IntegerField(
        min_value=0,
        max_value=365,
        initial=30,
        label=_("Notice lead time (days)"),
        help_text=_("Agreed advance notice for changes; shorter notice is flagged."),
    )

    class Meta:
        model = Partnership
        fields = [
            "name",
            "purpose",
            "continuum_stage",
            "status",
            "start_date",
            "end_date",
            "anonymity_k",
            "notice_lead_days",
            "restrict_participant_lists",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (
            self.instance.escalation_windows if self.instance.pk else DEFAULT_ESCALATION_WINDOWS
        )
        for tier, label in WINDOW_LABELS.items():
            self.fields[f"window_{tier}"] = forms.IntegerField(
                min_value=1, max_value=365, initial=current.get(tier), label=label
            )

    def window_fields(self) -> list[Any]:
        return [self[f"window_{tier}"] for tier in WINDOW_LABELS]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        windows = {tier: data.get(f"window_{tier}") for tier in WINDOW_LABELS}
        if all(isinstance(v, int) for v in windows.values()):
            data["escalation_windows"] = windows
        try:
            validate_settings(data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for tier in WINDOW_LABELS:
            data.pop(f"window_{tier}", None)
        return data


class OrganizationInviteForm(forms.Form):
    email = forms.EmailField()
    membership_role = forms.ChoiceField(
        choices=Membership.Role.choices, initial=Membership.Role.MEMBER, label=_("Role")
    )


class PartyInviteForm(forms.Form):
    organization_name = forms.CharField(max_length=200, label=_("Partner organization"))
    email = forms.EmailField(label=_("Their alliance manager's e-mail"))
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ParticipantInviteForm(forms.Form):
    email = forms.EmailField()
    participant_role = forms.ChoiceField(choices=Participant.Role.choices, label=_("Role"))
    organization_name = forms.CharField(
        max_length=200,
        required=False,
        label=_("Facilitator's organization"),
        help_text=_("Only for a neutral facilitator from outside the parties."),
    )
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        facilitator = data.get("participant_role") == Participant.Role.FACILITATOR
        if facilitator and not data.get("organization_name"):
            self.add_error("organization_name", _("Name the facilitator's organization."))
        return data


class NewAccountForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    unit = forms.CharField(
        max_length=120, required=False, label=_("Department or unit"), help_text=_("Optional.")
    )
    password1 = forms.CharField(widget=forms.PasswordInput, label=_("Password"))
    password2 = forms.CharField(widget=forms.PasswordInput, label=_("Password again"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except ValidationError as error:
                self.add_error("password1", error)
        return data
