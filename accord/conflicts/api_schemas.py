"""Schemas of the conflict-resolution API: what goes in and comes out of each route."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from accord.api.fields import OWNER_DESCRIPTION
from accord.conflicts import selectors
from accord.conflicts.models import (
    Comment,
    ExitPlan,
    ExitStep,
    Issue,
    TierChange,
    TierKey,
)
from accord.partnerships.access import (
    request_lens,
)
from accord.partnerships.models import Partnership

ConflictTypeName = Literal[
    "scope", "resources", "ip", "quality", "timing", "relationship", "commercial", "other"
]
PrincipleTypeName = Literal[
    "any", "scope", "resources", "ip", "quality", "timing", "relationship", "commercial", "other"
]
TierName = Literal[
    "operational_leads",
    "alliance_managers",
    "executive_sponsors",
    "neutral_facilitation",
    "exit_procedure",
]
AreaName = Literal["assets", "ip", "data", "investments", "wind_down", "communication"]
StateName = Literal["open", "resolved", "withdrawn", "all"]


def _person(context: Any, user: Any, partnership_id: int) -> str | None:
    """A person's name as the requester may see it (access.PeopleLens)."""
    if user is None:
        return None
    return request_lens(context["request"], partnership_id).name(user)


class TierChangeOut(Schema):
    from_tier: str
    to_tier: str
    reason: str
    note: str
    by: str | None
    at: datetime

    @staticmethod
    def resolve_by(obj: TierChange, context: Any) -> str | None:
        return _person(context, obj.by, obj.issue.partnership_id)


class CommentOut(Schema):
    id: int
    kind: str
    body: str
    tier: str
    author: str | None
    organization: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Comment, context: Any) -> str | None:
        return _person(context, obj.author, obj.issue.partnership_id)

    @staticmethod
    def resolve_organization(obj: Comment) -> str:
        return obj.organization.name


class IssueOut(Schema):
    id: int
    title: str
    description: str
    conflict_type: str
    visibility: str
    state: str
    tier: str
    tier_number: int
    tier_entered_at: datetime
    escalates_at: datetime | None
    raised_by: str | None
    organization: str
    created_at: datetime
    resolved_at: datetime | None
    principle_id: int | None
    principle_title: str
    resolution: str
    withdrawn_at: datetime | None
    source_type: str | None
    source_id: str

    @staticmethod
    def resolve_escalates_at(obj: Issue) -> datetime | None:
        return selectors.tier_deadline(obj)

    @staticmethod
    def resolve_raised_by(obj: Issue, context: Any) -> str | None:
        return _person(context, obj.created_by, obj.partnership_id)

    @staticmethod
    def resolve_organization(obj: Issue) -> str:
        return obj.owner_org.name

    @staticmethod
    def resolve_source_type(obj: Issue) -> str | None:
        return obj.source_type.model_class()._meta.label_lower if obj.source_type else None  # type: ignore[union-attr]


class IssueDetailOut(IssueOut):
    escalations: list[TierChangeOut]
    comments: list[CommentOut]

    @staticmethod
    def resolve_escalations(obj: Issue) -> list[TierChange]:
        return list(obj.tier_changes.select_related("by"))

    @staticmethod
    def resolve_comments(obj: Issue) -> list[Comment]:
        return list(obj.comments.select_related("author", "organization"))


class IssueIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=20000)
    conflict_type: ConflictTypeName
    visibility: Literal["joint", "internal"] = "joint"


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=20000)
    kind: Literal["comment", "proposal"] = "comment"


class ResolveIn(Schema):
    principle_id: int = Field(..., ge=1, le=2**53)
    resolution: str = Field(..., min_length=1, max_length=20000)


class IssueEscalateIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000)
    expected_tier: TierKey | None = Field(
        None,
        description="The tier you saw. If the issue has moved since, the answer is 409 and "
        "nothing changes. Without it, the tier when this request arrived is assumed.",
    )


class TierOut(Schema):
    order: int
    key: str
    label: str
    window_days: int | None
    owners: list[tuple[str, list[str]]]


class WindowsIn(Schema):
    operational_leads: int = Field(..., ge=1, le=365)
    alliance_managers: int = Field(..., ge=1, le=365)
    executive_sponsors: int = Field(..., ge=1, le=365)
    neutral_facilitation: int = Field(..., ge=1, le=365)


class OwnersIn(Schema):
    tier: TierName
    user_ids: list[Annotated[int, Field(ge=1, le=2**53)]] = Field(
        default_factory=list,
        max_length=200,
        description="Each a participant's `user_id` from GET /partnerships/{partnership_id}/"
        "participants.",
    )


class PrincipleOut(Schema):
    id: int | None
    conflict_type: str
    title: str
    text: str

    @staticmethod
    def resolve_id(obj: Any) -> int | None:
        return obj.pk


class PrincipleIn(Schema):
    conflict_type: PrincipleTypeName
    title: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1, max_length=5000)


class PrinciplePatch(Schema):
    conflict_type: PrincipleTypeName = None  # type: ignore[assignment]
    title: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    text: str = Field(None, min_length=1, max_length=5000)  # type: ignore[assignment]


class OpenIssueTier(Schema):
    issue_id: int
    tier: int


class SignalsOut(Schema):
    issues: int
    open_issues: int
    resolved: int
    escalated: int
    escalation_rate: float | None
    median_days_to_resolution: float | None
    open_by_tier: list[int]
    current_tiers: list[OpenIssueTier]

    @staticmethod
    def resolve_current_tiers(obj: Any) -> list[dict[str, int]]:
        return [{"issue_id": issue, "tier": tier} for issue, tier in obj.current_tiers]


class ExitStepOut(Schema):
    id: int
    area: str
    title: str
    detail: str
    owner_id: int | None
    owner: str | None
    due_on: date | None
    done: bool
    done_at: datetime | None

    @staticmethod
    def resolve_owner(obj: ExitStep, context: Any) -> str | None:
        return _person(context, obj.owner, obj.plan.partnership_id)

    @staticmethod
    def resolve_done(obj: ExitStep) -> bool:
        return obj.is_done


class ExitPlanOut(Schema):
    id: int
    reason: str
    issue_id: int | None
    started_at: datetime
    completed_at: datetime | None
    partnership_status: str
    steps_done: int
    steps_total: int
    steps: list[ExitStepOut]

    @staticmethod
    def resolve_partnership_status(obj: ExitPlan) -> str:
        return Partnership.objects.values_list("status", flat=True).get(pk=obj.partnership_id)

    @staticmethod
    def resolve_steps(obj: ExitPlan) -> list[ExitStep]:
        return list(obj.steps.select_related("owner"))

    @staticmethod
    def resolve_steps_done(obj: ExitPlan) -> int:
        return obj.steps.filter(done_at__isnull=False).count()

    @staticmethod
    def resolve_steps_total(obj: ExitPlan) -> int:
        return obj.steps.count()


class ExitPlanIn(Schema):
    reason: str = Field(..., min_length=1, max_length=5000)
    issue_id: int | None = Field(None, ge=1, le=2**53)


class ExitStepIn(Schema):
    area: AreaName
    title: str = Field(..., min_length=1, max_length=200)
    detail: str = Field("", max_length=5000)
    owner_id: int | None = Field(None, ge=1, le=2**53, description=OWNER_DESCRIPTION)
    due_on: date | None = None


class ExitStepPatch(Schema):
    owner_id: int | None = Field(None, ge=1, le=2**53, description=OWNER_DESCRIPTION)
    due_on: date | None = None
    done: bool = None  # type: ignore[assignment]
