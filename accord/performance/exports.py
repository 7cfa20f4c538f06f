"""Metric values as CSV/XLSX, in the observations import's own columns, so an exported file goes
back in unchanged: (metric code, period) is the natural key the import matches on, and a
re-import reports "0 new, N unchanged"."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from accord.economics.exports import respond
from accord.partnerships.access import Need, access_partnership
from accord.performance import selectors
from accord.performance.importer import COLUMNS
from accord.performance.models import Observation

HEADER = [column.name for column in COLUMNS]  # metric, period, value, note


def observation_rows(observations: Iterable[Observation]) -> Iterator[list[Any]]:
    yield HEADER
    for observation in observations:
        yield [
            observation.metric.code,
            observation.period.isoformat(),
            observation.value,
            observation.note,
        ]


@login_required
def observations_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every value of every metric the reader can see, as CSV (default) or XLSX (`?format=xlsx`)."""
    partnership = access_partnership(request.user, pk, Need.READ)
    metrics = selectors.visible_metrics(partnership=partnership, viewer=request.user)
    observations = (
        Observation.objects.filter(metric__in=metrics)
        .select_related("metric")
        .order_by("metric__code", "period")
    )
    return respond(
        observation_rows(observations.iterator(chunk_size=5000)),
        filename=f"metric-values-{partnership.pk}",
        fmt=request.GET.get("format", "csv"),
    )
