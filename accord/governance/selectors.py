"""Reads for governance, scoped to a partnership and, where records differ by reader, a viewer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Prefetch, Q, QuerySet

from accord.domain import decision_rights as dr
from accord.governance.models import (
    DecisionDomain,
    DomainScore,
    GovernanceSettings,
    JointBody,
    JointBodyMember,
    Mode,
    Proposal,
    Stance,
)
from accord.governance.rules import APPROVER_ROLES, user_party
from accord.partnerships.access import PeopleLens
from accord.partnerships.models import Participant, Partnership, Party

CRITERIA = ("expertise", "resources", "risk_exposure", "strategic_importance")


def governance_settings(*, partnership: Partnership) -> GovernanceSettings | None:
    return GovernanceSettings.objects.filter(partnership=partnership).first()


def parties(*, partnership: Partnership) -> list[Party]:
    return list(partnership.parties.select_related("organization"))


def domains(*, partnership: Partnership) -> QuerySet[DecisionDomain]:
    """The live rows of the matrix, in their order."""
    return DecisionDomain.objects.filter(
        partnership=partnership, archived_at__isnull=True
    ).select_related("owner_party__organization", "joint_body")


def joint_bodies(*, partnership: Partnership) -> QuerySet[JointBody]:
    members = JointBodyMember.objects.select_related(
        "participant__user", "participant__organization"
    )
    return JointBody.objects.filter(partnership=partnership).prefetch_related(
        Prefetch("memberships", queryset=members)
    )


def joint_body_sizes(*, partnership: Partnership) -> QuerySet[JointBody]:
    """The joint bodies with ``member_count``, for a page that lists them without members."""
    return JointBody.objects.filter(partnership=partnership).annotate(
        member_count=Count("memberships")
    )


def body_candidates(*, partnership: Partnership) -> QuerySet[Participant]:
    """Participants who may sit on a joint body: the parties' people, not observers."""
    party_orgs = partnership.parties.values("organization_id")
    return (
        Participant.objects.filter(partnership=partnership, organization_id__in=party_orgs)
        .exclude(role=Participant.Role.OBSERVER)
        .select_related("user", "organization")
    )


@dataclass(frozen=True)
class DomainRecommendation:
    mode: str
    owner_party: Party | None
    rule: str
    reasoning: str


@dataclass
class RecommenderRow:
    domain: DecisionDomain
    scores: dict[int, DomainScore]  # by party pk
    missing: list[Party]
    recommendation: DomainRecommendation | None
    matches_current: bool = False
    score_rows: list[tuple[Party, DomainScore | None]] = field(default_factory=list)


def _assessment(domain: DecisionDomain, party_list: list[Party], scores: dict[int, DomainScore]):
    return dr.DomainAssessment(
        domain=domain.label,
        parties=tuple(
            dr.PartyScores(
                p.organization.name,
                scores[p.pk].expertise,
                scores[p.pk].resources,
                scores[p.pk].risk_exposure,
                scores[p.pk].strategic_importance,
            )
            for p in party_list
        ),
        frequent_operational_choices=domain.frequent_operational_choices,
        has_joint_team=domain.has_joint_team,
    )


def _recommend(
    domain: DecisionDomain, party_list: list[Party], scores: dict[int, DomainScore]
) -> DomainRecommendation | None:
    if len(party_list) < 2 or any(p.pk not in scores for p in party_list):
        return None
    result = dr.recommend(_assessment(domain, party_list, scores))
    owner = party_list[result.owner_index] if result.owner_index is not None else None
    return DomainRecommendation(result.mode.value, owner, result.rule.value, result.reasoning)


def domain_recommendation(*, domain: DecisionDomain) -> DomainRecommendation | None:
    """The recommender's mode and owner for one domain, or None until every party has scored."""
    party_list = parties(partnership=domain.partnership)
    scores = {s.party_id: s for s in domain.scores.all()}
    return _recommend(domain, party_list, scores)


