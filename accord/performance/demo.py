"""Demo metrics and their series, telling each archetype's story.

A metric's value is its target times a "health" level h (divided by it when lower is better),
so h = 1 is on target and the thresholds turn it amber and red as h falls:

- healthy: on or above target, gently improving (the Global Access Program with one bad
  quarter of business metrics eight months ago, a market shock that passed);
- drifting: fine for a long time, then metrics fall late — relationship metrics first (from
  about six months ago), operational next, financial last — after delivery already slipped;
- one_sided: the business numbers hold but relationship metrics sit low throughout;
- recovering: a deep dip six to twelve months ago, climbing back towards target;
- transactional: a few financial and operational metrics, flat and adequate.
"""

from __future__ import annotations

import math
from datetime import date

from accord.demo.bulk import insert_objects
from accord.demo.generator import DemoContext, demo_extension
from accord.partnerships.models import Visibility
from accord.performance.catalog import starter_rows
from accord.performance.models import Metric, Observation

HISTORY_MONTHS = 24
CHOICE = {
    "default": [
        "joint-revenue",
        "budget-variance",
        "on-time-delivery",
        "cycle-time",
        "pipeline-milestones",
        "customer-satisfaction",
        "partner-satisfaction",
        "response-time",
    ],
    "transactional": ["joint-revenue", "budget-variance", "on-time-delivery", "quality-defects"],
}
# Months before the anchor at which a drifting partnership's metrics start to fall, by category.
# Healthy partnerships whose business metrics had one bad quarter (months before the anchor)
# while trust and behaviour held: the detector must read it as an external shock, not a circle.
BAD_QUARTER = {"Global Access Program"}
BAD_QUARTER_MONTHS = (7, 8, 9)
DRIFT_ONSET = {"relationship": 6, "operational": 2, "innovation": 2, "market": 2, "financial": 1}


def _month_start(anchor: date, back: int) -> date:
    index = anchor.year * 12 + anchor.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _health(archetype: str, category: str, back: int) -> float:
    """Level relative to target (1 = on target), `back` months before the anchor."""
    if archetype == "healthy":
        return 1.02 + 0.06 * (HISTORY_MONTHS - back) / HISTORY_MONTHS
    if archetype == "healthy_bad_quarter":  # a market shock: one red quarter, then back
        dip = 0.3 if category != "relationship" and back in BAD_QUARTER_MONTHS else 0.0
        return 1.02 + 0.06 * (HISTORY_MONTHS - back) / HISTORY_MONTHS - dip
    if archetype == "drifting":
        onset = DRIFT_ONSET[category]
        return 1.03 if back >= onset else 1.03 - 0.09 * (onset - back + 1)
    if archetype == "one_sided":
        return 0.8 if category == "relationship" else 1.0
    if archetype == "recovering":
        return 1.0 - 0.35 * math.exp(-(((back - 9) / 4.0) ** 2)) - (0.12 if back < 9 else 0.0)
    return 0.97  # transactional


@demo_extension("performance")
def performance_demo(ctx: DemoContext) -> None:
    rng = ctx.rng("performance")
    catalog = {row["key"]: row for row in starter_rows()}
    metrics: list[Metric] = []
    for loaded in ctx.partnerships:
        keys = CHOICE.get(loaded.archetype, CHOICE["default"])
        for i, key in enumerate(keys):
            row = dict(catalog[key])
            party = loaded.parties[i % len(loaded.parties)]
            internal = key == "cycle-time"  # one metric its owner party keeps to itself
            metrics.append(
                Metric(
                    partnership=loaded.partnership,
                    owner_org_id=party.organization_id,
                    visibility=Visibility.INTERNAL if internal else Visibility.JOINT,
                    code=row.pop("key"),
                    catalog_key=key,
                    owner_party=party,
                    **row,
                )
            )
    Metric.objects.bulk_create(metrics, batch_size=2000)
    starts = {
        loaded.partnership.pk: (
            loaded.start,
            "healthy_bad_quarter"
            if loaded.archetype == "healthy" and loaded.partnership.name in BAD_QUARTER
            else loaded.archetype,
        )
        for loaded in ctx.partnerships
    }
    observations: list[Observation] = []
    for metric in metrics:
        start, archetype = starts[metric.partnership_id]
        step = 3 if metric.cadence == "quarterly" else 1
        for back in range(HISTORY_MONTHS - 1, -1, -1):
            period = _month_start(ctx.anchor, back)
            if period < start or (step == 3 and period.month % 3 != 1):
                continue
            level = _health(archetype, metric.category, back) * (1 + rng.gauss(0, 0.025))
            level = max(level, 0.05)
            value = metric.target * level if metric.direction == "higher" else metric.target / level
            observations.append(
                Observation(metric=metric, period=period, value=round(value, 2), note="")
            )
    insert_objects(observations)
