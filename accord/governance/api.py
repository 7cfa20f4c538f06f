"""Governance API: the decision-rights matrix, the recommender, joint bodies, proposals with
their stances, input and outcome, decision cycle times and the charter. Handlers: access first,
then a schema, then one service call; the same rules as the pages."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from accord.api.fields import ObjectId
from accord.api.pagination import Pagination
from accord.governance import selectors, services
from accord.governance.charter import charter_markdown
from accord.governance.models import (
    DecisionDomain,
    DomainScore,
    GovernanceSettings,
    JointBody,
    Proposal,
)
from accord.governance.rules import user_party
from accord.governance.views.charter import current_charter
from accord.partnerships.access import NOT_FOUND, Need, access_partnership
from accord.partnerships.models import Participant, Partnership, Party

router = Router(tags=["governance"])

Id = Path(..., ge=1, le=2**53)
ModeName = Literal["independent", "consultative", "consensus", "delegated"]
ChoiceName = Literal["approve", "object", "abstain"]
StateName = Literal["open", "decided", "withdrawn", "all"]
Score = Field(..., ge=0, le=5)
BASE = "/partnerships/{partnership_id}/governance"

NO_SUCH_PARTY = "owner_party_id: not a party of this partnership."
NO_SUCH_BODY = "joint_body_id: not a joint body of this partnership."
NO_SUCH_MEMBER = "member_ids: every member must be a participant of this partnership."
NO_SUCH_DOMAIN = "domain_id: not a decision domain of this partnership."


class GovernanceSettingsOut(Schema):
    hide_stances_until_closed: bool
    consultation_days: int
    set_up_at: datetime


class SettingsIn(Schema):
    hide_stances_until_closed: bool = None  # type: ignore[assignment]
    consultation_days: int = Field(None, ge=1, le=90)  # type: ignore[assignment]


class PartyScoreOut(Schema):
    party_id: int
    organization: str
    expertise: float
    resources: float
    risk_exposure: float
    strategic_importance: float
    scored_at: datetime

    @staticmethod
    def resolve_organization(obj: DomainScore) -> str:
        return obj.party.organization.name


class ScoresIn(Schema):
    expertise: float = Score
    resources: float = Score
    risk_exposure: float = Score
    strategic_importance: float = Score


class DomainOut(Schema):
    id: int
    key: str
    label: str
    description: str
    position: int
    mode: str
    owner_party_id: int | None
    joint_body_id: int | None
    decided_by: str
    frequent_operational_choices: bool
    has_joint_team: bool
    basis: str
    override_reason: str
    recommended_mode: str
    recommended_rule: str
    recommended_reasoning: str
    rights_set_at: datetime | None

    @staticmethod
    def resolve_decided_by(obj: DecisionDomain) -> str:
        return obj.decider_label()


class DomainIn(Schema):
    label: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=2000)


class DomainPatch(Schema):
    label: str = Field(None, min_length=1, max_length=120)  # type: ignore[assignment]
    description: str = Field(None, max_length=2000)  # type: ignore[assignment]
    frequent_operational_choices: bool = None  # type: ignore[assignment]
    has_joint_team: bool = None  # type: ignore[assignment]


class RecommendationOut(Schema):
    domain_id: int
    ready: bool
    mode: str | None
    owner_party_id: int | None
    rule: str | None
    reasoning: str | None
    waiting_for_party_ids: list[int]
    scores: list[PartyScoreOut]


class AcceptIn(Schema):
    joint_body_id: int | None = Field(None, ge=1, le=2**53)


class OverrideIn(Schema):
    mode: ModeName
    owner_party_id: int | None = Field(None, ge=1, le=2**53)
    joint_body_id: int | None = Field(None, ge=1, le=2**53)
    reason: str = Field(..., min_length=1, max_length=2000)


class MemberOut(Schema):
    participant_id: int
    name: str
    organization: str


class BodyOut(Schema):
    id: int
    name: str
    mandate: str
    quorum: int
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj: JointBody) -> list[dict[str, Any]]:
        return [
            {
                "participant_id": m.participant_id,
                "name": m.participant.user.get_full_name() or m.participant.user.get_username(),
                "organization": m.participant.organization.name,
            }
            for m in obj.memberships.all()
        ]


class BodyIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    mandate: str = Field("", max_length=2000)
    quorum: int = Field(..., ge=1, le=100)
    member_ids: list[ObjectId] = Field(..., min_length=1, max_length=100)


class ProposalFields(Schema):
    id: int
    domain_id: int
    domain: str
    title: str
    mode: str
    proposer_party_id: int
    owner_party_id: int | None
    joint_body_id: int | None
    state: str
    proposed_at: datetime
    consultation_closes_at: datetime | None
    decided_at: datetime | None
    closed_at: datetime | None
    withdrawn_at: datetime | None
    cycle_days: float | None


class ProposalSummaryOut(ProposalFields):
    @staticmethod
    def resolve_domain(obj: Proposal) -> str:
        return obj.domain.label

    @staticmethod
    def resolve_state(obj: Proposal) -> str:
        return selectors.proposal_state_label(obj)

    @staticmethod
    def resolve_cycle_days(obj: Proposal) -> float | None:
        return obj.cycle_days()


class StanceOut(Schema):
    id: int
    party_id: int
    organization: str
    person: str
    choice: str
    reason: str
    updated_at: datetime


class InputRequestOut(Schema):
    party_id: int
    organization: str
    requested_at: datetime
    answer: str
    answered_at: datetime | None


class OutcomeOut(Schema):
    statement: str
    review_on: date | None
    decided_by: str | None
    decided_by_party_id: int | None
    rule: str
    created_at: datetime


class CheckOut(Schema):
    allowed: bool
    reason: str


class ProposalOut(ProposalFields):
    description: str
    stances: list[StanceOut]
    hidden_stances: int
    input_requests: list[InputRequestOut]
    outcome: OutcomeOut | None
    my_check: CheckOut | None


class ProposalIn(Schema):
    domain_id: int = Field(..., ge=1, le=2**53)
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    consultation_days: int | None = Field(None, ge=1, le=90)


class StanceIn(Schema):
    choice: ChoiceName
    reason: str = Field("", max_length=5000)


class RequestInputIn(Schema):
    days: int | None = Field(None, ge=1, le=90)


class InputAnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=10000)


class DecideIn(Schema):
    statement: str = Field(..., min_length=1, max_length=5000)
    review_on: date | None = None


class CycleCellOut(Schema):
    party_id: int
    median_days: float | None
    decisions: int


class CycleRowOut(Schema):
    domain_id: int
    domain: str
    median_days: float | None
    mean_days: float | None
    decisions: int
    by_party: list[CycleCellOut]


class CycleOut(Schema):
    median_days: float | None
    mean_days: float | None
    decisions: int
    open: int
    domains: list[CycleRowOut]
    by_party: list[CycleCellOut]


class SignoffOut(Schema):
    organization: str
    signed_by: str
    signed_on: str
    current_version: bool


class CharterOut(Schema):
    version: str
    markdown: str
    signoffs: list[SignoffOut]


class SignoffCreatedOut(Schema):
    party_id: int
    charter_hash: str
    signed_at: datetime


# — helpers —


def _settings(partnership: Partnership) -> GovernanceSettings:
    found = selectors.governance_settings(partnership=partnership)
    if found is None:
        raise ValidationError(services.NOT_SET_UP)
    return found


def _domain(partnership: Partnership, domain_id: int) -> DecisionDomain:
    domain = selectors.domains(partnership=partnership).filter(pk=domain_id).first()
    if domain is None:
        raise Http404(NOT_FOUND)
    return domain


def _body(partnership: Partnership, body_id: int) -> JointBody:
    body = selectors.joint_bodies(partnership=partnership).filter(pk=body_id).first()
    if body is None:
        raise Http404(NOT_FOUND)
    return body


def _proposal(request: HttpRequest, partnership: Partnership, proposal_id: int) -> Proposal:
    found = (
        selectors.proposals(partnership=partnership, viewer=request.user)
        .filter(pk=proposal_id)
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def _party(partnership: Partnership, party_id: int | None) -> Party | None:
    if party_id is None:
        return None
    party = partnership.parties.filter(pk=party_id).first()
    if party is None:
        raise ValidationError(NO_SUCH_PARTY)
    return party


def _body_or_none(partnership: Partnership, body_id: int | None) -> JointBody | None:
    if body_id is None:
        return None
    body = JointBody.objects.filter(partnership=partnership, pk=body_id).first()
    if body is None:
        raise ValidationError(NO_SUCH_BODY)
    return body


def _members(partnership: Partnership, ids: list[int]) -> list[Participant]:
    members = list(selectors.body_candidates(partnership=partnership).filter(pk__in=ids))
    if len(members) != len(set(ids)):
        raise ValidationError(NO_SUCH_MEMBER)
    return members


def _proposal_out(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    view = selectors.stances_for(proposal=proposal, viewer=request.user)
    outcome = getattr(proposal, "outcome", None) if proposal.decided_at else None
    check = None
    if proposal.is_open and user_party(request.user, proposal.partnership) is not None:
        result = services.decision_check(proposal, user=request.user)
        check = {"allowed": result.allowed, "reason": result.reason}
    return {
        **{
            f: getattr(proposal, f)
            for f in ProposalFields.model_fields
            if f not in ("domain", "state", "cycle_days")
        },
        "domain": proposal.domain.label,
        "state": selectors.proposal_state_label(proposal),
        "cycle_days": proposal.cycle_days(),
        "description": proposal.description,
        "stances": [
            {
                "id": s.pk,
                "party_id": s.party_id,
                "organization": s.party.organization.name,
                "person": s.user.get_full_name() or s.user.get_username(),
                "choice": s.choice,
                "reason": s.reason,
                "updated_at": s.updated_at,
            }
            for s in view.shown
        ],
        "hidden_stances": view.hidden_count,
        "input_requests": [
            {
                "party_id": r.party_id,
                "organization": r.party.organization.name,
                "requested_at": r.requested_at,
                "answer": r.answer,
                "answered_at": r.answered_at,
            }
            for r in proposal.input_requests.select_related("party__organization")
        ],
        "outcome": {
            "statement": outcome.statement,
            "review_on": outcome.review_on,
            "decided_by": (outcome.decided_by.get_full_name() or outcome.decided_by.username)
            if outcome.decided_by
            else None,
            "decided_by_party_id": outcome.decided_by_party_id,
            "rule": outcome.rule,
            "created_at": outcome.created_at,
        }
        if outcome
        else None,
        "my_check": check,
    }


# — settings and setup —


@router.post(f"{BASE}/setup", response={201: GovernanceSettingsOut})
def setup(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    return Status(201, services.governance_setup(partnership=partnership, user=request.user))


@router.get(f"{BASE}/settings", response=GovernanceSettingsOut)
def get_settings(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    found = selectors.governance_settings(partnership=partnership)
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@router.patch(f"{BASE}/settings", response=GovernanceSettingsOut)
def update_settings(request: HttpRequest, payload: SettingsIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    found = _settings(partnership)
    hide = payload.hide_stances_until_closed
    days = payload.consultation_days
    return services.settings_update(
        partnership=partnership,
        user=request.user,
        hide_stances_until_closed=found.hide_stances_until_closed if hide is None else hide,
        consultation_days=found.consultation_days if days is None else days,
    )


# — domains —


@router.get(f"{BASE}/domains", response=list[DomainOut])
@paginate(Pagination)
def list_domains(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.domains(partnership=partnership)


@router.post(f"{BASE}/domains", response={201: DomainOut})
def create_domain(request: HttpRequest, payload: DomainIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    domain = services.domain_add(
        partnership=partnership,
        user=request.user,
        label=payload.label,
        description=payload.description,
    )
    return Status(201, domain)


@router.patch(f"{BASE}/domains/{{domain_id}}", response=DomainOut)
def update_domain(
    request: HttpRequest, payload: DomainPatch, partnership_id: int = Id, domain_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    domain = _domain(partnership, domain_id)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "label" in values or "description" in values:
        services.domain_rename(
            domain=domain,
            user=request.user,
            label=values.get("label", domain.label),
            description=values.get("description", domain.description),
        )
    if "frequent_operational_choices" in values or "has_joint_team" in values:
        services.domain_flags_set(
            domain=domain,
            user=request.user,
            frequent_operational_choices=values.get(
                "frequent_operational_choices", domain.frequent_operational_choices
            ),
            has_joint_team=values.get("has_joint_team", domain.has_joint_team),
        )
    return domain


@router.delete(f"{BASE}/domains/{{domain_id}}", response={204: None})
def delete_domain(request: HttpRequest, partnership_id: int = Id, domain_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    services.domain_remove(domain=_domain(partnership, domain_id), user=request.user)
    return Status(204, None)


@router.put(f"{BASE}/domains/{{domain_id}}/scores", response=PartyScoreOut)
def set_scores(
    request: HttpRequest, payload: ScoresIn, partnership_id: int = Id, domain_id: int = Id
) -> Any:
    """Your own party's scores for the domain: each party scores itself."""
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    domain = _domain(partnership, domain_id)
    party = user_party(request.user, partnership)
    if party is None:
        raise ValidationError(services.NOT_A_PARTY_MEMBER)
    return services.domain_scores_set(
        domain=domain, user=request.user, party=party, **payload.dict()
    )


