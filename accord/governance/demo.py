"""Demo governance per archetype, written with bulk inserts.

Every partnership gets the starter domains scored by each party, the recommender's advice
accepted (one override where one party dominates), a joint steering committee where the parties
work as one team, and proposals over its life whose speed and objections tell its story:

- healthy: quick decisions, rare objections, the charter signed by both sides;
- drifting: decisions slow down quarter by quarter and objections multiply (the vicious circle);
- one_sided: the dominant party's proposals pass quickly, the other's wait;
- recovering: slow and contested before the intervention, faster since;
- transactional: few decisions, mostly independent, quick.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from typing import Any

import numpy as np

from accord.demo.bulk import insert_objects
from accord.demo.generator import DemoContext, LoadedPartnership, demo_extension
from accord.domain import decision_rights as dr
from accord.governance.models import (
    CharterSignoff,
    DecisionDomain,
    DomainScore,
    GovernanceSettings,
    InputRequest,
    JointBody,
    JointBodyMember,
    Outcome,
    Proposal,
    Stance,
)
from accord.governance.rules import APPROVER_ROLES

NAMED = 8
PROPOSALS = {"healthy": 12, "drifting": 16, "one_sided": 12, "recovering": 14, "transactional": 4}
TITLES = {
    "research_direction": (
        "Add a second target to the discovery plan",
        "Drop the legacy assay",
        "Run the biomarker substudy",
    ),
    "development_strategy": (
        "Move the go/no-go to after the interim readout",
        "Add a PK study",
        "Switch to the subcutaneous formulation",
    ),
    "commercialization": (
        "Launch in the EU before the US",
        "Price tier for public payers",
        "Appoint a distributor for LATAM",
    ),
    "budget": (
        "Shift 200k from discovery to CMC",
        "Approve the Q3 budget revision",
        "Release the contingency for the stability study",
    ),
    "staffing": (
        "Add a joint project manager",
        "Second a QA lead for six months",
        "Replace the CMC workstream lead",
    ),
    "ip": (
        "File a joint provisional on the linker",
        "License the assay to a third party",
        "Extend the patent family to Japan",
    ),
    "communications": (
        "Press release on the milestone",
        "Joint poster at the congress",
        "Answer the analyst question on the partnership",
    ),
}
REASONS = (
    "The numbers behind this have not been shared with us.",
    "This shifts risk onto our side without compensation.",
    "We were not consulted before this was drafted.",
    "The timeline is not realistic for our team.",
)


def _at(day: Any, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _scores(archetype: str, n_parties: int, rng: random.Random) -> np.ndarray:
    """(7 domains, parties, 4) self-scores that fit the archetype."""
    base = np.array([[rng.uniform(1, 5) for _ in range(4)] for _ in range(n_parties)])
    out = np.empty((len(dr.STARTER_DOMAINS), n_parties, 4))
    for i in range(len(dr.STARTER_DOMAINS)):
        noise = [[rng.uniform(-1.5, 1.5) for _ in range(4)] for _ in range(n_parties)]
        row = base + np.array(noise)
        if archetype == "one_sided":
            row[0, :2] += 2.0  # the first party brings most of the expertise and resources
            row[1:, 2:] -= 1.0
        if archetype == "transactional":
            row[:, 2:] -= 1.5
        out[i] = row
    return np.clip(np.round(out * 2) / 2, 0, 5)


def _people(lp: LoadedPartnership) -> dict[int, dict[str, list[Any]]]:
    by_org: dict[int, dict[str, list[Any]]] = {}
    for p in lp.participants:
        by_org.setdefault(p.organization_id, {}).setdefault(p.role, []).append(p)
    return by_org


@demo_extension("governance")
def governance_demo(ctx: DemoContext) -> None:
    rng = ctx.rng("governance")
    loaded = [lp for lp in ctx.partnerships if len(lp.parties) >= 2]
    if not loaded:
        return
    GovernanceSettings.objects.bulk_create(
        [
            GovernanceSettings(
                partnership=lp.partnership,
                hide_stances_until_closed=lp.archetype in ("drifting", "one_sided"),
                set_up_at=_at(lp.start),
            )
            for lp in loaded
        ]
    )

    # Joint steering committees where the parties work as one team.
    bodies: dict[int, JointBody] = {}
    members: list[tuple[JointBody, list[Any]]] = []
    for lp in loaded:
        if lp.archetype == "transactional":
            continue
        people = _people(lp)
        chosen = [
            p
            for party in lp.parties
            for role in ("alliance_manager", "member")
            for p in people.get(party.organization_id, {}).get(role, [])[:1]
        ]
        if len({p.organization_id for p in chosen}) < 2:
            continue
        body = JointBody(
            partnership=lp.partnership,
            owner_org_id=lp.parties[0].organization_id,
            name="Joint Steering Committee",
            mandate="Operational choices within the agreed plan and budget.",
            quorum=max(2, len(chosen) // 2 + 1),
            created_at=_at(lp.start),
        )
        bodies[lp.partnership.pk] = body
        members.append((body, chosen))
    JointBody.objects.bulk_create(list(bodies.values()))
    JointBodyMember.objects.bulk_create(
        [JointBodyMember(body=body, participant=p) for body, chosen in members for p in chosen]
    )
    body_members = {body.pk: {p.user_id for p in chosen} for body, chosen in members}

    # Scores for every (partnership, domain, party), then one vectorized recommendation.
    n_domains = len(dr.STARTER_DOMAINS)
    width = max(len(lp.parties) for lp in loaded)
    scores = np.zeros((len(loaded) * n_domains, width, 4))
    mask = np.zeros((len(loaded) * n_domains, width), dtype=bool)
    frequent = np.zeros(len(loaded) * n_domains, dtype=bool)
    joint_team = np.zeros(len(loaded) * n_domains, dtype=bool)
    for i, lp in enumerate(loaded):
        block = _scores(lp.archetype, len(lp.parties), rng)
        rows = slice(i * n_domains, (i + 1) * n_domains)
        scores[rows, : len(lp.parties)] = block
        mask[rows, : len(lp.parties)] = True
        if lp.partnership.pk in bodies:
            staffing = i * n_domains + 4
            frequent[staffing] = joint_team[staffing] = True
    batch = dr.recommend_batch(scores, mask, frequent, joint_team)

    domains: list[DecisionDomain] = []
    for i, lp in enumerate(loaded):
        for j, template in enumerate(dr.STARTER_DOMAINS):
            row = i * n_domains + j
            mode = str(batch.mode[row])
            owner = lp.parties[int(batch.owner[row])] if batch.owner[row] >= 0 else None
            body = bodies.get(lp.partnership.pk) if mode == "delegated" else None
            basis, reason = DecisionDomain.Basis.RECOMMENDED, ""
            if lp.archetype == "one_sided" and template.key == "budget":
                mode, owner, basis = "independent", lp.parties[0], DecisionDomain.Basis.OVERRIDDEN
                reason = f"{lp.parties[0].organization.name} funds most of the programme."
            domains.append(
                DecisionDomain(
                    partnership=lp.partnership,
                    owner_org_id=lp.parties[0].organization_id,
                    key=template.key,
                    label=template.label,
                    description=template.description,
                    position=j,
                    mode=mode,
                    owner_party=owner,
                    joint_body=body,
                    frequent_operational_choices=bool(frequent[row]),
                    has_joint_team=bool(joint_team[row]),
                    basis=basis,
                    recommended_mode=str(batch.mode[row]),
                    recommended_rule=dr.RULES[int(batch.rule[row])].value,
                    override_reason=reason,
                    rights_set_at=_at(lp.start + timedelta(days=14)),
                    created_at=_at(lp.start),
                )
            )
    DecisionDomain.objects.bulk_create(domains, batch_size=2000)
    insert_objects(
        [
            DomainScore(
                domain=domains[i * n_domains + j],
                party=party,
                expertise=float(scores[i * n_domains + j, k, 0]),
                resources=float(scores[i * n_domains + j, k, 1]),
                risk_exposure=float(scores[i * n_domains + j, k, 2]),
                strategic_importance=float(scores[i * n_domains + j, k, 3]),
                scored_at=_at(lp.start + timedelta(days=10)),
            )
            for i, lp in enumerate(loaded)
            for j in range(n_domains)
            for k, party in enumerate(lp.parties)
        ]
    )

    _proposals(ctx, loaded, domains, bodies, body_members, rng)


def _cycle_days(archetype: str, progress: float, dominant: bool, rng: random.Random) -> float:
    """Days from proposal to decision; progress runs from 0 (start) to 1 (today)."""
    if archetype == "drifting":
        base = 3 + 25 * progress**1.5
    elif archetype == "one_sided":
        base = 2 if dominant else 16
    elif archetype == "recovering":
        base = 22 if progress < 0.7 else 5
    elif archetype == "transactional":
        base = 2
    else:
        base = 4
    return max(0.2, base * rng.lognormvariate(0, 0.35))


def _objection_odds(archetype: str, progress: float) -> float:
    if archetype == "drifting":
        return 0.05 + 0.55 * progress
    if archetype == "recovering":
        return 0.4 if progress < 0.7 else 0.05
    if archetype == "one_sided":
        return 0.25
    return 0.04


def _proposals(
    ctx: DemoContext,
    loaded: list[LoadedPartnership],
    domains: list[DecisionDomain],
    bodies: dict[int, JointBody],
    body_members: dict[int, set[int]],
    rng: random.Random,
) -> None:
    n_domains = len(dr.STARTER_DOMAINS)
    now = _at(ctx.anchor, 9)
    proposals: list[Proposal] = []
    plans: list[dict[str, Any]] = []
    for i, lp in enumerate(loaded):
        people = _people(lp)
        approvers = {
            party.pk: [
                p
                for role in APPROVER_ROLES
                for p in people.get(party.organization_id, {}).get(str(role), [])
            ]
            for party in lp.parties
        }
        span = max((ctx.anchor - lp.start).days - 30, 30)
        # The named demo partnerships get a full history; generated ones (scale runs) half.
        count = PROPOSALS[lp.archetype] if i < NAMED else PROPOSALS[lp.archetype] // 2
        for n in range(count):
            progress = (n + rng.random()) / count
            proposed_at = _at(lp.start + timedelta(days=30 + int(span * progress)), 9 + n % 8)
            if n == count - 1:  # something on the table today
                progress, proposed_at = 1.0, now - timedelta(days=2, hours=3)
            domain = domains[i * n_domains + rng.randrange(n_domains)]
            dominant = lp.archetype == "one_sided" and rng.random() < 0.7
            proposer = lp.parties[0] if dominant else rng.choice(lp.parties)
            if domain.mode in ("independent", "consultative") and rng.random() < 0.6:
                proposer = domain.owner_party
            author = (approvers.get(proposer.pk) or [None])[0]
            decided_at = proposed_at + timedelta(
                days=_cycle_days(lp.archetype, progress, proposer == lp.parties[0], rng)
            )
            objection = domain.mode == "consensus" and rng.random() < _objection_odds(
                lp.archetype, progress
            )
            if decided_at > now or objection:
                decided_at = None
            withdrawn_at = None
            if objection and proposed_at < now - timedelta(days=45):
                withdrawn_at = proposed_at + timedelta(days=rng.randint(20, 40))
            title = rng.choice(TITLES[domain.key])
            proposals.append(
                Proposal(
                    partnership=lp.partnership,
                    owner_org_id=proposer.organization_id,
                    created_by_id=author.user_id if author else None,
                    domain=domain,
                    title=title,
                    description="Proposed in the monthly alliance meeting; details in the "
                    "shared folder.",
                    proposer_party=proposer,
                    mode=domain.mode,
                    owner_party=domain.owner_party,
                    joint_body=domain.joint_body,
                    consultation_closes_at=proposed_at + timedelta(days=7)
                    if domain.mode == "consultative"
                    else None,
                    proposed_at=proposed_at,
                    decided_at=decided_at,
                    withdrawn_at=withdrawn_at,
                    closed_at=decided_at or withdrawn_at,
                    created_at=proposed_at,
                )
            )
            plans.append({"lp": lp, "approvers": approvers, "objection": objection, "title": title})
    Proposal.objects.bulk_create(proposals, batch_size=2000)

    stances: list[Stance] = []
    requests: list[InputRequest] = []
    outcomes: list[Outcome] = []
    for proposal, plan in zip(proposals, plans, strict=True):
        lp, approvers = plan["lp"], plan["approvers"]
        end = proposal.closed_at or now
        step = (end - proposal.proposed_at) / 3
        if proposal.mode == "consensus":
            objector = rng.choice([p for p in lp.parties if p != proposal.proposer_party])
            for k, party in enumerate(lp.parties):
                who = (approvers.get(party.pk) or [None])[0]
                if who is None:
                    continue
                objects = plan["objection"] and party == objector
                if proposal.decided_at is None and not objects and rng.random() < 0.4:
                    continue  # still thinking about it
                stances.append(
                    Stance(
                        proposal=proposal,
                        party=party,
                        user_id=who.user_id,
                        choice="object" if objects else "approve",
                        reason=rng.choice(REASONS) if objects else "",
                        created_at=proposal.proposed_at + step * (1 + k % 2),
                        updated_at=proposal.proposed_at + step * (1 + k % 2),
                    )
                )
        elif proposal.mode == "delegated" and proposal.joint_body_id:
            voters = sorted(body_members[proposal.joint_body_id])
            for k, user_id in enumerate(voters[: proposal.joint_body.quorum]):
                party = next(
                    p
                    for p in lp.parties
                    if any(
                        x.user_id == user_id and x.organization_id == p.organization_id
                        for x in lp.participants
                    )
                )
                stances.append(
                    Stance(
                        proposal=proposal,
                        party=party,
                        user_id=user_id,
                        choice="approve",
                        created_at=proposal.proposed_at + step * (1 + k % 2),
                        updated_at=proposal.proposed_at + step * (1 + k % 2),
                    )
                )
        elif proposal.mode == "consultative":
            for party in lp.parties:
                if party == proposal.owner_party:
                    continue
                answered = proposal.decided_at is not None or rng.random() < 0.5
                who = (approvers.get(party.pk) or [None])[0]
                requests.append(
                    InputRequest(
                        proposal=proposal,
                        party=party,
                        requested_by_id=proposal.created_by_id,
                        requested_at=proposal.proposed_at,
                        answer="Agreed in principle; please keep our QA team in the loop."
                        if answered
                        else "",
                        answered_by_id=who.user_id if answered and who else None,
                        answered_at=proposal.proposed_at + step if answered else None,
                    )
                )
        if proposal.decided_at is not None:
            owner_party = proposal.owner_party or proposal.proposer_party
            who = (approvers.get(owner_party.pk) or [None])[0]
            outcomes.append(
                Outcome(
                    proposal=proposal,
                    statement=f"Agreed: {plan['title'].lower()}.",
                    review_on=(proposal.decided_at + timedelta(days=90)).date()
                    if rng.random() < 0.5
                    else None,
                    decided_by_id=who.user_id if who else None,
                    decided_by_party=owner_party if proposal.mode != "delegated" else None,
                    rule={
                        "independent": dr.DECIDE_OWNER,
                        "consultative": dr.DECIDE_ALL_ANSWERED,
                        "consensus": dr.DECIDE_ALL_APPROVED,
                        "delegated": dr.DECIDE_QUORUM_MAJORITY,
                    }[proposal.mode],
                    created_at=proposal.decided_at,
                )
            )
    insert_objects(stances)
    insert_objects(requests)
    insert_objects(outcomes)
    _signoffs(loaded, ctx)


def _signoffs(loaded: list[LoadedPartnership], ctx: DemoContext) -> None:
    """Healthy partnerships among the named ones have signed the charter as it reads today."""
    from accord.governance.charter import build_charter, charter_markdown
    from accord.governance.services import charter_hash

    signoffs = []
    for lp in loaded[:20]:
        if lp.archetype != "healthy":
            continue
        digest = charter_hash(
            charter_markdown(build_charter(partnership=lp.partnership), signoffs=False)
        )
        for party in lp.parties:
            signer = next(
                (
                    p
                    for p in lp.participants
                    if p.organization_id == party.organization_id and p.role in APPROVER_ROLES
                ),
                None,
            )
            signoffs.append(
                CharterSignoff(
                    partnership=lp.partnership,
                    party=party,
                    signed_by_id=signer.user_id if signer else None,
                    signed_at=_at(lp.start + timedelta(days=21)),
                    charter_hash=digest,
                )
            )
    CharterSignoff.objects.bulk_create(signoffs)
