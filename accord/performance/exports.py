"""The scorecard as CSV/XLSX (status words, staleness, exact values), and metric values as
CSV/XLSX, in the observations import's own columns, so an exported file goes
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


SCORECARD_HEADER = [
    "metric",
    "name",
    "category",
    "direction",
    "target",
    "amber_threshold",
    "red_threshold",
    "cadence",
    "latest_period",
    "latest_value",
    "status",
    "standing",
    "stale",
    "stale_since",
]


def scorecard_rows(card: selectors.Scorecard) -> Iterator[list[Any]]:
    """One row per metric: ``status`` is the word the page shows (``stale`` wins), ``standing``
    what the latest value says whatever its age."""
    yield SCORECARD_HEADER
    for row in card.rows:
        m = row.metric
        yield [
            m.code,
            m.name,
            m.category,
            m.direction,
            m.target,
            m.amber_threshold,
            m.red_threshold,
            m.cadence,
            row.latest_on.isoformat() if row.latest_on else "",
            "" if row.latest_value is None else row.latest_value,
            row.word,
            row.standing,
            "yes" if row.stale else "no",
            row.stale_since.isoformat() if row.stale_since else "",
        ]


@login_required
def scorecard_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The scorecard the reader sees, as CSV (default) or XLSX (`?format=xlsx`)."""
    partnership = access_partnership(request.user, pk, Need.READ)
    card = selectors.scorecard(partnership=partnership, viewer=request.user)
    return respond(
        scorecard_rows(card),
        filename=f"scorecard-{partnership.pk}",
        fmt=request.GET.get("format", "csv"),
    )
