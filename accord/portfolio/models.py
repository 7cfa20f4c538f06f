"""What the portfolio reads besides the health tables: each partnership's trust development
stage, judged in the background (it reads every capability's evidence, far too much for a page
that lists thousands of partnerships)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.partnerships.models import Partnership


class TrustStageSnapshot(models.Model):
    """The trust development stage of one partnership as last judged, and when."""

    class Stage(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment")
        VERIFICATION = "verification", _("Verification")
        REINFORCEMENT = "reinforcement", _("Reinforcement")
        EXPANSION = "expansion", _("Expansion")
        INSTITUTIONALIZATION = "institutionalization", _("Institutionalization")

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="portfolio_stage"
    )
    stage = models.CharField(max_length=24, choices=Stage.choices)
    judged_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.partnership_id})"
