"""Writes for governance. Each service validates, saves, audits and notifies in one transaction.

Every service that changes a proposal first locks its row (SELECT … FOR UPDATE) and re-reads it,
so two approvers acting at once, or an approval racing a withdrawal, are applied one after the
other and end in one consistent state.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accord.domain import decision_rights as dr
from accord.governance import selectors
from accord.governance.models import (
    CharterSignoff,
    DecisionDomain,
    DomainScore,
    GovernanceSettings,
    InputRequest,
    JointBody,
    JointBodyMember,
    Mode,
    Outcome,
    Proposal,
    Stance,
)
from accord.governance.rules import is_approver, party_leads, party_people, user_party
from accord.notifications.services import notify
from accord.partnerships.audit import record_event
from accord.partnerships.models import Participant, Partnership, Party

ALREADY_SET_UP = "Governance is already set up for this partnership."
NOT_SET_UP = "Set up governance for this partnership first."
LABEL_REQUIRED = "Give the decision domain a name."
LABEL_TAKEN = "This partnership already has a decision domain with that name."
DOMAIN_HAS_OPEN_PROPOSALS = (
    "This domain has open proposals; decide or withdraw them before removing the domain."
)
NOT_A_PARTY_MEMBER = "Only people from the partnership's parties can do this."
SCORES_OWN_PARTY_ONLY = "Each party scores itself; you can only enter your own party's scores."
SCORES_INCOMPLETE = "Every party must score this domain before the recommender can propose a mode."
OVERRIDE_REASON_REQUIRED = "Say why you override the recommendation; the reason is recorded."
OWNER_REQUIRED = "Independent and consultative domains need an owner party."
OWNER_NOT_A_PARTY = "The owner must be one of this partnership's parties."
BODY_REQUIRED = "Delegated domains need a joint body to decide."
BODY_NOT_HERE = "Choose a joint body of this partnership."
BODY_NAME_REQUIRED = "Give the joint body a name."
BODY_NAME_TAKEN = "This partnership already has a joint body with that name."
BODY_MEMBERS_PARTIES = "A joint body needs members from at least two parties."
BODY_MEMBERS_NOT_HERE = "Members must be participants of this partnership's parties."
BODY_QUORUM_TOO_HIGH = "The quorum cannot be larger than the number of members."
BODY_QUORUM_TOO_LOW = "The quorum must be at least 1."
BODY_IN_USE = "Domains delegated to this joint body must be given another decider first."
TITLE_REQUIRED = "Give the proposal a title."
DOMAIN_ARCHIVED = "This decision domain has been removed."
PROPOSAL_CLOSED = "This proposal is already closed: it was decided or withdrawn."
PROPOSAL_DECIDED = "This proposal has already been decided."
PROPOSAL_WITHDRAWN = "This proposal was withdrawn."
WITHDRAW_NOT_PROPOSER = (
    "Only the proposing party's people who made the proposal, or its approvers, can withdraw it."
)
OBJECTION_NEEDS_REASON = "Say why you object: an objection needs a reason."
STANCE_NOT_APPROVER = (
    "In a consensus decision, stances come from each party's approver: its alliance manager or "
    "executive sponsor."
)
STANCE_NOT_ON_BODY = "Only members of the joint body vote on a delegated decision."
STANCE_WRONG_MODE = (
    "Stances are for consensus and delegated decisions; in this mode the owner decides "
    "(consultative decisions collect input instead)."
)
INPUT_WRONG_MODE = "Only consultative proposals collect input from the other parties."
INPUT_NOT_OWNER = "Only the owner party requests input on a consultative decision."
INPUT_ALREADY_REQUESTED = "Input has already been requested from every other party."
INPUT_NOT_REQUESTED = "Your party has not been asked for input on this proposal."
INPUT_ANSWER_REQUIRED = "Write your party's input."
CONSULTATION_DAYS_RANGE = "The consultation window must be between 1 and 90 days."
DECIDE_NOT_AUTHORIZED = (
    "Only an approver (alliance manager or executive sponsor) may record a decision for the owner "
    "party."
)
STATEMENT_REQUIRED = "State what was decided."
REVIEW_BEFORE_DECISION = "The review date cannot be before the decision."
SIGN_NOT_APPROVER = (
    "A charter is signed off for a party by its alliance manager or executive sponsor."
)
ALREADY_SIGNED = "Your party has already signed off this version of the charter."


def _actor_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _settings(partnership: Partnership) -> GovernanceSettings:
    found = GovernanceSettings.objects.filter(partnership=partnership).first()
    if found is None:
        raise ValidationError(NOT_SET_UP)
    return found


def _require_party(user: Any, partnership: Partnership) -> Party:
    party = user_party(user, partnership)
    if party is None:
        raise ValidationError(NOT_A_PARTY_MEMBER)
    return party


def _proposal_url(proposal: Proposal) -> str:
    return reverse(
        "governance:proposal_detail",
        kwargs={"pk": proposal.partnership_id, "proposal_id": proposal.pk},
    )


# — setup and settings —


@transaction.atomic
def governance_setup(*, partnership: Partnership, user: Any) -> GovernanceSettings:
    """Create the settings and the starter domains. Every domain starts in consensus: until the
    parties agree otherwise, nobody decides for the others."""
    party = _require_party(user, partnership)
    if GovernanceSettings.objects.filter(partnership=partnership).exists():
        raise ValidationError(ALREADY_SET_UP)
    found = GovernanceSettings.objects.create(partnership=partnership, set_up_by=user)
    DecisionDomain.objects.bulk_create(
        [
            DecisionDomain(
                partnership=partnership,
                owner_org_id=party.organization_id,
                created_by=user,
                key=template.key,
                label=template.label,
                description=template.description,
                position=i,
            )
            for i, template in enumerate(dr.STARTER_DOMAINS)
        ]
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.setup",
        summary=f"{_actor_name(user)} set up governance with {len(dr.STARTER_DOMAINS)} starter "
        "decision domains, all in consensus until the parties agree otherwise",
        target=found,
    )
    return found


@transaction.atomic
def settings_update(
    *,
    partnership: Partnership,
    user: Any,
    hide_stances_until_closed: bool,
    consultation_days: int,
) -> GovernanceSettings:
    found = _settings(partnership)
    if not 1 <= consultation_days <= 90:
        raise ValidationError({"consultation_days": CONSULTATION_DAYS_RANGE})
    changes = {
        field: [getattr(found, field), value]
        for field, value in (
            ("hide_stances_until_closed", hide_stances_until_closed),
            ("consultation_days", consultation_days),
        )
        if getattr(found, field) != value
    }
    if not changes:
        return found
    found.hide_stances_until_closed = hide_stances_until_closed
    found.consultation_days = consultation_days
    found.save()
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.settings",
        summary=f"{_actor_name(user)} changed the governance settings",
        target=found,
        changes=changes,
    )
    return found


# — domains —


def _unique_key(partnership: Partnership, label: str) -> str:
    base = slugify(label)[:70] or "domain"
    key, n = base, 2
    while DecisionDomain.objects.filter(partnership=partnership, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


def _check_label(partnership: Partnership, label: str, exclude: int | None = None) -> str:
    label = label.strip()
    if not label:
        raise ValidationError({"label": LABEL_REQUIRED})
    clash = selectors.domains(partnership=partnership).filter(label__iexact=label)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"label": LABEL_TAKEN})
    return label


@transaction.atomic
def domain_add(
    *, partnership: Partnership, user: Any, label: str, description: str = ""
) -> DecisionDomain:
    _settings(partnership)
    party = _require_party(user, partnership)
    label = _check_label(partnership, label)
    last = selectors.domains(partnership=partnership).order_by("-position").first()
    domain = DecisionDomain.objects.create(
        partnership=partnership,
        owner_org_id=party.organization_id,
        created_by=user,
        key=_unique_key(partnership, label),
        label=label,
        description=description.strip(),
        position=(last.position + 1) if last else 0,
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.domain_add",
        summary=f"{_actor_name(user)} added the decision domain “{label}” (consensus until agreed)",
        target=domain,
    )
    return domain


@transaction.atomic
def domain_rename(
    *, domain: DecisionDomain, user: Any, label: str, description: str
) -> DecisionDomain:
    label = _check_label(domain.partnership, label, exclude=domain.pk)
    description = description.strip()
    changes = {
        f: [getattr(domain, f), v]
        for f, v in (("label", label), ("description", description))
        if getattr(domain, f) != v
    }
    if not changes:
        return domain
    old = domain.label
    domain.label, domain.description = label, description
    domain.save(update_fields=["label", "description", "updated_at"])
    record_event(
        partnership=domain.partnership,
        actor=user,
        action="governance.domain_rename",
        summary=f"{_actor_name(user)} edited the decision domain “{old}”"
        + (f" (now “{label}”)" if old != label else ""),
        target=domain,
        changes=changes,
    )
    return domain


@transaction.atomic
def domain_remove(*, domain: DecisionDomain, user: Any) -> None:
    """Domains with decisions are archived so their history stays readable; others are deleted."""
    if domain.proposals.filter(closed_at__isnull=True).exists():
        raise ValidationError(DOMAIN_HAS_OPEN_PROPOSALS)
    record_event(
        partnership=domain.partnership,
        actor=user,
        action="governance.domain_remove",
        summary=f"{_actor_name(user)} removed the decision domain “{domain.label}”",
        target=domain,
    )
    if domain.proposals.exists():
        domain.archived_at = timezone.now()
        domain.save(update_fields=["archived_at", "updated_at"])
    else:
        domain.delete()


@transaction.atomic
def domain_flags_set(
    *,
    domain: DecisionDomain,
    user: Any,
    frequent_operational_choices: bool,
    has_joint_team: bool,
) -> DecisionDomain:
    changes = {
        f: [getattr(domain, f), v]
        for f, v in (
            ("frequent_operational_choices", frequent_operational_choices),
            ("has_joint_team", has_joint_team),
        )
        if getattr(domain, f) != v
    }
    if not changes:
        return domain
    domain.frequent_operational_choices = frequent_operational_choices
    domain.has_joint_team = has_joint_team
    domain.save(update_fields=[*changes, "updated_at"])
    record_event(
        partnership=domain.partnership,
        actor=user,
        action="governance.domain_flags",
        summary=f"{_actor_name(user)} updated how “{domain.label}” works day to day",
        target=domain,
        changes=changes,
    )
    return domain


@transaction.atomic
def domain_scores_set(
    *,
    domain: DecisionDomain,
    user: Any,
    party: Party,
    expertise: float,
    resources: float,
    risk_exposure: float,
    strategic_importance: float,
) -> DomainScore:
    """A party scores itself: the scores say what it brings and what it risks."""
    if user_party(user, domain.partnership) != party:
        raise ValidationError(SCORES_OWN_PARTY_ONLY)
    values = {
        "expertise": float(expertise),
        "resources": float(resources),
        "risk_exposure": float(risk_exposure),
        "strategic_importance": float(strategic_importance),
    }
    bad = {name: dr.SCORE_OUT_OF_RANGE for name, v in values.items() if not dr.is_valid_score(v)}
    if bad:
        raise ValidationError(bad)
    score, _created = DomainScore.objects.update_or_create(
        domain=domain,
        party=party,
        defaults={**values, "scored_by": user, "scored_at": timezone.now()},
    )
    record_event(
        partnership=domain.partnership,
        actor=user,
        action="governance.domain_scores",
        summary=f"{_actor_name(user)} scored {party.organization.name} for “{domain.label}”",
        target=domain,
        changes={"party": party.organization.name, **values},
    )
    return score


def _validate_decider(
    domain: DecisionDomain, mode: str, owner_party: Party | None, joint_body: JointBody | None
) -> tuple[Party | None, JointBody | None]:
    if mode not in Mode.values:
        raise ValidationError({"mode": f"Choose one of: {', '.join(Mode.values)}."})
    if mode in (Mode.INDEPENDENT, Mode.CONSULTATIVE):
        if owner_party is None:
            raise ValidationError({"owner_party": OWNER_REQUIRED})
        if owner_party.partnership_id != domain.partnership_id:
            raise ValidationError({"owner_party": OWNER_NOT_A_PARTY})
        return owner_party, None
    if mode == Mode.DELEGATED:
        if joint_body is None:
            raise ValidationError({"joint_body": BODY_REQUIRED})
        if joint_body.partnership_id != domain.partnership_id:
            raise ValidationError({"joint_body": BODY_NOT_HERE})
        return None, joint_body
    return None, None


def _set_rights(
    domain: DecisionDomain,
    user: Any,
    *,
    mode: str,
    owner_party: Party | None,
    joint_body: JointBody | None,
    basis: str,
    recommendation: selectors.DomainRecommendation | None,
    reason: str,
) -> None:
    before = {
        "mode": domain.mode,
        "owner": domain.owner_party.organization.name if domain.owner_party else None,
        "joint_body": domain.joint_body.name if domain.joint_body else None,
    }
    domain.mode = mode
    domain.owner_party = owner_party
    domain.joint_body = joint_body
    domain.basis = basis
    domain.override_reason = reason
    domain.recommended_mode = recommendation.mode if recommendation else ""
    domain.recommended_rule = recommendation.rule if recommendation else ""
    domain.recommended_reasoning = recommendation.reasoning if recommendation else ""
    domain.rights_set_at = timezone.now()
    domain.rights_set_by = user
    domain.save()
    after = {
        "mode": mode,
        "owner": owner_party.organization.name if owner_party else None,
        "joint_body": joint_body.name if joint_body else None,
    }
    verb = (
        "accepted the recommendation" if basis == "recommended" else "overrode the recommendation"
    )
    summary = (
        f"{_actor_name(user)} {verb} for “{domain.label}”: {Mode(mode).label.lower()}"
        f", decided by {domain.decider_label()}"
    )
    if reason:
        summary += f" — reason: {reason}"
    record_event(
        partnership=domain.partnership,
        actor=user,
        action=f"governance.rights_{'accept' if basis == 'recommended' else 'override'}",
        summary=summary,
        target=domain,
        changes={
            "before": before,
            "after": after,
            "recommended": {
                "mode": recommendation.mode if recommendation else None,
                "rule": recommendation.rule if recommendation else None,
                "reasoning": recommendation.reasoning if recommendation else None,
            },
            "reason": reason,
        },
    )


@transaction.atomic
def domain_rights_accept(
    *, domain: DecisionDomain, user: Any, joint_body: JointBody | None = None
) -> DecisionDomain:
    """Adopt the recommender's mode and owner; a delegated recommendation needs a joint body."""
    recommendation = selectors.domain_recommendation(domain=domain)
    if recommendation is None:
        raise ValidationError(SCORES_INCOMPLETE)
    owner, body = _validate_decider(
        domain, recommendation.mode, recommendation.owner_party, joint_body
    )
    _set_rights(
        domain,
        user,
        mode=recommendation.mode,
        owner_party=owner,
        joint_body=body,
        basis=DecisionDomain.Basis.RECOMMENDED,
        recommendation=recommendation,
        reason="",
    )
    return domain


