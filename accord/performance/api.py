"""API for performance management. Handlers: access first, then a schema, then one service call."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from accord.api.pagination import Pagination
from accord.partnerships.access import Need, access_partnership
from accord.partnerships.models import Party
from accord.performance import selectors, services
from accord.performance.models import CatalogMetric, Category, Observation
from accord.performance.parsing import parse_period

router = Router(tags=["performance"])

Id = Path(..., ge=1, le=2**53)
CategoryName = Literal["financial", "operational", "innovation", "market", "relationship"]
DirectionName = Literal["higher", "lower"]
CadenceName = Literal["daily", "weekly", "monthly", "quarterly"]
FeedName = Literal[
    "",
    "trust_competence",
    "trust_contractual",
    "trust_goodwill",
    "conflict_frequency",
    "notice_kept",
    "responsiveness",
]
VisibilityName = Literal["joint", "internal"]
Finite = Field(..., allow_inf_nan=False, gt=-1e15, lt=1e15)
FiniteOrUnset = Field(None, allow_inf_nan=False, gt=-1e15, lt=1e15)
CODE = r"^[-a-zA-Z0-9_]+$"
NO_SUCH_PARTY = "No such party in this partnership."
UNKNOWN_CATEGORY = (
    "Unknown category: use financial, operational, innovation, market or relationship."
)


class MetricOut(Schema):
    id: int
    code: str
    name: str
    category: str
    description: str
    unit: str
    direction: str
    target: float
    amber_threshold: float
    red_threshold: float
    cadence: str
    owner_party_id: int
    visibility: str
    catalog_key: str
    feed: str = Field(..., description="Empty when typed by hand; else the registry feed.")


class MetricIn(Schema):
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=200)
    category: CategoryName
    description: str = Field("", max_length=5000)
    unit: str = Field("", max_length=30)
    direction: DirectionName
    target: float = Finite
    amber_threshold: float = Finite
    red_threshold: float = Finite
    cadence: CadenceName = "monthly"
    owner_party_id: int = Field(..., ge=1, le=2**53)
    visibility: VisibilityName = "joint"
    feed: FeedName = ""


class MetricPatch(Schema):
    """Only the fields sent change. No field can be cleared, so none accepts null (a null is a
    422 like any other invalid value)."""

    code: str = Field(None, min_length=1, max_length=40, pattern=CODE)  # type: ignore[assignment]
    name: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    category: CategoryName = None  # type: ignore[assignment]
    description: str = Field(None, max_length=5000)  # type: ignore[assignment]
    unit: str = Field(None, max_length=30)  # type: ignore[assignment]
    direction: DirectionName = None  # type: ignore[assignment]
    target: float = FiniteOrUnset  # type: ignore[assignment]
    amber_threshold: float = FiniteOrUnset  # type: ignore[assignment]
    red_threshold: float = FiniteOrUnset  # type: ignore[assignment]
    cadence: CadenceName = None  # type: ignore[assignment]
    owner_party_id: int = Field(None, ge=1, le=2**53)  # type: ignore[assignment]
    visibility: VisibilityName = None  # type: ignore[assignment]
    feed: FeedName = None  # type: ignore[assignment]


class AdoptIn(Schema):
    key: str = Field(..., min_length=1, max_length=40)
    owner_party_id: int = Field(..., ge=1, le=2**53)
    visibility: VisibilityName = "joint"


class CatalogOut(Schema):
    key: str
    category: str
    name: str
    description: str
    unit: str
    direction: str
    target: float
    amber_threshold: float
    red_threshold: float
    cadence: str


class ObservationOut(Schema):
    metric_id: int
    period: date
    value: float
    note: str


class ObservationIn(Schema):
    period: str = Field(
        ..., min_length=1, max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY-Qn"
    )
    value: float = Finite
    note: str = Field("", max_length=500)


class BulkRow(Schema):
    metric: str = Field(..., max_length=200, description="The metric's code or name.")
    period: str = Field(..., max_length=40)
    value: float | str = Field(..., description="A number (a string is parsed like a CSV cell).")
    note: str = Field("", max_length=500)


class RowErrorOut(Schema):
    row: int
    column: str
    reason: str


class IngestOut(Schema):
    ok: bool
    rows: int
    imported: int
    error_count: int
    errors: list[RowErrorOut]


class IngestRejectedOut(IngestOut):
    """The API's one error format, with the row-level report beside it."""

    detail: str
    code: str


class ScorecardRowOut(Schema):
    metric: MetricOut
    status: str = Field(
        description="Traffic light of the latest value: green (within the amber threshold), "
        "amber, red or no_evidence."
    )
    standing: str = Field(
        description="What the latest value says: on_target (meets the target), "
        "within_tolerance (misses it, not past amber), off_target (past amber), "
        "far_off_target (past red) or no_evidence."
    )
    stale: bool = Field(
        description="True when the latest value is older than the metric's cadence allows "
        "(the period it covers plus one period to report it)."
    )
    stale_since: date | None = Field(
        description="The day the latest value becomes (or became) stale; null without values."
    )
    latest_value: float | None
    latest_on: date | None
    ratio: float | None
    trend: int


class CategoryOut(Schema):
    category: str
    metrics: int
    with_evidence: int
    green: int
    on_target: int
    mean_ratio: float | None


class ScorecardOut(Schema):
    today: date
    attainment: float | None
    categories: list[CategoryOut]
    metrics: list[ScorecardRowOut]


def _party(partnership: Any, party_id: int) -> Party:
    party = Party.objects.filter(partnership=partnership, pk=party_id).first()
    if party is None:
        raise ValidationError(NO_SUCH_PARTY)
    return party


