"""Review cadences, reviews, review actions and a review's agenda."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from accord.accountability import schedule
from accord.accountability.models import (
    Commitment,
    Review,
    ReviewAction,
    ReviewCadence,
)
from accord.partnerships.models import Partnership, Visibility


def cadence_list(*, partnership: Partnership, viewer: Any) -> QuerySet[ReviewCadence]:
    """The partnership's review cadences the viewer may see (performance's scorecard lists them
    beside loop closure)."""
    return (
        ReviewCadence.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .prefetch_related("participants__user", "participants__organization")
    )


def review_list(*, partnership: Partnership, viewer: Any) -> QuerySet[Review]:
    return (
        Review.objects.visible_to(viewer).filter(partnership=partnership).select_related("cadence")
    )


def review_get(*, partnership: Partnership, viewer: Any, review_id: int) -> Review:
    review = review_list(partnership=partnership, viewer=viewer).filter(pk=review_id).first()
    if review is None:
        raise Http404
    return review


def action_list(
    *, partnership: Partnership, viewer: Any, open_only: bool = False
) -> QuerySet[ReviewAction]:
    rows = (
        ReviewAction.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .select_related("owner_party__organization", "owner", "review", "metric")
    )
    if open_only:
        rows = rows.filter(done_on__isnull=True)
    return rows


def _same_visibility(rows: QuerySet[Any], review: Review) -> QuerySet[Any]:
    """A joint review's agenda holds joint records only, so minutes never carry one party's
    internal records to the other; an internal review adds its organization's internal ones."""
    if review.visibility == Visibility.JOINT:
        return rows.filter(visibility=Visibility.JOINT)
    return rows.filter(Q(visibility=Visibility.JOINT) | Q(owner_org_id=review.owner_org_id))


def _agenda_window(review: Review) -> tuple[date, date]:
    day = review.scheduled_at.date()
    frequency = review.cadence.frequency if review.cadence else "monthly"
    period = timedelta(days=schedule.PERIOD_DAYS[frequency])
    siblings = (
        Review.objects.filter(cadence=review.cadence).exclude(status=Review.Status.CANCELLED)
        if review.cadence
        else Review.objects.none()
    )
    before = siblings.filter(scheduled_at__lt=review.scheduled_at).order_by("-scheduled_at").first()
    after = siblings.filter(scheduled_at__gt=review.scheduled_at).order_by("scheduled_at").first()
    start = before.scheduled_at.date() if before else day - period
    end = after.scheduled_at.date() if after else day + period
    return start, end


@dataclass
class AgendaMetric:
    id: int
    name: str
    value: float | None
    status: str
    metric: Any = None


@dataclass
class Agenda:
    window: tuple[date, date]
    commitments: list[Commitment] = field(default_factory=list)
    metrics: list[AgendaMetric] = field(default_factory=list)
    actions: list[ReviewAction] = field(default_factory=list)
    metrics_available: bool = True

    def snapshot(self) -> dict[str, Any]:
        return {
            "window": [self.window[0].isoformat(), self.window[1].isoformat()],
            "commitments": [
                {
                    "id": c.pk,
                    "title": c.title,
                    "party": c.owner_party.organization.name,
                    "due_on": c.due_on.isoformat(),
                    "status": c.status,
                }
                for c in self.commitments
            ],
            "metrics": [
                {"id": m.id, "name": m.name, "value": m.value, "status": m.status}
                for m in self.metrics
            ],
            "actions": [
                {
                    "id": a.pk,
                    "title": a.title,
                    "party": a.owner_party.organization.name,
                    "due_on": a.due_on.isoformat(),
                }
                for a in self.actions
            ],
        }


def _off_target(
    partnership: Partnership, viewer: Any, review: Review
) -> tuple[list[AgendaMetric], bool]:
    try:
        from accord.performance.selectors import off_target_metrics
    except ImportError:
        return [], False
    items = []
    for row in off_target_metrics(partnership=partnership, viewer=viewer):
        metric = _pick(row, "metric", 0)
        if review.visibility == Visibility.JOINT and metric.visibility != Visibility.JOINT:
            continue
        value = _pick(row, "latest_value", 1, "value")
        status = _pick(row, "status", 2)
        items.append(
            AgendaMetric(
                id=metric.pk,
                name=str(metric),
                value=None if value is None else float(value),
                status=str(status),
                metric=metric,
            )
        )
    return items, True


def _pick(row: Any, name: str, position: int, *aliases: str) -> Any:
    """Read a field from performance's off-target rows whether they are tuples, dicts or
    objects (the performance app owns their shape)."""
    for key in (name, *aliases):
        if isinstance(row, dict) and key in row:
            return row[key]
        if hasattr(row, key):
            return getattr(row, key)
    if isinstance(row, (tuple, list)):
        return row[position]
    return None


def review_agenda(*, review: Review, viewer: Any) -> Agenda:
    """Commitments due since the previous meeting of the cadence and before the next one (and not
    done), metrics off target, and open actions — as visible as the review itself."""
    start, end = _agenda_window(review)
    partnership = review.partnership
    commitments = _same_visibility(
        Commitment.objects.filter(partnership=partnership), review
    ).select_related("owner_party__organization", "owner")
    due = commitments.filter(due_on__gte=start, due_on__lt=end).exclude(
        status=Commitment.Status.DONE
    ) | commitments.filter(status=Commitment.Status.AT_RISK, due_on__lt=end)
    actions = _same_visibility(
        ReviewAction.objects.filter(partnership=partnership, done_on__isnull=True), review
    ).select_related("owner_party__organization", "owner")
    metrics, available = _off_target(partnership, viewer, review)
    return Agenda(
        window=(start, end),
        commitments=list(due.distinct().order_by("due_on", "pk")),
        metrics=metrics,
        actions=list(actions.filter(created_at__lte=_end_of(review)).order_by("due_on", "pk")),
        metrics_available=available,
    )


def _end_of(review: Review) -> datetime:
    if review.status == Review.Status.HELD and review.held_at:
        return review.held_at + timedelta(days=1)
    return datetime.combine(date.max, time.min, tzinfo=UTC)
