from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.culture.models import DIMENSION_CHOICES, FIT_CHOICES


class PracticeForm(forms.Form):
    dimension = forms.ChoiceField(choices=DIMENSION_CHOICES, label=_("Dimension"))
    fit = forms.ChoiceField(
        choices=FIT_CHOICES,
        label=_("Suggested when the difference is"),
        help_text=_(
            "Friction: to bridge a difference that hurts. Complementary: to put one to use."
        ),
    )
    title = forms.CharField(max_length=200, label=_("Practice"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("What the parties do")
    )
