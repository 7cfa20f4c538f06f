"""The registered sources: each capability's joint records turned into weekly evidence rows.

Only joint records count (an organization's internal records never reach the other party's
health view), and trust comes only from published cells of closed rounds — a group below the
partnership's k gives no row at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from statistics import mean

from django.apps import apps

from accord.health.registry import EvidenceRow, signal_source, week_of
from accord.partnerships.models import Party, Visibility


def _aware(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _other_party(parties: dict[int, list[int]], partnership_id: int, party_id: int) -> int | None:
    """In a two-party partnership, the other party; None when several others share the row."""
    others = [p for p in parties.get(partnership_id, []) if p != party_id]
    return others[0] if len(others) == 1 else None


def parties_of(partnership_ids: Sequence[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for pid, party in (
        Party.objects.filter(partnership_id__in=partnership_ids)
        .order_by("partnership_id", "pk")
        .values_list("partnership_id", "pk")
    ):
        out[pid].append(party)
    return out


@signal_source("trust")
def trust_evidence(partnership_ids: Sequence[int], *, start: date, end: date) -> list[EvidenceRow]:
    """Per closed round, direction and form: the published mean on 1–7, weighted by respondents."""
    from accord.domain import trust as domain
    from accord.partnerships.models import Partnership
    from accord.trust.evidence import on_seven_points
    from accord.trust.selectors import trust_results

    partnerships = list(Partnership.objects.filter(pk__in=partnership_ids))
    rows = []
    for pid, results in trust_results(partnerships=partnerships, now=_aware(end)).items():
        for cell in results.cells:
            if not isinstance(cell, domain.Aggregate):
                continue  # withheld below k: no evidence, never a number
            survey = results.rounds[cell.cell.round]
            closed = survey.closes_at.date()
            if start <= closed <= end:
                points = survey.instrument.scale_points
                rows.append(
                    EvidenceRow(
                        pid,
                        week_of(closed),
                        cell.cell.rater,
                        cell.cell.rated,
                        f"trust_{cell.cell.form}",
                        round(on_seven_points(cell.mean, points), 4),
                        float(cell.n),
                    )
                )
    return rows


@signal_source("accountability")
def accountability_evidence(
    partnership_ids: Sequence[int], *, start: date, end: date
) -> list[EvidenceRow]:
    """Per party and week of the due date: share of joint commitments delivered on time, days
    late on average, small exchanges completed; monitoring requests about the other party."""
    from accord.accountability.models import Commitment, MonitoringRequest

    parties = parties_of(partnership_ids)
    due: dict[tuple[int, date, int], list[tuple[date, date | None, str]]] = defaultdict(list)
    for pid, party, due_on, done_on, status in Commitment.objects.filter(
        partnership_id__in=partnership_ids,
        visibility=Visibility.JOINT,
        due_on__gte=start,
        due_on__lte=min(end, date.today()),
    ).values_list("partnership_id", "owner_party_id", "due_on", "done_on", "status"):
        due[(pid, week_of(due_on), party)].append((due_on, done_on, status))
    rows = []
    for (pid, week, party), items in due.items():
        to = _other_party(parties, pid, party)
        judged = [(d, done) for d, done, st in items if done is not None or st == "missed"]
        if judged:
            on_time = sum(1 for d, done in judged if done is not None and done <= d)
            rows.append(
                EvidenceRow(pid, week, party, to, "on_time", on_time / len(judged), len(judged))
            )
        done_items = [(d, done) for d, done, _st in items if done is not None]
        if done_items:
            late = mean(max(0, (done - d).days) for d, done in done_items)
            rows.append(EvidenceRow(pid, week, party, to, "slippage_days", late, len(done_items)))
            rows.append(EvidenceRow(pid, week, party, to, "small_exchanges", len(done_items)))
    requests: dict[tuple[int, date, int, int], int] = defaultdict(int)
    for pid, asking, owner, day in MonitoringRequest.objects.filter(
        partnership_id__in=partnership_ids, requested_on__gte=start, requested_on__lte=end
    ).values_list(
        "partnership_id", "requesting_party_id", "commitment__owner_party_id", "requested_on"
    ):
        requests[(pid, week_of(day), asking, owner)] += 1
    for (pid, week, asking, owner), count in requests.items():
        rows.append(EvidenceRow(pid, week, asking, owner, "monitoring_requests", count))
    return rows


@signal_source("conflicts")
def conflict_evidence(
    partnership_ids: Sequence[int], *, start: date, end: date
) -> list[EvidenceRow]:
    """Escalations per week by the party that owns the issue; open joint issues each Monday."""
    from accord.conflicts.models import Issue, TierChange

    party_of_org = {
        (pid, org): party
        for pid, org, party in Party.objects.filter(partnership_id__in=partnership_ids).values_list(
            "partnership_id", "organization_id", "pk"
        )
    }
    parties = parties_of(partnership_ids)
    counts: dict[tuple[int, date, int], int] = defaultdict(int)
    for pid, org, at in TierChange.objects.filter(
        issue__partnership_id__in=partnership_ids,
        issue__visibility=Visibility.JOINT,
        at__gte=_aware(start),
        at__lt=_aware(end + timedelta(days=1)),
    ).values_list("issue__partnership_id", "issue__owner_org_id", "at"):
        party = party_of_org.get((pid, org))
        if party is not None:
            counts[(pid, week_of(at.date()), party)] += 1
    rows = [
        EvidenceRow(pid, week, party, _other_party(parties, pid, party), "escalations", n)
        for (pid, week, party), n in counts.items()
    ]
    spans = Issue.objects.filter(
        partnership_id__in=partnership_ids, visibility=Visibility.JOINT
    ).values_list("partnership_id", "created_at", "resolved_at", "withdrawn_at")
    by_partnership: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for pid, created, resolved, withdrawn in spans:
        closed = resolved or withdrawn
        by_partnership[pid].append((created.date(), closed.date() if closed else None))
    for pid, issues in by_partnership.items():
        monday = week_of(max(start, min(c for c, _ in issues)))
        while monday <= end:
            n = sum(
                1 for c, closed in issues if c <= monday and (closed is None or closed > monday)
            )
            rows.append(EvidenceRow(pid, monday, None, None, "open_conflicts", n))
            monday += timedelta(days=7)
    return rows


@signal_source("governance")
def decision_evidence(
    partnership_ids: Sequence[int], *, start: date, end: date
) -> list[EvidenceRow]:
    """Days from proposal to decision, per week of the decision (joint proposals only)."""
    from accord.governance.models import Proposal

    cycles: dict[tuple[int, date], list[float]] = defaultdict(list)
    for pid, proposed, decided in Proposal.objects.filter(
        partnership_id__in=partnership_ids,
        visibility=Visibility.JOINT,
        decided_at__gte=_aware(start),
        decided_at__lt=_aware(end + timedelta(days=1)),
    ).values_list("partnership_id", "proposed_at", "decided_at"):
        cycles[(pid, week_of(decided.date()))].append((decided - proposed).total_seconds() / 86400)
    return [
        EvidenceRow(pid, week, None, None, "decision_cycle_days", round(mean(days), 3), len(days))
        for (pid, week), days in cycles.items()
    ]


@signal_source("performance")
def performance_evidence(
    partnership_ids: Sequence[int], *, start: date, end: date
) -> list[EvidenceRow]:
    """Attainment (value against target, capped at 120 %) of joint metrics per week observed.
    Relationship metrics are left out: they may themselves be fed from this registry."""
    from accord.performance.models import Observation

    ratios: dict[tuple[int, date], list[float]] = defaultdict(list)
    for pid, direction, target, day, value in (
        Observation.objects.filter(
            metric__partnership_id__in=partnership_ids,
            metric__visibility=Visibility.JOINT,
            period__gte=start,
            period__lte=end,
        )
        .exclude(metric__category="relationship")
        .values_list(
            "metric__partnership_id", "metric__direction", "metric__target", "period", "value"
        )
    ):
        ratio = (target / value if value > 0 else 1.2) if direction == "lower" else value / target
        ratios[(pid, week_of(day))].append(min(max(ratio, 0.0), 1.2))
    return [
        EvidenceRow(pid, week, None, None, "metric_attainment", round(mean(r), 4), len(r))
        for (pid, week), r in ratios.items()
    ]


def register_communication() -> None:
    """The communication capability's evidence, once that app is installed."""
    if not apps.is_installed("accord.communication"):
        return

    @signal_source("communication")
    def communication(
        partnership_ids: Sequence[int], *, start: date, end: date
    ) -> list[EvidenceRow]:
        from accord.communication.evidence import communication_evidence

        return [
            EvidenceRow(*row)
            for row in communication_evidence(partnership_ids, start=start, end=end)
        ]


