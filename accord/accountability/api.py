"""API for accountability. Handlers: access first, then a schema, then one service call; the same
two-sided rules as the web pages (accord.accountability.rules)."""

from datetime import date, datetime, time
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import field_validator

from accord.accountability import rules, selectors, services
from accord.accountability.models import (
    Commitment,
    MonitoringRequest,
    Review,
    ReviewAction,
    ReviewCadence,
)
from accord.api.fields import Moment, ObjectId
from accord.api.pagination import Pagination
from accord.partnerships.access import Need, access_partnership
from accord.partnerships.models import Participant, Party

router = Router(tags=["accountability"])

Id = Path(..., ge=1, le=2**53)
StatusName = Literal["planned", "on_track", "at_risk", "done", "missed"]
StatusFilter = Literal["planned", "on_track", "at_risk", "done", "missed", "open"]
VisibilityName = Literal["joint", "internal"]
FrequencyName = Literal["daily", "weekly", "monthly", "quarterly"]
KindName = Literal["operational", "strategic"]
RequestKind = Literal["status_check", "evidence_request"]
ConsequenceKind = Literal[
    "replan_checkins", "fee_reduction", "added_resources", "scope_change", "other"
]

UNKNOWN_PARTY = "owner_party: not a party to this partnership."
UNKNOWN_PERSON = "owner: not a participant in this partnership."
UNKNOWN_PARTICIPANT = "participants: not participants in this partnership."
UNKNOWN_METRIC = "metric: not a metric of this partnership you can see."
NOT_OWNER_SIDE = services.NOT_OWNER_SIDE


# --- schemas ------------------------------------------------------------------------------


class CommitmentOut(Schema):
    id: int
    title: str
    description: str
    workstream: str
    owner_party_id: int
    owner_party_name: str
    owner_id: int | None
    due_on: date
    acceptance_criteria: str
    status: str
    done_on: date | None
    missed_on: date | None
    replanned_from_id: int | None
    visibility: str
    escalated_at: datetime | None
    escalated_issue_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_owner_party_name(obj: Commitment) -> str:
        return obj.owner_party.organization.name


class CommitmentIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    owner_party_id: int = Field(..., ge=1, le=2**53)
    owner_id: int | None = Field(None, ge=1, le=2**53)
    due_on: date
    description: str = Field("", max_length=5000)
    workstream: str = Field("", max_length=120)
    acceptance_criteria: str = Field("", max_length=5000)
    visibility: VisibilityName = "joint"


class CommitmentPatch(Schema):
    title: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    owner_id: int | None = Field(None, ge=1, le=2**53)
    due_on: date = None  # type: ignore[assignment]
    description: str = Field(None, max_length=5000)  # type: ignore[assignment]
    workstream: str = Field(None, max_length=120)  # type: ignore[assignment]
    acceptance_criteria: str = Field(None, max_length=5000)  # type: ignore[assignment]


class StatusIn(Schema):
    status: StatusName
    note: str = Field("", max_length=5000)
    done_on: date | None = None


class EvidenceOut(Schema):
    id: int
    kind: str
    note: str
    url: str
    original_name: str
    size: int
    via_link: bool
    created_at: datetime

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return obj.kind()


class ReplanIn(Schema):
    due_on: date
    note: str = Field("", max_length=500)


class ConsequenceIn(Schema):
    kind: ConsequenceKind
    description: str = Field(..., min_length=1, max_length=5000)
    agreed_on: date | None = None


class ConsequenceOut(Schema):
    id: int
    kind: str
    description: str
    agreed_on: date
    created_at: datetime


class EscalationOut(Schema):
    issue_id: int
    basis: str


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
    owner_id: int | None = Field(None, ge=1, le=2**53)
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


class AccountabilitySettingsOut(Schema):
    action_overdue_window_days: int
    repeat_miss_window_days: int
    due_soon_days: int


class SettingsPatch(Schema):
    action_overdue_window_days: int = Field(None, ge=1, le=365)  # type: ignore[assignment]
    repeat_miss_window_days: int = Field(None, ge=1, le=730)  # type: ignore[assignment]
    due_soon_days: int = Field(None, ge=0, le=60)  # type: ignore[assignment]


