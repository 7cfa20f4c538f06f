"""Demo survey data: every archetype's story told through trust rounds.

- healthy: high and stable on all three forms;
- drifting: steady at first, then goodwill falls round after round, contractual trust follows,
  on both sides, the first party's trust faster than the second's, so the asymmetry grows;
- one_sided: one direction holds, the other falls;
- recovering: a dip in the middle rounds and a recovery after the intervention;
- transactional: moderate contractual and competence trust, low goodwill.

Respondent counts vary per party and round; a few groups fall below k and show "not enough
responses". One round of the first partnership is still open, to show response rates.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from accord.demo.bulk import insert_rows
from accord.demo.generator import DemoContext, demo_extension
from accord.trust.models import Instrument, Invitee, Item, Response, SurveyRound

RESPONDENT_ROLES = {"sponsor", "alliance_manager", "member", "observer"}
FORMS = ("competence", "contractual", "goodwill")


def clamp(value: float, low: float = 1.0, high: float = 7.0) -> float:
    return max(low, min(high, value))


def trust_level(archetype: str, direction: int, form: str, t: float) -> float:
    """The true mean trust of a direction (0: first party → others, 1: the reverse, 2+: other
    pairs) on a form at time t in [0, 1] across the partnership's rounds."""
    f = FORMS.index(form)
    if archetype == "healthy":
        return (5.9, 5.8, 5.6)[f] + 0.15 * math.sin(6 * t + direction)
    if archetype == "drifting":
        # steady for the first rounds, then both directions fall, the first party's faster
        start = (5.6, 5.5, 5.4)[f]
        fall = (1.2, 1.8, 2.6)[f] if direction == 0 else (0.9, 1.2, 1.8)[f]
        return start - fall * max(0.0, (t - 0.2) / 0.8)
    if archetype == "one_sided":
        if direction == 0:
            return (5.6, 5.5, 5.3)[f]
        return (5.5, 5.3, 5.2)[f] - (1.2, 1.6, 2.3)[f] * t
    if archetype == "recovering":
        dip = (1.4, 1.8, 2.2)[f] * math.exp(-(((t - 0.5) / 0.18) ** 2))
        return (5.2, 5.1, 4.9)[f] - dip + 0.2 * t
    # transactional
    return (4.8, 5.2, 3.3)[f] + 0.1 * math.sin(4 * t + direction)


@dataclass
class Batch:
    """Rows to write in bulk; responses and answers carry no link to the invitees."""

    rounds: list[SurveyRound] = field(default_factory=list)
    # (round index, user id, party id, responded)
    invitees: list[tuple[int, int, int, bool]] = field(default_factory=list)
    # (round index, rater party id, rated party id or None for the partnership, values)
    responses: list[tuple[int, int, int | None, dict[str, int]]] = field(default_factory=list)

    def write(self) -> None:
        SurveyRound.objects.bulk_create(self.rounds, batch_size=2000)
        ids = [survey.pk for survey in self.rounds]
        _insert(
            Invitee,
            ("round", "user", "party", "responded"),
            ([ids[i], *rest] for i, *rest in self.invitees),
        )
        # Shuffle before writing: insertion order must not follow the order of invitees.
        rows = [[uuid.uuid4(), ids[i], *rest] for i, *rest in self.responses]
        random.Random(len(rows)).shuffle(rows)
        _insert(Response, ("id", "round", "rater_party", "rated_party", "values"), rows)


