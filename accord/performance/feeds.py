"""Relationship metrics fed from the health evidence registry.

The scoring pass (accord.health.services.score_partnerships) hands over the registry rows it has
just collected; every fed metric of those partnerships gets its observations recomputed from
them and stored, so pages read stored observations as for any metric (no extra query per page).
Fed observations are not editable by hand: the services refuse it with ``FED_METRIC``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from accord.domain.metric_feeds import FedMetric, FeedRow, feed_values
from accord.performance.models import Category, Metric, Observation

FED_METRIC = (
    "This metric is fed from the evidence registry; its values are computed, not typed by hand."
)
FEED_NOT_RELATIONSHIP = "Only relationship metrics can be fed from the evidence registry."
FED_NOTE = "fed from the evidence registry"


@transaction.atomic
def refresh_fed_observations(partnership_ids: Sequence[int], rows: Iterable[Any]) -> int:
    """Replace the observations of every fed metric of these partnerships with values computed
    from ``rows`` (registry EvidenceRows). Three queries whatever the number of metrics."""
    metrics = list(
        Metric.objects.filter(
            partnership_id__in=list(partnership_ids), category=Category.RELATIONSHIP
        )
        .exclude(feed="")
        .values_list("pk", "partnership_id", "feed", "owner_party_id", "cadence")
    )
    if not metrics:
        return 0
    fed = [FedMetric(pk, pid, feed, party, cadence) for pk, pid, feed, party, cadence in metrics]
    feed_rows = [
        FeedRow(
            r.partnership_id,
            r.period_start,
            r.from_party_id,
            r.to_party_id,
            r.signal,
            float(r.value),
            float(r.weight),
        )
        for r in rows
    ]
    values = feed_values(feed_rows, fed)
    Observation.objects.filter(metric_id__in=[m.metric_id for m in fed]).delete()
    new = [
        Observation(metric_id=metric_id, period=period, value=value, note=FED_NOTE)
        for metric_id, series in values.items()
        for period, value in series.items()
    ]
    Observation.objects.bulk_create(new, batch_size=5000)
    return len(new)
