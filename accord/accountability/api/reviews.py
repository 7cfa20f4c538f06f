"""Review cadences and reviews: schedule, agenda, minutes, cancel."""

from datetime import date, datetime, time
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from accord.accountability import selectors, services
from accord.accountability.api._common import Id, VisibilityName, _metrics
from accord.accountability.api._router import router
from accord.accountability.models import (
    Review,
    ReviewCadence,
)
from accord.api.fields import Moment, ObjectId
from accord.api.pagination import Pagination
from accord.partnerships.access import Need, access_partnership
from accord.partnerships.models import Participant

FrequencyName = Literal["daily", "weekly", "monthly", "quarterly"]
KindName = Literal["operational", "strategic"]
UNKNOWN_PARTICIPANT = "participants: not participants in this partnership."


class CadenceOut(Schema):
    id: int
    name: str
    frequency: str
    kind: str
    starts_on: date
    time_of_day: str = Field(..., pattern=r"^\d{2}:\d{2}$", description="Local time, HH:MM.")
    duration_minutes: int
    location: str
    ended_on: date | None
    visibility: str
    participant_ids: list[int]

    @staticmethod
    def resolve_time_of_day(obj: ReviewCadence) -> str:
        return obj.time_of_day.strftime("%H:%M")

    @staticmethod
    def resolve_participant_ids(obj: ReviewCadence) -> list[int]:
        return [p.pk for p in obj.participants.all()]


class CadenceIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    frequency: FrequencyName
    kind: KindName = "operational"
    starts_on: date
    time_of_day: time = Field(..., description="Local time of day, e.g. 09:30 (no time zone).")

    @field_validator("time_of_day")
    @classmethod
    def local_time(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError("Give a local time of day without a time zone, e.g. 09:30.")
        return value

    duration_minutes: int = Field(60, ge=5, le=600)
    location: str = Field("", max_length=300)
    participant_ids: list[ObjectId] = Field(..., min_length=1, max_length=200)
    visibility: VisibilityName = "joint"


class ReviewOut(Schema):
    id: int
    cadence_id: int | None
    title: str
    kind: str
    scheduled_at: datetime
    duration_minutes: int
    location: str
    status: str
    held_at: datetime | None
    decisions: str
    notes: str
    visibility: str
    attendee_ids: list[int]
    metric_ids: list[int]

    @staticmethod
    def resolve_attendee_ids(obj: Review) -> list[int]:
        return [p.pk for p in obj.attendees.all()]

    @staticmethod
    def resolve_metric_ids(obj: Review) -> list[int]:
        return [m.pk for m in obj.metrics_reviewed.all()]


class ReviewIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    scheduled_at: Moment
    kind: KindName = "operational"
    duration_minutes: int = Field(60, ge=5, le=600)
    location: str = Field("", max_length=300)
    visibility: VisibilityName = "joint"


class AgendaItemOut(Schema):
    id: int
    title: str
    party: str
    due_on: date | None = None
    status: str = ""
    value: float | None = None


class AgendaOut(Schema):
    window_start: date
    window_end: date
    commitments: list[AgendaItemOut]
    metrics: list[AgendaItemOut]
    actions: list[AgendaItemOut]


class ReviewDetailOut(ReviewOut):
    agenda: AgendaOut


class MinutesIn(Schema):
    attendee_ids: list[ObjectId] = Field(default_factory=list, max_length=500)
    decisions: str = Field("", max_length=20000)
    notes: str = Field("", max_length=20000)
    metric_ids: list[ObjectId] = Field(default_factory=list, max_length=500)


@router.get("/partnerships/{partnership_id}/review-cadences", response=list[CadenceOut])
@paginate(Pagination)
def list_cadences(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.cadence_list(partnership=partnership, viewer=request.user)


@router.post("/partnerships/{partnership_id}/review-cadences", response={201: CadenceOut})
def create_cadence(request: HttpRequest, payload: CadenceIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    data = payload.dict()
    ids = set(data.pop("participant_ids"))
    participants = list(Participant.objects.filter(partnership=partnership, pk__in=ids))
    if len(participants) != len(ids):
        raise ValidationError(UNKNOWN_PARTICIPANT)
    cadence = services.cadence_create(
        partnership=partnership, user=request.user, participants=participants, **data
    )
    return Status(201, cadence)


@router.post("/partnerships/{partnership_id}/review-cadences/{cadence_id}/end", response=CadenceOut)
def end_cadence(request: HttpRequest, partnership_id: int = Id, cadence_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    cadence = (
        selectors.cadence_list(partnership=partnership, viewer=request.user)
        .filter(pk=cadence_id)
        .first()
    )
    if cadence is None:
        raise Http404
    return services.cadence_end(cadence=cadence, user=request.user)


@router.get("/partnerships/{partnership_id}/reviews", response=list[ReviewOut])
@paginate(Pagination)
def list_reviews(
    request: HttpRequest,
    partnership_id: int = Id,
    since: date | None = None,
    until: date | None = None,
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    rows = selectors.review_list(partnership=partnership, viewer=request.user).prefetch_related(
        "attendees", "metrics_reviewed"
    )
    if since:
        rows = rows.filter(scheduled_at__date__gte=since)
    if until:
        rows = rows.filter(scheduled_at__date__lte=until)
    return rows


@router.post("/partnerships/{partnership_id}/reviews", response={201: ReviewOut})
def create_review(request: HttpRequest, payload: ReviewIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    return Status(
        201, services.review_create(partnership=partnership, user=request.user, **payload.dict())
    )


def _agenda_out(agenda: selectors.Agenda) -> dict[str, Any]:
    return {
        "window_start": agenda.window[0],
        "window_end": agenda.window[1],
        "commitments": [
            {
                "id": c.pk,
                "title": c.title,
                "party": c.owner_party.organization.name,
                "due_on": c.due_on,
                "status": c.status,
            }
            for c in agenda.commitments
        ],
        "metrics": [
            {"id": m.id, "title": m.name, "party": "", "status": m.status, "value": m.value}
            for m in agenda.metrics
        ],
        "actions": [
            {
                "id": a.pk,
                "title": a.title,
                "party": a.owner_party.organization.name,
                "due_on": a.due_on,
            }
            for a in agenda.actions
        ],
    }


@router.get("/partnerships/{partnership_id}/reviews/{review_id}", response=ReviewDetailOut)
def get_review(request: HttpRequest, partnership_id: int = Id, review_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    review = selectors.review_get(partnership=partnership, viewer=request.user, review_id=review_id)
    review.agenda = _agenda_out(selectors.review_agenda(review=review, viewer=request.user))  # type: ignore[attr-defined]
    return review


@router.post("/partnerships/{partnership_id}/reviews/{review_id}/minutes", response=ReviewOut)
def record_minutes(
    request: HttpRequest, payload: MinutesIn, partnership_id: int = Id, review_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    review = selectors.review_get(partnership=partnership, viewer=request.user, review_id=review_id)
    ids = set(payload.attendee_ids)
    attendees = list(Participant.objects.filter(partnership=partnership, pk__in=ids))
    if len(attendees) != len(ids):
        raise ValidationError(services.ATTENDEE_OUTSIDE)
    metrics = _metrics(request, partnership, set(payload.metric_ids))
    agenda = selectors.review_agenda(review=review, viewer=request.user).snapshot()
    return services.review_record_minutes(
        review=review,
        user=request.user,
        attendees=attendees,
        decisions=payload.decisions,
        notes=payload.notes,
        metrics_reviewed=metrics,
        agenda=agenda,
    )


@router.post("/partnerships/{partnership_id}/reviews/{review_id}/cancel", response=ReviewOut)
def cancel_review(request: HttpRequest, partnership_id: int = Id, review_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    review = selectors.review_get(partnership=partnership, viewer=request.user, review_id=review_id)
    return services.review_cancel(review=review, user=request.user)
