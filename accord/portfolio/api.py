"""API for the portfolio: the same rows, filters and sort as the page, paginated with limit and
offset like every list of the API ({"items": […], "count": n})."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from accord.api.errors import ApiError
from accord.api.pagination import MAX_LIMIT, MAX_OFFSET
from accord.partnerships.access import NOT_FOUND
from accord.portfolio import selectors

router = Router(tags=["portfolio"])

Status = Literal["", "forming", "active", "intervention", "dissolving", "dissolved"]
Stage = Literal[
    "", "assessment", "verification", "reinforcement", "expansion", "institutionalization"
]
Band = Literal["", "good", "watch", "poor", "none"]
Sort = Literal[
    "name", "health", "trend", "alerts", "stage", "status", "activity",
    "-name", "-health", "-trend", "-alerts", "-stage", "-status", "-activity",
]  # fmt: skip


class PortfolioSubScoresOut(Schema):
    trust: float | None
    behaviour: float | None
    economics: float | None
    governance: float | None
    performance: float | None
    communication: float | None


class PortfolioRowOut(Schema):
    id: int
    name: str
    partners: list[str]
    status: str
    trust_stage: str | None
    trust_stage_judged_at: datetime | None
    health: float | None
    health_band: str
    subscores: PortfolioSubScoresOut | None
    trend: float | None
    trend_words: str
    active_alerts: int
    last_activity: datetime | None
    health_week: date | None
    health_computed_at: datetime | None


class PortfolioOut(Schema):
    items: list[PortfolioRowOut]
    count: int


def _row(r: selectors.Row) -> dict[str, Any]:
    return {
        "id": r.partnership.pk,
        "name": r.partnership.name,
        "partners": r.partners,
        "status": r.partnership.status,
        "trust_stage": r.stage or None,
        "trust_stage_judged_at": r.stage_judged_at,
        "health": r.overall,
        "health_band": r.band,
        "subscores": r.subscores or None,
        "trend": r.trend,
        "trend_words": r.trend_words,
        "active_alerts": r.active_alerts,
        "last_activity": r.last_activity,
        "health_week": r.week,
        "health_computed_at": r.computed_at,
    }


@router.get("/portfolio", response=PortfolioOut)
def get_portfolio(
    request: HttpRequest,
    q: str = Query("", max_length=200),  # type: ignore[type-arg]
    status: Status = "",
    stage: Stage = "",
    alerts: Literal["", "yes", "no"] = "",
    band: Band = "",
    sort: Sort = "name",
    limit: int = Query(100, ge=1, le=MAX_LIMIT),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=MAX_OFFSET),  # type: ignore[type-arg]
) -> Any:
    """The partnerships of your organization you may read, with their stored health."""
    org = selectors.organization_of(request.user)
    if org is None:
        raise ApiError(404, NOT_FOUND, "not_found")
    filters = selectors.Filters(
        q=q.strip(),
        status=status,
        stage=stage,
        alerts=alerts,
        band=band,
        sort=sort.lstrip("-"),
        descending=sort.startswith("-"),
    )
    qs = selectors.filtered(viewer=request.user, filters=filters)
    count = qs.count()
    page = list(qs[offset : offset + limit]) if offset < count else []
    return {"items": [_row(r) for r in selectors.rows(page, viewer_org_id=org.pk)], "count": count}
