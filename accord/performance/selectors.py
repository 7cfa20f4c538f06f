"""Reads for performance management, scoped to what the viewer may see.

Scorecards are computed by accord.domain.performance (metric_attainment, attainment_signal);
this module only gathers the rows and turns result arrays back into objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from accord.domain import metric_standing
from accord.domain import performance as domain
from accord.partnerships.models import Partnership
from accord.performance.models import Category, Metric, Observation

# The domain's trend uses the last 5 observations; the latest of them sets the status.
TREND_POINTS = 5
SERIES_POINTS = 36


def visible_metrics(*, partnership: Partnership, viewer: Any) -> QuerySet[Metric]:
    return (
        Metric.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .select_related("owner_party__organization", "owner_org")
    )


def metric_for(*, partnership: Partnership, viewer: Any, metric_id: Any) -> Metric:
    """One visible metric, or 404 for a missing and a forbidden one alike."""
    try:
        return visible_metrics(partnership=partnership, viewer=viewer).get(pk=int(metric_id))
    except (Metric.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def observations_of(*, metric: Metric) -> QuerySet[Observation]:
    return Observation.objects.filter(metric=metric).order_by("-period")


@dataclass
class Reviewed:
    count: int
    last: str


@dataclass
class ScoreRow:
    metric: Metric
    latest_value: float | None
    latest_on: date | None
    status: str
    ratio: float | None
    trend: int  # +1 improving, -1 worsening, 0 flat or unknown
    standing: str = metric_standing.Standing.NO_EVIDENCE.value  # what the latest value says
    stale: bool = False  # the latest value is older than the metric's cadence allows
    stale_since: date | None = None  # the first day it was stale (also when not yet stale)
    reviewed: Reviewed | None = None

    @property
    def off_target(self) -> bool:
        return self.status in (domain.MetricStatus.AMBER, domain.MetricStatus.RED)

    @property
    def latest_label(self) -> str:
        """The latest value's period as people name it ("Dec 2026", "Q1 2026", "12 Mar 2026")."""
        from accord.charts import period_label

        if self.latest_on is None:
            return ""
        return period_label(self.latest_on, self.metric.cadence, year=True)

    @property
    def word(self) -> str:
        """The one status word the scorecard shows: staleness wins over the standing."""
        return "stale" if self.stale else self.standing

    @property
    def trend_word(self) -> str:
        return {1: "improving", -1: "worsening"}.get(self.trend, "flat")


@dataclass
class CategoryRow:
    category: str
    label: str
    metrics: int
    with_evidence: int
    green: int  # within the amber threshold (on target or within tolerance)
    mean_ratio: float | None
    on_target: int = 0  # current values that meet the target


@dataclass
class Scorecard:
    rows: list[ScoreRow]
    categories: list[CategoryRow]
    attainment: float | None  # attainment_signal: 0–1, categories weighted equally
    today: date

    def counts(self) -> dict[str, int]:
        """Metrics per status word (stale ones counted once, as stale)."""
        counts = {s.value: 0 for s in metric_standing.Standing} | {"stale": 0}
        for row in self.rows:
            counts[row.word] += 1
        return counts


def _nan_to_none(value: float) -> float | None:
    return None if value != value else float(value)


def _recent_observations(metric_ids: list[int], today: date) -> list[tuple[int, date, float]]:
    """The last TREND_POINTS observations per metric up to today, one query."""
    if not metric_ids:
        return []
    ranked = (
        Observation.objects.filter(metric_id__in=metric_ids, period__lte=today)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("metric_id")], order_by=F("period").desc())
        )
        .filter(rank__lte=TREND_POINTS)
        .values_list("metric_id", "period", "value")
    )
    return list(ranked)


