"""Forms for objectives and interventions. Choices are built per request from what the viewer may
see, so a form never lists another party's internal metric or commitment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accord.accountability.models import Commitment
from accord.interventions.models import Item, Objective, Submission
from accord.partnerships.models import Partnership, Visibility
from accord.performance.models import Metric


class LinkSelect(forms.SelectMultiple):
    """A multiple select that writes its options in Python instead of one template include per
    option: the same markup as Django's (value, label, ``selected``), whitespace aside. A
    partnership can have hundreds of commitments to link, and rendering each option through
    the template engine cost more than the rest of the objectives page."""

    template_name = "interventions/widgets/select.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["options_html"] = format_html_join(
            "",
            "{}",
            (
                (_optgroup(group_name, options),)
                for group_name, options, _index in context["widget"]["optgroups"]
            ),
        )
        return context


def _optgroup(group_name: Any, options: list[dict[str, Any]]) -> SafeString:
    html = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((o["value"], " selected" if o["selected"] else "", o["label"]) for o in options),
    )
    return (
        format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html
    )


Choices = tuple[list[tuple[Any, str]], list[tuple[Any, str]], list[tuple[Any, str]]]


def objective_choices(partnership: Partnership, viewer: Any) -> Choices:
    """The owner parties, metrics and commitments an objective form offers ``viewer``: only the
    labels are read, (pk, text) rows, not whole records. Three queries."""
    parties = list(partnership.parties.values_list("pk", "organization__name"))
    metrics = list(
        Metric.objects.visible_to(viewer).filter(partnership=partnership).values_list("pk", "name")
    )
    commitments = [
        (pk, f"{title} (due {due_on:%d %b %Y})")
        for pk, title, due_on in Commitment.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .order_by("-due_on", "pk")
        .values_list("pk", "title", "due_on")
    ]
    return parties, metrics, commitments


class ObjectiveForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    scope = forms.ChoiceField(choices=Objective.Scope.choices)
    owner_party = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label=_("Owner party"),
        help_text=_("Only for an objective owned by one party."),
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.JOINT)
    metrics = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=LinkSelect(attrs={"size": 6}),
        help_text=_("Metrics whose traffic light shows progress on this objective."),
    )
    commitments = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=LinkSelect(attrs={"size": 8}),
        help_text=_(
            "Commitments whose delivery shows progress on this objective (hold Ctrl or ⌘ to "
            "pick several)."
        ),
    )

    def __init__(
        self,
        *args: Any,
        partnership: Partnership,
        viewer: Any,
        choices: Choices | None = None,
        **kwargs: Any,
    ) -> None:
        """``choices``: what ``objective_choices`` returns for this partnership and viewer, when
        the caller has it (the objectives tab keeps it with the objective rows)."""
        super().__init__(*args, **kwargs)
        parties, metrics, commitments = choices or objective_choices(partnership, viewer)
        self.fields["owner_party"].choices = [("", "—"), *parties]
        self.fields["metrics"].choices = list(metrics)
        self.fields["commitments"].choices = list(commitments)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "scope": data["scope"],
            "owner_party_id": data["owner_party"],
            "visibility": data["visibility"],
            "metric_ids": data["metrics"],
            "commitment_ids": data["commitments"],
        }


class OpenForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Why now: what went off course. Both parties read this."),
    )


class LogicForm(forms.Form):
    strategic_logic = forms.ChoiceField(
        choices=Submission.Logic.choices,
        widget=forms.RadioSelect,
        label=_("Does the partnership still have its strategic logic for your party?"),
    )


EFFECT_CHOICES = [("", "—")] + [(str(v), str(label)) for v, label in Item.Effect.choices]


class ItemForm(forms.Form):
    kind = forms.ChoiceField(choices=Item.Kind.choices, label=_("List"))
    objective = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For an unmet objective: pick a recorded one, or write it below."),
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    occurred_on = forms.DateField(
        required=False,
        label=_("Date (pivotal events)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    trust_effect = forms.TypedChoiceField(
        choices=EFFECT_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        label=_("Effect on our trust (pivotal events)"),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].choices = [("", "—")] + [
            (o.pk, o.title)
            for o in Objective.objects.filter(partnership=partnership, visibility="joint")
        ]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["text"],
            "objective_id": data["objective"],
            "occurred_on": data["occurred_on"],
            "trust_effect": data["trust_effect"],
        }


class LinkListsForm(forms.Form):
    """The signed link's one action: answer, list (one entry per line) and submit."""

    strategic_logic = forms.ChoiceField(
        choices=Submission.Logic.choices,
        widget=forms.RadioSelect,
        label=_("Does the partnership still have its strategic logic for your party?"),
    )
    unmet_objective = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Unmet objectives")
    )
    difficulty = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Difficulties working with the other party"),
    )
    omission = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Sins of omission you perceived"),
        help_text=_("Things the other side should have told you, and did not, or too late."),
    )
    pressure = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Pressures or changes on your side the other may not know"),
    )
    event_on = forms.DateField(
        required=False,
        label=_("A pivotal event: date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    event_text = forms.CharField(max_length=2000, required=False, label=_("What happened"))
    event_effect = forms.TypedChoiceField(
        choices=EFFECT_CHOICES, coerce=int, required=False, empty_value=None, label=_("Effect")
    )

    def entries(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        out: list[dict[str, Any]] = []
        for kind in ("unmet_objective", "difficulty", "omission", "pressure"):
            out += [
                {"kind": kind, "text": line.strip()}
                for line in data[kind].splitlines()
                if line.strip()
            ]
        if data["event_text"] or data["event_on"]:
            out.append(
                {
                    "kind": Item.Kind.PIVOTAL_EVENT,
                    "text": data["event_text"],
                    "occurred_on": data["event_on"],
                    "trust_effect": data["event_effect"],
                }
            )
        return out


class ContributionForm(forms.Form):
    contribution = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        label=_("How our side contributed"),
    )


class PlanForm(forms.Form):
    cadence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label=_("Communication cadence"),
        help_text=_("e.g. a weekly call of both alliance managers, a monthly steering review."),
    )
    issue_rule = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label=_("Rule for raising issues early"),
        help_text=_("e.g. any slip over a week goes to the feedback forum within two days."),
    )


class PlanCommitmentForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Commitment"))
    owner_party = forms.TypedChoiceField(coerce=int, label=_("Owner party"))
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Due"))

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_party"].choices = [
            (p.pk, p.organization.name) for p in partnership.parties.select_related("organization")
        ]


class RoundForm(forms.Form):
    opens_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Opens"))
    closes_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Closes"))