@signal_source("economics")
def economics_evidence(
    partnership_ids: Sequence[int], *, start: date, end: date
) -> list[EvidenceRow]:
    """Every four weeks, the ledgers as they stood that day (joint entries only): proportionality
    (1 − the gap between each party's value share and investment share; realized value once
    there is any, expected before) and the balance of mutual hostages. A partnership without
    ledger entries gives no rows."""
    import numpy as np

    from accord.domain.economics import economic_signals
    from accord.economics.selectors import portfolio_ledgers

    batch = portfolio_ledgers(partnership_ids)
    if not batch.ledgers.value_party.size and not batch.ledgers.investment_party.size:
        return []
    rows = []
    day = end
    while day >= start:
        signals = economic_signals(batch.ledgers, as_of=day)
        proportion = np.where(
            np.isnan(signals.realized_proportionality),
            signals.expected_proportionality,
            signals.realized_proportionality,
        )
        for i, pid in enumerate(batch.partnership_ids):
            for signal, value in (
                ("proportionality", proportion[i]),
                ("hostage_balance", signals.hostage_balance[i]),
            ):
                if not np.isnan(value):
                    rows.append(EvidenceRow(pid, week_of(day), None, None, signal, float(value)))
        day -= timedelta(weeks=4)
    return rows


@signal_source("reviews")
def loop_closure_evidence(
    partnership_ids: Sequence[int], *, start: date, end: date
) -> list[EvidenceRow]:
    """Per week of the due date: the share of joint review actions done on or before it, among
    those done or already overdue (an open action not yet due is not judged)."""
    from accord.accountability.models import ReviewAction

    today = min(end, date.today())
    judged: dict[tuple[int, date], list[bool]] = defaultdict(list)
    for pid, due_on, done_on in ReviewAction.objects.filter(
        partnership_id__in=partnership_ids,
        visibility=Visibility.JOINT,
        due_on__gte=start,
        due_on__lt=today,
    ).values_list("partnership_id", "due_on", "done_on"):
        if done_on is not None and done_on > today:
            done_on = None  # done after the day being scored: not known then
        judged[(pid, week_of(due_on))].append(done_on is not None and done_on <= due_on)
    return [
        EvidenceRow(pid, week, None, None, "loop_closure", sum(kept) / len(kept), len(kept))
        for (pid, week), kept in judged.items()
    ]