@transaction.atomic
def domain_rights_override(
    *,
    domain: DecisionDomain,
    user: Any,
    mode: str,
    owner_party: Party | None,
    joint_body: JointBody | None,
    reason: str,
) -> DecisionDomain:
    """Set a mode and decider other than the recommender's, with the reason on record."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": OVERRIDE_REASON_REQUIRED})
    owner, body = _validate_decider(domain, mode, owner_party, joint_body)
    _set_rights(
        domain,
        user,
        mode=mode,
        owner_party=owner,
        joint_body=body,
        basis=DecisionDomain.Basis.OVERRIDDEN,
        recommendation=selectors.domain_recommendation(domain=domain),
        reason=reason,
    )
    return domain


# — joint bodies —


def _validate_body(
    partnership: Partnership,
    name: str,
    quorum: int,
    members: list[Participant],
    exclude: int | None = None,
) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": BODY_NAME_REQUIRED})
    clash = JointBody.objects.filter(partnership=partnership, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"name": BODY_NAME_TAKEN})
    party_orgs = set(partnership.parties.values_list("organization_id", flat=True))
    if any(
        m.partnership_id != partnership.pk
        or m.organization_id not in party_orgs
        or m.role == Participant.Role.OBSERVER
        for m in members
    ):
        raise ValidationError({"members": BODY_MEMBERS_NOT_HERE})
    if len({m.organization_id for m in members}) < 2:
        raise ValidationError({"members": BODY_MEMBERS_PARTIES})
    if quorum < 1:
        raise ValidationError({"quorum": BODY_QUORUM_TOO_LOW})
    if quorum > len(members):
        raise ValidationError({"quorum": BODY_QUORUM_TOO_HIGH})
    return name


@transaction.atomic
def joint_body_create(
    *,
    partnership: Partnership,
    user: Any,
    name: str,
    mandate: str,
    quorum: int,
    members: list[Participant],
) -> JointBody:
    _settings(partnership)
    party = _require_party(user, partnership)
    name = _validate_body(partnership, name, quorum, members)
    body = JointBody.objects.create(
        partnership=partnership,
        owner_org_id=party.organization_id,
        created_by=user,
        name=name,
        mandate=mandate.strip(),
        quorum=quorum,
    )
    JointBodyMember.objects.bulk_create(
        [JointBodyMember(body=body, participant=m) for m in members]
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.body_create",
        summary=f"{_actor_name(user)} formed the joint body “{name}” with {len(members)} members "
        f"and a quorum of {quorum}",
        target=body,
        changes={"members": [_actor_name(m.user) for m in members], "quorum": quorum},
    )
    return body


@transaction.atomic
def joint_body_update(
    *,
    body: JointBody,
    user: Any,
    name: str,
    mandate: str,
    quorum: int,
    members: list[Participant],
) -> JointBody:
    JointBody.objects.select_for_update().filter(pk=body.pk).exists()
    name = _validate_body(body.partnership, name, quorum, members, exclude=body.pk)
    before = sorted(_actor_name(m.participant.user) for m in body.memberships.all())
    body.name, body.mandate, body.quorum = name, mandate.strip(), quorum
    body.save()
    body.memberships.all().delete()
    JointBodyMember.objects.bulk_create(
        [JointBodyMember(body=body, participant=m) for m in members]
    )
    record_event(
        partnership=body.partnership,
        actor=user,
        action="governance.body_update",
        summary=f"{_actor_name(user)} updated the joint body “{name}”",
        target=body,
        changes={
            "members": [before, sorted(_actor_name(m.user) for m in members)],
            "quorum": quorum,
        },
    )
    return body


@transaction.atomic
def joint_body_delete(*, body: JointBody, user: Any) -> None:
    if body.domains.exists():
        raise ValidationError(BODY_IN_USE)
    if Proposal.objects.filter(joint_body=body).exists():
        raise ValidationError(BODY_IN_USE)
    record_event(
        partnership=body.partnership,
        actor=user,
        action="governance.body_delete",
        summary=f"{_actor_name(user)} dissolved the joint body “{body.name}”",
        target=body,
    )
    body.delete()


# — proposals —


def _lock(proposal: Proposal) -> Proposal:
    """Lock the proposal's row and return it fresh; every write to a proposal starts here."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("partnership", "domain", "owner_party__organization", "joint_body")
        .get(pk=proposal.pk)
    )


