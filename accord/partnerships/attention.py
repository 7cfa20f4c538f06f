"""Where attention is needed, per partnership, for the home list.

Reads what is stored — the latest health score, active alerts, open conflicts — and the metrics'
latest observations through the same domain rule the scorecard uses (one vectorized call for
the whole list), in a fixed number of queries. Only partnerships whose records the viewer may
read get figures, and only from records the viewer may see: another party's internal metrics
and conflicts never count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Count
from django.utils import timezone

from accord.conflicts.models import TIER_ORDER, Issue
from accord.domain import performance as perf
from accord.health.models import Alert, HealthScore
from accord.partnerships.access import reader_partnerships
from accord.performance.models import Metric
from accord.performance.selectors import TREND_POINTS, _recent_observations

HIGH_TIERS = TIER_ORDER[2:]  # executive sponsors and above: tier 3 or higher


@dataclass(frozen=True)
class Attention:
    readable: bool
    alerts: int = 0
    health: float | None = None
    red_metrics: int = 0
    high_conflicts: int = 0

    @property
    def count(self) -> int:
        """How many things call for attention: alerts, red metrics, conflicts at tier ≥ 3."""
        return self.alerts + self.red_metrics + self.high_conflicts


def red_metric_counts(metrics: list[Metric], today: date) -> Counter[int]:
    """Red metrics per partnership id: the scorecard's rule, over every partnership at once."""
    if not metrics:
        return Counter()
    pids = sorted({m.partnership_id for m in metrics})
    slot = {pid: i for i, pid in enumerate(pids)}
    index = {m.pk: i for i, m in enumerate(metrics)}
    recent = _recent_observations(list(index), today)
    result = perf.metric_attainment(
        perf.Metrics(
            partnership=np.array([slot[m.partnership_id] for m in metrics], dtype=np.int64),
            category=np.array([m.category for m in metrics], dtype=np.str_),
            direction=np.array([m.direction for m in metrics], dtype=np.str_),
            target=np.array([m.target for m in metrics], dtype=np.float64),
            amber=np.array([m.amber_threshold for m in metrics], dtype=np.float64),
            red=np.array([m.red_threshold for m in metrics], dtype=np.float64),
        ),
        perf.Observations(
            metric=np.array([index[m] for m, _, _ in recent], dtype=np.int64),
            observed_on=np.array([p for _, p, _ in recent], dtype="datetime64[D]"),
            value=np.array([v for _, _, v in recent], dtype=np.float64),
        ),
        perf.Portfolio(party_count=np.ones(len(pids), dtype=np.int64)),
        today=today,
        trend_points=TREND_POINTS,
    )
    red = result.status == perf.MetricStatus.RED
    return Counter(m.partnership_id for i, m in enumerate(metrics) if red[i])


def attention_for(user: Any, partnership_ids: list[int]) -> dict[int, Attention]:
    """Figures per partnership id; partnerships the viewer may not read get `readable=False`."""
    readable = set(
        reader_partnerships(user).filter(pk__in=partnership_ids).values_list("pk", flat=True)
    )
    if not readable:
        return {pid: Attention(readable=False) for pid in partnership_ids}
    alerts = dict(
        Alert.objects.filter(partnership_id__in=readable, state__in=Alert.ACTIVE)
        .values_list("partnership_id")
        .annotate(n=Count("pk"))
    )
    health = dict(
        HealthScore.objects.filter(partnership_id__in=readable, latest=True).values_list(
            "partnership_id", "overall"
        )
    )
    conflicts = dict(
        Issue.objects.visible_to(user)
        .filter(
            partnership_id__in=readable,
            tier__in=HIGH_TIERS,
            resolved_at__isnull=True,
            withdrawn_at__isnull=True,
        )
        .values_list("partnership_id")
        .annotate(n=Count("pk"))
    )
    metrics = list(Metric.objects.visible_to(user).filter(partnership_id__in=readable))
    red = red_metric_counts(metrics, timezone.localdate())
    return {
        pid: Attention(
            readable=True,
            alerts=alerts.get(pid, 0),
            health=health.get(pid),
            red_metrics=red.get(pid, 0),
            high_conflicts=conflicts.get(pid, 0),
        )
        if pid in readable
        else Attention(readable=False)
        for pid in partnership_ids
    }
