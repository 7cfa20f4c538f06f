"""API for conflict resolution. Handlers: access first, then a schema, then one service call."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Path, Router, Status
from ninja.pagination import paginate

from accord.api.pagination import Pagination
from accord.api.stale import StaleOut
from accord.conflicts import selectors, services
from accord.conflicts.api_schemas import (
    CommentIn,
    CommentOut,
    ConflictTypeName,
    ExitPlanIn,
    ExitPlanOut,
    ExitStepIn,
    ExitStepOut,
    ExitStepPatch,
    IssueDetailOut,
    IssueEscalateIn,
    IssueIn,
    IssueOut,
    OwnersIn,
    PrincipleIn,
    PrincipleOut,
    PrinciplePatch,
    ResolveIn,
    SignalsOut,
    StateName,
    TierOut,
    WindowsIn,
)
from accord.conflicts.models import (
    ExitPlan,
    Issue,
    Principle,
)
from accord.conflicts.signals import signals_for_viewer
from accord.partnerships.access import (
    Need,
    access_partnership,
    can,
    user_organization,
)
from accord.partnerships.models import Participant, Partnership

router = Router(tags=["conflicts"])

Id = Path(..., ge=1, le=2**53)
NO_EXIT_PLAN = "This partnership has no exit plan."
UNKNOWN_PRINCIPLE = "principle_id: no such principle in this partnership."
UNKNOWN_PEOPLE = "user_ids: every owner must be a participant from your organization."
UNKNOWN_OWNER = "owner_id: the owner must take part in this partnership."


def _issue(request: HttpRequest, partnership: Partnership, issue_id: int) -> Issue:
    issue = selectors.issue_get(partnership=partnership, viewer=request.user, issue_id=issue_id)
    if issue is None:
        raise Http404
    return issue


def _participant_user(partnership: Partnership, user_id: int | None, message: str) -> Any:
    if user_id is None:
        return None
    row = (
        Participant.objects.filter(partnership=partnership, user_id=user_id)
        .select_related("user")
        .first()
    )
    if row is None:
        raise ValidationError(message)
    return row.user


# --- issues ------------------------------------------------------------------------------------


@router.get("/partnerships/{partnership_id}/conflicts/issues", response=list[IssueOut])
@paginate(Pagination)
def list_issues(request: HttpRequest, state: StateName = "all", partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    return selectors.issue_rows(
        partnership=partnership, viewer=request.user, state="" if state == "all" else state
    ).select_related("source_type", "partnership")


@router.post("/partnerships/{partnership_id}/conflicts/issues", response={201: IssueDetailOut})
def raise_issue(request: HttpRequest, payload: IssueIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    issue = services.issue_raise(partnership=partnership, user=request.user, **payload.dict())
    return Status(201, issue)


@router.get("/partnerships/{partnership_id}/conflicts/issues/{issue_id}", response=IssueDetailOut)
def get_issue(request: HttpRequest, partnership_id: int = Id, issue_id: int = Id) -> Issue:
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    return _issue(request, partnership, issue_id)


@router.post(
    "/partnerships/{partnership_id}/conflicts/issues/{issue_id}/comments",
    response={201: CommentOut},
)
def comment_issue(
    request: HttpRequest, payload: CommentIn, partnership_id: int = Id, issue_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    issue = _issue(request, partnership, issue_id)
    comment = services.issue_comment(issue=issue, user=request.user, **payload.dict())
    return Status(201, comment)


@router.post(
    "/partnerships/{partnership_id}/conflicts/issues/{issue_id}/resolve",
    response={200: IssueDetailOut, 409: StaleOut},
)
def resolve_issue(
    request: HttpRequest, payload: ResolveIn, partnership_id: int = Id, issue_id: int = Id
) -> Issue:
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    issue = _issue(request, partnership, issue_id)
    principle = Principle.objects.filter(partnership=partnership, pk=payload.principle_id).first()
    if principle is None:
        raise ValidationError(UNKNOWN_PRINCIPLE)
    return services.issue_resolve(
        issue=issue, user=request.user, principle=principle, resolution=payload.resolution
    )


@router.post(
    "/partnerships/{partnership_id}/conflicts/issues/{issue_id}/escalate",
    response={200: IssueDetailOut, 409: StaleOut},
)
def escalate_issue(
    request: HttpRequest, payload: IssueEscalateIn, partnership_id: int = Id, issue_id: int = Id
) -> Issue:
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    issue = _issue(request, partnership, issue_id)
    expected = payload.expected_tier.value if payload.expected_tier is not None else None
    return services.issue_escalate(
        issue=issue, user=request.user, note=payload.note, expected_tier=expected
    )


@router.post(
    "/partnerships/{partnership_id}/conflicts/issues/{issue_id}/withdraw",
    response={200: IssueDetailOut, 409: StaleOut},
)
def withdraw_issue(request: HttpRequest, partnership_id: int = Id, issue_id: int = Id) -> Issue:
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    issue = _issue(request, partnership, issue_id)
    return services.issue_withdraw(issue=issue, user=request.user)


@router.get("/partnerships/{partnership_id}/conflicts/signals", response=SignalsOut)
def get_signals(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    return signals_for_viewer(partnership=partnership, viewer=request.user)


# --- ladder and principles ---------------------------------------------------------------------


@router.get("/partnerships/{partnership_id}/conflicts/ladder", response=list[TierOut])
def get_ladder(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    return selectors.ladder(partnership=partnership, viewer=request.user)


@router.put("/partnerships/{partnership_id}/conflicts/ladder/windows", response=list[TierOut])
def set_windows(request: HttpRequest, payload: WindowsIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    services.ladder_windows_set(partnership=partnership, user=request.user, windows=payload.dict())
    partnership.refresh_from_db()
    return selectors.ladder(partnership=partnership, viewer=request.user)


@router.put("/partnerships/{partnership_id}/conflicts/ladder/owners", response=list[TierOut])
def set_owners(request: HttpRequest, payload: OwnersIn, partnership_id: int = Id) -> Any:
    """Set your own organization's owners of one tier; an empty list returns to the default."""
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    org = user_organization(request.user)
    ids = set(payload.user_ids)
    rows = list(
        Participant.objects.filter(
            partnership=partnership, organization=org, user_id__in=ids
        ).select_related("user")
    )
    if len(rows) != len(ids):
        raise ValidationError(UNKNOWN_PEOPLE)
    services.tier_owners_set(
        partnership=partnership,
        user=request.user,
        tier=payload.tier,
        organization=org,
        users=[r.user for r in rows],
    )
    return selectors.ladder(partnership=partnership, viewer=request.user)