@signal_source("participants")
def turnover_evidence(
    partnership_ids: Sequence[int], *, start: date, end: date
) -> list[EvidenceRow]:
    """Every thirteen weeks: the share of the partnership's sponsors and alliance managers who
    arrived in the year before, after its first 60 days — a newcomer in a key role replaced
    someone or had to be brought up to speed. Participants record when they joined (not when
    they left), so departures show through their replacements."""
    from accord.partnerships.models import Participant

    key = (Participant.Role.SPONSOR, Participant.Role.ALLIANCE_MANAGER)
    joined: dict[int, list[date]] = defaultdict(list)
    for pid, at in Participant.objects.filter(
        partnership_id__in=partnership_ids, role__in=key
    ).values_list("partnership_id", "joined_at"):
        joined[pid].append(at.date())
    rows = []
    for pid, days in joined.items():
        settled = min(days) + timedelta(days=60)
        day = end
        while day >= max(start, min(days)):
            present = [d for d in days if d <= day]
            new = [d for d in present if d > settled and d > day - timedelta(days=365)]
            rows.append(
                EvidenceRow(
                    pid,
                    week_of(day),
                    None,
                    None,
                    "participant_turnover",
                    round(len(new) / len(present), 4),
                    float(len(present)),
                )
            )
            day -= timedelta(weeks=13)
    return rows