def _require_open(proposal: Proposal) -> None:
    if proposal.decided_at is not None:
        raise ValidationError(PROPOSAL_DECIDED)
    if proposal.withdrawn_at is not None:
        raise ValidationError(PROPOSAL_WITHDRAWN)


def _create_input_requests(proposal: Proposal, user: Any, days: int, now: datetime) -> int:
    others = [
        p
        for p in proposal.partnership.parties.select_related("organization")
        if p.pk != proposal.owner_party_id
    ]
    asked = set(proposal.input_requests.values_list("party_id", flat=True))
    new = [p for p in others if p.pk not in asked]
    if not new:
        raise ValidationError(INPUT_ALREADY_REQUESTED)
    InputRequest.objects.bulk_create(
        [InputRequest(proposal=proposal, party=p, requested_by=user, requested_at=now) for p in new]
    )
    proposal.consultation_closes_at = now + timedelta(days=days)
    proposal.save(update_fields=["consultation_closes_at", "updated_at"])
    for party in new:
        notify(
            recipients=party_leads(party),
            kind="governance.input_requested",
            summary=f"{proposal.owner_party.organization.name} asks for "
            f"{party.organization.name}'s input on “{proposal.title}” by "
            f"{proposal.consultation_closes_at:%d %b %Y}",
            partnership=proposal.partnership,
            url=_proposal_url(proposal),
        )
    return len(new)


