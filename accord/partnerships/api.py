"""API for the tenant root. Handlers: access first, then a schema, then one service call."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import model_validator

from accord.api.pagination import Pagination
from accord.partnerships import selectors, services
from accord.partnerships.access import (
    Need,
    access_partnership,
    request_lens,
    user_organization,
    visible_participants,
)
from accord.partnerships.audit import AuditEvent
from accord.partnerships.models import Invitation, Participant, Partnership

router = Router(tags=["partnerships"])

Id = Path(..., ge=1, le=2**53)
StageName = Literal[
    "transactional", "cooperative", "coordinated", "collaborative", "transformational"
]
StatusName = Literal["forming", "active", "intervention", "dissolving", "dissolved"]
RoleName = Literal["sponsor", "alliance_manager", "member", "observer", "facilitator"]


class EscalationWindows(Schema):
    operational_leads: int = Field(10, ge=1, le=365)
    alliance_managers: int = Field(10, ge=1, le=365)
    executive_sponsors: int = Field(20, ge=1, le=365)
    neutral_facilitation: int = Field(30, ge=1, le=365)


class OrganizationOut(Schema):
    id: int
    name: str
    slug: str


class PartnershipOut(Schema):
    id: int
    name: str
    purpose: str
    objectives: str = Field(
        ...,
        description="Read only: the free text from before objectives became records "
        "(see /partnerships/{id}/objectives).",
    )
    continuum_stage: str
    status: str
    start_date: date | None
    end_date: date | None
    anonymity_k: int
    notice_lead_days: int
    escalation_windows: EscalationWindows
    restrict_participant_lists: bool
    created_at: datetime
    updated_at: datetime


OBJECTIVES_ARE_RECORDS = (
    "Objectives are records now: create each with POST /api/v1/partnerships/{id}/objectives."
)


def _refuse_objectives_text(data: Any) -> Any:
    """A client that still sends the old free text must hear why nothing was stored."""
    raw = getattr(data, "_obj", data)  # ninja hands validators a DjangoGetter
    if isinstance(raw, dict) and "objectives" in raw:
        raise ValueError(OBJECTIVES_ARE_RECORDS)
    return data


class PartnershipIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    purpose: str = Field("", max_length=5000)
    continuum_stage: StageName = "cooperative"
    status: StatusName = "forming"
    start_date: date | None = None
    end_date: date | None = None
    anonymity_k: int = Field(3, ge=3, le=50)
    notice_lead_days: int = Field(30, ge=0, le=365)
    escalation_windows: EscalationWindows = Field(default_factory=EscalationWindows)
    restrict_participant_lists: bool = False

    @model_validator(mode="before")
    @classmethod
    def _objectives_are_records(cls, data: Any) -> Any:
        return _refuse_objectives_text(data)


class PartnershipPatch(Schema):
    """Only the fields sent change. Only the dates may be null (to clear them): a null anywhere
    else is invalid input, not an attempt to store NULL in a required column."""

    name: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    purpose: str = Field(None, max_length=5000)  # type: ignore[assignment]
    continuum_stage: StageName = None  # type: ignore[assignment]
    status: StatusName = None  # type: ignore[assignment]
    start_date: date | None = None
    end_date: date | None = None
    anonymity_k: int = Field(None, ge=3, le=50)  # type: ignore[assignment]
    notice_lead_days: int = Field(None, ge=0, le=365)  # type: ignore[assignment]
    escalation_windows: EscalationWindows = None  # type: ignore[assignment]
    restrict_participant_lists: bool = None  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _objectives_are_records(cls, data: Any) -> Any:
        return _refuse_objectives_text(data)


class PartyOut(Schema):
    id: int
    organization: OrganizationOut
    joined_at: datetime


class ParticipantOut(Schema):
    id: int
    user_id: int = Field(
        ..., description="The person's user id: what owner fields (`owner_id`, `user_ids`) take."
    )
    name: str
    organization: OrganizationOut
    role: str
    joined_at: datetime

    @staticmethod
    def resolve_name(obj: Participant) -> str:
        return obj.user.get_full_name() or obj.user.username


class InvitationIn(Schema):
    kind: Literal["party", "participant"]
    email: str = Field(..., max_length=254, json_schema_extra={"format": "email"})
    organization_name: str = Field("", max_length=200)
    participant_role: RoleName | None = None
    message: str = Field("", max_length=2000)


class InvitationOut(Schema):
    id: int
    kind: str
    email: str
    organization_name: str
    participant_role: str
    state: str
    created_at: datetime
    expires_at: datetime

    @staticmethod
    def resolve_state(obj: Invitation) -> str:
        return obj.state()

    @staticmethod
    def resolve_organization_name(obj: Invitation) -> str:
        return obj.invited_organization_name()


class AuditEventOut(Schema):
    """`seq` and `prev_hash` belong to the event's chain: the joint chain, or (visibility
    internal) your organization's internal chain in this partnership."""

    id: int
    seq: int
    visibility: str
    action: str
    summary: str
    actor_name: str
    target_type: str
    target_id: str
    changes: dict[str, Any]
    created_at: datetime
    prev_hash: str
    hash: str

    # With restricted participant lists, other parties' people are named by organization only
    # (access.PeopleLens); the hash covers the stored event, which names them.
    @staticmethod
    def resolve_actor_name(obj: AuditEvent, context: Any) -> str:
        lens = request_lens(context["request"], obj.partnership_id)
        return lens.name(user_id=obj.actor_id, name=obj.actor_name)

    @staticmethod
    def resolve_summary(obj: AuditEvent, context: Any) -> str:
        return str(request_lens(context["request"], obj.partnership_id).scrub(obj.summary))

    @staticmethod
    def resolve_changes(obj: AuditEvent, context: Any) -> dict[str, Any]:
        return dict(request_lens(context["request"], obj.partnership_id).scrub(obj.changes))


