"""The portfolio's filter and sort form (GET): the page, the exports and the API share it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.partnerships.models import Partnership
from accord.portfolio.models import TrustStageSnapshot
from accord.portfolio.selectors import BAND_CHOICES, SORTS, Filters

ANY = [("", _("Any"))]
SORT_LABELS = {
    "name": _("Name"),
    "health": _("Health"),
    "trend": _("Trend"),
    "alerts": _("Alerts"),
    "stage": _("Trust stage"),
    "status": _("Status"),
    "activity": _("Last activity"),
}
SORT_CHOICES = [(k, SORT_LABELS[k]) for k in SORTS] + [(f"-{k}", SORT_LABELS[k]) for k in SORTS]


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + list(Partnership.Status.choices)
    )
    stage = forms.ChoiceField(
        label=_("Trust stage"),
        required=False,
        choices=ANY + list(TrustStageSnapshot.Stage.choices),
    )
    alerts = forms.ChoiceField(
        label=_("Alerts"),
        required=False,
        choices=[*ANY, ("yes", _("With active alerts")), ("no", _("Without"))],
    )
    band = forms.ChoiceField(label=_("Health"), required=False, choices=ANY + BAND_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def filters(self) -> Filters:
        """The valid filters; an invalid field counts as not given (the form shows its error)."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data  # holds the valid fields only
        sort = data.get("sort") or "name"
        return Filters(
            q=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            stage=data.get("stage") or "",
            alerts=data.get("alerts") or "",
            band=data.get("band") or "",
            sort=sort.lstrip("-"),
            descending=sort.startswith("-"),
        )