def recommender_rows(*, partnership: Partnership) -> list[RecommenderRow]:
    party_list = parties(partnership=partnership)
    rows = []
    for domain in domains(partnership=partnership).prefetch_related("scores"):
        scores = {s.party_id: s for s in domain.scores.all()}
        recommendation = _recommend(domain, party_list, scores)
        rows.append(
            RecommenderRow(
                domain=domain,
                scores=scores,
                missing=[p for p in party_list if p.pk not in scores],
                recommendation=recommendation,
                matches_current=bool(
                    recommendation
                    and recommendation.mode == domain.mode
                    and (recommendation.owner_party.pk if recommendation.owner_party else None)
                    == domain.owner_party_id
                ),
                score_rows=[(p, scores.get(p.pk)) for p in party_list],
            )
        )
    return rows


# — proposals —


def proposals(*, partnership: Partnership, viewer: Any) -> QuerySet[Proposal]:
    return (
        Proposal.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .select_related(
            "domain", "proposer_party__organization", "owner_party__organization", "joint_body"
        )
        .annotate(objections=Count("stances", filter=Q(stances__choice=Stance.Choice.OBJECT)))
        .order_by("-proposed_at", "-pk")
    )


def proposal_state_label(proposal: Proposal) -> str:
    status = proposal.status()
    objections = getattr(proposal, "objections", None)
    if status == "open" and proposal.mode == Mode.CONSENSUS and objections:
        return "blocked"
    return status


def decision_state(*, proposal: Proposal) -> dr.DecisionState:
    """The proposal as the pure decision rules see it. Read under the proposal's row lock when
    the result decides a write."""
    party_ids = frozenset(proposal.partnership.parties.values_list("pk", flat=True))
    stances = list(proposal.stances.all())
    objected = frozenset(s.party_id for s in stances if s.choice == Stance.Choice.OBJECT)
    approved = (
        frozenset(s.party_id for s in stances if s.choice == Stance.Choice.APPROVE) - objected
    )
    answered = frozenset(
        proposal.input_requests.filter(answered_at__isnull=False).values_list("party_id", flat=True)
    )
    votes_for = votes_against = 0
    quorum = 0
    if proposal.mode == Mode.DELEGATED and proposal.joint_body_id:
        members = set(
            JointBodyMember.objects.filter(body_id=proposal.joint_body_id).values_list(
                "participant__user_id", flat=True
            )
        )
        votes_for = sum(1 for s in stances if s.user_id in members and s.choice == "approve")
        votes_against = sum(1 for s in stances if s.user_id in members and s.choice == "object")
        quorum = proposal.joint_body.quorum
    return dr.DecisionState(
        mode=dr.DecisionMode(proposal.mode),
        parties=party_ids,
        owner_party=proposal.owner_party_id,
        answered=answered & party_ids,
        approved=approved & party_ids,
        objected=objected & party_ids,
        consultation_closes_at=proposal.consultation_closes_at,
        quorum=quorum,
        votes_for=votes_for,
        votes_against=votes_against,
    )


@dataclass
class StanceView:
    """What a viewer may see of a proposal's stances."""

    shown: list[Stance]
    hidden_count: int
    hidden: bool


def stances_for(*, proposal: Proposal, viewer: Any) -> StanceView:
    """Other parties' stances stay hidden until the proposal closes, if the partnership says so."""
    stances = list(
        proposal.stances.select_related("user", "party__organization").order_by("created_at")
    )
    found = governance_settings(partnership=proposal.partnership)
    if proposal.is_open and found is not None and found.hide_stances_until_closed:
        party = user_party(viewer, proposal.partnership)
        own = [s for s in stances if party is not None and s.party_id == party.pk]
        return StanceView(own, len(stances) - len(own), True)
    return StanceView(stances, 0, False)


