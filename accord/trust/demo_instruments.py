"""Demo own instrument (issue 15): Helix keeps a quarterly "alliance pulse" in its library and
has brought it into its first two partnerships, each with two closed rounds whose answers meet
k, so the instrument's page shows results with bands and a chart.

- the healthy co-development scores high on both rounds (mostly strength);
- the drifting diagnostics alliance starts borderline and slides: delivery reaches concern in
  the second round, the relationship stays borderline.

A separate random stream: adding this never changes the trust rounds' data."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from accord.demo.generator import DemoContext, LoadedPartnership, demo_extension
from accord.domain.instruments.definition import parse_definition
from accord.trust import instrument_services
from accord.trust.demo import RESPONDENT_ROLES, Batch
from accord.trust.models import Instrument, SurveyRound

PULSE: dict[str, Any] = {
    "key": "alliance-pulse",
    "name": "Alliance pulse",
    "description": "A quarterly check of how each side sees the other and the alliance.",
    "scale": {
        "points": 5,
        "labels": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
        "not_applicable": "Not applicable",
    },
    "directions": ["other", "partnership"],
    "categories": [
        {
            "key": "relationship",
            "label": "Relationship",
            "constructs": [
                {"key": "openness", "label": "Openness"},
                {"key": "reliability", "label": "Reliability"},
            ],
        },
        {
            "key": "delivery",
            "label": "Delivery",
            "constructs": [
                {"key": "progress", "label": "Progress"},
                {"key": "value", "label": "Value for us"},
            ],
        },
    ],
    "bands": [
        {"key": "strength", "label": "Strength", "minimum": 4.0},
        {"key": "borderline", "label": "Borderline", "minimum": 3.0},
        {"key": "concern", "label": "Concern", "minimum": 1.0},
    ],
    "items": [
        {
            "key": "open.1",
            "text": "{partner} tells us about problems early.",
            "construct": "openness",
        },
        {
            "key": "open.2",
            "text": "We learn of {partner}'s decisions too late.",
            "construct": "openness",
            "reverse": True,
        },
        {
            "key": "rel.1",
            "text": "{partner} does what it agreed to do.",
            "construct": "reliability",
        },
        {
            "key": "rel.2",
            "text": "{partner} meets the dates it commits to.",
            "construct": "reliability",
        },
        {
            "key": "prog.1",
            "text": "{partner} moves the joint plan forward.",
            "construct": "progress",
        },
        {
            "key": "prog.2",
            "text": "Milestones with {partner} are reached as planned.",
            "construct": "progress",
        },
        {
            "key": "val.1",
            "text": "Working with {partner} is worth what it costs us.",
            "construct": "value",
        },
        {"key": "val.2", "text": "{partner} helps us reach our own goals.", "construct": "value"},
    ],
}

# Per partnership (index in the demo) and round: the true mean per category, on 1–5.
LEVELS = {
    0: ({"relationship": 4.4, "delivery": 4.3}, {"relationship": 4.5, "delivery": 4.4}),
    1: ({"relationship": 3.7, "delivery": 3.5}, {"relationship": 3.4, "delivery": 2.6}),
}
CATEGORY = {"openness": "relationship", "reliability": "relationship"}
MAYBE_NOT_APPLICABLE = "val.2"  # the construct keeps its other item, so every person counts


def _user(user_id: int | None) -> Any:
    return get_user_model().objects.get(pk=user_id)


def _manager(loaded: LoadedPartnership, organization_id: int) -> int | None:
    return next(
        (
            p.user_id
            for p in loaded.participants
            if p.organization_id == organization_id and p.role == "alliance_manager"
        ),
        None,
    )


@demo_extension("trust_instruments")
def pulse_rounds(ctx: DemoContext) -> None:
    targets = ctx.partnerships[: len(LEVELS)]
    if not targets:
        return
    owner = targets[0].parties[0].organization
    manager = _manager(targets[0], owner.pk)
    if manager is None:
        return
    definition = parse_definition(PULSE)
    library = instrument_services.instrument_create(
        user=_user(manager), organization=owner, definition=definition
    )
    rng = random.Random(f"{ctx.seed}:instrument-pulse")
    now = datetime.combine(ctx.anchor, time(12), tzinfo=UTC)
    # Saved a month before the first round opens, not when the demo loads.
    first_opens = now - timedelta(days=10 + 91 * (max(map(len, LEVELS.values())) - 1) + 14)
    saved = [library.pk]
    batch = Batch()
    for index, loaded in enumerate(targets):
        if owner.pk not in {p.organization_id for p in loaded.parties}:
            continue
        instrument = instrument_services.instrument_adopt(
            user=_user(manager), partnership=loaded.partnership, source=library
        )
        saved.append(instrument.pk)
        for number, level in enumerate(LEVELS[index], start=1):
            closes = now - timedelta(days=10 + 91 * (len(LEVELS[index]) - number))
            _round(batch, rng, loaded, instrument, number, level, closes)
    Instrument.objects.filter(pk__in=saved).update(created_at=first_opens - timedelta(days=30))
    batch.write()


def _round(
    batch: Batch,
    rng: random.Random,
    loaded: LoadedPartnership,
    instrument: Instrument,
    number: int,
    level: dict[str, float],
    closes: datetime,
) -> None:
    """One closed round: every party has at least k respondents, each answering every item
    about each other party and about the partnership as a whole."""
    partnership = loaded.partnership
    opens = closes - timedelta(days=14)
    k = partnership.anonymity_k
    batch.rounds.append(
        SurveyRound(
            partnership=partnership,
            owner_org_id=loaded.parties[0].organization_id,
            created_by_id=_manager(loaded, loaded.parties[0].organization_id),
            instrument=instrument,
            kind=instrument.kind,
            number=number,
            title=f"Alliance pulse {closes:%B %Y}",
            opens_at=opens,
            closes_at=closes,
            include_observers=True,
            anonymity_k=k,
            invited_at=opens,
            closed_at=closes,
            reminders_sent=1,
            last_reminder_at=opens + timedelta(days=4),
            created_at=opens - timedelta(days=7),
        )
    )
    at = len(batch.rounds) - 1
    items = PULSE["items"]
    for party in loaded.parties:
        people = [
            p
            for p in loaded.participants
            if p.organization_id == party.organization_id and p.role in RESPONDENT_ROLES
        ]
        if len(people) < k:
            continue
        answering = set(rng.sample(range(len(people)), rng.randint(k, len(people))))
        for i, person in enumerate(people):
            batch.invitees.append((at, person.user_id, party.pk, i in answering))
        rated = [p.pk for p in loaded.parties if p.pk != party.pk] + [None]
        for _ in answering:
            leaning = rng.gauss(0, 0.4)
            for target in rated:
                values = {}
                for item in items:
                    true = level[CATEGORY.get(item["construct"], "delivery")] + leaning
                    value = max(1, min(5, round(true + rng.gauss(0, 0.5))))
                    if item["key"] == MAYBE_NOT_APPLICABLE and rng.random() < 0.1:
                        value = 0  # "not applicable"
                    elif item.get("reverse"):
                        value = 6 - value
                    values[item["key"]] = value
                batch.responses.append((at, party.pk, target, values))