def scorecard(
    *, partnership: Partnership, viewer: Any, today: date | None = None, category: str = ""
) -> Scorecard:
    today = today or timezone.localdate()
    metrics = list(visible_metrics(partnership=partnership, viewer=viewer))
    if category:
        metrics = [m for m in metrics if m.category == category]
    index = {m.pk: i for i, m in enumerate(metrics)}
    recent = _recent_observations(list(index), today)
    zeros = np.zeros(len(metrics), dtype=np.int64)
    arrays = domain.Metrics(
        partnership=zeros,
        category=np.array([m.category for m in metrics], dtype=np.str_),
        direction=np.array([m.direction for m in metrics], dtype=np.str_),
        target=np.array([m.target for m in metrics], dtype=np.float64),
        amber=np.array([m.amber_threshold for m in metrics], dtype=np.float64),
        red=np.array([m.red_threshold for m in metrics], dtype=np.float64),
    )
    observations = domain.Observations(
        metric=np.array([index[m] for m, _, _ in recent], dtype=np.int64),
        observed_on=np.array([p for _, p, _ in recent], dtype="datetime64[D]"),
        value=np.array([v for _, _, v in recent], dtype=np.float64),
    )
    result = domain.metric_attainment(
        arrays,
        observations,
        # Attainment has no per-party arrays: the party count only sizes them, so not read.
        domain.Portfolio(party_count=np.ones(1, dtype=np.int64)),
        today=today,
        trend_points=TREND_POINTS,
    )
    standing = metric_standing.standing(arrays, result.latest_value)
    cadence = np.array([m.cadence for m in metrics], dtype=np.str_)
    stale_from = metric_standing.stale_from(result.latest_on, cadence)
    stale = metric_standing.is_stale(result.latest_on, cadence, today=today)
    rows = [
        ScoreRow(
            metric=m,
            latest_value=_nan_to_none(result.latest_value[i]),
            latest_on=None if np.isnat(result.latest_on[i]) else result.latest_on[i].item(),
            status=str(result.status[i]),
            ratio=_nan_to_none(result.ratio[i]),
            trend=int(result.trend[i]),
            standing=str(standing[i]),
            stale=bool(stale[i]),
            stale_since=None if np.isnat(stale_from[i]) else stale_from[i].item(),
        )
        for i, m in enumerate(metrics)
    ]
    per_category = [
        CategoryRow(
            category=c.value,
            label=str(Category(c.value).label),
            metrics=sum(1 for m in metrics if m.category == c.value),
            with_evidence=int(result.with_evidence[0, j]),
            green=int(result.green[0, j]),
            mean_ratio=_nan_to_none(result.mean_ratio[0, j]),
            on_target=sum(r.metric.category == c.value and r.word == "on_target" for r in rows),
        )
        for j, c in enumerate(domain.CATEGORIES)
    ]
    signal = domain.attainment_signal(result)
    return Scorecard(
        rows=rows,
        categories=per_category,
        attainment=_nan_to_none(signal[0]),
        today=today,
    )


def metric_statuses(metrics: Sequence[Metric], *, today: date) -> dict[int, str]:
    """The traffic light (``ScoreRow.status``) of each given metric, the same as `scorecard`
    shows, without the rest of the scorecard (standing, staleness, category roll-ups): for
    pages that show only the light of a few linked metrics. Each metric needs its category,
    direction and thresholds loaded. One query (none without metrics)."""
    if not metrics:
        return {}
    index = {m.pk: i for i, m in enumerate(metrics)}
    recent = _recent_observations(list(index), today)
    arrays = domain.Metrics(
        partnership=np.zeros(len(metrics), dtype=np.int64),
        category=np.array([m.category for m in metrics], dtype=np.str_),
        direction=np.array([m.direction for m in metrics], dtype=np.str_),
        target=np.array([m.target for m in metrics], dtype=np.float64),
        amber=np.array([m.amber_threshold for m in metrics], dtype=np.float64),
        red=np.array([m.red_threshold for m in metrics], dtype=np.float64),
    )
    observations = domain.Observations(
        metric=np.array([index[m] for m, _, _ in recent], dtype=np.int64),
        observed_on=np.array([p for _, p, _ in recent], dtype="datetime64[D]"),
        value=np.array([v for _, _, v in recent], dtype=np.float64),
    )
    result = domain.metric_attainment(
        arrays,
        observations,
        domain.Portfolio(party_count=np.ones(1, dtype=np.int64)),  # statuses ignore parties
        today=today,
        trend_points=TREND_POINTS,
    )
    return {m.pk: str(result.status[i]) for i, m in enumerate(metrics)}