@dataclass
class PartyProgress:
    party: Party
    status: str  # approved / objected / waiting / answered / asked / not asked / owner
    detail: str = ""


def party_progress(*, proposal: Proposal, viewer: Any) -> list[PartyProgress]:
    """Per party, where the proposal stands, without revealing hidden stances."""
    party_list = parties(partnership=proposal.partnership)
    view = stances_for(proposal=proposal, viewer=viewer)
    rows = []
    if proposal.mode == Mode.CONSENSUS:
        visible = {}
        for s in view.shown:
            if s.choice == Stance.Choice.OBJECT or s.party_id not in visible:
                visible[s.party_id] = s.choice
        for p in party_list:
            choice = visible.get(p.pk)
            if choice is None and view.hidden:
                status = "hidden"
            elif choice == Stance.Choice.OBJECT:
                status = "objected"
            elif choice == Stance.Choice.APPROVE:
                status = "approved"
            elif choice == Stance.Choice.ABSTAIN:
                status = "abstained"
            else:
                status = "waiting"
            rows.append(PartyProgress(p, status))
    elif proposal.mode == Mode.CONSULTATIVE:
        requests = {r.party_id: r for r in proposal.input_requests.all()}
        for p in party_list:
            if p.pk == proposal.owner_party_id:
                rows.append(PartyProgress(p, "owner"))
            elif p.pk not in requests:
                rows.append(PartyProgress(p, "not asked"))
            elif requests[p.pk].answered_at:
                rows.append(PartyProgress(p, "answered"))
            else:
                rows.append(PartyProgress(p, "asked"))
    return rows


def approvers_of(*, proposal: Proposal, viewer: Any = None) -> dict[int, list[str]]:
    """Names of each party's approvers, for "who must approve" lines — as `viewer` may see
    them (restricted participant lists name another party's people by organization only)."""
    lens = PeopleLens(viewer, proposal.partnership)
    result: dict[int, list[str]] = {}
    party_orgs = {p.organization_id: p.pk for p in proposal.partnership.parties.all()}
    people = Participant.objects.filter(
        partnership=proposal.partnership, role__in=APPROVER_ROLES
    ).select_related("user")
    for person in people:
        if person.organization_id in party_orgs:
            names = result.setdefault(party_orgs[person.organization_id], [])
            name = lens.name(person.user)
            if name not in names:
                names.append(name)
    return result


# — cycle time —


@dataclass
class CycleTable:
    parties: list[Party]
    rows: list[dict[str, Any]]  # domain, cells [(median, mean, count)], overall
    party_totals: list[tuple[float | None, int]]
    overall: tuple[float | None, float | None, int]
    open_count: int
    quarters: list[tuple[str, float | None, int]]


def _num(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 1)


