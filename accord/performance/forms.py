from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.partnerships.access import OWNER_ONLY, user_organization
from accord.partnerships.models import Participant, Partnership, Party, Visibility
from accord.performance import parsing
from accord.performance.feeds import FEED_NOT_RELATIONSHIP
from accord.performance.models import Metric
from accord.performance.services import METRIC_FIELDS, threshold_errors


class DateInput(forms.DateInput):
    input_type = "date"


class PartyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Party) -> str:
        return obj.organization.name


def _parties(partnership: Partnership) -> Any:
    return Party.objects.filter(partnership=partnership).select_related("organization")


class MetricForm(forms.ModelForm):  # type: ignore[type-arg]
    owner_party = PartyChoice(queryset=Party.objects.none(), label=_("Owner party"))

    class Meta:
        model = Metric
        fields = list(METRIC_FIELDS)
        labels = {"amber_threshold": _("Amber threshold"), "red_threshold": _("Red threshold")}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, partnership: Partnership, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_party"].queryset = _parties(partnership)
        org = user_organization(user)
        own = _parties(partnership).filter(organization=org).first()
        if own is not None and not self.instance.pk:
            self.initial.setdefault("owner_party", own.pk)
        self.fields["visibility"].help_text = _(
            "Internal metrics and their values are seen only by your organization."
        )
        if self.instance.pk and self.instance.owner_org_id != getattr(org, "pk", None):
            for name in ("visibility", "owner_party"):
                self.fields[name].disabled = True
                self.fields[name].help_text = OWNER_ONLY
        self.fields["target"].help_text = _("Must be above zero.")
        self.fields["amber_threshold"].help_text = _(
            "Green up to here: with higher-is-better, values at or above it are green."
        )
        self.fields["red_threshold"].help_text = _(
            "Beyond it the metric is red; between the two thresholds it is amber."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(n) is not None for n in ("target", "amber_threshold", "red_threshold")):
            for name, message in threshold_errors(
                direction=data.get("direction", ""),
                target=data["target"],
                amber_threshold=data["amber_threshold"],
                red_threshold=data["red_threshold"],
            ).items():
                self.add_error(name, message)
        if data.get("feed") and data.get("category") != "relationship":
            self.add_error("feed", FEED_NOT_RELATIONSHIP)
        return data

    def _post_clean(self) -> None:  # the service validates uniqueness and constraints
        pass

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in METRIC_FIELDS}


class AdoptForm(forms.Form):
    owner_party = PartyChoice(queryset=Party.objects.none(), label=_("Owner party"))
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.JOINT)

    def __init__(self, *args: Any, partnership: Partnership, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_party"].queryset = _parties(partnership)
        own = _parties(partnership).filter(organization=user_organization(user)).first()
        if own is not None:
            self.initial["owner_party"] = own.pk


class PeriodField(forms.CharField):
    def clean(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return parsing.parse_period(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class ObservationForm(forms.Form):
    period = PeriodField(
        max_length=10, help_text=_("YYYY-MM-DD, YYYY-MM or YYYY-Qn (e.g. 2026-03 or 2026-Q1).")
    )
    value = forms.CharField(max_length=40)
    note = forms.CharField(max_length=500, required=False)

    def clean_value(self) -> float:
        try:
            return parsing.parse_value(self.cleaned_data["value"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class UserChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Participant) -> str:
        return f"{obj.user.get_full_name() or obj.user.username} ({obj.organization.name})"


class ActionForm(forms.Form):
    title = forms.CharField(max_length=200)
    owner = UserChoice(queryset=Participant.objects.none(), label=_("Owner"))
    due_on = forms.DateField(widget=DateInput, label=_("Due date"))

    def __init__(self, *args: Any, partnership: Partnership, metric: Metric, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Participant.objects.filter(
            partnership=partnership,
            role__in=[
                Participant.Role.SPONSOR,
                Participant.Role.ALLIANCE_MANAGER,
                Participant.Role.MEMBER,
            ],
        ).select_related("user", "organization")
        if metric.visibility == Visibility.INTERNAL:
            people = people.filter(organization=metric.owner_org)
        self.fields["owner"].queryset = people
        self.initial.setdefault("title", f"Bring {metric.name} back on target")
        self.initial.setdefault("due_on", date.today() + timedelta(days=30))
        owner = people.filter(organization=metric.owner_party.organization).first()
        if owner is not None:
            self.initial.setdefault("owner", owner.pk)