def label_values(*, metric: Metric, observations: list[Observation]) -> None:
    """Give each observation its ``standing`` word and a ``period_label`` for people to read."""
    from accord.charts import period_label

    n = len(observations)
    repeated = domain.Metrics(
        partnership=np.zeros(n, dtype=np.int64),
        category=np.array([metric.category] * n, dtype=np.str_),
        direction=np.array([metric.direction] * n, dtype=np.str_),
        target=np.full(n, metric.target, dtype=np.float64),
        amber=np.full(n, metric.amber_threshold, dtype=np.float64),
        red=np.full(n, metric.red_threshold, dtype=np.float64),
    )
    words = metric_standing.standing(
        repeated, np.array([o.value for o in observations], dtype=np.float64)
    )
    for observation, word in zip(observations, words, strict=True):
        observation.standing = str(word)  # type: ignore[attr-defined]
        observation.period_label = period_label(  # type: ignore[attr-defined]
            observation.period, metric.cadence, year=True
        )


def off_target_metrics(
    *, partnership: Partnership, viewer: Any, today: date | None = None
) -> list[dict[str, Any]]:
    """Metrics whose latest observation is amber or red, worst first — for review agendas.

    Each item: {"metric": Metric, "latest_value": float, "latest_on": date, "status":
    "amber"|"red", "target": float, "unit": str}.
    """
    card = scorecard(partnership=partnership, viewer=viewer, today=today)
    off = [row for row in card.rows if row.off_target]
    off.sort(key=lambda r: (r.status != domain.MetricStatus.RED, r.ratio or 0.0))
    return [
        {
            "metric": row.metric,
            "latest_value": row.latest_value,
            "latest_on": row.latest_on,
            "status": row.status,
            "target": row.metric.target,
            "unit": row.metric.unit,
        }
        for row in off
    ]


def reviews_per_metric(*, partnership: Partnership, viewer: Any) -> dict[int, Reviewed]:
    """Which reviews looked at which metrics (accountability's review ↔ metric link).

    Empty when the accountability app does not provide the link (it is built separately).
    """
    link = _review_metric_link()
    if link is None:
        return {}
    review_model, field = link
    reviews = review_model.objects.filter(partnership=partnership)
    if hasattr(reviews, "visible_to"):
        reviews = review_model.objects.visible_to(viewer).filter(partnership=partnership)
    through = field.remote_field.through
    review_key, metric_key = field.m2m_field_name(), field.m2m_reverse_field_name()
    # Each link with its review, to name the latest, in one query; only what the review's name
    # reads (title and date), not its agenda snapshot.
    pairs = (
        through.objects.filter(**{f"{review_key}__in": reviews.values("pk")})
        .select_related(review_key)
        .only(metric_key, f"{review_key}__title", f"{review_key}__scheduled_at")
    )
    by_metric: dict[int, list[Any]] = {}
    for pair in pairs:
        by_metric.setdefault(getattr(pair, f"{metric_key}_id"), []).append(
            getattr(pair, review_key)
        )
    return {
        metric_id: Reviewed(count=len(found), last=str(max(found, key=lambda r: r.pk)))
        for metric_id, found in by_metric.items()
    }


def _review_metric_link() -> tuple[Any, Any] | None:
    from django.apps import apps

    try:
        review_model = apps.get_model("accountability", "Review")
    except LookupError:
        return None
    for field in review_model._meta.many_to_many:
        if field.related_model is Metric:
            return review_model, field
    return None


def loop_closure_rows(
    *, partnership: Partnership, today: date | None = None
) -> list[dict[str, Any]]:
    """Loop closure per cadence from accountability, normalised to
    [{"cadence", "rate" (0–1 or None), "closed", "judged"}]; empty until accountability has it."""
    try:
        from accord.accountability.selectors import loop_closure
    except ImportError:
        return []
    result = loop_closure(partnership=partnership, today=today)
    rows: list[dict[str, Any]] = []
    items = result.items() if isinstance(result, dict) else enumerate(result)
    for key, item in items:
        if isinstance(item, dict):
            row = {"cadence": item.get("cadence", key), **item}
        else:
            row = {"cadence": key, "rate": item}
        rate = row.get("rate")
        row["rate"] = None if rate is None or rate != rate else float(rate)
        rows.append(row)
    return rows