@transaction.atomic
def proposal_create(
    *,
    partnership: Partnership,
    user: Any,
    domain: DecisionDomain,
    title: str,
    description: str = "",
    consultation_days: int | None = None,
) -> Proposal:
    """Open a decision in a domain under the domain's current mode. When the owner party proposes
    a consultative decision, input is requested from every other party at once."""
    found = _settings(partnership)
    party = _require_party(user, partnership)
    if domain.partnership_id != partnership.pk or domain.archived_at is not None:
        raise ValidationError({"domain": DOMAIN_ARCHIVED})
    title = title.strip()
    if not title:
        raise ValidationError({"title": TITLE_REQUIRED})
    days = consultation_days if consultation_days is not None else found.consultation_days
    if not 1 <= days <= 90:
        raise ValidationError({"consultation_days": CONSULTATION_DAYS_RANGE})
    now = timezone.now()
    proposal = Proposal.objects.create(
        partnership=partnership,
        owner_org_id=party.organization_id,
        created_by=user,
        domain=domain,
        title=title,
        description=description.strip(),
        proposer_party=party,
        mode=domain.mode,
        owner_party=domain.owner_party,
        joint_body=domain.joint_body,
        proposed_at=now,
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.proposal_create",
        summary=f"{_actor_name(user)} proposed “{title}” in {domain.label} "
        f"({Mode(domain.mode).label.lower()})",
        target=proposal,
        changes={"mode": domain.mode, "domain": domain.label},
    )
    url = _proposal_url(proposal)
    if domain.mode == Mode.CONSULTATIVE and domain.owner_party_id == party.pk:
        _create_input_requests(proposal, user, days, now)
    elif domain.mode in (Mode.INDEPENDENT, Mode.CONSULTATIVE) and domain.owner_party:
        if domain.owner_party_id != party.pk:
            notify(
                recipients=party_leads(domain.owner_party),
                kind="governance.decision_needed",
                summary=f"{party.organization.name} proposes “{title}” in {domain.label}; "
                f"{domain.owner_party.organization.name} decides",
                partnership=partnership,
                url=url,
            )
    elif domain.mode == Mode.CONSENSUS:
        approvers = [u for p in partnership.parties.all() for u in party_leads(p) if u != user]
        notify(
            recipients=approvers,
            kind="governance.approval_needed",
            summary=f"Your approval is needed: “{title}” in {domain.label} (consensus)",
            partnership=partnership,
            url=url,
        )
    elif domain.mode == Mode.DELEGATED and domain.joint_body:
        members = [m.participant.user for m in domain.joint_body.memberships.all()]
        notify(
            recipients=[u for u in members if u != user],
            kind="governance.vote_needed",
            summary=f"{domain.joint_body.name} votes on “{title}” in {domain.label}",
            partnership=partnership,
            url=url,
        )
    return proposal


