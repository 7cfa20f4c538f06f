from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.communication.models import ChangeNotice, Thread
from accord.partnerships.models import Visibility


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[object]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


BODY_HELP = _("Markdown: **bold**, _italic_, lists, links. Mention someone with @username.")


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    kind = forms.ChoiceField(choices=Thread.Kind.choices, label=_("Kind"))
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Who can read it"))
    meeting_on = forms.DateField(
        required=False,
        label=_("Meeting date (for meeting notes)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label=_("First message"), help_text=BODY_HELP
    )
    files = MultipleFileField(required=False, label=_("Attachments"))


class MessageForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("Reply"), help_text=BODY_HELP
    )
    files = MultipleFileField(required=False, label=_("Attachments"))


class NoticeForm(forms.Form):
    category = forms.ChoiceField(choices=ChangeNotice.Category.choices, label=_("What changes"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("The change"))
    effective_on = forms.DateField(
        label=_("Takes effect on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Why the notice is short (if it is)"),
    )


class ReportForm(forms.Form):
    changing_party_id = forms.TypedChoiceField(coerce=int, label=_("Party that made the change"))
    category = forms.ChoiceField(choices=ChangeNotice.Category.choices, label=_("What changed"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("The change"))
    effective_on = forms.DateField(
        label=_("Took effect on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, parties: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["changing_party_id"].choices = parties  # type: ignore[attr-defined]


class ConcernForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Concern"))
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("What worries you"), help_text=BODY_HELP
    )
    hide_name = forms.BooleanField(required=False, label=_("Hide my name from the other party"))


class ResponseForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Response"))
