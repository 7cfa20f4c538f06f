"""Governance API: decision domains, self-scores and the recommender."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from accord.api.pagination import Pagination
from accord.governance import selectors, services
from accord.governance.api._common import BASE, Id
from accord.governance.api._router import router
from accord.governance.models import (
    DecisionDomain,
    DomainScore,
    JointBody,
)
from accord.governance.rules import user_party
from accord.partnerships.access import NOT_FOUND, Need, access_partnership
from accord.partnerships.models import Partnership, Party

ModeName = Literal["independent", "consultative", "consensus", "delegated"]


Score = Field(..., ge=0, le=5)


NO_SUCH_PARTY = "owner_party_id: not a party of this partnership."
NO_SUCH_BODY = "joint_body_id: not a joint body of this partnership."


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


def _domain(partnership: Partnership, domain_id: int) -> DecisionDomain:
    domain = selectors.domains(partnership=partnership).filter(pk=domain_id).first()
    if domain is None:
        raise Http404(NOT_FOUND)
    return domain


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


@router.get(
    f"{BASE}/domains", response=list[DomainOut], operation_id="accord_governance_api_list_domains"
)
@paginate(Pagination)
def list_domains(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.domains(partnership=partnership)


@router.post(
    f"{BASE}/domains", response={201: DomainOut}, operation_id="accord_governance_api_create_domain"
)
def create_domain(request: HttpRequest, payload: DomainIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    domain = services.domain_add(
        partnership=partnership,
        user=request.user,
        label=payload.label,
        description=payload.description,
    )
    return Status(201, domain)


@router.patch(
    f"{BASE}/domains/{{domain_id}}",
    response=DomainOut,
    operation_id="accord_governance_api_update_domain",
)
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


@router.delete(
    f"{BASE}/domains/{{domain_id}}",
    response={204: None},
    operation_id="accord_governance_api_delete_domain",
)
def delete_domain(request: HttpRequest, partnership_id: int = Id, domain_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    services.domain_remove(domain=_domain(partnership, domain_id), user=request.user)
    return Status(204, None)


@router.put(
    f"{BASE}/domains/{{domain_id}}/scores",
    response=PartyScoreOut,
    operation_id="accord_governance_api_set_scores",
)
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


@router.get(
    f"{BASE}/domains/{{domain_id}}/recommendation",
    response=RecommendationOut,
    operation_id="accord_governance_api_get_recommendation",
)
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


@router.post(
    f"{BASE}/domains/{{domain_id}}/accept",
    response=DomainOut,
    operation_id="accord_governance_api_accept_recommendation",
)
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


@router.post(
    f"{BASE}/domains/{{domain_id}}/override",
    response=DomainOut,
    operation_id="accord_governance_api_override_recommendation",
)
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
