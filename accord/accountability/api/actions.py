"""Review actions: list, create, complete, escalate; and loop closure."""

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from accord.accountability import rules, selectors, services
from accord.accountability.api._common import EscalationOut, Id, _metrics, _party, _person
from accord.accountability.api._router import router
from accord.accountability.models import (
    ReviewAction,
)
from accord.api.fields import OWNER_DESCRIPTION
from accord.api.pagination import Pagination
from accord.partnerships.access import Need, access_partnership


class ActionOut(Schema):
    id: int
    review_id: int | None
    metric_id: int | None
    title: str
    owner_party_id: int
    owner_id: int | None
    due_on: date
    done_on: date | None
    visibility: str
    escalated_at: datetime | None
    escalated_issue_id: int | None


class ActionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    owner_party_id: int = Field(..., ge=1, le=2**53)
    owner_id: int | None = Field(None, ge=1, le=2**53, description=OWNER_DESCRIPTION)
    due_on: date
    review_id: int | None = Field(None, ge=1, le=2**53)
    metric_id: int | None = Field(None, ge=1, le=2**53)


class ActionDoneIn(Schema):
    done_on: date | None = None


class LoopClosureOut(Schema):
    cadence: str
    label: str
    closed: int
    judged: int
    rate: float | None


@router.get("/partnerships/{partnership_id}/review-actions", response=list[ActionOut])
@paginate(Pagination)
def list_actions(request: HttpRequest, partnership_id: int = Id, open_only: bool = False) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.action_list(partnership=partnership, viewer=request.user, open_only=open_only)


@router.post("/partnerships/{partnership_id}/review-actions", response={201: ActionOut})
def create_action(request: HttpRequest, payload: ActionIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    review = None
    if payload.review_id is not None:
        review = selectors.review_get(
            partnership=partnership, viewer=request.user, review_id=payload.review_id
        )
    metric = None
    if payload.metric_id is not None:
        metric = _metrics(request, partnership, {payload.metric_id})[0]
    action = services.review_action_create(
        partnership=partnership,
        user=request.user,
        title=payload.title,
        owner_party=_party(partnership, payload.owner_party_id),
        owner=_person(partnership, payload.owner_id),
        due_on=payload.due_on,
        metric=metric,
        review=review,
    )
    return Status(201, action)


def _action(request: HttpRequest, partnership_id: int, action_id: int, need: Need) -> ReviewAction:
    partnership = access_partnership(request.user, partnership_id, need)
    action = (
        selectors.action_list(partnership=partnership, viewer=request.user)
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise Http404
    return action


@router.post("/partnerships/{partnership_id}/review-actions/{action_id}/done", response=ActionOut)
def complete_action(
    request: HttpRequest, payload: ActionDoneIn, partnership_id: int = Id, action_id: int = Id
) -> Any:
    action = _action(request, partnership_id, action_id, Need.CONTRIBUTE)
    if not (
        rules.can_report(request.user, action) or rules.can_manage(request.user, action.partnership)
    ):
        raise Http404
    return services.review_action_complete(
        action=action, user=request.user, done_on=payload.done_on
    )


@router.post(
    "/partnerships/{partnership_id}/review-actions/{action_id}/escalate",
    response={201: EscalationOut},
)
def escalate_action(request: HttpRequest, partnership_id: int = Id, action_id: int = Id) -> Any:
    action = _action(request, partnership_id, action_id, Need.MANAGE)
    issue = services.review_action_escalate(action=action, user=request.user)
    return Status(201, {"issue_id": issue.pk, "basis": issue.description})


@router.get("/partnerships/{partnership_id}/loop-closure", response=list[LoopClosureOut])
def get_loop_closure(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.loop_closure(partnership=partnership)
