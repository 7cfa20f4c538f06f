"""Governance API: joint bodies."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from accord.api.fields import ObjectId
from accord.api.pagination import Pagination
from accord.governance import selectors, services
from accord.governance.api._common import BASE, Id
from accord.governance.api._router import router
from accord.governance.models import JointBody
from accord.partnerships.access import NOT_FOUND, Need, access_partnership, request_lens
from accord.partnerships.models import Participant, Partnership

NO_SUCH_MEMBER = "member_ids: every member must be a participant of this partnership."


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
    def resolve_members(obj: JointBody, context: Any) -> list[dict[str, Any]]:
        lens = request_lens(context["request"], obj.partnership_id)
        return [
            {
                "participant_id": m.participant_id,
                "name": lens.name(m.participant.user),
                "organization": m.participant.organization.name,
            }
            for m in obj.memberships.all()
        ]


class BodyIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    mandate: str = Field("", max_length=2000)
    quorum: int = Field(..., ge=1, le=100)
    member_ids: list[ObjectId] = Field(..., min_length=1, max_length=100)


def _body(partnership: Partnership, body_id: int) -> JointBody:
    body = selectors.joint_bodies(partnership=partnership).filter(pk=body_id).first()
    if body is None:
        raise Http404(NOT_FOUND)
    return body


def _members(partnership: Partnership, ids: list[int]) -> list[Participant]:
    members = list(selectors.body_candidates(partnership=partnership).filter(pk__in=ids))
    if len(members) != len(set(ids)):
        raise ValidationError(NO_SUCH_MEMBER)
    return members


@router.get(
    f"{BASE}/joint-bodies", response=list[BodyOut], operation_id="accord_governance_api_list_bodies"
)
@paginate(Pagination)
def list_bodies(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.joint_bodies(partnership=partnership)


@router.post(
    f"{BASE}/joint-bodies",
    response={201: BodyOut},
    operation_id="accord_governance_api_create_body",
)
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


@router.put(
    f"{BASE}/joint-bodies/{{body_id}}",
    response=BodyOut,
    operation_id="accord_governance_api_update_body",
)
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


@router.delete(
    f"{BASE}/joint-bodies/{{body_id}}",
    response={204: None},
    operation_id="accord_governance_api_delete_body",
)
def delete_body(request: HttpRequest, partnership_id: int = Id, body_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    services.joint_body_delete(body=_body(partnership, body_id), user=request.user)
    return Status(204, None)
