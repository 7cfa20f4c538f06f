from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accord.accountability.models import (
    Commitment,
    Consequence,
    MonitoringRequest,
    ReviewCadence,
)
from accord.accountability.rules import party_of
from accord.accountability.services import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES
from accord.partnerships.access import visible_participants
from accord.partnerships.models import Participant, Partnership, Visibility


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class PartyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.organization.name


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class ParticipantChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.user.get_full_name() or obj.user.username
        return f"{name} — {obj.organization.name}, {obj.get_role_display().lower()}"


def _people(partnership: Partnership, viewer: Any) -> Any:
    ids = (
        visible_participants(viewer, partnership)
        .exclude(role__in=[Participant.Role.OBSERVER, Participant.Role.FACILITATOR])
        .values("user_id")
    )
    return get_user_model().objects.filter(pk__in=ids).order_by("first_name", "last_name")


def _of_party(people: Any, partnership: Partnership, party_id: Any) -> Any:
    """Only the people of the chosen owner party (none until a party is chosen)."""
    try:
        party = partnership.parties.filter(pk=int(party_id)).values("organization_id").first()
    except (TypeError, ValueError):
        party = None
    if party is None:
        return people.none()
    ids = Participant.objects.filter(
        partnership=partnership, organization_id=party["organization_id"]
    ).values("user_id")
    return people.filter(pk__in=ids)


class _Scoped(forms.Form):
    # The owner list follows the party choice: htmx fetches commitment_new's owner partial.
    htmx_owner_choices = False

    def __init__(
        self,
        *args: Any,
        partnership: Partnership,
        viewer: Any,
        owner_party: Any = None,
        **kwargs: Any,
    ) -> None:
        """`owner_party`: the fixed party of a record whose form has no party field (an edit)."""
        super().__init__(*args, **kwargs)
        self.partnership, self.viewer = partnership, viewer
        parties = partnership.parties.select_related("organization").order_by("joined_at", "pk")
        if "owner_party" in self.fields:
            self.fields["owner_party"].queryset = parties
            own = party_of(viewer, partnership)
            if own is not None and not self.is_bound:
                self.fields["owner_party"].initial = own.pk
        if "owner" in self.fields:
            people = _people(partnership, viewer)
            if "owner_party" in self.fields:
                people = _of_party(people, partnership, self._chosen_party())
            elif owner_party is not None:
                people = _of_party(people, partnership, owner_party.pk)
            if "owner_party" in self.fields and self.htmx_owner_choices:
                self.fields["owner_party"].widget.attrs.update(
                    {
                        # htmx: a new party choice re-renders the owner list with its people
                        "hx-get": reverse("accountability:commitment_new", args=[partnership.pk]),
                        "hx-target": "#owner-field",
                        "hx-swap": "outerHTML",
                    }
                )
            self.fields["owner"].queryset = people

    def _chosen_party(self) -> Any:
        """The owner party the form is about: the submitted one, else the initial one."""
        if self.is_bound:
            return self.data.get(self.add_prefix("owner_party"))
        return self.initial.get("owner_party", self.fields["owner_party"].initial)


VISIBILITY = forms.ChoiceField(
    choices=Visibility.choices,
    initial=Visibility.JOINT,
    help_text=_("Internal records are seen only by your organization."),
)


class CommitmentForm(_Scoped):
    htmx_owner_choices = True
    title = forms.CharField(label=_("What is promised"), max_length=200)
    owner_party = PartyChoice(queryset=None, label=_("Owner party"))  # type: ignore[arg-type]
    owner = PersonChoice(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        label=_("Owner (person)"),
        help_text=_("Someone from the owner party; they get reminders and update links."),
    )
    due_on = forms.DateField(widget=DateInput, label=_("Due date"))
    workstream = forms.CharField(max_length=120, required=False)
    acceptance_criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("How both sides will know it is done."),
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    visibility = VISIBILITY


class CommitmentEditForm(_Scoped):
    title = forms.CharField(label=_("What is promised"), max_length=200)
    owner = PersonChoice(queryset=None, required=False, label=_("Owner (person)"))  # type: ignore[arg-type]
    due_on = forms.DateField(widget=DateInput, label=_("Due date"))
    workstream = forms.CharField(max_length=120, required=False)
    acceptance_criteria = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CommitmentFilterForm(forms.Form):
    party = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [("", _("All parties"))] + [
            (p.pk, p.organization.name)
            for p in partnership.parties.select_related("organization").order_by("joined_at", "pk")
        ]
        self.fields["status"].choices = [
            ("", _("Any status")),
            ("open", _("Open (planned, on track, at risk)")),
            *Commitment.Status.choices,
        ]