class LinkOut(Schema):
    sent_to: str


# --- helpers --------------------------------------------------------------------------------


def _party(partnership: Any, party_id: int) -> Party:
    party = partnership.parties.select_related("organization").filter(pk=party_id).first()
    if party is None:
        raise ValidationError(UNKNOWN_PARTY)
    return party


def _person(partnership: Any, user_id: int | None) -> Any:
    if user_id is None:
        return None
    if not Participant.objects.filter(partnership=partnership, user_id=user_id).exists():
        raise ValidationError(UNKNOWN_PERSON)
    return get_user_model().objects.get(pk=user_id)


def _commitment(
    request: HttpRequest, partnership_id: int, commitment_id: int, need: Need
) -> Commitment:
    partnership = access_partnership(request.user, partnership_id, need)
    return selectors.commitment_get(
        partnership=partnership, viewer=request.user, commitment_id=commitment_id
    )


def _reporting(request: HttpRequest, record: Any) -> None:
    """Only the owning side reports; to anyone else the write does not exist (404)."""
    if not rules.can_report(request.user, record):
        raise Http404


# --- commitments ----------------------------------------------------------------------------


@router.get("/partnerships/{partnership_id}/commitments", response=list[CommitmentOut])
@paginate(Pagination)
def list_commitments(
    request: HttpRequest,
    partnership_id: int = Id,
    party_id: int | None = Query(None, ge=1, le=2**53),
    status: StatusFilter | None = None,
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.commitment_list(
        partnership=partnership, viewer=request.user, party=party_id, status=status
    )


@router.post("/partnerships/{partnership_id}/commitments", response={201: CommitmentOut})
def create_commitment(request: HttpRequest, payload: CommitmentIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    data = payload.dict()
    commitment = services.commitment_create(
        partnership=partnership,
        user=request.user,
        owner_party=_party(partnership, data.pop("owner_party_id")),
        owner=_person(partnership, data.pop("owner_id")),
        **data,
    )
    return Status(201, commitment)


@router.get("/partnerships/{partnership_id}/commitments/{commitment_id}", response=CommitmentOut)
def get_commitment(request: HttpRequest, partnership_id: int = Id, commitment_id: int = Id) -> Any:
    return _commitment(request, partnership_id, commitment_id, Need.READ)


@router.patch("/partnerships/{partnership_id}/commitments/{commitment_id}", response=CommitmentOut)
def update_commitment(
    request: HttpRequest,
    payload: CommitmentPatch,
    partnership_id: int = Id,
    commitment_id: int = Id,
) -> Any:
    commitment = _commitment(request, partnership_id, commitment_id, Need.CONTRIBUTE)
    if not (
        rules.can_replan(request.user, commitment) or commitment.created_by_id == request.user.pk
    ):
        raise Http404
    fields = payload.dict(exclude_unset=True)
    if "owner_id" in fields:
        fields["owner"] = _person(commitment.partnership, fields.pop("owner_id"))
    fields = {k: v for k, v in fields.items() if v is not None or k == "owner"}
    return services.commitment_update(commitment=commitment, user=request.user, **fields)


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/status", response=CommitmentOut
)
def set_commitment_status(
    request: HttpRequest, payload: StatusIn, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    commitment = _commitment(request, partnership_id, commitment_id, Need.CONTRIBUTE)
    _reporting(request, commitment)
    return services.commitment_set_status(
        commitment=commitment, user=request.user, **payload.dict()
    )


@router.get(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/evidence",
    response=list[EvidenceOut],
)
@paginate(Pagination)
def list_evidence(request: HttpRequest, partnership_id: int = Id, commitment_id: int = Id) -> Any:
    return _commitment(request, partnership_id, commitment_id, Need.READ).evidence.all()


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/evidence",
    response={201: EvidenceOut},
)
def add_evidence(
    request: HttpRequest,
    partnership_id: int = Id,
    commitment_id: int = Id,
    note: Form[str] = "",  # type: ignore[type-arg, assignment]
    url: Form[str] = "",  # type: ignore[type-arg, assignment]
    file: File[UploadedFile] | None = None,  # type: ignore[type-arg]
) -> Any:
    """Multipart form: `note`, `url` and/or `file` (at most 10 MB; pdf, images, office files,
    text)."""
    commitment = _commitment(request, partnership_id, commitment_id, Need.CONTRIBUTE)
    _reporting(request, commitment)
    if len(note) > 5000 or len(url) > 500:
        raise ValidationError("note: at most 5000 characters; url: at most 500.")
    evidence = services.commitment_add_evidence(
        commitment=commitment, user=request.user, note=note, url=url, file=file
    )
    return Status(201, evidence)


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/replan",
    response={201: CommitmentOut},
)
def replan_commitment(
    request: HttpRequest, payload: ReplanIn, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    commitment = _commitment(request, partnership_id, commitment_id, Need.CONTRIBUTE)
    if not rules.can_replan(request.user, commitment):
        raise Http404
    new = services.commitment_replan(commitment=commitment, user=request.user, **payload.dict())
    return Status(201, new)


@router.get(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/consequences",
    response=list[ConsequenceOut],
)
@paginate(Pagination)
def list_consequences(
    request: HttpRequest, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    return _commitment(request, partnership_id, commitment_id, Need.READ).consequences.all()


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/consequences",
    response={201: ConsequenceOut},
)
def record_consequence(
    request: HttpRequest, payload: ConsequenceIn, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    commitment = _commitment(request, partnership_id, commitment_id, Need.MANAGE)
    consequence = services.consequence_record(
        commitment=commitment, user=request.user, **payload.dict()
    )
    return Status(201, consequence)


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/escalate",
    response={201: EscalationOut},
)
def escalate_commitment(
    request: HttpRequest, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    """Raise a conflict issue for a commitment missed twice (see docs/accountability.md)."""
    commitment = _commitment(request, partnership_id, commitment_id, Need.MANAGE)
    basis = selectors.escalation_basis(commitment=commitment) or ""
    issue = services.commitment_escalate(commitment=commitment, user=request.user)
    return Status(201, {"issue_id": issue.pk, "basis": basis})


@router.post(
    "/partnerships/{partnership_id}/commitments/{commitment_id}/update-link", response=LinkOut
)
def send_update_link(
    request: HttpRequest, partnership_id: int = Id, commitment_id: int = Id
) -> Any:
    """E-mail the owner a signed link (one use, 7 days) to update the commitment without signing
    in. The link itself is never returned: it is the owner's credential."""
    commitment = _commitment(request, partnership_id, commitment_id, Need.CONTRIBUTE)
    services.commitment_send_update_link(commitment=commitment, user=request.user)
    owner = commitment.owner
    return {"sent_to": owner.get_full_name() or owner.get_username()}  # type: ignore[union-attr]


# --- monitoring ---------------------------------------------------------------------------


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


# --- reviews ------------------------------------------------------------------------------


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


def _metrics(request: HttpRequest, partnership: Any, ids: set[int]) -> list[Any]:
    if not ids:
        return []
    from accord.performance.models import Metric

    metrics = list(
        Metric.objects.visible_to(request.user).filter(partnership=partnership, pk__in=ids)
    )
    if len(metrics) != len(ids):
        raise ValidationError(UNKNOWN_METRIC)
    return metrics


@router.post("/partnerships/{partnership_id}/reviews/{review_id}/cancel", response=ReviewOut)
def cancel_review(request: HttpRequest, partnership_id: int = Id, review_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    review = selectors.review_get(partnership=partnership, viewer=request.user, review_id=review_id)
    return services.review_cancel(review=review, user=request.user)


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


@router.get(
    "/partnerships/{partnership_id}/accountability-settings", response=AccountabilitySettingsOut
)
def get_settings(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.settings_for(partnership)


@router.patch(
    "/partnerships/{partnership_id}/accountability-settings", response=AccountabilitySettingsOut
)
def update_settings(request: HttpRequest, payload: SettingsPatch, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.settings_update(partnership=partnership, user=request.user, **values)
