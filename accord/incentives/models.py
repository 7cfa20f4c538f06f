"""The incentive model of a partnership: the repeated game its parties play, pair by pair.

A pair of parties chooses each review period to contribute or to withhold. Each party values the
four outcomes in its own way (T, R, P, S); the partnership's horizon and review cadence give the
expected number of reviews left, hence the shadow of the future; the noise is the share of moves
that get misread. The joint model of a pair is the analysis both parties see; a party may keep
internal scenarios (its private what-ifs) that no other party ever sees.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accord.partnerships.models import PartnershipScoped, Party, Visibility

MAX_NOISE = 0.5
PAYOFF_LIMIT = 1e12
MAX_HORIZON_DAYS = 36_500
MAX_REVIEW_INTERVAL_DAYS = 3_650
MAX_REVIEWS = 260
"""Most expected reviews a model may hold: weekly reviews for five years, quarterly for 65. It
bounds the work of the exact expectation behind every what-if."""

PAYOFF_NAMES = ("temptation", "reward", "punishment", "sucker")


class IncentiveModel(PartnershipScoped):
    class PayoffSource(models.TextChoices):
        DIRECT = "direct", _("Entered directly")
        LEDGER = "ledger", _("Derived from the ledgers")

    class HorizonSource(models.TextChoices):
        END_DATE = "end_date", _("The partnership's end date")
        TYPED = "typed", _("A horizon I type")

    name = models.CharField(max_length=120)
    first_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    second_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    first_temptation = models.FloatField()
    first_reward = models.FloatField()
    first_punishment = models.FloatField()
    first_sucker = models.FloatField()
    second_temptation = models.FloatField()
    second_reward = models.FloatField()
    second_punishment = models.FloatField()
    second_sucker = models.FloatField()
    payoff_unit = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("What the payoffs count, e.g. “k€ per quarter” or “points”."),
    )
    payoff_source = models.CharField(
        max_length=10, choices=PayoffSource.choices, default=PayoffSource.DIRECT
    )
    horizon_source = models.CharField(
        max_length=10, choices=HorizonSource.choices, default=HorizonSource.TYPED
    )
    horizon_days = models.PositiveIntegerField(null=True, blank=True)
    review_interval_days = models.PositiveSmallIntegerField(default=91)
    noise = models.FloatField(default=0.05)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["visibility", "first_party_id", "second_party_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "first_party", "second_party"],
                condition=Q(visibility=Visibility.JOINT),
                name="incentive_one_joint_model_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(first_party__lt=F("second_party")),
                name="incentive_pair_in_order",
            ),
            models.CheckConstraint(
                condition=Q(noise__gte=0, noise__lte=MAX_NOISE), name="incentive_noise_in_range"
            ),
            models.CheckConstraint(
                condition=Q(review_interval_days__gte=1), name="incentive_interval_positive"
            ),
            models.CheckConstraint(
                condition=~Q(horizon_source="typed") | Q(horizon_days__gte=1),
                name="incentive_typed_horizon_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_internal(self) -> bool:
        return self.visibility == Visibility.INTERNAL

    def payoffs_of(self, seat: str) -> dict[str, float]:
        """`seat` is "first" or "second": that party's T, R, P, S by name."""
        return {name: getattr(self, f"{seat}_{name}") for name in PAYOFF_NAMES}

    def horizon_on(self, today: date) -> int:
        """Days left to plan for: the typed horizon, or the days until the partnership's end
        date (0 once it has passed)."""
        if self.horizon_source == self.HorizonSource.TYPED:
            return int(self.horizon_days or 0)
        end = self.partnership.end_date
        return max(0, (end - today).days) if end else 0
