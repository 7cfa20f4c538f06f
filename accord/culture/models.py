"""Culture: a partnership's own catalog of bridging practices. Ratings themselves are answers to
culture survey rounds in the survey engine (accord.trust), anonymous like every answer."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.domain.culture import DIMENSIONS, FITS
from accord.partnerships.models import PartnershipScoped

DIMENSION_CHOICES = [(str(d.dimension), d.label.capitalize()) for d in DIMENSIONS]
FIT_CHOICES = [(str(f), str(f).capitalize()) for f in FITS if str(f) != "aligned"]


class BridgingPractice(PartnershipScoped):
    """A practice suggested for a dimension when the parties' difference is of the given fit.

    A partnership without rows uses the built-in catalog; its first edit copies the catalog in,
    so from then on the partnership's list is the whole truth."""

    dimension = models.CharField(max_length=40, choices=DIMENSION_CHOICES)
    fit = models.CharField(
        max_length=20,
        choices=FIT_CHOICES,
        help_text=_("Friction: to bridge a difference that hurts. Complementary: to use one."),
    )
    title = models.CharField(max_length=200)
    description = models.TextField()

    class Meta:
        ordering = ["dimension", "fit", "title"]

    def __str__(self) -> str:
        return self.title
