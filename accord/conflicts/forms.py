from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.conflicts.models import Comment, ConflictType, ExitStep, Principle, TierKey
from accord.partnerships.models import DEFAULT_ESCALATION_WINDOWS, Visibility


class DateInput(forms.DateInput):
    input_type = "date"


class IssueForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    conflict_type = forms.ChoiceField(
        choices=[("", _("Choose a type…")), *ConflictType.choices], label=_("Type of conflict")
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label=_("What happened, and what do you need?"),
        help_text=_("Facts first: dates, documents, who was involved. Then the outcome you seek."),
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.JOINT,
        widget=forms.RadioSelect,
        label=_("Who sees it"),
        help_text=_(
            "Joint issues go to both sides' tier owners. Internal ones stay within your "
            "organization (for example, to agree a position before raising it jointly)."
        ),
    )


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Comment"))
    kind = forms.ChoiceField(
        choices=Comment.Kind.choices, initial=Comment.Kind.COMMENT, label=_("Kind")
    )


class ResolveForm(forms.Form):
    principle = forms.ModelChoiceField(
        queryset=Principle.objects.none(),
        label=_("Principle that applied"),
        empty_label=_("Choose a principle…"),
    )
    resolution = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Resolution agreed"),
        help_text=_("What both sides agreed, who does what, by when."),
    )

    def __init__(self, *args: Any, principles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["principle"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = principles
        field.label_from_instance = lambda p: f"{p.title} ({p.get_conflict_type_display().lower()})"


class EscalateForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Why it needs the next tier"),
        max_length=2000,
    )
    # The tier the person saw: if it moved meanwhile, the escalation is refused, not doubled.
    expected_tier = forms.ChoiceField(
        choices=TierKey.choices, widget=forms.HiddenInput, required=False
    )


class WindowsForm(forms.Form):
    def __init__(self, *args: Any, windows: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in DEFAULT_ESCALATION_WINDOWS:
            self.fields[key] = forms.IntegerField(
                min_value=1,
                max_value=365,
                initial=windows.get(key),
                label=_("%(tier)s (days)") % {"tier": TierKey(key).label},
            )


class OwnersForm(forms.Form):
    tier = forms.ChoiceField(choices=TierKey.choices, widget=forms.HiddenInput)
    people = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Owners"),
        help_text=_("Leave all unticked to use the default from participant roles."),
    )

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(pk), name) for pk, name in candidates]


class PrincipleForm(forms.Form):
    conflict_type = forms.ChoiceField(
        choices=[(Principle.ANY, _("Any type")), *ConflictType.choices], label=_("Applies to")
    )
    title = forms.CharField(max_length=200, label=_("Title"))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Principle"))


class ExitStartForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Why the partnership is being wound down"),
    )
    issue = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ExitStepForm(forms.Form):
    area = forms.ChoiceField(choices=ExitStep.Area.choices, label=_("Covers"))
    title = forms.CharField(max_length=200, label=_("Step"))
    detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Owner"))
    due_on = forms.DateField(required=False, widget=DateInput, label=_("Due"))

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Nobody yet")), *[(str(pk), n) for pk, n in candidates]]


class ExitStepUpdateForm(forms.Form):
    owner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Owner"))
    due_on = forms.DateField(required=False, widget=DateInput, label=_("Due"))
    done = forms.BooleanField(required=False, label=_("Done"))

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Nobody yet")), *[(str(pk), n) for pk, n in candidates]]