MISSING_ORG_NAME = "organization_name: name the partner organization."
MISSING_ROLE = "participant_role: choose a role for the participant."
MISSING_FACILITATOR_ORG = "organization_name: name the facilitator's organization."


@router.get("/partnerships", response=list[PartnershipOut])
@paginate(Pagination)
def list_partnerships(request: HttpRequest) -> Any:
    return selectors.partnership_rows(user=request.user)


@router.post("/partnerships", response={201: PartnershipOut})
def create_partnership(request: HttpRequest, payload: PartnershipIn) -> Any:
    partnership = services.partnership_create(user=request.user, **payload.dict())
    return Status(201, partnership)


@router.get("/partnerships/{partnership_id}", response=PartnershipOut)
def get_partnership(request: HttpRequest, partnership_id: int = Id) -> Partnership:
    return access_partnership(request.user, partnership_id)


class PartnershipUpdateOut(PartnershipOut):
    warnings: list[str] = Field(
        default_factory=list,
        description="Said, never enforced: e.g. formation playbook items still open when a "
        "forming partnership is moved to active.",
    )


@router.patch("/partnerships/{partnership_id}", response=PartnershipUpdateOut)
def update_partnership(
    request: HttpRequest, payload: PartnershipPatch, partnership_id: int = Id
) -> Any:
    from accord.formation.selectors import status_change_warnings  # formation reads us

    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    before = partnership.status
    fields = payload.dict(exclude_unset=True)
    partnership = services.partnership_update(user=request.user, partnership=partnership, **fields)
    partnership.warnings = status_change_warnings(partnership, before=before)  # type: ignore[attr-defined]
    return partnership


@router.get("/partnerships/{partnership_id}/parties", response=list[PartyOut])
@paginate(Pagination)
def list_parties(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id)
    return selectors.party_rows(partnership=partnership)


@router.get("/partnerships/{partnership_id}/participants", response=list[ParticipantOut])
@paginate(Pagination)
def list_participants(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id)
    return visible_participants(request.user, partnership)


@router.get("/partnerships/{partnership_id}/invitations", response=list[InvitationOut])
@paginate(Pagination)
def list_invitations(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    return partnership.invitations.select_related("organization")


@router.post("/partnerships/{partnership_id}/invitations", response={201: InvitationOut})
def create_invitation(request: HttpRequest, payload: InvitationIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    validate_email(payload.email)
    facilitator = payload.participant_role == Participant.Role.FACILITATOR
    if payload.kind == "party" and not payload.organization_name.strip():
        raise ValidationError(MISSING_ORG_NAME)
    if payload.kind == "participant" and payload.participant_role is None:
        raise ValidationError(MISSING_ROLE)
    if facilitator and not payload.organization_name.strip():
        raise ValidationError(MISSING_FACILITATOR_ORG)
    own_org = payload.kind == "participant" and not facilitator
    invitation, _raw = services.invitation_create(
        created_by=request.user,
        kind=payload.kind,
        email=payload.email,
        partnership=partnership,
        organization=user_organization(request.user) if own_org else None,
        organization_name="" if own_org else payload.organization_name,
        participant_role=payload.participant_role or "",
        message=payload.message,
    )
    return Status(201, invitation)


@router.post(
    "/partnerships/{partnership_id}/invitations/{invitation_id}/revoke", response=InvitationOut
)
def revoke_invitation(
    request: HttpRequest, partnership_id: int = Id, invitation_id: int = Id
) -> Invitation:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    invitation = partnership.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        from django.http import Http404

        raise Http404
    return services.invitation_revoke(user=request.user, invitation=invitation)


@router.get("/partnerships/{partnership_id}/audit-events", response=list[AuditEventOut])
@paginate(Pagination)
def list_audit_events(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return AuditEvent.objects.visible_to(request.user).filter(partnership=partnership)
