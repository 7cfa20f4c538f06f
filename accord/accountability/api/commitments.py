"""Commitment endpoints: list, record, edit, status, evidence, re-plan, consequences, escalation
and update links."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Query, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from accord.accountability import rules, selectors, services
from accord.accountability.api._common import (
    EscalationOut,
    Id,
    VisibilityName,
    _commitment,
    _party,
    _person,
    _reporting,
)
from accord.accountability.api._router import router
from accord.accountability.models import (
    Commitment,
)
from accord.api.fields import OWNER_DESCRIPTION
from accord.api.pagination import Pagination
from accord.partnerships.access import Need, access_partnership

StatusName = Literal["planned", "on_track", "at_risk", "done", "missed"]
StatusFilter = Literal["planned", "on_track", "at_risk", "done", "missed", "open"]
ConsequenceKind = Literal[
    "replan_checkins", "fee_reduction", "added_resources", "scope_change", "other"
]


class CommitmentOut(Schema):
    id: int
    title: str
    description: str
    workstream: str
    owner_party_id: int
    owner_party_name: str
    owner_id: int | None
    due_on: date
    acceptance_criteria: str
    status: str
    done_on: date | None
    missed_on: date | None
    replanned_from_id: int | None
    visibility: str
    escalated_at: datetime | None
    escalated_issue_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_owner_party_name(obj: Commitment) -> str:
        return obj.owner_party.organization.name


class CommitmentIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    owner_party_id: int = Field(..., ge=1, le=2**53)
    owner_id: int | None = Field(None, ge=1, le=2**53, description=OWNER_DESCRIPTION)
    due_on: date
    description: str = Field("", max_length=5000)
    workstream: str = Field("", max_length=120)
    acceptance_criteria: str = Field("", max_length=5000)
    visibility: VisibilityName = "joint"


class CommitmentPatch(Schema):
    title: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    owner_id: int | None = Field(None, ge=1, le=2**53, description=OWNER_DESCRIPTION)
    due_on: date = None  # type: ignore[assignment]
    description: str = Field(None, max_length=5000)  # type: ignore[assignment]
    workstream: str = Field(None, max_length=120)  # type: ignore[assignment]
    acceptance_criteria: str = Field(None, max_length=5000)  # type: ignore[assignment]


class StatusIn(Schema):
    status: StatusName
    note: str = Field("", max_length=5000)
    done_on: date | None = None


# Optional, but not declared nullable: a multipart body has no null, only a part or none.
OPTIONAL_FILE = File(None, description="At most 10 MB: pdf, images, office files, text.")


class EvidenceOut(Schema):
    id: int
    kind: str
    note: str
    url: str
    original_name: str
    size: int
    via_link: bool
    created_at: datetime

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return obj.kind()


class ReplanIn(Schema):
    due_on: date
    note: str = Field("", max_length=500)


class ConsequenceIn(Schema):
    kind: ConsequenceKind
    description: str = Field(..., min_length=1, max_length=5000)
    agreed_on: date | None = None


class ConsequenceOut(Schema):
    id: int
    kind: str
    description: str
    agreed_on: date
    created_at: datetime


class LinkOut(Schema):
    sent_to: str


@router.get("/partnerships/{partnership_id}/commitments", response=list[CommitmentOut])
@paginate(Pagination)
def list_commitments(
    request: HttpRequest,
    partnership_id: int = Id,
    party_id: int | None = Query(None, ge=1, le=2**53),
    status: StatusFilter | None = None,
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.commitment_list(
        partnership=partnership, viewer=request.user, party=party_id, status=status
    )


@router.post("/partnerships/{partnership_id}/commitments", response={201: CommitmentOut})
def create_commitment(request: HttpRequest, payload: CommitmentIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    data = payload.dict()
    commitment = services.commitment_create(
        partnership=partnership,
        user=request.user,
        owner_party=_party(partnership, data.pop("owner_party_id")),
        owner=_person(partnership, data.pop("owner_id")),
        **data,
    )
    return Status(201, commitment)


@router.get("/partnerships/{partnership_id}/commitments/{commitment_id}", response=CommitmentOut)
def get_commitment(request: HttpRequest, partnership_id: int = Id, commitment_id: int = Id) -> Any:
    return _commitment(request, partnership_id, commitment_id, Need.READ)


@router.patch("/partnerships/{partnership_id}/commitments/{commitment_id}", response=CommitmentOut)
def update_commitment(
    request: HttpRequest,
    payload: CommitmentPatch,
    partnership_id: int = Id,
    commitment_id: int = Id,
) -> Any:
    commitment = _commitment(request, partnership_id, commitment_id, Need.CONTRIBUTE)
    if not (
        rules.can_replan(request.user, commitment) or commitment.created_by_id == request.user.pk
    ):
        raise Http404
    fields = payload.dict(exclude_unset=True)
    if "owner_id" in fields:
        fields["owner"] = _person(commitment.partnership, fields.pop("owner_id"))
    fields = {k: v for k, v in fields.items() if v is not None or k == "owner"}
    return services.commitment_update(commitment=commitment, user=request.user, **fields)


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/status", response=CommitmentOut
)
def set_commitment_status(
    request: HttpRequest, payload: StatusIn, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    commitment = _commitment(request, partnership_id, commitment_id, Need.CONTRIBUTE)
    _reporting(request, commitment)
    return services.commitment_set_status(
        commitment=commitment, user=request.user, **payload.dict()
    )


@router.get(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/evidence",
    response=list[EvidenceOut],
)
@paginate(Pagination)
def list_evidence(request: HttpRequest, partnership_id: int = Id, commitment_id: int = Id) -> Any:
    return _commitment(request, partnership_id, commitment_id, Need.READ).evidence.all()


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/evidence",
    response={201: EvidenceOut},
)
def add_evidence(
    request: HttpRequest,
    partnership_id: int = Id,
    commitment_id: int = Id,
    note: str = Form("", max_length=5000),
    url: str = Form("", max_length=500),
    file: UploadedFile = OPTIONAL_FILE,
) -> Any:
    """Multipart form: `note`, `url` and/or `file` (at most 10 MB; pdf, images, office files,
    text) — the same checks as the commitment page. A file alone is evidence too."""
    commitment = _commitment(request, partnership_id, commitment_id, Need.CONTRIBUTE)
    _reporting(request, commitment)
    evidence = services.commitment_add_evidence(
        commitment=commitment, user=request.user, note=note, url=url, file=file
    )
    return Status(201, evidence)


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/replan",
    response={201: CommitmentOut},
)
def replan_commitment(
    request: HttpRequest, payload: ReplanIn, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    commitment = _commitment(request, partnership_id, commitment_id, Need.CONTRIBUTE)
    if not rules.can_replan(request.user, commitment):
        raise Http404
    new = services.commitment_replan(commitment=commitment, user=request.user, **payload.dict())
    return Status(201, new)


@router.get(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/consequences",
    response=list[ConsequenceOut],
)
@paginate(Pagination)
def list_consequences(
    request: HttpRequest, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    return _commitment(request, partnership_id, commitment_id, Need.READ).consequences.all()


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/consequences",
    response={201: ConsequenceOut},
)
def record_consequence(
    request: HttpRequest, payload: ConsequenceIn, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    commitment = _commitment(request, partnership_id, commitment_id, Need.MANAGE)
    consequence = services.consequence_record(
        commitment=commitment, user=request.user, **payload.dict()
    )
    return Status(201, consequence)


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/escalate",
    response={201: EscalationOut},
)
def escalate_commitment(
    request: HttpRequest, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    """Raise a conflict issue for a commitment missed twice (see docs/accountability.md)."""
    commitment = _commitment(request, partnership_id, commitment_id, Need.MANAGE)
    basis = selectors.escalation_basis(commitment=commitment) or ""
    issue = services.commitment_escalate(commitment=commitment, user=request.user)
    return Status(201, {"issue_id": issue.pk, "basis": basis})


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/update-link", response=LinkOut
)
def send_update_link(
    request: HttpRequest, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    """E-mail the owner a signed link (one use, 7 days) to update the commitment without signing
    in. The link itself is never returned: it is the owner's credential."""
    commitment = _commitment(request, partnership_id, commitment_id, Need.CONTRIBUTE)
    services.commitment_send_update_link(commitment=commitment, user=request.user)
    owner = commitment.owner
    return {"sent_to": owner.get_full_name() or owner.get_username()}  # type: ignore[union-attr]
