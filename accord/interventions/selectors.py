"""Reads for objectives and interventions.

`submissions_visible` is the one rule for the private lists: before the reveal, a person sees
only their own party's submission (a facilitator sees none); after it, everyone taking part sees
all of them. Every page, API route and export reads the lists through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accord.accountability.models import Commitment
from accord.domain import objectives as domain
from accord.interventions import kept_objectives
from accord.interventions.models import Intervention, Item, Objective, Submission
from accord.interventions.services.interventions import is_facilitator, party_of
from accord.partnerships.access import Need, access_partnership, can
from accord.partnerships.models import Partnership
from accord.performance.models import Metric
from accord.performance.selectors import metric_statuses

STATUS_LABELS = {
    domain.ObjectiveStatus.MET: "Met",
    domain.ObjectiveStatus.ON_TRACK: "On track",
    domain.ObjectiveStatus.UNMET: "Unmet",
    domain.ObjectiveStatus.NO_EVIDENCE: "No evidence yet",
}
STATUS_RULE = (
    "Met: every linked metric is green and every linked commitment done. Unmet: a linked metric "
    "is red, or a linked commitment is missed or overdue. On track: nothing failing and some "
    "progress (an amber metric, an open commitment not yet due). No evidence yet: no links, or "
    "only metrics with no observation."
)


@dataclass
class LinkedMetric:
    """A metric linked to an objective, with its traffic light as the scorecard shows it."""

    metric: Metric
    status: str


@dataclass
class ObjectiveRow:
    objective: Objective
    status: str
    label: str
    metrics: list[LinkedMetric] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)


# What the list, the overview card and the API show of a linked record, and what its status
# needs: the rest of these wide rows is never read here.
METRIC_FIELDS = ("name", "category", "direction", "target", "amber_threshold", "red_threshold")
COMMITMENT_FIELDS = ("title", "status", "due_on")


def visible_objectives(*, partnership: Partnership, viewer: Any) -> QuerySet[Objective]:
    return (
        Objective.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .select_related("owner_party__organization", "owner_org")
    )


def objective_for(*, partnership: Partnership, viewer: Any, objective_id: Any) -> Objective:
    try:
        return visible_objectives(partnership=partnership, viewer=viewer).get(pk=int(objective_id))
    except (Objective.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def objective_rows(
    *, partnership: Partnership, viewer: Any, today: date | None = None
) -> list[ObjectiveRow]:
    """Every visible objective with its derived status (accord.domain.objectives), in one
    domain call. Links the viewer cannot see are left out of the evidence too: the prefetches
    read only the linked metrics and commitments the viewer may see. For a reader of the
    partnership's records the rows are kept per state of what they read (one query, see
    accord/interventions/kept_objectives.py); otherwise four queries however many objectives
    and links, only the linked metrics' lights worked out, not the scorecard. The rows and
    their records are shared by the requests that read the same state: read them, never
    change them."""
    return objective_rows_state(partnership=partnership, viewer=viewer, today=today)[0]


def objective_rows_state(
    *, partnership: Partnership, viewer: Any, today: date | None = None
) -> tuple[list[ObjectiveRow], str | None]:
    """``objective_rows`` with the key of the state they were read from (None when they are
    not kept), for pages that keep HTML drawn from them under it."""
    today = today or timezone.localdate()
    if not can(viewer, partnership, Need.READ):
        return _objective_rows(partnership=partnership, viewer=viewer, today=today), None
    state = kept_objectives.key(partnership, viewer, today)
    rows = kept_objectives.kept(
        state,
        "rows",
        lambda: _objective_rows(partnership=partnership, viewer=viewer, today=today),
    )
    return list(rows), state


def _objective_rows(*, partnership: Partnership, viewer: Any, today: date) -> list[ObjectiveRow]:
    objectives = list(
        visible_objectives(partnership=partnership, viewer=viewer).prefetch_related(
            Prefetch(
                "metrics",
                Metric.objects.visible_to(viewer)
                .filter(partnership=partnership)
                .only(*METRIC_FIELDS),
            ),
            Prefetch(
                "commitments",
                Commitment.objects.visible_to(viewer)
                .filter(partnership=partnership)
                .only(*COMMITMENT_FIELDS),
            ),
        )
    )
    if not objectives:
        return []
    linked = {m.pk: m for o in objectives for m in o.metrics.all()}
    lights = metric_statuses(list(linked.values()), today=today)
    rows, index, evidence = [], [], []
    for i, objective in enumerate(objectives):
        row = ObjectiveRow(objective, "", "")
        for metric in objective.metrics.all():
            row.metrics.append(LinkedMetric(metric, lights[metric.pk]))
            index.append(i)
            evidence.append(domain.metric_evidence(lights[metric.pk]))
        for commitment in objective.commitments.all():
            row.commitments.append(commitment)
            index.append(i)
            evidence.append(domain.commitment_evidence(commitment.status, commitment.due_on, today))
        rows.append(row)
    statuses = domain.objective_status(
        np.array(index, dtype=np.int64), np.array(evidence, dtype=np.int64), len(objectives)
    )
    for row, status in zip(rows, statuses, strict=True):
        row.status, row.label = str(status), STATUS_LABELS[status]
    return rows


# ---------------------------------------------------------------------------- interventions


def access_intervention(user: Any, pk: Any, intervention_id: Any) -> Intervention:
    """An intervention of a partnership the user reads, or runs as its facilitator; else 404."""
    partnership = access_partnership(user, pk, Need.VIEW)
    if not (can(user, partnership, Need.READ) or is_facilitator(user, partnership)):
        raise Http404
    try:
        return Intervention.objects.select_related("partnership", "followup_round").get(
            partnership=partnership, pk=int(intervention_id)
        )
    except (Intervention.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def interventions_of(*, partnership: Partnership) -> QuerySet[Intervention]:
    return Intervention.objects.filter(partnership=partnership)


def submissions_visible(*, intervention: Intervention, viewer: Any) -> list[Submission]:
    """The private-lists rule (see the module docstring)."""
    submissions = intervention.submissions.select_related("party__organization")
    if intervention.revealed_at:
        return list(submissions)
    party = party_of(viewer, intervention.partnership)
    if party is None or not can(viewer, intervention.partnership, Need.READ):
        return []
    return list(submissions.filter(party=party))


def items_visible(*, intervention: Intervention, viewer: Any) -> QuerySet[Item]:
    submissions = submissions_visible(intervention=intervention, viewer=viewer)
    return Item.objects.filter(submission__in=[s.pk for s in submissions]).select_related(
        "submission__party__organization", "objective"
    )


@dataclass
class PartyState:
    """What anyone taking part may know of a party's progress: whether, never what."""

    name: str
    party_id: int
    submitted: bool
    reveal_agreed: bool
    plan_agreed: bool


