"""API for objectives (with their derived status) and interventions.

An intervention's private lists come only through selectors.submissions_visible: before the
reveal, a party's own; after it, everyone's. Refusals by a service are 400 in the API's one error
shape; a missing and a forbidden object are the same 404.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status

from accord.interventions import selectors, services
from accord.interventions.models import Intervention, Item, Objective
from accord.interventions.services.interventions import is_facilitator
from accord.partnerships.access import Need, access_partnership, can

router = Router(tags=["interventions"])

Id = Path(..., ge=1, le=2**53)
KIND = "^(" + "|".join(Item.Kind.values) + ")$"
BASE = "/partnerships/{partnership_id}"
ONE = BASE + "/interventions/{intervention_id}"


class ObjectiveOut(Schema):
    id: int
    title: str
    description: str
    scope: str
    owner_party_id: int | None
    visibility: str
    status: str
    status_label: str
    metric_ids: list[int]
    commitment_ids: list[int]


class ObjectiveIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    scope: str = Field("joint", pattern="^(joint|party|shared)$")
    owner_party_id: int | None = Field(None, ge=1, le=2**53)
    visibility: str = Field("joint", pattern="^(joint|internal)$")
    metric_ids: list[int] = Field(default_factory=list, max_length=100)
    commitment_ids: list[int] = Field(default_factory=list, max_length=100)


def _objective(row: selectors.ObjectiveRow) -> dict[str, Any]:
    o = row.objective
    return {
        "id": o.pk,
        "title": o.title,
        "description": o.description,
        "scope": o.scope,
        "owner_party_id": o.owner_party_id,
        "visibility": o.visibility,
        "status": row.status,
        "status_label": row.label,
        "metric_ids": [m.metric.pk for m in row.metrics],
        "commitment_ids": [c.pk for c in row.commitments],
    }


def _objective_row(request: HttpRequest, partnership: Any, objective_id: int) -> dict[str, Any]:
    for row in selectors.objective_rows(partnership=partnership, viewer=request.user):
        if row.objective.pk == objective_id:
            return _objective(row)
    raise Http404


@router.get(BASE + "/objectives", response=list[ObjectiveOut])
def objective_list(request: HttpRequest, partnership_id: int = Id) -> Any:
    """Objectives you may see, each with its status derived from the linked evidence."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return [
        _objective(r)
        for r in selectors.objective_rows(partnership=partnership, viewer=request.user)
    ]