def cycle_times(*, partnership: Partnership, viewer: Any) -> CycleTable:
    """Proposal-to-decision days per domain and proposing party, with totals and a quarterly
    trend, measured by :func:`accord.domain.decision_rights.cycle_time_stats`."""
    party_list = parties(partnership=partnership)
    domain_list = list(
        DecisionDomain.objects.filter(partnership=partnership).order_by("archived_at", "position")
    )
    rows = list(
        proposals(partnership=partnership, viewer=viewer)
        .filter(withdrawn_at__isnull=True)
        .values_list("domain_id", "proposer_party_id", "proposed_at", "decided_at")
    )
    d_index = {d.pk: i for i, d in enumerate(domain_list)}
    p_index = {p.pk: i for i, p in enumerate(party_list)}
    rows = [r for r in rows if r[0] in d_index and r[1] in p_index]
    domain_idx = [d_index[r[0]] for r in rows]
    party_idx = [p_index[r[1]] for r in rows]
    proposed = [r[2].timestamp() for r in rows]
    decided = [r[3].timestamp() if r[3] else np.nan for r in rows]
    n_d, n_p = max(len(domain_list), 1), max(len(party_list), 1)
    by_cell = dr.cycle_time_stats(
        domain_idx, party_idx, proposed, decided, n_domains=n_d, n_parties=n_p
    )
    zeros = [0] * len(rows)
    by_domain = dr.cycle_time_stats(
        domain_idx, zeros, proposed, decided, n_domains=n_d, n_parties=1
    )
    by_party = dr.cycle_time_stats(zeros, party_idx, proposed, decided, n_domains=1, n_parties=n_p)
    overall = dr.cycle_time_stats(zeros, zeros, proposed, decided, n_domains=1, n_parties=1)
    table_rows = []
    for i, domain in enumerate(domain_list):
        if by_domain.count[i, 0] == 0 and domain.archived_at is not None:
            continue
        table_rows.append(
            {
                "domain": domain,
                "cells": [
                    (_num(by_cell.median_days[i, j]), int(by_cell.count[i, j]))
                    for j in range(len(party_list))
                ],
                "median": _num(by_domain.median_days[i, 0]),
                "mean": _num(by_domain.mean_days[i, 0]),
                "count": int(by_domain.count[i, 0]),
            }
        )
    # Quarterly trend of the median, by quarter of decision.
    quarters: list[tuple[str, float | None, int]] = []
    decided_rows = [r for r in rows if r[3] is not None]
    if decided_rows:
        labels = sorted({f"{r[3].year} Q{(r[3].month - 1) // 3 + 1}" for r in decided_rows})
        q_index = {label: i for i, label in enumerate(labels)}
        q_idx = [q_index[f"{r[3].year} Q{(r[3].month - 1) // 3 + 1}"] for r in decided_rows]
        by_q = dr.cycle_time_stats(
            q_idx,
            [0] * len(decided_rows),
            [r[2].timestamp() for r in decided_rows],
            [r[3].timestamp() for r in decided_rows],
            n_domains=len(labels),
            n_parties=1,
        )
        quarters = [
            (label, _num(by_q.median_days[i, 0]), int(by_q.count[i, 0]))
            for i, label in enumerate(labels)
        ]
    return CycleTable(
        parties=party_list,
        rows=table_rows,
        party_totals=[
            (_num(by_party.median_days[0, j]), int(by_party.count[0, j]))
            for j in range(len(party_list))
        ],
        overall=(
            _num(overall.median_days[0, 0]),
            _num(overall.mean_days[0, 0]),
            int(overall.count[0, 0]),
        ),
        open_count=sum(1 for r in rows if r[3] is None),
        quarters=quarters,
    )


@dataclass(frozen=True)
class ProposalSummary:
    open_count: int
    overall: tuple[float | None, float | None, int]  # as CycleTable.overall


def proposal_summary(*, partnership: Partnership, viewer: Any) -> ProposalSummary:
    """The open proposals the viewer sees and :func:`cycle_times`' overall figure (median and
    mean days to decide, decisions counted), in one query: what the matrix page shows of them."""
    rows = list(
        Proposal.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .values_list(
            "closed_at",
            "withdrawn_at",
            "domain__partnership_id",
            "proposer_party__partnership_id",
            "proposed_at",
            "decided_at",
        )
    )
    # cycle_times counts the proposals not withdrawn, in this partnership's domains and parties.
    timed = [r for r in rows if r[1] is None and r[2] == r[3] == partnership.pk]
    zeros = [0] * len(timed)
    overall = dr.cycle_time_stats(
        zeros,
        zeros,
        [r[4].timestamp() for r in timed],
        [r[5].timestamp() if r[5] else np.nan for r in timed],
        n_domains=1,
        n_parties=1,
    )
    return ProposalSummary(
        open_count=sum(1 for r in rows if r[0] is None),
        overall=(
            _num(overall.median_days[0, 0]),
            _num(overall.mean_days[0, 0]),
            int(overall.count[0, 0]),
        ),
    )