@transaction.atomic
def proposal_request_input(*, proposal: Proposal, user: Any, days: int | None = None) -> int:
    """The owner party asks every other party for input and starts the consultation window."""
    proposal = _lock(proposal)
    _require_open(proposal)
    if proposal.mode != Mode.CONSULTATIVE:
        raise ValidationError(INPUT_WRONG_MODE)
    if user_party(user, proposal.partnership) != proposal.owner_party:
        raise ValidationError(INPUT_NOT_OWNER)
    days = days if days is not None else _settings(proposal.partnership).consultation_days
    if not 1 <= days <= 90:
        raise ValidationError({"days": CONSULTATION_DAYS_RANGE})
    count = _create_input_requests(proposal, user, days, timezone.now())
    record_event(
        partnership=proposal.partnership,
        actor=user,
        action="governance.input_request",
        summary=f"{_actor_name(user)} asked {count} other part{'y' if count == 1 else 'ies'} for "
        f"input on “{proposal.title}”, open for {days} days",
        target=proposal,
    )
    return count


@transaction.atomic
def input_answer(*, proposal: Proposal, user: Any, answer: str) -> InputRequest:
    proposal = _lock(proposal)
    _require_open(proposal)
    if proposal.mode != Mode.CONSULTATIVE:
        raise ValidationError(INPUT_WRONG_MODE)
    party = _require_party(user, proposal.partnership)
    request = proposal.input_requests.filter(party=party).first()
    if request is None:
        raise ValidationError(INPUT_NOT_REQUESTED)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": INPUT_ANSWER_REQUIRED})
    request.answer, request.answered_by, request.answered_at = answer, user, timezone.now()
    request.save()
    record_event(
        partnership=proposal.partnership,
        actor=user,
        action="governance.input_answer",
        summary=f"{_actor_name(user)} gave {party.organization.name}'s input on “{proposal.title}”",
        target=proposal,
    )
    if proposal.owner_party:
        notify(
            recipients=party_leads(proposal.owner_party),
            kind="governance.input_given",
            summary=f"{party.organization.name} gave its input on “{proposal.title}”",
            partnership=proposal.partnership,
            url=_proposal_url(proposal),
        )
    return request


