from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.domain import games
from accord.incentives.models import (
    MAX_HORIZON_DAYS,
    MAX_NOISE,
    MAX_REVIEW_INTERVAL_DAYS,
    MAX_REVIEWS,
    PAYOFF_LIMIT,
    PAYOFF_NAMES,
    IncentiveModel,
)
from accord.partnerships.models import Partnership, Visibility

PAYOFF_HELP = {
    "temptation": _("T: it withholds while the partner contributes."),
    "reward": _("R: both contribute."),
    "punishment": _("P: both withhold."),
    "sucker": _("S: it contributes while the partner withholds."),
}
PAYOFF_LABEL = {
    "temptation": _("Temptation T"),
    "reward": _("Reward R"),
    "punishment": _("Punishment P"),
    "sucker": _("Sucker's payoff S"),
}


def _payoff_field(name: str) -> forms.FloatField:
    return forms.FloatField(
        label=PAYOFF_LABEL[name],
        help_text=PAYOFF_HELP[name],
        min_value=-PAYOFF_LIMIT,
        max_value=PAYOFF_LIMIT,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class IncentiveModelForm(forms.Form):
    """The fields of an incentive model; noise is entered in percent, as people say it."""

    name = forms.CharField(max_length=120, label=_("Name"))
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        label=_("Who sees it"),
        help_text=_(
            "The joint model is the analysis both parties see (one per pair). An internal "
            "scenario is your organization's private what-if."
        ),
    )
    first_party = forms.ModelChoiceField(queryset=None, label=_("Party"), empty_label=None)
    second_party = forms.ModelChoiceField(queryset=None, label=_("Partner"), empty_label=None)
    payoff_unit = forms.CharField(
        max_length=40,
        required=False,
        label=_("Unit of the payoffs"),
        help_text=_("What they count, e.g. “k€ per quarter” or “points”."),
    )
    payoff_source = forms.ChoiceField(
        choices=IncentiveModel.PayoffSource.choices, widget=forms.HiddenInput
    )
    horizon_source = forms.ChoiceField(
        choices=IncentiveModel.HorizonSource.choices,
        widget=forms.RadioSelect,
        label=_("Horizon"),
    )
    horizon_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_HORIZON_DAYS,
        label=_("Horizon in days"),
        help_text=_("How far ahead the parties plan, e.g. 1095 for three years."),
    )
    review_interval_days = forms.IntegerField(
        min_value=1,
        max_value=MAX_REVIEW_INTERVAL_DAYS,
        label=_("Days between reviews"),
        help_text=_("7 weekly, 30 monthly, 91 quarterly, 182 twice a year."),
    )
    noise_percent = forms.FloatField(
        min_value=0,
        max_value=100 * MAX_NOISE,
        label=_("Misread moves (%)"),
        help_text=_(
            "The share of contributions taken for withholding, or the other way round: late "
            "reports, unclear deliverables, rumours. 0 to 50."
        ),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Notes")
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        partnership: Partnership,
        creating: bool,
        visibilities: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for seat in ("first", "second"):
            for name in PAYOFF_NAMES:
                self.fields[f"{seat}_{name}"] = _payoff_field(name)
        parties = partnership.parties.select_related("organization").order_by("pk")
        for field in ("first_party", "second_party"):
            self.fields[field].queryset = parties  # type: ignore[attr-defined]
            self.fields[field].label_from_instance = (  # type: ignore[attr-defined]
                lambda party: party.organization.name
            )
        self.fields["visibility"].choices = [
            (value, label) for value, label in Visibility.choices if value in visibilities
        ]
        if not creating:
            for field in ("visibility", "first_party", "second_party"):
                del self.fields[field]

    @property
    def first_seat(self) -> list[forms.BoundField]:
        return [self[f"first_{name}"] for name in PAYOFF_NAMES]

    @property
    def second_seat(self) -> list[forms.BoundField]:
        return [self[f"second_{name}"] for name in PAYOFF_NAMES]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["noise"] = data.pop("noise_percent") / 100
        data.pop("version", None)
        return data


class WhatIfForm(forms.Form):
    """The what-if mechanisms, each zero unless moved; read from the query string."""

    extra_reviews = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_REVIEWS,
        initial=0,
        label=_("Longer horizon: extra reviews"),
        help_text=_("A longer term, or more frequent reviews."),
    )
    noise_reduction = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        initial=0,
        label=_("Transparency: misreadings removed (%)"),
        help_text=_("Shared reporting, joint dashboards, early notice."),
        widget=forms.NumberInput(attrs={"type": "range", "step": 5}),
    )
    withholding_penalty = forms.FloatField(
        required=False,
        min_value=0,
        max_value=PAYOFF_LIMIT,
        initial=0,
        label=_("Credible consequences: penalty per withholding"),
        help_text=_("Lowers T and P by this much."),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    hostage_bond = forms.FloatField(
        required=False,
        min_value=0,
        max_value=PAYOFF_LIMIT,
        initial=0,
        label=_("Balanced hostages: bond forfeited to the partner"),
        help_text=_("Lowers T and raises S by this much."),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    joint_bonus = forms.FloatField(
        required=False,
        min_value=0,
        max_value=PAYOFF_LIMIT,
        initial=0,
        label=_("Collective rewards: bonus when both contribute"),
        help_text=_("Raises R by this much."),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    first_strategy = forms.ChoiceField(
        required=False,
        choices=[(s.value, s.label) for s in games.STRATEGIES],
        initial=games.Strategy.TIT_FOR_TAT.value,
    )
    second_strategy = forms.ChoiceField(
        required=False,
        choices=[(s.value, s.label) for s in games.STRATEGIES],
        initial=games.Strategy.TIT_FOR_TAT.value,
    )

    def mechanisms(self) -> games.Mechanisms:
        data = self.cleaned_data
        return games.Mechanisms(
            extra_reviews=float(data.get("extra_reviews") or 0),
            noise_reduction=(data.get("noise_reduction") or 0) / 100,
            withholding_penalty=float(data.get("withholding_penalty") or 0),
            hostage_bond=float(data.get("hostage_bond") or 0),
            joint_bonus=float(data.get("joint_bonus") or 0),
        )

    def pair(self) -> tuple[games.Strategy, games.Strategy]:
        data = self.cleaned_data
        return (
            games.parse_strategy(data.get("first_strategy") or "tit_for_tat"),
            games.parse_strategy(data.get("second_strategy") or "tit_for_tat"),
        )