def party_states(*, intervention: Intervention) -> list[PartyState]:
    found = {s.party_id: s for s in intervention.submissions.all()}
    return [
        PartyState(
            name=party.organization.name,
            party_id=party.pk,
            submitted=bool(found.get(party.pk) and found[party.pk].submitted_at),
            reveal_agreed=bool(found.get(party.pk) and found[party.pk].reveal_agreed_at),
            plan_agreed=bool(found.get(party.pk) and found[party.pk].plan_agreed_at),
        )
        for party in intervention.partnership.parties.select_related("organization")
    ]


@dataclass
class TimelineEntry:
    on: date
    source: str  # a party's name, or "Records"
    text: str
    effect: str = ""
    divergence: str = ""  # only_one_side / opposite_effect / shared, for party accounts


EFFECT_WORDS = {-1: "lowered trust", 0: "no effect on trust", 1: "raised trust"}
DIVERGENCE_WORDS = {
    "only_one_side": "only this side recorded it",
    "opposite_effect": "the other side read it the opposite way",
    "different_effect": "the other side felt it differently",
    "shared": "both sides recall it",
}
NEARBY_DAYS = 14


def _records_between(partnership: Partnership, viewer: Any, start: date, end: date) -> list[Any]:
    """The partnership's own joint records in the window: missed commitments, short notices,
    escalations and closed trust rounds — each read through its app's visibility rule."""
    from accord.communication.models import ChangeNotice
    from accord.conflicts.models import Issue, TierChange
    from accord.trust.models import SurveyRound

    out: list[TimelineEntry] = []
    missed = Commitment.objects.visible_to(viewer).filter(
        partnership=partnership, status=Commitment.Status.MISSED, due_on__range=(start, end)
    )
    out += [TimelineEntry(c.due_on, "Records", f"Missed commitment: {c.title}") for c in missed]
    notices = ChangeNotice.objects.filter(
        partnership=partnership, given_on__range=(start, end)
    ).select_related("changing_party__organization")
    for n in notices:
        if n.is_short:
            who = n.changing_party.organization.name
            out.append(
                TimelineEntry(n.given_on, "Records", f"Short notice from {who}: {n.summary}")
            )
    climbs = TierChange.objects.filter(
        issue__in=Issue.objects.visible_to(viewer).filter(partnership=partnership)
    ).select_related("issue")
    for climb in climbs:
        on = timezone.localdate(climb.at)
        if start <= on <= end:
            label = climb.get_to_tier_display()
            out.append(TimelineEntry(on, "Records", f"Escalated to {label}: {climb.issue.title}"))
    rounds = SurveyRound.objects.filter(partnership=partnership, kind="trust")
    for survey in rounds:
        closed = timezone.localdate(survey.closes_at)
        if start <= closed <= end and survey.closes_at <= timezone.now():
            out.append(TimelineEntry(closed, "Records", f"Trust round closed: {survey.title}"))
    return out