def _on_body(user: Any, proposal: Proposal) -> bool:
    return bool(
        proposal.joint_body_id
        and JointBodyMember.objects.filter(
            body_id=proposal.joint_body_id, participant__user=user
        ).exists()
    )


def decision_check(
    proposal: Proposal, *, user: Any, now: datetime | None = None
) -> dr.DecisionCheck:
    """Ask the domain rules whether this person may record the decision now."""
    state = selectors.decision_state(proposal=proposal)
    party = user_party(user, proposal.partnership)
    return dr.may_decide(
        state,
        actor_party=party.pk if party else -1,
        now=now or timezone.now(),
        actor_on_joint_body=_on_body(user, proposal),
    )


def _decide(
    proposal: Proposal,
    user: Any,
    party: Party | None,
    check: dr.DecisionCheck,
    statement: str,
    review_on: date | None,
    now: datetime,
) -> Outcome:
    outcome = Outcome.objects.create(
        proposal=proposal,
        statement=statement,
        review_on=review_on,
        decided_by=user,
        decided_by_party=party,
        rule=check.reason,
        created_at=now,
    )
    proposal.decided_at = now
    proposal.closed_at = now
    proposal.save(update_fields=["decided_at", "closed_at", "updated_at"])
    days = (now - proposal.proposed_at).total_seconds() / 86_400
    record_event(
        partnership=proposal.partnership,
        actor=user,
        action="governance.proposal_decide",
        summary=f"“{proposal.title}” decided after {days:.1f} days: {statement}",
        target=proposal,
        changes={"rule": check.reason, "review_on": review_on, "cycle_days": round(days, 3)},
    )
    notify(
        recipients=party_people(proposal.partnership, exclude=user),
        kind="governance.decided",
        summary=f"Decided in {proposal.domain.label}: “{proposal.title}” — {statement}"[:500],
        partnership=proposal.partnership,
        url=_proposal_url(proposal),
    )
    return outcome