def next_statuses(commitment: Commitment) -> list[tuple[str, str]]:
    """The moves the service allows: missed only moves to done (delivered late)."""
    if commitment.status == Commitment.Status.DONE:
        return []
    return [
        (value, label)
        for value, label in Commitment.Status.choices
        if value != commitment.status
        and (commitment.status != Commitment.Status.MISSED or value == Commitment.Status.DONE)
    ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Commitment.Status.choices, label=_("New status"))
    done_on = forms.DateField(
        widget=DateInput, required=False, help_text=_("For done: the day it was delivered.")
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    # The status the person saw: if it changed meanwhile, the update is refused, not applied.
    expected_status = forms.ChoiceField(
        choices=Commitment.Status.choices, widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args: Any, commitment: Commitment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["status"].choices = next_statuses(commitment)
            self.initial.setdefault("expected_status", commitment.status)


def _file_help() -> str:
    return _("At most %(mb)s MB: %(types)s.") % {
        "mb": EVIDENCE_MAX_BYTES // 2**20,
        "types": ", ".join(sorted(EVIDENCE_TYPES)),
    }


class EvidenceForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(required=False, help_text=_file_help)


class ReplanForm(forms.Form):
    due_on = forms.DateField(widget=DateInput, label=_("New due date"))
    note = forms.CharField(
        required=False,
        max_length=500,
        help_text=_("What changed, and what makes the new date real."),
    )


class ConsequenceForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[c for c in Consequence.Kind.choices if c[0] != Consequence.Kind.ESCALATION]
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The remedy as agreed, e.g. 'weekly check-ins until the batch ships'."),
    )
    agreed_on = forms.DateField(widget=DateInput, required=False)


class MonitoringRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=MonitoringRequest.Kind.choices)
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class CadenceForm(forms.Form):
    name = forms.CharField(max_length=200, help_text=_("e.g. 'Joint steering committee'."))
    frequency = forms.ChoiceField(choices=ReviewCadence.Frequency.choices)
    kind = forms.ChoiceField(choices=ReviewCadence.Kind.choices)
    starts_on = forms.DateField(widget=DateInput, label=_("First meeting"))
    time_of_day = forms.TimeField(widget=TimeInput, label=_("Time (UTC)"))
    duration_minutes = forms.IntegerField(min_value=5, max_value=600, initial=60)
    location = forms.CharField(
        max_length=300, required=False, help_text=_("A room or a call link.")
    )
    participants = ParticipantChoices(
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A joint review needs people from each party."),
    )
    visibility = VISIBILITY

    def __init__(self, *args: Any, partnership: Partnership, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = visible_participants(viewer, partnership).exclude(
            role=Participant.Role.OBSERVER
        )


class ReviewForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=ReviewCadence.Kind.choices)
    scheduled_at = forms.DateTimeField(widget=DateTimeInput, label=_("When (UTC)"))
    duration_minutes = forms.IntegerField(min_value=5, max_value=600, initial=60)
    location = forms.CharField(max_length=300, required=False)
    visibility = VISIBILITY


class MinutesForm(forms.Form):
    attendees = ParticipantChoices(
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    decisions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text=_("One per line.")
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    metrics_reviewed = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Metrics looked at"),
    )

    def __init__(
        self, *args: Any, partnership: Partnership, viewer: Any, metrics: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = visible_participants(viewer, partnership)
        self.fields["metrics_reviewed"].queryset = metrics


class ActionForm(_Scoped):
    htmx_owner_choices = True  # the same owner list as a commitment's
    title = forms.CharField(max_length=200, label=_("Action"))
    owner_party = PartyChoice(queryset=None, label=_("Owner party"))  # type: ignore[arg-type]
    owner = PersonChoice(queryset=None, required=False, label=_("Owner (person)"))  # type: ignore[arg-type]
    due_on = forms.DateField(widget=DateInput, label=_("Due date"))


class ActionDoneForm(forms.Form):
    done_on = forms.DateField(widget=DateInput, required=False)


class SettingsForm(forms.Form):
    action_overdue_window_days = forms.IntegerField(
        min_value=1,
        max_value=365,
        label=_("Escalate review actions overdue by more than (days)"),
    )
    repeat_miss_window_days = forms.IntegerField(
        min_value=1,
        max_value=730,
        label=_("Two misses on one workstream count as repeated within (days)"),
    )
    due_soon_days = forms.IntegerField(
        min_value=0, max_value=60, label=_("Remind owners this many days before the due date")
    )


class LinkUpdateForm(forms.Form):
    status = forms.ChoiceField(required=False, label=_("New status"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("A short note: progress, what is blocking, or what was delivered."),
    )
    url = forms.URLField(
        label=_("Link to evidence"), required=False, max_length=500, assume_scheme="https"
    )
    file = forms.FileField(required=False, help_text=_file_help)

    def __init__(self, *args: Any, commitment: Commitment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [
            (value, label)
            for value, label in Commitment.Status.choices
            if value != commitment.status
            and (commitment.status != Commitment.Status.MISSED or value == Commitment.Status.DONE)
        ]
        self.fields["status"].choices = [
            ("", _("Keep “%s”") % commitment.get_status_display()),
            *allowed,
        ]