@router.post(BASE + "/objectives", response={201: ObjectiveOut})
def objective_create(request: HttpRequest, payload: ObjectiveIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    objective = services.objective_create(
        partnership=partnership, user=request.user, **payload.dict()
    )
    return Status(201, _objective_row(request, partnership, objective.pk))


@router.get(BASE + "/objectives/{objective_id}", response=ObjectiveOut)
def objective_detail(request: HttpRequest, partnership_id: int = Id, objective_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return _objective_row(request, partnership, objective_id)


@router.put(BASE + "/objectives/{objective_id}", response=ObjectiveOut)
def objective_update(
    request: HttpRequest, payload: ObjectiveIn, partnership_id: int = Id, objective_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    objective = selectors.objective_for(
        partnership=partnership, viewer=request.user, objective_id=objective_id
    )
    services.objective_update(objective=objective, user=request.user, **payload.dict())
    return _objective_row(request, partnership, objective.pk)


@router.delete(BASE + "/objectives/{objective_id}", response={204: None})
def objective_delete(request: HttpRequest, partnership_id: int = Id, objective_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    objective: Objective = selectors.objective_for(
        partnership=partnership, viewer=request.user, objective_id=objective_id
    )
    services.objective_delete(objective=objective, user=request.user)
    return Status(204, None)


# ---------------------------------------------------------------------------- interventions


class PartyStateOut(Schema):
    party_id: int
    name: str
    submitted: bool
    reveal_agreed: bool
    plan_agreed: bool


class InterventionItemOut(Schema):
    id: int
    kind: str
    text: str
    objective_id: int | None
    occurred_on: date | None
    trust_effect: int | None
    agreed: bool


class ListOut(Schema):
    party_id: int
    strategic_logic: str
    submitted: bool
    contribution: str
    items: list[InterventionItemOut]


class TimelineOut(Schema):
    on: date
    source: str
    text: str
    effect: str
    divergence: str


class InterventionOut(Schema):
    id: int
    reason: str
    opened_at: Any
    revealed_at: Any
    closed_at: Any
    parties: list[PartyStateOut]
    lists: list[ListOut]
    timeline: list[TimelineOut]
    plan_cadence: str
    plan_issue_rule: str
    plan_commitment_ids: list[int]
    followup_round_id: int | None


class OpenIn(Schema):
    reason: str = Field(..., min_length=1, max_length=5000)


class LogicIn(Schema):
    strategic_logic: str = Field(..., pattern="^(yes|no)$")


class ItemIn(Schema):
    kind: str = Field(..., pattern=KIND)
    text: str = Field("", max_length=2000)
    objective_id: int | None = Field(None, ge=1, le=2**53)
    occurred_on: date | None = None
    trust_effect: int | None = Field(None, ge=-1, le=1)


class ContributionIn(Schema):
    contribution: str = Field(..., min_length=1, max_length=5000)


class PlanIn(Schema):
    cadence: str = Field(..., min_length=1, max_length=2000)
    issue_rule: str = Field(..., min_length=1, max_length=2000)


class PlanCommitmentIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    owner_party_id: int = Field(..., ge=1, le=2**53)
    due_on: date
    description: str = Field("", max_length=5000)


class FollowUpRoundIn(Schema):
    opens_on: date
    closes_on: date


def _intervention(request: HttpRequest, intervention: Intervention) -> dict[str, Any]:
    user = request.user
    submissions = selectors.submissions_visible(intervention=intervention, viewer=user)
    items = list(selectors.items_visible(intervention=intervention, viewer=user))
    revealed = bool(intervention.revealed_at)
    return {
        "id": intervention.pk,
        "reason": intervention.reason,
        "opened_at": intervention.opened_at,
        "revealed_at": intervention.revealed_at,
        "closed_at": intervention.closed_at,
        "parties": [s.__dict__ for s in selectors.party_states(intervention=intervention)],
        "lists": [
            {
                "party_id": s.party_id,
                "strategic_logic": s.strategic_logic,
                "submitted": bool(s.submitted_at),
                "contribution": s.contribution,
                "items": [
                    {
                        "id": i.pk,
                        "kind": i.kind,
                        "text": i.text,
                        "objective_id": i.objective_id,
                        "occurred_on": i.occurred_on,
                        "trust_effect": i.trust_effect,
                        "agreed": bool(i.acknowledged_at),
                    }
                    for i in items
                    if i.submission_id == s.pk
                ],
            }
            for s in submissions
        ],
        "timeline": [
            e.__dict__ for e in selectors.merged_timeline(intervention=intervention, viewer=user)
        ],
        "plan_cadence": intervention.plan_cadence,
        "plan_issue_rule": intervention.plan_issue_rule,
        "plan_commitment_ids": list(intervention.plan_commitments.values_list("pk", flat=True))
        if revealed
        else [],
        "followup_round_id": intervention.followup_round_id,
    }


def _get(request: HttpRequest, partnership_id: int, intervention_id: int) -> Intervention:
    return selectors.access_intervention(request.user, partnership_id, intervention_id)


def _fresh(request: HttpRequest, intervention: Intervention) -> dict[str, Any]:
    intervention.refresh_from_db()
    return _intervention(request, intervention)


def _only_if_allowed(request: HttpRequest, partnership_id: int) -> Any:
    """The partnership, for those who read it or run its intervention as facilitator; else 404."""
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    if not (can(request.user, partnership, Need.READ) or is_facilitator(request.user, partnership)):
        raise Http404
    return partnership


@router.get(BASE + "/interventions", response=list[InterventionOut])
def intervention_list(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = _only_if_allowed(request, partnership_id)
    return [_intervention(request, i) for i in selectors.interventions_of(partnership=partnership)]


@router.post(BASE + "/interventions", response={201: InterventionOut})
def intervention_open(request: HttpRequest, payload: OpenIn, partnership_id: int = Id) -> Any:
    partnership = _only_if_allowed(request, partnership_id)
    intervention = services.intervention_open(
        partnership=partnership, user=request.user, reason=payload.reason
    )
    return Status(201, _intervention(request, intervention))


@router.get(ONE, response=InterventionOut)
def intervention_detail(
    request: HttpRequest, partnership_id: int = Id, intervention_id: int = Id
) -> Any:
    return _intervention(request, _get(request, partnership_id, intervention_id))


@router.post(ONE + "/logic", response=InterventionOut)
def logic(
    request: HttpRequest, payload: LogicIn, partnership_id: int = Id, intervention_id: int = Id
) -> Any:
    intervention = _get(request, partnership_id, intervention_id)
    services.submission_set_logic(
        intervention=intervention, user=request.user, strategic_logic=payload.strategic_logic
    )
    return _fresh(request, intervention)


@router.post(ONE + "/items", response={201: InterventionOut})
def item_add(
    request: HttpRequest, payload: ItemIn, partnership_id: int = Id, intervention_id: int = Id
) -> Any:
    intervention = _get(request, partnership_id, intervention_id)
    services.item_add(intervention=intervention, user=request.user, **payload.dict())
    return Status(201, _fresh(request, intervention))


@router.post(ONE + "/submit", response=InterventionOut)
def submit(request: HttpRequest, partnership_id: int = Id, intervention_id: int = Id) -> Any:
    intervention = _get(request, partnership_id, intervention_id)
    services.submission_submit(intervention=intervention, user=request.user)
    return _fresh(request, intervention)


@router.post(ONE + "/reveal", response=InterventionOut)
def reveal(request: HttpRequest, partnership_id: int = Id, intervention_id: int = Id) -> Any:
    intervention = _get(request, partnership_id, intervention_id)
    services.intervention_reveal(intervention=intervention, user=request.user)
    return _fresh(request, intervention)


@router.post(ONE + "/items/{item_id}/acknowledge", response=InterventionOut)
def acknowledge(
    request: HttpRequest, partnership_id: int = Id, intervention_id: int = Id, item_id: int = Id
) -> Any:
    intervention = _get(request, partnership_id, intervention_id)
    item = (
        selectors.items_visible(intervention=intervention, viewer=request.user)
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    services.item_acknowledge(item=item, user=request.user)
    return _fresh(request, intervention)


@router.post(ONE + "/contribution", response=InterventionOut)
def contribution(
    request: HttpRequest,
    payload: ContributionIn,
    partnership_id: int = Id,
    intervention_id: int = Id,
) -> Any:
    intervention = _get(request, partnership_id, intervention_id)
    services.contribution_save(
        intervention=intervention, user=request.user, contribution=payload.contribution
    )
    return _fresh(request, intervention)


@router.put(ONE + "/plan", response=InterventionOut)
def plan(
    request: HttpRequest, payload: PlanIn, partnership_id: int = Id, intervention_id: int = Id
) -> Any:
    intervention = _get(request, partnership_id, intervention_id)
    services.plan_update(intervention=intervention, user=request.user, **payload.dict())
    return _fresh(request, intervention)


@router.post(ONE + "/plan/commitments", response={201: InterventionOut})
def plan_commitment(
    request: HttpRequest,
    payload: PlanCommitmentIn,
    partnership_id: int = Id,
    intervention_id: int = Id,
) -> Any:
    intervention = _get(request, partnership_id, intervention_id)
    services.plan_commitment_add(intervention=intervention, user=request.user, **payload.dict())
    return Status(201, _fresh(request, intervention))


@router.post(ONE + "/plan/round", response=InterventionOut)
def plan_round(
    request: HttpRequest,
    payload: FollowUpRoundIn,
    partnership_id: int = Id,
    intervention_id: int = Id,
) -> Any:
    intervention = _get(request, partnership_id, intervention_id)
    services.plan_followup_round(
        intervention=intervention,
        user=request.user,
        opens_at=datetime.combine(payload.opens_on, time(8), tzinfo=UTC),
        closes_at=datetime.combine(payload.closes_on, time(18), tzinfo=UTC),
    )
    return _fresh(request, intervention)


@router.post(ONE + "/plan/agree", response=InterventionOut)
def plan_agree(request: HttpRequest, partnership_id: int = Id, intervention_id: int = Id) -> Any:
    intervention = _get(request, partnership_id, intervention_id)
    services.plan_agree(intervention=intervention, user=request.user)
    return _fresh(request, intervention)


@router.post(ONE + "/close", response=InterventionOut)
def close(request: HttpRequest, partnership_id: int = Id, intervention_id: int = Id) -> Any:
    intervention = _get(request, partnership_id, intervention_id)
    services.intervention_close(intervention=intervention, user=request.user)
    return _fresh(request, intervention)
