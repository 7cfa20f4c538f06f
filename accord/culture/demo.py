"""Demo culture ratings: one "ways of working" survey per partnership, early in its life (the
cultural due diligence), answered by each party about itself and the others.

Each archetype has its own pattern of differences: the healthy alliance is close on most
dimensions and complementary on innovation; the drifting one differs where difference hurts
(formality, decision-making, communication) and misreads its partner; the one-sided one has a
party that misjudges the other; the transactional one is moderately apart."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta

from accord.demo.generator import DemoContext, demo_extension
from accord.domain.culture import DIMENSIONS
from accord.trust.demo import Batch, add_round, builtin, clamp

DIMENSION_KEYS = [str(spec.dimension) for spec in DIMENSIONS]
# Offset of the second party from the first, per dimension, in DIMENSIONS order.
DISTANCE = {
    "healthy": (0.4, 0.5, 0.7, 0.4, 0.6, 2.2),
    "drifting": (0.9, 2.4, 2.8, 2.6, 3.0, 1.4),
    "one_sided": (2.1, 1.3, 2.0, 1.7, 0.6, 0.8),
    "recovering": (1.6, 1.1, 1.9, 2.3, 1.7, 2.4),
    "transactional": (0.8, 1.6, 1.0, 0.6, 1.2, 0.9),
}
# How far a party misplaces another party, per dimension (positive: towards 7).
MISREAD = {
    "healthy": (0.2, -0.2, 0.3, 0.1, -0.2, 0.2),
    "drifting": (0.5, 1.2, 1.0, -1.4, 1.8, 0.6),
    "one_sided": (1.5, 0.4, 1.4, 0.3, 0.2, 0.4),
    "recovering": (0.6, 0.4, 0.9, 1.1, 0.8, 0.5),
    "transactional": (0.3, 0.5, 0.4, 0.3, 0.6, 0.2),
}


def base_profile(key: str) -> list[float]:
    digest = hashlib.sha256(key.encode()).digest()
    return [2.2 + (digest[i] % 20) / 10 for i in range(len(DIMENSIONS))]


@demo_extension("culture")
def culture_rounds(ctx: DemoContext) -> None:
    rng = ctx.rng("culture")
    instrument, items = builtin("culture")
    batch = Batch()
    now = datetime.combine(ctx.anchor, time(12), tzinfo=UTC)
    for loaded in ctx.partnerships:
        archetype = loaded.archetype
        first = base_profile(str(loaded.partnership.pk))
        truth = [first]
        for p in range(1, len(loaded.parties)):
            sign = 1 if (p + loaded.partnership.pk) % 2 else -1
            truth.append(
                [
                    clamp(v + sign * d if 1 <= v + sign * d <= 7 else v - sign * d)
                    for v, d in zip(first, DISTANCE[archetype], strict=True)
                ]
            )

        def level(
            rater: int, rated: int, construct: str, t: float, arch=archetype, truth=truth
        ) -> float:
            d = DIMENSION_KEYS.index(construct)
            value = truth[rated][d]
            if rater != rated:
                value += MISREAD[arch][d] * (1 if rater == 0 else 0.4)
            return clamp(value)

        start = datetime.combine(loaded.start, time(12), tzinfo=UTC)
        closes = min(start + timedelta(days=30), now - timedelta(days=3))
        add_round(
            batch,
            rng=rng,
            loaded=loaded,
            instrument=instrument,
            items=items,
            number=1,
            title="Ways of working (due diligence)",
            opens=closes - timedelta(days=14),
            closes=closes,
            respondents=lambda p, available, pk=loaded.partnership.pk: min(
                available, 3 + (p + pk) % 3
            ),
            level=level,
            t=0.0,
        )
    batch.write()