def _insert(model: Any, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Plain multi-row inserts for the demo's bulk rows: Django's model instances cost more
    than the database here. Values go through each field's own conversion for the backend."""
    insert_rows(model, names, rows)


def builtin(kind: str) -> tuple[Instrument, list[Item]]:
    from accord.trust.services import ensure_builtin_instruments

    ensure_builtin_instruments()
    instrument = Instrument.objects.get(partnership__isnull=True, kind=kind)
    return instrument, list(instrument.items.all())


def add_round(
    batch: Batch,
    *,
    rng: random.Random,
    loaded: Any,
    instrument: Instrument,
    items: Sequence[Item],
    number: int,
    title: str,
    opens: datetime,
    closes: datetime,
    respondents: Callable[[int, int], int],
    level: Callable[[int, int, str, float], float],
    t: float,
) -> None:
    """One round: invitees per party, ``respondents(party index, available)`` of them answered;
    each answers about every rated party at ``level(rater idx, rated idx, construct, t)``."""
    partnership = loaded.partnership
    survey = SurveyRound(
        partnership=partnership,
        owner_org_id=loaded.parties[0].organization_id,
        created_by_id=next(
            (p.user_id for p in loaded.participants if p.role == "alliance_manager"), None
        ),
        instrument=instrument,
        kind=instrument.kind,
        number=number,
        title=title,
        opens_at=opens,
        closes_at=closes,
        include_observers=True,
        anonymity_k=partnership.anonymity_k,
        invited_at=opens,
        closed_at=closes if closes <= datetime.now(UTC) else None,
        reminders_sent=1,
        last_reminder_at=opens + timedelta(days=4),
        created_at=opens - timedelta(days=7),
    )
    index = len(batch.rounds)
    batch.rounds.append(survey)
    culture = instrument.kind == Instrument.Kind.CULTURE
    for p_index, party in enumerate(loaded.parties):
        people = [
            p
            for p in loaded.participants
            if p.organization_id == party.organization_id and p.role in RESPONDENT_ROLES
        ]
        count = min(len(people), respondents(p_index, len(people)))
        answering = set(rng.sample(range(len(people)), count))
        for i, person in enumerate(people):
            rng.getrandbits(64)  # once a link nonce; drawn still, so the demo's data stay the same
            batch.invitees.append((index, person.user_id, party.pk, i in answering))
        for _ in range(count):
            person = rng.gauss(0, 0.5)
            offsets = {c: person + rng.gauss(0, 0.35) for c in sorted({i.construct for i in items})}
            for r_index, rated in enumerate(loaded.parties):
                if rated.pk == party.pk and not culture:
                    continue
                values = {}
                for item in items:
                    true = level(p_index, r_index, item.construct, t) + offsets[item.construct]
                    value = round(clamp(true + rng.gauss(0, 0.4)))
                    values[item.key] = 8 - value if item.reverse else value
                batch.responses.append((index, party.pk, rated.pk, values))


def _direction(rater: int, rated: int) -> int:
    if (rater, rated) == (0, 1):
        return 0
    if (rater, rated) == (1, 0):
        return 1
    return 2 + rater


@demo_extension("trust")
def trust_rounds(ctx: DemoContext) -> None:
    rng = ctx.rng("trust")
    instrument, items = builtin("trust")
    batch = Batch()
    now = datetime.combine(ctx.anchor, time(12), tzinfo=UTC)
    for i, loaded in enumerate(ctx.partnerships):
        archetype = loaded.archetype
        months = max(6, (ctx.anchor - loaded.start).days // 30)
        count = max(3, min(8, months // 3))
        generated = i >= 8
        if generated:
            count = min(count, 4)  # generated partnerships: fewer rounds keep big demos quick

        def respondents(p_index: int, available: int, generated: bool = generated) -> int:
            # Mostly 3–5 of the (usually 5) people answer; now and then only 2 (below k).
            if available < 3 or (generated and rng.random() < 0.05):
                return min(2, available)
            return rng.randint(3, available)

        for n in range(1, count + 1):
            t = (n - 1) / max(1, count - 1)
            closes = now - timedelta(days=int((count - n) * 91 + 20))
            opens = closes - timedelta(days=14)

            def level(rater: int, rated: int, form: str, t: float, arch: str = archetype) -> float:
                return trust_level(arch, _direction(rater, rated), form, t)

            forced = None
            # Every portfolio shows "not enough responses": the transactional supplier's second
            # round had only two answers from its second party.
            if archetype == "transactional" and n == 2:
                forced = 1

            def counts(p_index: int, available: int, forced: int | None = forced) -> int:
                if forced is not None and p_index == forced:
                    return 2
                return respondents(p_index, available)

            add_round(
                batch,
                rng=rng,
                loaded=loaded,
                instrument=instrument,
                items=items,
                number=n,
                title=f"Trust survey {closes:%B %Y}",
                opens=opens,
                closes=closes,
                respondents=counts,
                level=level,
                t=t,
            )
        if i == 0:
            # An open round: invitations out five days ago, about half have answered.
            opens = now - timedelta(days=5)
            add_round(
                batch,
                rng=rng,
                loaded=loaded,
                instrument=instrument,
                items=items,
                number=count + 1,
                title=f"Trust survey {now:%B %Y}",
                opens=opens,
                closes=now + timedelta(days=9),
                respondents=lambda p, available: min(available, 2 + p),
                level=lambda a, b, f, t, arch=archetype: trust_level(arch, _direction(a, b), f, t),
                t=1.0,
            )
    batch.write()


# The own-instrument demo registers after the trust rounds (its own random stream).
from accord.trust import demo_instruments  # noqa: E402, F401
