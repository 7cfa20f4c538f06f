"""Forms parse the input; the business rules (amounts, units, shares, dates) are the domain
validators', applied by the services, whose errors land on the same fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.economics.models import InvestmentEntry, ValueEntry
from accord.partnerships.models import Party, Visibility


class DateInput(forms.DateInput):
    input_type = "date"


class PartyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Party) -> str:
        return obj.organization.name


def _unit_input(list_id: str) -> forms.TextInput:
    return forms.TextInput(attrs={"list": list_id, "autocomplete": "off", "size": 10})


class EntryForm(forms.Form):
    """Fields both ledgers share."""

    description = forms.CharField(
        max_length=200, required=False, help_text=_("What it is, in a few words.")
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.JOINT,
        help_text=_(
            "Internal entries are seen only by your organization and count only in the "
            "figures your organization sees."
        ),
    )
    reference = forms.CharField(
        max_length=100, required=False, help_text=_("An invoice, contract or project number.")
    )
    evidence_note = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_link = forms.CharField(
        required=False, max_length=500, help_text=_("A link to a document or report.")
    )

    new_rate = forms.DecimalField(
        max_digits=30,
        decimal_places=8,
        required=False,
        min_value=0,
        label=_("Rate for the new unit"),
        help_text=_("The value of one unit in the base currency; added to the rate table."),
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership


class ValueEntryForm(EntryForm):
    field_order = [
        "description",
        "source",
        "beneficiary",
        "status",
        "amount",
        "currency",
        "period_start",
        "period_end",
        "visibility",
        "reference",
        "evidence_note",
        "evidence_link",
        "evidence_file",
        "remove_file",
    ]
    source = forms.ChoiceField(choices=ValueEntry.Source.choices)
    beneficiary = PartyChoice(queryset=Party.objects.none(), help_text=_("Who gains the value."))
    status = forms.ChoiceField(
        choices=ValueEntry.Status.choices,
        help_text=_("Realized value has been received; expected value is forecast."),
    )
    amount = forms.DecimalField(max_digits=20, decimal_places=4)
    currency = forms.CharField(
        max_length=12, widget=_unit_input("currencies"), help_text=_("ISO 4217, e.g. EUR.")
    )
    period_start = forms.DateField(widget=DateInput)
    period_end = forms.DateField(widget=DateInput)
    evidence_file = forms.FileField(required=False)
    remove_file = forms.BooleanField(required=False, label=_("Remove the attached file"))

    def __init__(self, *args: Any, partnership: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        parties = partnership.parties.select_related("organization").order_by("pk")
        self.fields["beneficiary"].queryset = parties  # type: ignore[attr-defined]
        if not editing:
            del self.fields["remove_file"]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("evidence_file", None)
        data.pop("remove_file", None)
        data.pop("new_rate", None)
        return data

    @staticmethod
    def initial_from(entry: ValueEntry) -> dict[str, Any]:
        return {
            name: getattr(entry, name)
            for name in (
                "description",
                "source",
                "beneficiary",
                "status",
                "amount",
                "currency",
                "period_start",
                "period_end",
                "visibility",
                "reference",
                "evidence_note",
                "evidence_link",
            )
        }


class InvestmentForm(EntryForm):
    field_order = [
        "description",
        "contributor",
        "kind",
        "amount",
        "unit",
        "planned_on",
        "actual_on",
        "specificity",
        "recoverability",
        "visibility",
        "reference",
        "evidence_note",
        "evidence_link",
    ]
    contributor = PartyChoice(queryset=Party.objects.none(), help_text=_("Who contributes."))
    kind = forms.ChoiceField(choices=InvestmentEntry.Kind.choices)
    amount = forms.DecimalField(max_digits=20, decimal_places=4)
    unit = forms.CharField(
        max_length=12,
        widget=_unit_input("units"),
        help_text=_(
            "A currency (EUR) for financial and technological, FTE_MONTH for human, "
            "EXEC_HOUR for attentional investment."
        ),
    )
    planned_on = forms.DateField(widget=DateInput, label=_("Planned date"))
    actual_on = forms.DateField(
        widget=DateInput,
        required=False,
        label=_("Actual date"),
        help_text=_("Leave empty until the contribution is made."),
    )
    specificity = forms.DecimalField(
        max_digits=12,
        decimal_places=4,
        help_text=_("Share usable only in this partnership: 0 reusable anywhere, 1 only here."),
    )
    recoverability = forms.DecimalField(
        max_digits=12,
        decimal_places=4,
        help_text=_("Share the contributor would get back if the partnership dissolved (0–1)."),
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        parties = partnership.parties.select_related("organization").order_by("pk")
        self.fields["contributor"].queryset = parties  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("new_rate", None)
        return data

    @staticmethod
    def initial_from(entry: InvestmentEntry) -> dict[str, Any]:
        return {
            name: getattr(entry, name)
            for name in (
                "description",
                "contributor",
                "kind",
                "amount",
                "unit",
                "planned_on",
                "actual_on",
                "specificity",
                "recoverability",
                "visibility",
                "reference",
                "evidence_note",
                "evidence_link",
            )
        }


class LedgerFilterForm(forms.Form):
    """GET filters of a ledger list; an invalid filter is ignored, never an error page."""

    party = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False)
    visibility = forms.ChoiceField(
        required=False, choices=[("", _("Joint and internal")), *Visibility.choices]
    )
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)

    def __init__(self, *args: Any, partnership: Any, ledger: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = partnership.parties.select_related("organization").order_by("pk")
        self.fields["party"].choices = [  # type: ignore[attr-defined]
            ("", _("All parties")),
            *[(p.pk, p.organization.name) for p in parties],
        ]
        if ledger == "values":
            self.fields["category"].label = _("Source")
            self.fields["category"].choices = [("", _("All sources")), *ValueEntry.Source.choices]  # type: ignore[attr-defined]
            self.fields["status"].choices = [
                ("", _("Expected and realized")),
                *ValueEntry.Status.choices,
            ]  # type: ignore[attr-defined]
            self.fields["party"].label = _("Beneficiary")
        else:
            self.fields["category"].label = _("Kind")
            kinds = [("", _("All kinds")), *InvestmentEntry.Kind.choices]
            self.fields["category"].choices = kinds  # type: ignore[attr-defined]
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                ("", _("Any state")),
                ("made", _("Made")),
                ("planned", _("Planned, not yet due")),
                ("late", _("Late (overdue or made late)")),
            ]
            self.fields["party"].label = _("Contributor")


class RateForm(forms.Form):
    unit = forms.CharField(
        max_length=12,
        help_text=_("An ISO 4217 currency code, FTE_MONTH or EXEC_HOUR."),
        widget=forms.TextInput(attrs={"list": "known-units", "autocomplete": "off"}),
    )
    per_unit = forms.DecimalField(
        max_digits=30,
        decimal_places=8,
        label=_("Value of one unit in the base currency"),
    )


class BaseCurrencyForm(forms.Form):
    currency = forms.CharField(
        max_length=3,
        label=_("New base currency"),
        help_text=_("Must already be in the table; every rate is re-expressed in it."),
    )
