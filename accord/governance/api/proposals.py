"""Governance API: proposals with their stances, input and outcome."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from accord.api.pagination import Pagination
from accord.api.stale import StaleOut
from accord.governance import selectors, services
from accord.governance.api._common import BASE, Id
from accord.governance.api._router import router
from accord.governance.models import Proposal
from accord.governance.rules import user_party
from accord.partnerships.access import NOT_FOUND, Need, access_partnership, request_lens
from accord.partnerships.models import Partnership

ChoiceName = Literal["approve", "object", "abstain"]
StateName = Literal["open", "decided", "withdrawn", "all"]


NO_SUCH_DOMAIN = "domain_id: not a decision domain of this partnership."


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


def _proposal(request: HttpRequest, partnership: Partnership, proposal_id: int) -> Proposal:
    found = (
        selectors.proposals(partnership=partnership, viewer=request.user)
        .filter(pk=proposal_id)
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def _proposal_out(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    view = selectors.stances_for(proposal=proposal, viewer=request.user)
    lens = request_lens(request, proposal.partnership)
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
                "person": lens.name(s.user),
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
            "decided_by": lens.name(outcome.decided_by) if outcome.decided_by else None,
            "decided_by_party_id": outcome.decided_by_party_id,
            "rule": outcome.rule,
            "created_at": outcome.created_at,
        }
        if outcome
        else None,
        "my_check": check,
    }


@router.get(
    f"{BASE}/proposals",
    response=list[ProposalSummaryOut],
    operation_id="accord_governance_api_list_proposals",
)
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


@router.post(
    f"{BASE}/proposals",
    response={201: ProposalOut},
    operation_id="accord_governance_api_create_proposal",
)
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


@router.get(
    f"{BASE}/proposals/{{proposal_id}}",
    response=ProposalOut,
    operation_id="accord_governance_api_get_proposal",
)
def get_proposal(request: HttpRequest, partnership_id: int = Id, proposal_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return _proposal_out(request, _proposal(request, partnership, proposal_id))


@router.post(
    f"{BASE}/proposals/{{proposal_id}}/stances",
    response={200: ProposalOut, 409: StaleOut},
    operation_id="accord_governance_api_take_stance",
)
def take_stance(
    request: HttpRequest, payload: StanceIn, partnership_id: int = Id, proposal_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    proposal = _proposal(request, partnership, proposal_id)
    services.stance_set(
        proposal=proposal, user=request.user, choice=payload.choice, reason=payload.reason
    )
    return _proposal_out(request, _proposal(request, partnership, proposal_id))


@router.post(
    f"{BASE}/proposals/{{proposal_id}}/input-requests",
    response={200: ProposalOut, 409: StaleOut},
    operation_id="accord_governance_api_request_input",
)
def request_input(
    request: HttpRequest, payload: RequestInputIn, partnership_id: int = Id, proposal_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    proposal = _proposal(request, partnership, proposal_id)
    services.proposal_request_input(proposal=proposal, user=request.user, days=payload.days)
    return _proposal_out(request, _proposal(request, partnership, proposal_id))


@router.post(
    f"{BASE}/proposals/{{proposal_id}}/input",
    response={200: ProposalOut, 409: StaleOut},
    operation_id="accord_governance_api_give_input",
)
def give_input(
    request: HttpRequest, payload: InputAnswerIn, partnership_id: int = Id, proposal_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    proposal = _proposal(request, partnership, proposal_id)
    services.input_answer(proposal=proposal, user=request.user, answer=payload.answer)
    return _proposal_out(request, _proposal(request, partnership, proposal_id))


@router.post(
    f"{BASE}/proposals/{{proposal_id}}/decide",
    response={200: ProposalOut, 409: StaleOut},
    operation_id="accord_governance_api_decide",
)
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


@router.post(
    f"{BASE}/proposals/{{proposal_id}}/withdraw",
    response={200: ProposalOut, 409: StaleOut},
    operation_id="accord_governance_api_withdraw",
)
def withdraw(request: HttpRequest, partnership_id: int = Id, proposal_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    proposal = _proposal(request, partnership, proposal_id)
    services.proposal_withdraw(proposal=proposal, user=request.user)
    return _proposal_out(request, _proposal(request, partnership, proposal_id))