@router.get(f"{BASE}/domains/{{domain_id}}/recommendation", response=RecommendationOut)
def get_recommendation(request: HttpRequest, partnership_id: int = Id, domain_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    domain = _domain(partnership, domain_id)
    row = next(r for r in selectors.recommender_rows(partnership=partnership) if r.domain == domain)
    rec = row.recommendation
    return {
        "domain_id": domain.pk,
        "ready": rec is not None,
        "mode": rec.mode if rec else None,
        "owner_party_id": rec.owner_party.pk if rec and rec.owner_party else None,
        "rule": rec.rule if rec else None,
        "reasoning": rec.reasoning if rec else None,
        "waiting_for_party_ids": [p.pk for p in row.missing],
        "scores": list(row.scores.values()),
    }


@router.post(f"{BASE}/domains/{{domain_id}}/accept", response=DomainOut)
def accept_recommendation(
    request: HttpRequest, payload: AcceptIn, partnership_id: int = Id, domain_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    domain = _domain(partnership, domain_id)
    return services.domain_rights_accept(
        domain=domain,
        user=request.user,
        joint_body=_body_or_none(partnership, payload.joint_body_id),
    )


@router.post(f"{BASE}/domains/{{domain_id}}/override", response=DomainOut)
def override_recommendation(
    request: HttpRequest, payload: OverrideIn, partnership_id: int = Id, domain_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    domain = _domain(partnership, domain_id)
    return services.domain_rights_override(
        domain=domain,
        user=request.user,
        mode=payload.mode,
        owner_party=_party(partnership, payload.owner_party_id),
        joint_body=_body_or_none(partnership, payload.joint_body_id),
        reason=payload.reason,
    )


# — joint bodies —


@router.get(f"{BASE}/joint-bodies", response=list[BodyOut])
@paginate(Pagination)
def list_bodies(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.joint_bodies(partnership=partnership)


@router.post(f"{BASE}/joint-bodies", response={201: BodyOut})
def create_body(request: HttpRequest, payload: BodyIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    body = services.joint_body_create(
        partnership=partnership,
        user=request.user,
        name=payload.name,
        mandate=payload.mandate,
        quorum=payload.quorum,
        members=_members(partnership, payload.member_ids),
    )
    return Status(201, _body(partnership, body.pk))


@router.put(f"{BASE}/joint-bodies/{{body_id}}", response=BodyOut)
def update_body(
    request: HttpRequest, payload: BodyIn, partnership_id: int = Id, body_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    body = _body(partnership, body_id)
    services.joint_body_update(
        body=body,
        user=request.user,
        name=payload.name,
        mandate=payload.mandate,
        quorum=payload.quorum,
        members=_members(partnership, payload.member_ids),
    )
    return _body(partnership, body.pk)


@router.delete(f"{BASE}/joint-bodies/{{body_id}}", response={204: None})
def delete_body(request: HttpRequest, partnership_id: int = Id, body_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    services.joint_body_delete(body=_body(partnership, body_id), user=request.user)
    return Status(204, None)


# — proposals —


@router.get(f"{BASE}/proposals", response=list[ProposalSummaryOut])
@paginate(Pagination)
def list_proposals(
    request: HttpRequest,
    partnership_id: int = Id,
    state: StateName = "all",
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    from accord.governance.views.proposals import FILTERS

    return selectors.proposals(partnership=partnership, viewer=request.user).filter(
        **FILTERS[state]
    )


@router.post(f"{BASE}/proposals", response={201: ProposalOut})
def create_proposal(request: HttpRequest, payload: ProposalIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    domain = selectors.domains(partnership=partnership).filter(pk=payload.domain_id).first()
    if domain is None:
        raise ValidationError(NO_SUCH_DOMAIN)
    proposal = services.proposal_create(
        partnership=partnership,
        user=request.user,
        domain=domain,
        title=payload.title,
        description=payload.description,
        consultation_days=payload.consultation_days,
    )
    return Status(201, _proposal_out(request, _proposal(request, partnership, proposal.pk)))


@router.get(f"{BASE}/proposals/{{proposal_id}}", response=ProposalOut)
def get_proposal(request: HttpRequest, partnership_id: int = Id, proposal_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return _proposal_out(request, _proposal(request, partnership, proposal_id))


@router.post(f"{BASE}/proposals/{{proposal_id}}/stances", response=ProposalOut)
def take_stance(
    request: HttpRequest, payload: StanceIn, partnership_id: int = Id, proposal_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    proposal = _proposal(request, partnership, proposal_id)
    services.stance_set(
        proposal=proposal, user=request.user, choice=payload.choice, reason=payload.reason
    )
    return _proposal_out(request, _proposal(request, partnership, proposal_id))


@router.post(f"{BASE}/proposals/{{proposal_id}}/input-requests", response=ProposalOut)
def request_input(
    request: HttpRequest, payload: RequestInputIn, partnership_id: int = Id, proposal_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    proposal = _proposal(request, partnership, proposal_id)
    services.proposal_request_input(proposal=proposal, user=request.user, days=payload.days)
    return _proposal_out(request, _proposal(request, partnership, proposal_id))


@router.post(f"{BASE}/proposals/{{proposal_id}}/input", response=ProposalOut)
def give_input(
    request: HttpRequest, payload: InputAnswerIn, partnership_id: int = Id, proposal_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    proposal = _proposal(request, partnership, proposal_id)
    services.input_answer(proposal=proposal, user=request.user, answer=payload.answer)
    return _proposal_out(request, _proposal(request, partnership, proposal_id))


@router.post(f"{BASE}/proposals/{{proposal_id}}/decide", response=ProposalOut)
def decide(
    request: HttpRequest, payload: DecideIn, partnership_id: int = Id, proposal_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    proposal = _proposal(request, partnership, proposal_id)
    services.proposal_decide(
        proposal=proposal,
        user=request.user,
        statement=payload.statement,
        review_on=payload.review_on,
    )
    return _proposal_out(request, _proposal(request, partnership, proposal_id))


@router.post(f"{BASE}/proposals/{{proposal_id}}/withdraw", response=ProposalOut)
def withdraw(request: HttpRequest, partnership_id: int = Id, proposal_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    proposal = _proposal(request, partnership, proposal_id)
    services.proposal_withdraw(proposal=proposal, user=request.user)
    return _proposal_out(request, _proposal(request, partnership, proposal_id))


# — cycle time and charter —


@router.get(f"{BASE}/cycle-times", response=CycleOut)
def cycle_times(request: HttpRequest, partnership_id: int = Id) -> Any:
    """Days from proposal to decision: per domain, per proposing party, and overall."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    table = selectors.cycle_times(partnership=partnership, viewer=request.user)
    party_ids = [p.pk for p in table.parties]
    return {
        "median_days": table.overall[0],
        "mean_days": table.overall[1],
        "decisions": table.overall[2],
        "open": table.open_count,
        "domains": [
            {
                "domain_id": r["domain"].pk,
                "domain": r["domain"].label,
                "median_days": r["median"],
                "mean_days": r["mean"],
                "decisions": r["count"],
                "by_party": [
                    {"party_id": pid, "median_days": median, "decisions": n}
                    for pid, (median, n) in zip(party_ids, r["cells"], strict=True)
                ],
            }
            for r in table.rows
        ],
        "by_party": [
            {"party_id": pid, "median_days": median, "decisions": n}
            for pid, (median, n) in zip(party_ids, table.party_totals, strict=True)
        ],
    }


@router.get(f"{BASE}/charter", response=CharterOut)
def get_charter(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    doc, digest = current_charter(partnership)
    return {
        "version": digest,
        "markdown": charter_markdown(doc),
        "signoffs": [
            {"organization": o, "signed_by": who, "signed_on": when, "current_version": current}
            for o, who, when, current in doc.signoffs
        ],
    }


@router.post(f"{BASE}/charter/sign-offs", response={201: SignoffCreatedOut})
def sign_charter(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    return Status(201, services.charter_sign(partnership=partnership, user=request.user))
