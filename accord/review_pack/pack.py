"""The quarterly review pack: one document per partnership and quarter for the executive review.

`build_pack` reads joint records only — the same pack for every party, so nothing internal of
any organization (not even the reader's own) reaches a document both sides take into the room.
The Markdown and PDF renderers (render.py) both read the plain data built here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from accord.partnerships.models import Partnership, Party, Visibility

SECTIONS = (
    "Health",
    "Open alerts",
    "Scorecard",
    "Commitments",
    "Decisions",
    "Open conflicts",
    "Ledger summary",
)
NO_QUARTER = "No such quarter for this partnership."
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        nxt = Quarter(self.year + self.number // 4, self.number % 4 + 1)
        return nxt.start - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @staticmethod
    def of(day: date) -> Quarter:
        return Quarter(day.year, (day.month - 1) // 3 + 1)


def quarters_of(
    partnership: Partnership, *, today: date | None = None, most: int = 12
) -> list[Quarter]:
    """The quarters a pack can be made for, newest first: from the partnership's start (or the
    last `most` quarters) up to the current one."""
    today = today or timezone.localdate()
    first = Quarter.of(partnership.start_date or today)
    out, q = [], Quarter.of(today)
    while len(out) < most and (q.year, q.number) >= (first.year, first.number):
        out.append(q)
        q = q.previous()
    return out


def quarter_for(
    partnership: Partnership, year: int, number: int, *, today: date | None = None
) -> Quarter:
    """The quarter asked for, or ValueError(NO_QUARTER) when it is not one of `quarters_of`."""
    wanted = Quarter(year, number) if 1 <= number <= 4 and year >= FIRST_YEAR else None
    if wanted is None or wanted not in quarters_of(partnership, today=today, most=400):
        raise ValueError(NO_QUARTER)
    return wanted


@dataclass
class PartyCommitments:
    party: str
    due: int = 0
    on_time: int = 0
    late: int = 0
    missed: int = 0
    open: int = 0


@dataclass
class Pack:
    partnership: str
    quarter: Quarter
    parties: list[str]
    health: dict[str, Any] | None  # overall/sub-scores at the quarter's last scored week
    health_change: float | None  # overall: last week of the quarter minus the week before it
    movements: list[str]
    alerts: list[tuple[str, str, str]]  # kind, state, summary
    scorecard: list[tuple[str, str, str, str, str]]  # metric, category, latest, target, status
    commitments: list[PartyCommitments]
    decided: list[tuple[str, str, str]]  # title, decided on, days
    pending: list[tuple[str, str]]  # title, proposed on
    conflicts: list[tuple[str, str, str]]  # title, type, tier
    ledger: list[
        tuple[str, float, float, float, float]
    ]  # party, realized, expected, invested, hostage
    currency: str = ""
    generated: str = field(default_factory=lambda: f"{timezone.localdate():%d %B %Y}")


def _aware_end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def _health(
    partnership: Partnership, q: Quarter
) -> tuple[dict[str, Any] | None, float | None, list[str]]:
    from accord.health.models import HealthScore

    weeks = list(
        HealthScore.objects.filter(
            partnership=partnership,
            period_start__lte=q.end,
            period_start__gte=q.start - timedelta(days=7),
        ).order_by("period_start")
    )
    inside = [w for w in weeks if w.period_start >= q.start]
    if not inside:
        return None, None, []
    last, before = inside[-1], weeks[0]
    groups = (
        "overall",
        "trust",
        "behaviour",
        "economics",
        "governance",
        "performance",
        "communication",
    )
    health = {g: getattr(last, g) for g in groups} | {
        "week": last.period_start,
        "state": last.state,
    }
    change = (
        round(last.overall - before.overall, 1)
        if last.overall is not None and before.overall is not None and before is not last
        else None
    )
    movements = [m for w in inside for m in (w.movements or []) if isinstance(m, str)]
    return health, change, movements[-8:]


def _alerts(partnership: Partnership, q: Quarter) -> list[tuple[str, str, str]]:
    from accord.health.models import Alert

    end = _aware_end(q.end)
    found = Alert.objects.filter(partnership=partnership, opened_at__lt=end).filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=end),
        Q(cleared_at__isnull=True) | Q(cleared_at__gte=end),
    )
    return [(a.get_kind_display(), a.get_state_display(), a.summary) for a in found]


def _status(metric: Any, value: float) -> str:
    if metric.direction == "lower":
        return (
            "green"
            if value <= metric.amber_threshold
            else "amber"
            if value <= metric.red_threshold
            else "red"
        )
    return (
        "green"
        if value >= metric.amber_threshold
        else "amber"
        if value >= metric.red_threshold
        else "red"
    )


def _scorecard(partnership: Partnership, q: Quarter) -> list[tuple[str, str, str, str, str]]:
    from accord.performance.models import Metric, Observation

    metrics = list(
        Metric.objects.filter(partnership=partnership, visibility=Visibility.JOINT).order_by(
            "category", "name"
        )
    )
    latest: dict[int, float] = {}
    for metric_id, value in (
        Observation.objects.filter(metric__in=metrics, period__gte=q.start, period__lte=q.end)
        .order_by("metric_id", "period")
        .values_list("metric_id", "value")
    ):
        latest[metric_id] = value  # ordered by period: the last one stays
    rows = []
    for m in metrics:
        value = latest.get(m.pk)
        unit = f" {m.unit}" if m.unit else ""
        rows.append(
            (
                m.name,
                m.get_category_display(),
                "no value this quarter" if value is None else f"{value:g}{unit}",
                f"{'at most' if m.direction == 'lower' else 'at least'} {m.target:g}{unit}",
                "no evidence" if value is None else _status(m, value),
            )
        )
    return rows


def _commitments(
    partnership: Partnership, q: Quarter, parties: list[Party]
) -> list[PartyCommitments]:
    from accord.accountability.models import Commitment

    today = timezone.localdate()
    rows = {p.pk: PartyCommitments(p.organization.name) for p in parties}
    for party, due, done, status in Commitment.objects.filter(
        partnership=partnership, visibility=Visibility.JOINT, due_on__gte=q.start, due_on__lte=q.end
    ).values_list("owner_party_id", "due_on", "done_on", "status"):
        row = rows.get(party)
        if row is None:
            continue
        row.due += 1
        if done is not None:
            if done <= due:
                row.on_time += 1
            else:
                row.late += 1
        elif status == "missed" or due < min(today, q.end):
            row.missed += 1
        else:
            row.open += 1
    return list(rows.values())


def _decisions(
    partnership: Partnership, q: Quarter
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    from accord.governance.models import Proposal

    end = _aware_end(q.end)
    joint = Proposal.objects.filter(partnership=partnership, visibility=Visibility.JOINT)
    decided = [
        (p.title, f"{p.decided_at:%d %b %Y}", f"{p.cycle_days():.0f}")
        for p in joint.filter(
            decided_at__gte=_aware_end(q.start - timedelta(days=1)), decided_at__lt=end
        ).order_by("decided_at")
    ]
    pending = [
        (p.title, f"{p.proposed_at:%d %b %Y}")
        for p in joint.filter(proposed_at__lt=end)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gte=end))
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=end))
        .order_by("proposed_at")
    ]
    return decided, pending


def _conflicts(partnership: Partnership, q: Quarter) -> list[tuple[str, str, str]]:
    from accord.conflicts.models import Issue

    end = _aware_end(q.end)
    found = (
        Issue.objects.filter(
            partnership=partnership, visibility=Visibility.JOINT, created_at__lt=end
        )
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=end))
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=end))
        .order_by("created_at")
    )
    return [(i.title, i.get_conflict_type_display(), i.get_tier_display()) for i in found]


def _ledger(
    partnership: Partnership, q: Quarter
) -> tuple[list[tuple[str, float, float, float, float]], str]:
    """Joint entries only (`portfolio_ledgers` without a viewer), as they stood at quarter end."""
    from accord.domain import economics as domain
    from accord.economics.selectors import portfolio_ledgers

    batch = portfolio_ledgers([partnership.pk])
    indices = domain.economic_indices(batch.ledgers, as_of=q.end)
    rows = [
        (
            batch.party_names[p],
            round(float(indices.realized_value[p]), 2),
            round(float(indices.expected_value[p]), 2),
            round(float(indices.invested[p]), 2),
            round(float(indices.hostage[p]), 2),
        )
        for p in indices.parties_of(0)
    ]
    return rows, batch.base_currencies[0]


def build_pack(*, partnership: Partnership, quarter: Quarter) -> Pack:
    parties = list(Party.objects.filter(partnership=partnership).select_related("organization"))
    health, change, movements = _health(partnership, quarter)
    decided, pending = _decisions(partnership, quarter)
    ledger, currency = _ledger(partnership, quarter)
    return Pack(
        partnership=partnership.name,
        quarter=quarter,
        parties=[p.organization.name for p in parties],
        health=health,
        health_change=change,
        movements=movements,
        alerts=_alerts(partnership, quarter),
        scorecard=_scorecard(partnership, quarter),
        commitments=_commitments(partnership, quarter, parties),
        decided=decided,
        pending=pending,
        conflicts=_conflicts(partnership, quarter),
        ledger=ledger,
        currency=currency,
    )
