"""Relationship metrics fed from the evidence registry instead of typed by hand.

No Django. A fed metric names a feed; its value for each of its periods is computed from the
registry's weekly rows (party direction, signal, value, weight) of its partnership. Trust feeds
read only the rows the trust source publishes — cells of at least k respondents — so a feed can
never show what the anonymity promise hides: a week with no published cell has no value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

# feed → (registry signal, how a period's rows become one value, which side the party is on)
# side "to": the party is the one trusted; "from": the party's own conduct; "any": both sides.
FEEDS: dict[str, tuple[str, str, str]] = {
    "trust_competence": ("trust_competence", "mean", "to"),
    "trust_contractual": ("trust_contractual", "mean", "to"),
    "trust_goodwill": ("trust_goodwill", "mean", "to"),
    "conflict_frequency": ("escalations", "sum", "any"),
    "notice_kept": ("short_notice_share", "kept_percent", "from"),
    "responsiveness": ("reply_hours_median", "mean", "from"),
}


@dataclass(frozen=True)
class FeedRow:
    partnership_id: int
    week: date  # Monday of the ISO week
    from_party: int | None
    to_party: int | None
    signal: str
    value: float
    weight: float = 1.0


@dataclass(frozen=True)
class FedMetric:
    metric_id: int
    partnership_id: int
    feed: str
    party: int | None  # whose trust / conduct; None: the partnership as a whole
    cadence: str  # daily, weekly, monthly, quarterly


def period_of(week: date, cadence: str) -> date:
    """The metric period a weekly row falls in (daily and weekly metrics: the week's Monday)."""
    if cadence == "monthly":
        return week.replace(day=1)
    if cadence == "quarterly":
        return date(week.year, 3 * ((week.month - 1) // 3) + 1, 1)
    return week


def _matches(row: FeedRow, side: str, party: int | None) -> bool:
    if party is None or side == "any":
        return True
    return (row.to_party if side == "to" else row.from_party) == party


def feed_values(
    rows: Sequence[FeedRow], metrics: Sequence[FedMetric]
) -> dict[int, dict[date, float]]:
    """metric id → period → value, for every fed metric in one pass over the rows."""
    by_key: dict[tuple[int, str], list[FeedRow]] = defaultdict(list)
    for row in rows:
        by_key[(row.partnership_id, row.signal)].append(row)
    out: dict[int, dict[date, float]] = {}
    for metric in metrics:
        if metric.feed not in FEEDS:
            continue
        signal, how, side = FEEDS[metric.feed]
        sums: dict[date, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for row in by_key.get((metric.partnership_id, signal), []):
            if row.weight <= 0 or not _matches(row, side, metric.party):
                continue
            acc = sums[period_of(row.week, metric.cadence)]
            if how == "sum":
                acc[0] += row.value
                acc[1] = 1.0
            else:
                acc[0] += row.value * row.weight
                acc[1] += row.weight
        values: dict[date, float] = {}
        for period, (total, weight) in sorted(sums.items()):
            if weight <= 0:
                continue
            if how == "sum":
                values[period] = total
            elif how == "kept_percent":
                values[period] = 100.0 * (1.0 - total / weight)
            else:
                values[period] = total / weight
        out[metric.metric_id] = values
    return out