@router.get("/partnerships/{partnership_id}/conflicts/principles", response=list[PrincipleOut])
def list_principles(
    request: HttpRequest,
    conflict_type: ConflictTypeName | None = None,
    partnership_id: int = Id,
) -> Any:
    """The partnership's principles; with `conflict_type`, those for that type and for any type.
    Before the partnership edits them, these are the default catalog (without ids)."""
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    return selectors.principles(partnership=partnership, conflict_type=conflict_type)


@router.post("/partnerships/{partnership_id}/conflicts/principles", response={201: PrincipleOut})
def add_principle(request: HttpRequest, payload: PrincipleIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    principle = services.principle_save(
        partnership=partnership, user=request.user, **payload.dict()
    )
    return Status(201, principle)


def _principle(partnership: Partnership, principle_id: int) -> Principle:
    principle = Principle.objects.filter(partnership=partnership, pk=principle_id).first()
    if principle is None:
        raise Http404
    return principle


@router.patch(
    "/partnerships/{partnership_id}/conflicts/principles/{principle_id}", response=PrincipleOut
)
def change_principle(
    request: HttpRequest, payload: PrinciplePatch, partnership_id: int = Id, principle_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    principle = _principle(partnership, principle_id)
    values = {
        "conflict_type": principle.conflict_type,
        "title": principle.title,
        "text": principle.text,
        **payload.dict(exclude_unset=True, exclude_none=True),
    }
    return services.principle_save(
        partnership=partnership, user=request.user, principle=principle, **values
    )


@router.delete(
    "/partnerships/{partnership_id}/conflicts/principles/{principle_id}", response={204: None}
)
def delete_principle(request: HttpRequest, partnership_id: int = Id, principle_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    principle = _principle(partnership, principle_id)
    services.principle_delete(partnership=partnership, user=request.user, principle=principle)
    return Status(204, None)


# --- exit procedure ----------------------------------------------------------------------------


def _plan(partnership: Partnership) -> ExitPlan:
    plan = selectors.exit_plan(partnership=partnership)
    if plan is None:
        raise Http404(NO_EXIT_PLAN)
    return plan


@router.get("/partnerships/{partnership_id}/conflicts/exit-plan", response=ExitPlanOut)
def get_exit_plan(request: HttpRequest, partnership_id: int = Id) -> ExitPlan:
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    return _plan(partnership)


@router.post("/partnerships/{partnership_id}/conflicts/exit-plan", response={201: ExitPlanOut})
def start_exit_plan(request: HttpRequest, payload: ExitPlanIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    issue = None
    if payload.issue_id is not None:
        issue = _issue(request, partnership, payload.issue_id)
    plan = services.exit_plan_start(
        partnership=partnership, user=request.user, reason=payload.reason, issue=issue
    )
    return Status(201, plan)


@router.post(
    "/partnerships/{partnership_id}/conflicts/exit-plan/steps", response={201: ExitStepOut}
)
def add_exit_step(request: HttpRequest, payload: ExitStepIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    plan = _plan(partnership)
    data = payload.dict()
    owner = _participant_user(partnership, data.pop("owner_id"), UNKNOWN_OWNER)
    step = services.exit_step_add(plan=plan, user=request.user, owner=owner, **data)
    return Status(201, step)


@router.patch(
    "/partnerships/{partnership_id}/conflicts/exit-plan/steps/{step_id}", response=ExitStepOut
)
def change_exit_step(
    request: HttpRequest, payload: ExitStepPatch, partnership_id: int = Id, step_id: int = Id
) -> Any:
    """Managers change owner, due date and done; a step's owner may only mark it done."""
    partnership = access_partnership(request.user, partnership_id, Need.VIEW)
    plan = _plan(partnership)
    step = plan.steps.filter(pk=step_id).first()
    if step is None:
        raise Http404
    if not can(request.user, partnership, Need.MANAGE) and step.owner_id != request.user.pk:
        raise Http404
    sent = payload.dict(exclude_unset=True)
    kwargs: dict[str, Any] = {}
    if "owner_id" in sent:
        kwargs["owner"] = _participant_user(partnership, sent["owner_id"], UNKNOWN_OWNER)
    if "due_on" in sent:
        kwargs["due_on"] = sent["due_on"]
    if sent.get("done") is not None:
        kwargs["done"] = sent["done"]
    return services.exit_step_update(step=step, user=request.user, **kwargs)


@router.post("/partnerships/{partnership_id}/conflicts/exit-plan/complete", response=ExitPlanOut)
def complete_exit_plan(request: HttpRequest, partnership_id: int = Id) -> ExitPlan:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    return services.exit_plan_complete(plan=_plan(partnership), user=request.user)
