"""Reads for accountability, scoped by the viewer. Measures are computed by
accord.domain.performance over plain arrays; these functions only turn rows into those arrays and
the results back into rows a page can show."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accord.accountability import schedule
from accord.accountability.models import (
    AccountabilitySettings,
    Commitment,
    MonitoringRequest,
    Review,
    ReviewAction,
    ReviewCadence,
)
from accord.domain import performance as perf
from accord.partnerships.access import user_organization
from accord.partnerships.models import Partnership, Party, Visibility

ON_TIME_QUARTERS = 6
OVERSIGHT_WINDOW_DAYS = 91
OVERSIGHT_THRESHOLD = 0.75


def settings_for(partnership: Partnership) -> AccountabilitySettings:
    """The partnership's settings, or the defaults (unsaved) when none were changed."""
    row = AccountabilitySettings.objects.filter(partnership=partnership).first()
    return row or AccountabilitySettings(partnership=partnership)


def parties(partnership: Partnership) -> list[Party]:
    """Parties in the fixed order the domain arrays use (joined first, then by id)."""
    return list(partnership.parties.select_related("organization").order_by("joined_at", "pk"))


# --- commitments --------------------------------------------------------------------------


def commitment_list(
    *, partnership: Partnership, viewer: Any, party: int | None = None, status: str | None = None
) -> QuerySet[Commitment]:
    rows = (
        Commitment.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .select_related("owner_party__organization", "owner")
    )
    if party:
        rows = rows.filter(owner_party_id=party)
    if status == "open":
        rows = rows.filter(status__in=Commitment.OPEN_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    return rows


def commitment_get(*, partnership: Partnership, viewer: Any, commitment_id: int) -> Commitment:
    commitment = (
        commitment_list(partnership=partnership, viewer=viewer).filter(pk=commitment_id).first()
    )
    if commitment is None:
        raise Http404
    return commitment


def status_counts(*, partnership: Partnership, viewer: Any) -> dict[str, int]:
    counts = dict.fromkeys(Commitment.Status.values, 0)
    for status in commitment_list(partnership=partnership, viewer=viewer).values_list(
        "status", flat=True
    ):
        counts[status] += 1
    return counts


def _day(value: date | None) -> Any:
    return np.datetime64(value, "D") if value is not None else np.datetime64("NaT", "D")


@dataclass
class _Portfolio:
    ids: list[int]
    party_index: dict[int, tuple[int, int]]  # party pk -> (partnership index, party index)
    portfolio: perf.Portfolio


def _portfolio(partnership_ids: Sequence[int]) -> _Portfolio:
    index = {pid: i for i, pid in enumerate(partnership_ids)}
    counts = [0] * len(partnership_ids)
    party_index: dict[int, tuple[int, int]] = {}
    for party_id, pid in (
        Party.objects.filter(partnership_id__in=partnership_ids)
        .order_by("partnership_id", "joined_at", "pk")
        .values_list("pk", "partnership_id")
    ):
        i = index[pid]
        party_index[party_id] = (i, counts[i])
        counts[i] += 1
    return _Portfolio(
        list(partnership_ids), party_index, perf.Portfolio(np.maximum(np.array(counts), 1))
    )


def _commitment_arrays(base: _Portfolio, rows: Iterable[tuple[Any, ...]]) -> perf.Commitments:
    p, q, due, done, status = [], [], [], [], []
    for party_id, due_on, done_on, st in rows:
        i, j = base.party_index[party_id]
        p.append(i)
        q.append(j)
        due.append(_day(due_on))
        done.append(_day(done_on))
        status.append(st)
    return perf.Commitments(
        partnership=np.array(p, dtype=np.int64),
        party=np.array(q, dtype=np.int64),
        due_on=np.array(due, dtype="datetime64[D]"),
        done_on=np.array(done, dtype="datetime64[D]"),
        status=np.array(status, dtype=np.str_),
    )


def on_time_rates_for(
    partnership_ids: Sequence[int], *, today: date, n_periods: int = ON_TIME_QUARTERS
) -> tuple[_Portfolio, perf.OnTimeRates]:
    """On-time rates per party and quarter for many partnerships in one pass. Counts joint
    commitments only: the record both parties share (an organization's internal commitments
    would give each side a different number)."""
    base = _portfolio(partnership_ids)
    rows = Commitment.objects.filter(
        partnership_id__in=partnership_ids, visibility=Visibility.JOINT
    ).values_list("owner_party_id", "due_on", "done_on", "status")
    rates = perf.on_time_rates(
        _commitment_arrays(base, rows.iterator(chunk_size=5000)),
        base.portfolio,
        today=today,
        period=perf.Period.QUARTER,
        n_periods=n_periods,
    )
    return base, rates


def _quarter_label(start: np.datetime64) -> str:
    d = start.astype("datetime64[D]").item()
    return f"Q{(d.month - 1) // 3 + 1} {d.year}"


@dataclass
class PartyRate:
    party: Party
    kept: list[int]
    evaluated: list[int]
    rates: list[float | None]
    kept_total: int
    evaluated_total: int
    rate: float | None

    def cells(self) -> list[tuple[int, int, float | None]]:
        return list(zip(self.kept, self.evaluated, self.rates, strict=True))


@dataclass
class OnTime:
    today: date
    quarters: list[str]
    rows: list[PartyRate]
    signal: float | None
    kept: int
    evaluated: int

    def sentence(self) -> str:
        if self.evaluated == 0:
            return (
                f"No joint commitment has fallen due in the last {len(self.quarters)} quarters: "
                "no evidence about on-time delivery yet."
            )
        parts = []
        for row in self.rows:
            if row.evaluated_total:
                parts.append(
                    f"{row.party.organization.name} kept {row.kept_total} of "
                    f"{row.evaluated_total} on time ({row.rate:.0%})"
                )
            else:
                parts.append(f"{row.party.organization.name} had none due")
        return (
            f"Over the last {len(self.quarters)} quarters, {self.kept} of {self.evaluated} joint "
            f"commitments were delivered by their due date ({self.signal:.0%}): "
            + "; ".join(parts)
            + "."
        )


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def on_time(*, partnership: Partnership, today: date | None = None) -> OnTime:
    today = today or timezone.localdate()
    _base, rates = on_time_rates_for([partnership.pk], today=today)
    rate_by_period = rates.rate_by_period
    rate = rates.rate
    rows = []
    for j, party in enumerate(parties(partnership)):
        rows.append(
            PartyRate(
                party=party,
                kept=[int(v) for v in rates.kept[0, j]],
                evaluated=[int(v) for v in rates.evaluated[0, j]],
                rates=[_num(v) for v in rate_by_period[0, j]],
                kept_total=int(rates.kept[0, j].sum()),
                evaluated_total=int(rates.evaluated[0, j].sum()),
                rate=_num(rate[0, j]),
            )
        )
    signal = perf.on_time_signal(rates)
    return OnTime(
        today=today,
        quarters=[_quarter_label(s) for s in rates.period_starts],
        rows=rows,
        signal=_num(signal[0]),
        kept=int(rates.kept[0].sum()),
        evaluated=int(rates.evaluated[0].sum()),
    )


# --- escalation -----------------------------------------------------------------------------


def escalation_basis(*, commitment: Commitment, today: date | None = None) -> str | None:
    """Why a commitment may be escalated into the conflict ladder, or None.

    "Missed twice" means either (1) it is a re-plan of a missed commitment and was missed again,
    or (2) its owner party missed another commitment on the same workstream whose due date lies
    within the partnership's repeat-miss window (90 days, a quarter, by default). Only records at
    least as visible as this one are looked at, so the sentence never names a record someone
    cannot see.
    """
    if commitment.status != Commitment.Status.MISSED or commitment.escalated_at is not None:
        return None
    party = commitment.owner_party.organization.name
    previous = commitment.replanned_from
    if previous is not None and previous.was_on_time() is False:
        return (
            f"Missed, re-planned and missed again: {party} first committed to “{previous.title}” "
            f"for {previous.due_on:%d %b %Y}, re-planned it to {commitment.due_on:%d %b %Y}, "
            "and missed that date too."
        )
    if not commitment.workstream:
        return None
    window = settings_for(commitment.partnership).repeat_miss_window_days
    others = Commitment.objects.filter(
        partnership_id=commitment.partnership_id,
        owner_party_id=commitment.owner_party_id,
        workstream__iexact=commitment.workstream,
        status=Commitment.Status.MISSED,
        due_on__gte=commitment.due_on - timedelta(days=window),
        due_on__lte=commitment.due_on + timedelta(days=window),
    ).exclude(pk=commitment.pk)
    if commitment.visibility == Visibility.JOINT:
        others = others.filter(visibility=Visibility.JOINT)
    else:
        others = others.filter(Q(visibility=Visibility.JOINT) | Q(owner_org=commitment.owner_org))
    other = others.exclude(replanned_as=commitment).order_by("-due_on").first()
    if other is None:
        return None
    return (
        f"Second miss by {party} on the “{commitment.workstream}” workstream within {window} "
        f"days: “{other.title}” (due {other.due_on:%d %b %Y}) and “{commitment.title}” "
        f"(due {commitment.due_on:%d %b %Y})."
    )


def action_overdue_days(action: ReviewAction, today: date | None = None) -> int:
    if action.done_on is not None:
        return 0
    return max(0, ((today or timezone.localdate()) - action.due_on).days)


def action_escalable(action: ReviewAction, window: int, today: date | None = None) -> bool:
    return action.escalated_at is None and action_overdue_days(action, today) > window


# --- oversight ----------------------------------------------------------------------------


@dataclass
class Oversight:
    sentence: str
    flagged: bool
    signal: float | None
    total: int
    rows: list[tuple[Party, int, float | None]]
    window_days: int
    threshold: float


def oversight_balance_for(
    partnership_ids: Sequence[int], *, today: date
) -> tuple[_Portfolio, perf.OversightBalance]:
    base = _portfolio(partnership_ids)
    since = today - timedelta(days=OVERSIGHT_WINDOW_DAYS)
    p, q, day = [], [], []
    for party_id, requested_on in (
        MonitoringRequest.objects.filter(
            partnership_id__in=partnership_ids, requested_on__gt=since, requested_on__lte=today
        )
        .values_list("requesting_party_id", "requested_on")
        .iterator(chunk_size=5000)
    ):
        i, j = base.party_index[party_id]
        p.append(i)
        q.append(j)
        day.append(_day(requested_on))
    requests = perf.MonitoringRequests(
        partnership=np.array(p, dtype=np.int64),
        party=np.array(q, dtype=np.int64),
        requested_on=np.array(day, dtype="datetime64[D]"),
    )
    balance = perf.oversight_balance(
        requests,
        base.portfolio,
        today=today,
        window_days=OVERSIGHT_WINDOW_DAYS,
        threshold=OVERSIGHT_THRESHOLD,
    )
    return base, balance


def oversight(*, partnership: Partnership, today: date | None = None) -> Oversight:
    """Monitoring requests are always joint, so every reader sees the same balance."""
    today = today or timezone.localdate()
    _base, balance = oversight_balance_for([partnership.pk], today=today)
    party_rows = parties(partnership)
    names = [p.organization.name for p in party_rows] or ["—"]
    share = balance.share
    return Oversight(
        sentence=perf.oversight_sentence(balance, 0, names),
        flagged=bool(balance.flagged[0]),
        signal=_num(perf.oversight_signal(balance)[0]),
        total=int(balance.total[0]),
        rows=[
            (party, int(balance.counts[0, j]), _num(share[0, j]))
            for j, party in enumerate(party_rows)
        ],
        window_days=balance.window_days,
        threshold=balance.threshold,
    )


def monitoring_requests(
    *, partnership: Partnership, viewer: Any, open_only: bool = False
) -> QuerySet[MonitoringRequest]:
    rows = (
        MonitoringRequest.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .filter(Q(commitment__visibility=Visibility.JOINT))
        .select_related("commitment__owner_party__organization", "requesting_party__organization")
        .select_related("created_by", "answered_by")
    )
    if open_only:
        rows = rows.filter(answered_at__isnull=True)
    return rows


# --- reviews, agenda, actions -----------------------------------------------------------------


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


# --- feedback loops -------------------------------------------------------------------------


def _loop_closure(
    rows: list[tuple[int, str, date, date | None]], n: int, today: date
) -> perf.LoopClosure:
    actions = perf.ReviewActions(
        partnership=np.array([r[0] for r in rows], dtype=np.int64),
        cadence=np.array([r[1] for r in rows], dtype=np.str_),
        due_on=np.array([_day(r[2]) for r in rows], dtype="datetime64[D]"),
        done_on=np.array([_day(r[3]) for r in rows], dtype="datetime64[D]"),
    )
    return perf.loop_closure(actions, perf.Portfolio(np.ones(n, dtype=np.int64)), today=today)


def loop_closure(*, partnership: Partnership, today: date | None = None) -> list[dict[str, Any]]:
    """Review actions closed on time, per review cadence (daily, weekly, monthly, quarterly),
    over joint actions due in the last two quarters; a last row "outside reviews" covers actions
    raised elsewhere (e.g. from the scorecard) and judged by the same rule.

    Each row: {"cadence", "label", "closed" (on time), "judged", "rate" (0–1, None without
    evidence)} — the shape performance's scorecard reads."""
    today = today or timezone.localdate()
    since = today - timedelta(days=182)
    rows = ReviewAction.objects.filter(
        partnership=partnership, visibility=Visibility.JOINT, due_on__gte=since
    ).values_list("review__cadence__frequency", "due_on", "done_on")
    in_review = [(0, f, due, done) for f, due, done in rows if f]
    outside = [(0, "monthly", due, done) for f, due, done in rows if not f]
    closure = _loop_closure(in_review, 1, today)
    labels = dict(ReviewCadence.Frequency.choices)
    result = [
        {
            "cadence": cadence.value,
            "label": str(labels[cadence.value]),
            "closed": int(closure.closed_on_time[0, k]),
            "judged": int(closure.evaluated[0, k]),
            "rate": _num(closure.rate[0, k]),
        }
        for k, cadence in enumerate(perf.CADENCES)
    ]
    other = _loop_closure(outside, 1, today)
    result.append(
        {
            "cadence": "outside_reviews",
            "label": "Outside reviews",
            "closed": int(other.closed_on_time[0].sum()),
            "judged": int(other.evaluated[0].sum()),
            "rate": _num(other.rate_total[0]),
        }
    )
    return result


def loop_closure_signal_for(
    partnership_ids: Sequence[int], *, today: date
) -> dict[int, float | None]:
    """The loop-closure signal for many partnerships in one pass (for the health engine)."""
    index = {pid: i for i, pid in enumerate(partnership_ids)}
    since = today - timedelta(days=182)
    rows = [
        (index[pid], f or "monthly", due, done)
        for pid, f, due, done in ReviewAction.objects.filter(
            partnership_id__in=partnership_ids, visibility=Visibility.JOINT, due_on__gte=since
        ).values_list("partnership_id", "review__cadence__frequency", "due_on", "done_on")
    ]
    signal = perf.loop_closure_signal(_loop_closure(rows, len(partnership_ids), today))
    return {pid: _num(signal[i]) for pid, i in index.items()}


def signals_for(
    partnership_ids: Sequence[int], *, today: date
) -> dict[int, dict[str, float | None]]:
    """On-time delivery, oversight balance and loop closure per partnership, each 0–1 or None
    (no evidence), computed in one vectorized pass per measure for a whole portfolio."""
    ids = list(partnership_ids)
    _b, rates = on_time_rates_for(ids, today=today)
    _o, balance = oversight_balance_for(ids, today=today)
    on_time_signal = perf.on_time_signal(rates)
    oversight_signal = perf.oversight_signal(balance)
    closure = loop_closure_signal_for(ids, today=today)
    return {
        pid: {
            "on_time": _num(on_time_signal[i]),
            "oversight": _num(oversight_signal[i]),
            "loop_closure": closure[pid],
        }
        for i, pid in enumerate(ids)
    }


def viewer_org_id(viewer: Any) -> int | None:
    org = user_organization(viewer)
    return org.pk if org else None