@router.get("/performance/catalog", response=list[CatalogOut])
@paginate(Pagination)
def list_catalog(request: HttpRequest) -> Any:
    """The starter catalog of metric definitions."""
    if not request.user.is_authenticated:
        raise Http404
    return CatalogMetric.objects.all()


@router.get("/partnerships/{partnership_id}/metrics", response=list[MetricOut])
@paginate(Pagination)
def list_metrics(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.visible_metrics(partnership=partnership, viewer=request.user)


@router.post("/partnerships/{partnership_id}/metrics", response={201: MetricOut})
def create_metric(request: HttpRequest, payload: MetricIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    fields = payload.dict()
    fields["owner_party"] = _party(partnership, fields.pop("owner_party_id"))
    metric = services.metric_create(partnership=partnership, user=request.user, **fields)
    return Status(201, metric)


@router.post("/partnerships/{partnership_id}/metrics/adopt", response={201: MetricOut})
def adopt_metric(request: HttpRequest, payload: AdoptIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    entry = CatalogMetric.objects.filter(key=payload.key).first()
    if entry is None:
        raise Http404
    metric = services.metric_adopt(
        partnership=partnership,
        user=request.user,
        entry=entry,
        owner_party=_party(partnership, payload.owner_party_id),
        visibility=payload.visibility,
    )
    return Status(201, metric)


@router.get("/partnerships/{partnership_id}/metrics/{metric_id}", response=MetricOut)
def get_metric(request: HttpRequest, partnership_id: int = Id, metric_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.metric_for(partnership=partnership, viewer=request.user, metric_id=metric_id)


@router.patch("/partnerships/{partnership_id}/metrics/{metric_id}", response=MetricOut)
def update_metric(
    request: HttpRequest, payload: MetricPatch, partnership_id: int = Id, metric_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    metric = selectors.metric_for(partnership=partnership, viewer=request.user, metric_id=metric_id)
    fields = payload.dict(exclude_unset=True)
    if "owner_party_id" in fields:
        fields["owner_party"] = _party(partnership, fields.pop("owner_party_id"))
    return services.metric_update(metric=metric, user=request.user, **fields)


@router.delete("/partnerships/{partnership_id}/metrics/{metric_id}", response={204: None})
def delete_metric(request: HttpRequest, partnership_id: int = Id, metric_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    metric = selectors.metric_for(partnership=partnership, viewer=request.user, metric_id=metric_id)
    services.metric_delete(metric=metric, user=request.user)
    return Status(204, None)


@router.get(
    "/partnerships/{partnership_id}/metrics/{metric_id}/observations",
    response=list[ObservationOut],
)
@paginate(Pagination)
def list_observations(request: HttpRequest, partnership_id: int = Id, metric_id: int = Id) -> Any:
    """A metric's values, newest period first."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    metric = selectors.metric_for(partnership=partnership, viewer=request.user, metric_id=metric_id)
    return selectors.observations_of(metric=metric)


@router.post(
    "/partnerships/{partnership_id}/metrics/{metric_id}/observations",
    response={201: ObservationOut, 200: ObservationOut},
)
def record_observation(
    request: HttpRequest, payload: ObservationIn, partnership_id: int = Id, metric_id: int = Id
) -> Any:
    """Record a value; the same period again replaces the value (200 instead of 201)."""
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    metric = selectors.metric_for(partnership=partnership, viewer=request.user, metric_id=metric_id)
    try:
        period = parse_period(payload.period)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    observation, created = services.observation_record(
        metric=metric, user=request.user, period=period, value=payload.value, note=payload.note
    )
    return Status(201 if created else 200, observation)


@router.delete(
    "/partnerships/{partnership_id}/metrics/{metric_id}/observations/{period}",
    response={204: None},
)
def delete_observation(
    request: HttpRequest, period: str, partnership_id: int = Id, metric_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    metric = selectors.metric_for(partnership=partnership, viewer=request.user, metric_id=metric_id)
    try:
        day = parse_period(period[:40])
    except ValueError:
        raise Http404 from None
    observation = Observation.objects.filter(metric=metric, period=day).first()
    if observation is None:
        raise Http404
    services.observation_delete(observation=observation, user=request.user)
    return Status(204, None)


@router.post(
    "/partnerships/{partnership_id}/observations/bulk",
    response={200: IngestOut, 400: IngestRejectedOut},
)
def ingest_observations(
    request: HttpRequest, payload: list[BulkRow], partnership_id: int = Id
) -> Any:
    """Many values at once, all or nothing: 200 with the count, or 400 with every bad row
    (rows are numbered from 1) and nothing stored. The same (metric, period) again replaces the
    value; a pair twice in one request is a row error."""
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    report = services.observations_ingest(
        partnership=partnership, user=request.user, rows=[row.dict() for row in payload]
    )
    result = report.as_dict()
    for error in result["errors"]:
        error["row"] -= 1  # the engine counts a header row; API rows start at 1
    if report.ok:
        return Status(200, result)
    detail = f"Nothing stored: {report.error_count} problem(s) in the rows."
    return Status(400, {**result, "detail": detail, "code": "rejected"})


@router.get("/partnerships/{partnership_id}/scorecard", response=ScorecardOut)
def get_scorecard(request: HttpRequest, partnership_id: int = Id, category: str = "") -> Any:
    """Latest value against target per visible metric, with status, attainment and trend;
    `category` (financial, operational, innovation, market, relationship) narrows the metrics."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    if category and category not in Category.values:
        raise ValidationError(UNKNOWN_CATEGORY)
    card = selectors.scorecard(
        partnership=partnership, viewer=request.user, category=category or ""
    )
    return {
        "today": card.today,
        "attainment": card.attainment,
        "categories": card.categories,
        "metrics": card.rows,
    }