@transaction.atomic
def proposal_decide(
    *, proposal: Proposal, user: Any, statement: str, review_on: date | None = None
) -> Outcome:
    """Record the decision if the proposal's mode allows this person to take it now."""
    proposal = _lock(proposal)
    _require_open(proposal)
    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": STATEMENT_REQUIRED})
    now = timezone.now()
    if review_on is not None and review_on < now.date():
        raise ValidationError({"review_on": REVIEW_BEFORE_DECISION})
    party = user_party(user, proposal.partnership)
    check = decision_check(proposal, user=user, now=now)
    if not check.allowed:
        raise ValidationError(check.reason)
    if proposal.mode != Mode.DELEGATED and (party is None or not is_approver(user, party)):
        raise ValidationError(DECIDE_NOT_AUTHORIZED)
    return _decide(proposal, user, party, check, statement, review_on, now)


@transaction.atomic
def stance_set(*, proposal: Proposal, user: Any, choice: str, reason: str = "") -> Stance:
    """Take or change a stance. In a consensus, the last approval decides the proposal at once."""
    proposal = _lock(proposal)
    _require_open(proposal)
    if choice not in Stance.Choice.values:
        raise ValidationError({"choice": f"Choose one of: {', '.join(Stance.Choice.values)}."})
    reason = reason.strip()
    if choice == Stance.Choice.OBJECT and not reason:
        raise ValidationError({"reason": OBJECTION_NEEDS_REASON})
    party = _require_party(user, proposal.partnership)
    if proposal.mode == Mode.CONSENSUS:
        if not is_approver(user, party):
            raise ValidationError(STANCE_NOT_APPROVER)
    elif proposal.mode == Mode.DELEGATED:
        if not _on_body(user, proposal):
            raise ValidationError(STANCE_NOT_ON_BODY)
    else:
        raise ValidationError(STANCE_WRONG_MODE)
    now = timezone.now()
    stance, created = Stance.objects.get_or_create(
        proposal=proposal,
        user=user,
        defaults={"party": party, "choice": choice, "reason": reason, "created_at": now},
    )
    if not created:
        stance.choice, stance.reason, stance.updated_at = choice, reason, now
        stance.save()
    hidden = _settings(proposal.partnership).hide_stances_until_closed
    record_event(
        partnership=proposal.partnership,
        actor=user,
        action="governance.stance",
        summary=f"{_actor_name(user)} took a stance on “{proposal.title}”"
        if hidden
        else f"{_actor_name(user)} ({party.organization.name}) chose "
        f"“{stance.get_choice_display()}” on “{proposal.title}”",
        target=proposal,
        changes={} if hidden else {"choice": choice, "reason": reason},
    )
    if choice == Stance.Choice.OBJECT and proposal.created_by and proposal.created_by != user:
        notify(
            recipients=[proposal.created_by],
            kind="governance.objection",
            summary=f"{party.organization.name} objects to “{proposal.title}”; the consensus is "
            "blocked",
            partnership=proposal.partnership,
            url=_proposal_url(proposal),
        )
    if proposal.mode == Mode.CONSENSUS and choice == Stance.Choice.APPROVE:
        check = decision_check(proposal, user=user, now=now)
        if check.allowed:
            _decide(
                proposal,
                user,
                party,
                check,
                f"Approved by every party: {proposal.title}",
                None,
                now,
            )
    return stance


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user: Any) -> Proposal:
    proposal = _lock(proposal)
    _require_open(proposal)
    party = user_party(user, proposal.partnership)
    allowed = proposal.created_by_id == user.pk or (
        party is not None and party == proposal.proposer_party and is_approver(user, party)
    )
    if not allowed:
        raise ValidationError(WITHDRAW_NOT_PROPOSER)
    now = timezone.now()
    proposal.withdrawn_at = now
    proposal.closed_at = now
    proposal.save(update_fields=["withdrawn_at", "closed_at", "updated_at"])
    record_event(
        partnership=proposal.partnership,
        actor=user,
        action="governance.proposal_withdraw",
        summary=f"{_actor_name(user)} withdrew “{proposal.title}”",
        target=proposal,
    )
    notify(
        recipients=party_people(proposal.partnership, exclude=user),
        kind="governance.withdrawn",
        summary=f"“{proposal.title}” was withdrawn",
        partnership=proposal.partnership,
        url=_proposal_url(proposal),
        email=False,
    )
    return proposal


# — charter —


def charter_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def charter_sign(*, partnership: Partnership, user: Any) -> CharterSignoff:
    """Sign off the charter as it reads now, for the signer's party."""
    from accord.governance.charter import build_charter, charter_markdown

    party = _require_party(user, partnership)
    if not is_approver(user, party):
        raise ValidationError(SIGN_NOT_APPROVER)
    _settings(partnership)
    digest = charter_hash(charter_markdown(build_charter(partnership=partnership), signoffs=False))
    try:
        with transaction.atomic():
            signoff = CharterSignoff.objects.create(
                partnership=partnership, party=party, signed_by=user, charter_hash=digest
            )
    except IntegrityError:
        raise ValidationError(ALREADY_SIGNED) from None
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.charter_sign",
        summary=f"{_actor_name(user)} signed off the governance charter for "
        f"{party.organization.name} (version {digest[:10]})",
        target=signoff,
        changes={"charter_hash": digest},
    )
    notify(
        recipients=party_people(partnership, exclude=user),
        kind="governance.charter_signed",
        summary=f"{party.organization.name} signed off the governance charter",
        partnership=partnership,
        url=reverse("governance:charter", kwargs={"pk": partnership.pk}),
    )
    return signoff
