"""API for health: the latest index, its history, the inputs behind it, alerts and weights.
Handlers: access first, then a schema, then one call; everything read is stored."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from accord.api.errors import ApiError
from accord.domain.health import GROUPS
from accord.health import selectors, services
from accord.health.models import Alert, HealthScore
from accord.partnerships.access import NOT_FOUND, Need, access_partnership

router = Router(tags=["health"])
Id = Path(..., ge=1, le=2**53)


class SubScoresOut(Schema):
    trust: float | None
    behaviour: float | None
    economics: float | None
    governance: float | None
    performance: float | None
    communication: float | None


class OwnViewOut(Schema):
    party: int
    organization: str
    trust: float | None
    behaviour: float | None


class HealthOut(Schema):
    week: date | None
    overall: float | None
    trend: float | None
    state: str
    state_words: str
    subscores: SubScoresOut | None
    weights: dict[str, float]
    own_views: list[OwnViewOut]
    movements: list[str]
    computed_at: datetime | None


class WeekOut(Schema):
    week: date
    overall: float | None
    trend: float | None
    state: str
    subscores: SubScoresOut


class InputOut(Schema):
    source: str
    week: date
    signal: str
    label: str
    rule: str
    from_party: str
    to_party: str
    value: float
    observations: float


class AlertOut(Schema):
    id: int
    kind: str
    state: str
    summary: str
    evidence: list[dict[str, str]]
    next_step: str
    raised_for: date
    opened_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    cleared_at: datetime | None


class WeightsIn(Schema):
    trust: float | None = Field(None, ge=0, le=100, allow_inf_nan=False)
    behaviour: float | None = Field(None, ge=0, le=100, allow_inf_nan=False)
    economics: float | None = Field(None, ge=0, le=100, allow_inf_nan=False)
    governance: float | None = Field(None, ge=0, le=100, allow_inf_nan=False)
    performance: float | None = Field(None, ge=0, le=100, allow_inf_nan=False)
    communication: float | None = Field(None, ge=0, le=100, allow_inf_nan=False)


def _subscores(score: HealthScore) -> dict[str, float | None]:
    return {str(g): getattr(score, str(g)) for g in GROUPS}


@router.get("/partnerships/{partnership_id}/health", response=HealthOut)
def get_health(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    score = selectors.latest(partnership)
    names = selectors.party_names(partnership)
    own = []
    if score:
        own = [
            {"party": int(pk), "organization": names.get(int(pk), ""), **view}
            for pk, view in score.own_views.items()
        ]
    return {
        "week": score.period_start if score else None,
        "overall": score.overall if score else None,
        "trend": score.trend if score else None,
        "state": score.state if score else "unknown",
        "state_words": selectors.STATE_WORDS.get(score.state if score else "unknown", ""),
        "subscores": _subscores(score) if score else None,
        "weights": selectors.weights(partnership),
        "own_views": own,
        "movements": score.movements if score else [],
        "computed_at": score.computed_at if score else None,
    }


@router.get("/partnerships/{partnership_id}/health/history", response=list[WeekOut])
def get_history(
    request: HttpRequest,
    partnership_id: int = Id,
    weeks: int = Query(52, ge=1, le=156),  # type: ignore[type-arg]
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return [
        {
            "week": s.period_start,
            "overall": s.overall,
            "trend": s.trend,
            "state": s.state,
            "subscores": _subscores(s),
        }
        for s in selectors.history(partnership, weeks)
    ]


@router.get("/partnerships/{partnership_id}/health/evidence", response=list[InputOut])
def get_evidence(
    request: HttpRequest,
    partnership_id: int = Id,
    group: str | None = Query(None, max_length=20),  # type: ignore[type-arg]
    party: int | None = Query(None, ge=1, le=2**53),  # type: ignore[type-arg]
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    if group is not None and group not in {str(g) for g in GROUPS}:
        raise ApiError(400, f"Unknown sub-score: {group}.", "invalid_group")
    if party is not None and party not in selectors.party_names(partnership):
        raise ApiError(400, "That party is not in this partnership.", "invalid_party")
    return [
        {
            "source": r.source,
            "week": r.week,
            "signal": r.signal,
            "label": r.label,
            "rule": r.rule,
            "from_party": r.from_name,
            "to_party": r.to_name,
            "value": r.value,
            "observations": r.weight,
        }
        for r in selectors.inputs(partnership, group=group, party=party)
    ]


@router.get("/partnerships/{partnership_id}/health/alerts", response=list[AlertOut])
def list_alerts(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.alerts(partnership)


def _alert(request: HttpRequest, partnership_id: int, alert_id: int) -> Alert:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    alert = selectors.alert_for(partnership, alert_id)
    if alert is None:
        raise ApiError(404, NOT_FOUND, "not_found")
    return alert


@router.post(
    "/partnerships/{partnership_id}/health/alerts/{alert_id}/acknowledge", response=AlertOut
)
def acknowledge(request: HttpRequest, partnership_id: int = Id, alert_id: int = Id) -> Any:
    alert = _alert(request, partnership_id, alert_id)
    try:
        return services.acknowledge_alert(alert=alert, actor=request.user)
    except services.AlertStateError as error:
        raise ApiError(400, str(error), "alert_state") from None


@router.post("/partnerships/{partnership_id}/health/alerts/{alert_id}/resolve", response=AlertOut)
def resolve(request: HttpRequest, partnership_id: int = Id, alert_id: int = Id) -> Any:
    alert = _alert(request, partnership_id, alert_id)
    try:
        return services.resolve_alert(alert=alert, actor=request.user)
    except services.AlertStateError as error:
        raise ApiError(400, str(error), "alert_state") from None


@router.put("/partnerships/{partnership_id}/health/weights", response=dict[str, float])
def put_weights(request: HttpRequest, payload: WeightsIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    given = {k: v for k, v in payload.dict().items() if v is not None}
    try:
        services.set_weights(partnership=partnership, weights=given, actor=request.user)
    except services.HealthScoringError as error:
        raise ApiError(400, str(error), "invalid_weights") from None
    return selectors.weights(partnership)