def merged_timeline(*, intervention: Intervention, viewer: Any) -> list[TimelineEntry]:
    """After the reveal: both parties' pivotal events, marked where the accounts diverge, beside
    the partnership's records for the same dates. Empty before the reveal."""
    if not intervention.revealed_at:
        return []
    events = list(
        items_visible(intervention=intervention, viewer=viewer).filter(kind=Item.Kind.PIVOTAL_EVENT)
    )
    if not events:
        return []
    marks = domain.divergences(
        [
            domain.PivotalEvent(e.submission.party_id, e.occurred_on, e.trust_effect or 0)
            for e in events
            if e.occurred_on is not None
        ]
    )
    out = [
        TimelineEntry(
            e.occurred_on,
            e.submission.party.organization.name,
            e.text,
            EFFECT_WORDS.get(e.trust_effect or 0, ""),
            DIVERGENCE_WORDS[mark.kind],
        )
        for e, mark in zip(events, marks, strict=True)
        if e.occurred_on is not None
    ]
    start = min(e.on for e in out) - timedelta(days=NEARBY_DAYS)
    end = max(e.on for e in out) + timedelta(days=NEARBY_DAYS)
    if can(viewer, intervention.partnership, Need.READ):  # a facilitator sees the accounts only
        out += _records_between(intervention.partnership, viewer, start, end)
    out.sort(key=lambda e: (e.on, e.source != "Records", e.source, e.text))
    return out


def recovery(*, intervention: Intervention, viewer: Any) -> domain.Recovery:
    """Trust and on-time delivery before the intervention against after it."""
    from accord.trust.selectors import partnership_trust

    partnership = intervention.partnership
    opened_on = timezone.localdate(intervention.opened_at)
    results = partnership_trust(partnership=partnership)
    means: dict[int, list[float]] = {}
    for cell in results.cells:
        mean = getattr(cell, "mean", None)
        if mean is not None:
            means.setdefault(cell.cell.round, []).append(float(mean))
    round_means = sorted(
        (timezone.localdate(results.rounds[number].closes_at), sum(v) / len(v))
        for number, v in means.items()
    )
    deliveries = [
        (c.due_on, bool(c.was_on_time()))
        for c in Commitment.objects.visible_to(viewer).filter(
            partnership=partnership,
            status__in=[Commitment.Status.DONE, Commitment.Status.MISSED],
        )
    ]
    return domain.recovery(opened_on=opened_on, round_means=round_means, deliveries=deliveries)
