from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.domain import decision_rights as dr
from accord.governance import selectors
from accord.governance.models import DecisionDomain, GovernanceSettings, JointBody, Mode, Stance
from accord.governance.services import OBJECTION_NEEDS_REASON, OVERRIDE_REASON_REQUIRED
from accord.partnerships.access import PeopleLens
from accord.partnerships.models import Partnership, Party


class DateInput(forms.DateInput):
    input_type = "date"


class DomainForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("What it covers"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


def _score_field(label: str, help_text: str) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        min_value=dr.SCORE_MIN,
        max_value=dr.SCORE_MAX,
        help_text=help_text,
        error_messages={
            "min_value": dr.SCORE_OUT_OF_RANGE,
            "max_value": dr.SCORE_OUT_OF_RANGE,
            "invalid": dr.SCORE_OUT_OF_RANGE,
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "5"}),
    )


class ScoresForm(forms.Form):
    expertise = _score_field(_("Expertise"), _("0 none – 5 world-class"))
    resources = _score_field(_("Resources"), _("0 none – 5 all that is needed"))
    risk_exposure = _score_field(_("Risk exposure"), _("0 nothing to lose – 5 existential"))
    strategic_importance = _score_field(
        _("Strategic importance"), _("0 peripheral – 5 core to our strategy")
    )


class FlagsForm(forms.Form):
    frequent_operational_choices = forms.BooleanField(
        label=_("Frequent operational choices"), required=False
    )
    has_joint_team = forms.BooleanField(label=_("A joint team works here"), required=False)


class BodyChoiceForm(forms.Form):
    joint_body = forms.ModelChoiceField(
        queryset=JointBody.objects.none(), required=False, label=_("Joint body")
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["joint_body"].queryset = JointBody.objects.filter(partnership=partnership)


class PartyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Party) -> str:
        return obj.organization.name


class OverrideForm(forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)
    owner_party = PartyChoiceField(
        queryset=Party.objects.none(),
        required=False,
        label=_("Owner party"),
        help_text=_("For independent and consultative domains."),
    )
    joint_body = forms.ModelChoiceField(
        queryset=JointBody.objects.none(),
        required=False,
        label=_("Joint body"),
        help_text=_("For delegated domains."),
    )
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": OVERRIDE_REASON_REQUIRED},
        help_text=_("Recorded in the charter and the activity history."),
    )

    def __init__(
        self, *args: Any, partnership: Partnership, domain: DecisionDomain, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "mode": domain.mode,
                "owner_party": domain.owner_party_id,
                "joint_body": domain.joint_body_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["owner_party"].queryset = partnership.parties.select_related("organization")
        self.fields["joint_body"].queryset = JointBody.objects.filter(partnership=partnership)


class ParticipantChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    lens: PeopleLens | None = None

    def label_from_instance(self, obj: Any) -> str:
        name = obj.user.get_full_name() or obj.user.get_username()
        shown = self.lens.name(obj.user) if self.lens is not None else name
        if shown != name:  # a hidden person: the label already names the organization
            return f"{shown}, {obj.get_role_display()}"
        return f"{name} — {obj.organization.name}, {obj.get_role_display()}"


class JointBodyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    mandate = forms.CharField(
        label=_("Mandate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the body may decide, and within which limits."),
    )
    quorum = forms.IntegerField(
        label=_("Quorum"),
        min_value=1,
        max_value=100,
        initial=2,
        help_text=_("Votes for or against needed before the body can decide."),
    )
    members = ParticipantChoices(
        queryset=JointBody.objects.none(),
        label=_("Members"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People from at least two parties."),
    )

    def __init__(
        self, *args: Any, partnership: Partnership, viewer: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.body_candidates(partnership=partnership)
        self.fields["members"].lens = PeopleLens(viewer, partnership)  # type: ignore[attr-defined]


class SettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    consultation_days = forms.IntegerField(
        label=_("Consultation window (days)"),
        min_value=1,
        max_value=90,
        help_text=_("How long other parties have to give input on a consultative decision."),
    )

    class Meta:
        model = GovernanceSettings
        fields = ["hide_stances_until_closed", "consultation_days"]
        labels = {"hide_stances_until_closed": _("Hide other parties' stances until closed")}


class DomainChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: DecisionDomain) -> str:
        return f"{obj.label} — {Mode(obj.mode).label.lower()}, {obj.decider_label()}"


class ProposalForm(forms.Form):
    domain = DomainChoiceField(queryset=DecisionDomain.objects.none(), label=_("Decision domain"))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Proposal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you propose, why, and what it costs or changes."),
    )
    consultation_days = forms.IntegerField(
        label=_("Consultation window (days)"),
        min_value=1,
        max_value=90,
        required=False,
        help_text=_("Consultative domains only: how long the other parties have to give input."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = selectors.domains(partnership=partnership)


class StanceForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your stance"), choices=Stance.Choice.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you object."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("choice") == Stance.Choice.OBJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", OBJECTION_NEEDS_REASON)
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your party's input"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RequestInputForm(forms.Form):
    days = forms.IntegerField(label=_("Window (days)"), min_value=1, max_value=90)


class DecideForm(forms.Form):
    statement = forms.CharField(
        label=_("What was decided"), widget=forms.Textarea(attrs={"rows": 3})
    )
    review_on = forms.DateField(
        label=_("Review on"),
        required=False,
        widget=DateInput,
        help_text=_("When to look at this decision again."),
    )
