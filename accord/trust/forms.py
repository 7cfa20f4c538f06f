from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.domain.trust import StageRules
from accord.trust import instruments
from accord.trust.models import Instrument, Item, SurveyRound


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value: Any) -> Any:
        if hasattr(value, "strftime"):
            from django.utils import timezone

            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class RoundForm(forms.Form):
    instrument = forms.ModelChoiceField(
        queryset=Instrument.objects.none(),
        label=_("Questionnaire"),
        empty_label=None,
        help_text=_("The latest version is used; it is fixed for this round once it opens."),
    )
    title = forms.CharField(max_length=200, label=_("Title"))
    opens_at = forms.DateTimeField(widget=DateTimeInput, label=_("Opens"))
    closes_at = forms.DateTimeField(widget=DateTimeInput, label=_("Closes"))
    include_observers = forms.BooleanField(
        required=False,
        label=_("Invite observers too"),
        help_text=_("Sponsors, alliance managers and team members of every party are invited."),
    )
    reminder_days = forms.IntegerField(
        min_value=1,
        max_value=60,
        initial=4,
        label=_("Remind non-respondents every (days)"),
    )
    allow_overlap = forms.BooleanField(
        required=False,
        label=_("Schedule it anyway"),
        help_text=_("People invited to both rounds will get two survey e-mails."),
    )

    def __init__(self, *args: Any, instruments: list[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["instrument"]
        field.queryset = Instrument.objects.filter(pk__in=[i.pk for i in instruments])  # type: ignore[attr-defined]
        field.label_from_instance = lambda i: (
            f"{i.name} (v{i.version}, {i.items.count()} statements)"
        )  # type: ignore[attr-defined]


class RoundEditForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    opens_at = forms.DateTimeField(widget=DateTimeInput, label=_("Opens"), required=False)
    closes_at = forms.DateTimeField(widget=DateTimeInput, label=_("Closes"))
    include_observers = forms.BooleanField(required=False, label=_("Invite observers too"))
    reminder_days = forms.IntegerField(
        min_value=1, max_value=60, label=_("Remind non-respondents every (days)")
    )

    def __init__(self, *args: Any, survey: SurveyRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if survey.state() != SurveyRound.State.SCHEDULED:
            del self.fields["opens_at"]
            del self.fields["include_observers"]


def answer_field_name(party_id: int, item_key: str) -> str:
    return f"a-{party_id}-{item_key}"


class AnswerForm(forms.Form):
    """One radio group per (rated party, statement); every one must be answered."""

    def __init__(
        self, *args: Any, parties: list[Any], items: list[Item], points: int, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.parties, self.items = parties, items
        choices = [(str(v), str(v)) for v in range(1, points + 1)]
        for party in parties:
            for item in items:
                self.fields[answer_field_name(party.pk, item.key)] = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    label=item.text,
                    error_messages={"required": _("Please choose an answer.")},
                )

    def answers(self) -> dict[int, dict[str, int]]:
        return {
            party.pk: {
                item.key: self.cleaned_data[answer_field_name(party.pk, item.key)]
                for item in self.items
            }
            for party in self.parties
        }

    def rows(self, own_party_id: int | None = None) -> list[dict[str, Any]]:
        """Per rated party, its statements (with the party's name filled in) and bound fields."""
        out = []
        for party in self.parties:
            name = party.organization.name
            if party.pk == own_party_id:
                name = f"{name} (your own organization)"
            out.append(
                {
                    "party": party,
                    "items": [
                        {
                            "item": item,
                            "text": item.text.replace("{partner}", name),
                            "field": self[answer_field_name(party.pk, item.key)],
                        }
                        for item in self.items
                    ],
                }
            )
        return out


class ItemForm(forms.Form):
    key = forms.SlugField(
        max_length=80, label=_("Key"), help_text=_("Short and stable, e.g. goodwill.listens.")
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Statement"),
        help_text=_("Write {partner} where the rated party's name belongs."),
    )
    construct = forms.ChoiceField(label=_("Measures"))
    reverse = forms.BooleanField(
        required=False,
        label=_("Worded against the construct (reverse-scored)"),
    )
    low_anchor = forms.CharField(max_length=300, required=False, label=_("Label of 1"))
    high_anchor = forms.CharField(max_length=300, required=False, label=_("Label of the top point"))
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Note to respondents (optional)"),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["construct"].choices = [  # type: ignore[attr-defined]
            (c, instruments.CONSTRUCT_LABELS[c]) for c in instruments.CONSTRUCTS[kind]
        ]


STAGE_RULE_LABELS = {
    "min_small_exchanges": _("Verification: small exchanges completed (at least)"),
    "min_competence_trust": _("Verification: lowest competence trust (at least, 1–7)"),
    "min_on_time_rate": _("Reinforcement: on-time delivery share per period (0–1)"),
    "min_on_time_periods": _("Reinforcement: periods in a row at that rate"),
    "max_communication_gap_days": _("Reinforcement: longest silence allowed (days)"),
    "min_contractual_trust": _("Reinforcement: lowest contractual trust (at least, 1–7)"),
    "min_scope_growth": _("Expansion: growth of joint scope over a year (0.1 = 10 %)"),
    "min_goodwill_trust": _("Expansion: lowest goodwill trust (at least, 1–7)"),
    "min_people_per_party": _("Institutionalization: people per party (at least)"),
    "min_units_per_party": _("Institutionalization: units per party (at least)"),
    "max_trust_drop_after_staff_change": _(
        "Institutionalization: largest fall in trust after a key person leaves (points)"
    ),
}


class StageRulesForm(forms.Form):
    def __init__(self, *args: Any, rules: StageRules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in dataclasses.fields(StageRules):
            value = getattr(rules, f.name)
            field_class = forms.IntegerField if isinstance(value, int) else forms.FloatField
            self.fields[f.name] = field_class(
                label=STAGE_RULE_LABELS.get(f.name, f.name), initial=value, min_value=0
            )
