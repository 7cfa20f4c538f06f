"""The survey engine and the trust capability built on it.

Instruments are data: versioned sets of Likert items. A round puts one instrument version to the
participants of a partnership between two times. Anonymity is a property of the schema, not of the
pages (DESIGN.md, principle 1):

- ``Invitee`` says who was asked and whether they answered. It is created in bulk when the round
  opens and only its ``responded`` flag changes afterwards: it holds no time of answering.
- ``Response`` holds what was answered (a map of statement → value), keyed by a random UUID,
  with no user, no invitee, no timestamp — only the party that answered and the party it was
  about. Nothing links
  the two sides but the party, and aggregates of fewer than k responses are never shown.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.domain.trust import SPREAD_FACTOR
from accord.partnerships.models import (
    MINIMUM_ANONYMITY_K,
    Organization,
    Partnership,
    PartnershipScoped,
    Party,
)


def new_nonce() -> str:
    """Kept for migration 0001 only: answer links no longer use a nonce (see links.py)."""
    return secrets.token_urlsafe(12)


class Instrument(models.Model):
    """One version of a questionnaire. Built-in instruments have neither partnership nor
    organization; a partnership's own revisions and instruments have a partnership; an
    organization's library instruments have an organization. Versions never change once a round
    has opened on them.

    ``definition`` holds the rest of the instrument as data (issue 15; the format is in
    docs/instruments.md): the scale's labels and its "not applicable" choice, who rates whom,
    the categories with their constructs, and the bands. Items are rows of ``Item``;
    ``accord.trust.definitions.definition_of`` joins both into the domain's ``Definition``."""

    class Kind(models.TextChoices):
        TRUST = "trust", _("Trust")
        CULTURE = "culture", _("Culture")
        CUSTOM = "custom", _("Own instrument")

    key = models.SlugField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    scale_points = models.PositiveSmallIntegerField(default=7)
    definition = models.JSONField(default=dict, blank=True)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"],
                condition=Q(partnership__isnull=True, organization__isnull=True),
                name="instrument_builtin_version_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "key", "version"],
                condition=Q(organization__isnull=False),
                name="instrument_library_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(partnership__isnull=True) | Q(organization__isnull=True),
                name="instrument_one_owner",
            ),
            models.UniqueConstraint(
                fields=["partnership", "key", "version"],
                condition=Q(partnership__isnull=False),
                name="instrument_own_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(scale_points__gte=2) & Q(scale_points__lte=11),
                name="instrument_scale_2_to_11",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def in_use(self, now: datetime | None = None) -> bool:
        """A round has opened on this version, so its items are fixed for good."""
        return self.rounds.filter(opens_at__lte=now or timezone.now()).exists()


class Item(models.Model):
    """One statement. ``construct`` is the key of the construct it measures — a trust form, a
    culture dimension, or one of an own instrument's constructs; ``{partner}`` in the text names
    the rated party."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=80)
    text = models.TextField()
    construct = models.CharField(max_length=40)
    reverse = models.BooleanField(
        default=False, help_text=_("Worded against the construct: scored as (points + 1 − answer).")
    )
    low_anchor = models.CharField(max_length=300, blank=True)
    high_anchor = models.CharField(max_length=300, blank=True)
    comment = models.TextField(
        blank=True, help_text=_("Optional note shown to respondents under the statement.")
    )

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="item_key_once"),
        ]

    def __str__(self) -> str:
        return self.key


class SurveyRound(PartnershipScoped):
    """A survey of one partnership between ``opens_at`` and ``closes_at``.

    The state derives from the clock (STYLE.md, 9); ``invited_at`` and ``closed_at`` record when
    the periodic pass sent the invitations and the closing notice, which keeps the pass
    idempotent.

    ``anonymity_k`` is the k the invitations promised: copied from the partnership when the
    round is scheduled and raised to the partnership's k when it opens, never lowered after
    that. Results use ``threshold()``, so lowering the partnership's k later cannot publish a
    group this round promised to keep hidden (raising it hides more, which is always safe)."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField(max_length=20, choices=Instrument.Kind.choices)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    include_observers = models.BooleanField(
        default=False, help_text=_("Invite observers as well as sponsors, managers and members.")
    )
    reminder_days = models.PositiveSmallIntegerField(
        default=4, help_text=_("Remind those who have not answered every so many days.")
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymity_k = models.PositiveSmallIntegerField(
        default=MINIMUM_ANONYMITY_K,
        editable=False,
        help_text=_("The anonymity threshold promised to respondents; fixed when the round opens."),
    )

    class Meta:
        ordering = ["partnership", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind", "number"], name="round_number_once"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_opens_before_close"
            ),
            models.CheckConstraint(
                condition=Q(reminder_days__gte=1) & Q(reminder_days__lte=60),
                name="round_reminder_days_range",
            ),
            models.CheckConstraint(
                condition=Q(anonymity_k__gte=MINIMUM_ANONYMITY_K), name="round_k_at_least_3"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return self.State.SCHEDULED
        if now < self.closes_at:
            return self.State.OPEN
        return self.State.CLOSED

    def get_state_display(self) -> str:
        return str(self.State(self.state()).label)

    @property
    def is_closed(self) -> bool:
        return self.state() == self.State.CLOSED

    def threshold(self) -> int:
        """The k results of this round use: the promised k, or the partnership's if higher."""
        return max(self.anonymity_k, self.partnership.anonymity_k)

    def spread_floor(self) -> int:
        """Fewest respondents for which results of this round show a spread (sd, alpha)."""
        return self.threshold() * SPREAD_FACTOR


class Invitee(models.Model):
    """Who was asked, and whether they have answered — never what, and never when.

    ``token_hash`` is the SHA-256 of the opaque code in the invitee's latest e-mailed link
    (accord.trust.links): random, so it decodes to nothing; replaced by each new e-mail and
    cleared once the invitee has answered, so a link works once."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    responded = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="invitee_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.round}"


class Response(models.Model):
    """One person's answers about one rated party in one round, without the person.

    ``values`` maps each statement's key (in the round's fixed instrument version) to the answer
    on the instrument's scale. The random key and the absent timestamp are deliberate, and every
    submission rewrites the round's rows in a random order with new keys
    (``services.response_submit``): neither time nor storage order (SQLite's implicit rowid,
    PostgreSQL's heap) can be joined to the ``Invitee`` that answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="+")
    rater_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    # Empty for answers about the partnership as a whole (an own instrument may ask for them).
    rated_party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    values = models.JSONField(default=dict)

    def __str__(self) -> str:
        return "an anonymous response"


class StageSettings(models.Model):
    """A partnership's thresholds for the development-stage rules (domain ``StageRules``)."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="trust_stage_settings"
    )
    values = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Stage rules of {self.partnership}"
