"""Monitoring requests and the two-sided measures: on-time delivery and oversight balance."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from accord.accountability import selectors, services
from accord.accountability.api._common import Id, _commitment, _reporting
from accord.accountability.api._router import router
from accord.accountability.models import (
    MonitoringRequest,
)
from accord.api.pagination import Pagination
from accord.partnerships.access import Need, access_partnership

RequestKind = Literal["status_check", "evidence_request"]


class MonitoringIn(Schema):
    kind: RequestKind
    question: str = Field("", max_length=5000)


class MonitoringOut(Schema):
    id: int
    commitment_id: int
    kind: str
    requesting_party_id: int
    question: str
    requested_on: date
    answer: str
    answered_at: datetime | None


class MonitoringAnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=5000)


class OnTimePartyRateOut(Schema):
    party_id: int
    party_name: str
    kept: list[int]
    judged: list[int]
    rates: list[float | None]
    rate: float | None


class OnTimeOut(Schema):
    today: date
    quarters: list[str]
    parties: list[OnTimePartyRateOut]
    signal: float | None
    sentence: str


class OversightPartyOut(Schema):
    party_id: int
    party_name: str
    requests: int
    share: float | None


class OversightOut(Schema):
    window_days: int
    threshold: float
    total: int
    flagged: bool
    signal: float | None
    sentence: str
    parties: list[OversightPartyOut]


@router.get("/partnerships/{partnership_id}/monitoring-requests", response=list[MonitoringOut])
@paginate(Pagination)
def list_monitoring_requests(
    request: HttpRequest, partnership_id: int = Id, open_only: bool = False
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.monitoring_requests(
        partnership=partnership, viewer=request.user, open_only=open_only
    )


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/monitoring-requests",
    response={201: MonitoringOut},
)
def create_monitoring_request(
    request: HttpRequest, payload: MonitoringIn, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    commitment = _commitment(request, partnership_id, commitment_id, Need.CONTRIBUTE)
    item = services.monitoring_request_create(
        commitment=commitment, user=request.user, **payload.dict()
    )
    return Status(201, item)


@router.post(
    "/partnerships/{partnership_id}/monitoring-requests/{request_id}/answer",
    response=MonitoringOut,
)
def answer_monitoring_request(
    request: HttpRequest,
    payload: MonitoringAnswerIn,
    partnership_id: int = Id,
    request_id: int = Id,
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    item: MonitoringRequest | None = (
        selectors.monitoring_requests(partnership=partnership, viewer=request.user)
        .filter(pk=request_id)
        .first()
    )
    if item is None:
        raise Http404
    _reporting(request, item.commitment)
    return services.monitoring_request_answer(
        request=item, user=request.user, answer=payload.answer
    )


@router.get("/partnerships/{partnership_id}/on-time", response=OnTimeOut)
def get_on_time(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    data = selectors.on_time(partnership=partnership)
    return {
        "today": data.today,
        "quarters": data.quarters,
        "signal": data.signal,
        "sentence": data.sentence(),
        "parties": [
            {
                "party_id": row.party.pk,
                "party_name": row.party.organization.name,
                "kept": row.kept,
                "judged": row.evaluated,
                "rates": row.rates,
                "rate": row.rate,
            }
            for row in data.rows
        ],
    }


@router.get("/partnerships/{partnership_id}/oversight", response=OversightOut)
def get_oversight(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    data = selectors.oversight(partnership=partnership)
    return {
        "window_days": data.window_days,
        "threshold": data.threshold,
        "total": data.total,
        "flagged": data.flagged,
        "signal": data.signal,
        "sentence": data.sentence,
        "parties": [
            {
                "party_id": party.pk,
                "party_name": party.organization.name,
                "requests": n,
                "share": share,
            }
            for party, n, share in data.rows
        ],
    }
