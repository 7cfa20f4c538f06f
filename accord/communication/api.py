"""API for communication: threads, messages, change notices and reports, concerns, signals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Path, Router, Schema, Status, UploadedFile

from accord.api.errors import ApiError
from accord.communication import selectors, services
from accord.communication.evidence import DATES_OUT_OF_ORDER, communication_evidence
from accord.communication.models import ChangeNotice, Concern, Thread
from accord.partnerships.access import Need, access_partnership, request_lens

router = Router(tags=["communication"])

Id = Path(..., ge=1, le=2**53)
CATEGORY = "^(" + "|".join(ChangeNotice.Category.values) + ")$"


class MessageOut(Schema):
    id: int
    author: str
    party_id: int
    body: str
    body_html: str
    created_at: Any
    attachments: list[str]


class ThreadOut(Schema):
    id: int
    title: str
    kind: str
    visibility: str
    owner_org_id: int
    meeting_on: date | None
    created_at: Any


class ThreadDetailOut(ThreadOut):
    messages: list[MessageOut]


class ThreadIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=20_000)
    kind: str = Field("discussion", pattern="^(discussion|meeting_notes)$")
    visibility: str = Field("joint", pattern="^(joint|internal)$")
    meeting_on: date | None = None


class MessageIn(Schema):
    body: str = Field(..., min_length=1, max_length=20_000)


class NoticeOut(Schema):
    id: int
    kind: str
    changing_party_id: int
    category: str
    summary: str
    given_on: date
    effective_on: date
    agreed_days: int
    lead_days: int | None
    is_short: bool
    reason: str
    answer: str
    acknowledged_by_party_ids: list[int]


class NoticeIn(Schema):
    category: str = Field(..., pattern=CATEGORY)
    summary: str = Field(..., min_length=1, max_length=5000)
    effective_on: date
    reason: str = Field("", max_length=5000)


class ReportIn(Schema):
    changing_party_id: int = Field(..., ge=1, le=2**53)
    category: str = Field(..., pattern=CATEGORY)
    summary: str = Field(..., min_length=1, max_length=5000)
    effective_on: date


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=5000)


class ConcernOut(Schema):
    id: int
    title: str
    body_html: str
    raised_by: str
    party_id: int | None
    raised_at: Any
    hours_to_first_response: float | None
    days_to_close: float | None
    closed: bool
    conflict_issue_id: int | None
    responses: list[MessageOut]


class ConcernIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=20_000)
    hide_name: bool = False


class ConcernEscalateIn(Schema):
    conflict_type: str = Field("relationship", max_length=40)


class SignalOut(Schema):
    period_start: date
    from_party_id: int
    to_party_id: int
    signal: str
    value: float


def _message(m: Any, request: HttpRequest) -> dict[str, Any]:
    lens = request_lens(request, m.partnership_id)
    return {
        "id": m.pk,
        "author": lens.name(m.created_by) if m.created_by else "",
        "party_id": m.author_party_id,
        "body": m.body,
        "body_html": m.body_html,
        "created_at": m.created_at,
        "attachments": [a.original_name for a in m.attachments.all()],
    }


def _thread(t: Thread) -> dict[str, Any]:
    return {
        "id": t.pk,
        "title": t.title,
        "kind": t.kind,
        "visibility": t.visibility,
        "owner_org_id": t.owner_org_id,
        "meeting_on": t.meeting_on,
        "created_at": t.created_at,
    }


def _get_thread(request: HttpRequest, partnership_id: int, thread_id: int) -> Thread:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    thread = selectors.threads_for(partnership=partnership, viewer=request.user).filter(
        pk=thread_id
    )
    found = thread.select_related("partnership").first()
    if found is None:
        raise Http404
    return found


@router.get("/partnerships/{partnership_id}/communication/threads", response=list[ThreadOut])
def thread_list(request: HttpRequest, partnership_id: int = Id) -> Any:
    """Joint threads and your organization's internal ones, newest first."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return [_thread(t) for t in selectors.threads_for(partnership=partnership, viewer=request.user)]


@router.post(
    "/partnerships/{partnership_id}/communication/threads", response={201: ThreadDetailOut}
)
def thread_create(request: HttpRequest, payload: ThreadIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    thread = services.thread_start(partnership=partnership, user=request.user, **payload.dict())
    return Status(201, _detail(thread, request))


def _detail(thread: Thread, request: HttpRequest) -> dict[str, Any]:
    messages = selectors.messages_of(thread=thread, viewer=request.user)
    return {**_thread(thread), "messages": [_message(m, request) for m in messages]}


@router.get(
    "/partnerships/{partnership_id}/communication/threads/{thread_id}",
    response=ThreadDetailOut,
)
def thread_detail(request: HttpRequest, partnership_id: int = Id, thread_id: int = Id) -> Any:
    return _detail(_get_thread(request, partnership_id, thread_id), request)


@router.post(
    "/partnerships/{partnership_id}/communication/threads/{thread_id}/messages",
    response={201: MessageOut},
)
def message_create(
    request: HttpRequest,
    partnership_id: int = Id,
    thread_id: int = Id,
    body: Form[MessageIn] = ...,  # type: ignore[assignment]
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """Multipart: ``body`` (Markdown, no HTML) and up to 5 ``files`` (the evidence-file checks)."""
    access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    thread = _get_thread(request, partnership_id, thread_id)
    message = services.message_post(
        thread=thread, user=request.user, body=body.body, files=list(files or [])
    )
    return Status(201, _message(message, request))


def _notice(n: ChangeNotice) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "changing_party_id": n.changing_party_id,
        "category": n.category,
        "summary": n.summary,
        "given_on": n.given_on,
        "effective_on": n.effective_on,
        "agreed_days": n.agreed_days,
        "lead_days": n.lead_days,
        "is_short": n.is_short,
        "reason": n.reason,
        "answer": n.answer,
        "acknowledged_by_party_ids": [a.party_id for a in n.acks.all()],
    }


@router.get("/partnerships/{partnership_id}/communication/notices", response=list[NoticeOut])
def notice_list(
    request: HttpRequest,
    partnership_id: int = Id,
    start: date | None = None,
    end: date | None = None,
) -> Any:
    """Change notices and reported unannounced changes given between start and end."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    start, end = start or date(1970, 1, 1), end or date(9999, 12, 31)
    if start > end:
        raise ApiError(400, DATES_OUT_OF_ORDER, "invalid")
    notices = selectors.notices_between(
        partnership=partnership, viewer=request.user, start=start, end=end
    )
    return [_notice(n) for n in notices]


@router.post("/partnerships/{partnership_id}/communication/notices", response={201: NoticeOut})
def notice_create(request: HttpRequest, payload: NoticeIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    notice = services.notice_give(partnership=partnership, user=request.user, **payload.dict())
    return Status(201, _notice(notice))


@router.post("/partnerships/{partnership_id}/communication/reports", response={201: NoticeOut})
def report_create(request: HttpRequest, payload: ReportIn, partnership_id: int = Id) -> Any:
    """Report a change another party made with no notice."""
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    notice = services.notice_report(partnership=partnership, user=request.user, **payload.dict())
    return Status(201, _notice(notice))


def _get_notice(request: HttpRequest, partnership_id: int, notice_id: int) -> ChangeNotice:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    found = ChangeNotice.objects.visible_to(request.user).filter(
        partnership=partnership, pk=notice_id
    )
    notice = found.select_related("partnership").first()
    if notice is None:
        raise Http404
    return notice


@router.post(
    "/partnerships/{partnership_id}/communication/reports/{notice_id}/answer",
    response=NoticeOut,
)
def report_answer(
    request: HttpRequest, payload: AnswerIn, partnership_id: int = Id, notice_id: int = Id
) -> Any:
    notice = _get_notice(request, partnership_id, notice_id)
    return _notice(services.notice_answer(notice=notice, user=request.user, answer=payload.answer))


@router.post(
    "/partnerships/{partnership_id}/communication/notices/{notice_id}/acknowledge",
    response=NoticeOut,
)
def notice_ack(request: HttpRequest, partnership_id: int = Id, notice_id: int = Id) -> Any:
    notice = _get_notice(request, partnership_id, notice_id)
    services.notice_acknowledge(notice=notice, user=request.user)
    return _notice(notice)


def _concern(view: selectors.ConcernView, request: HttpRequest) -> dict[str, Any]:
    c = view.concern
    lens = request_lens(request, c.partnership_id)
    return {
        "id": c.pk,
        "title": c.title,
        "body_html": c.body_html,
        "raised_by": view.raised_by,
        "party_id": c.raised_by_party_id,
        "raised_at": c.raised_at,
        "hours_to_first_response": view.hours_to_first_response,
        "days_to_close": view.days_to_close,
        "closed": c.closed_at is not None,
        "conflict_issue_id": c.conflict_issue_id,
        "responses": [
            {
                "id": r.pk,
                "author": lens.name(r.author) if r.author else "",
                "party_id": r.party_id,
                "body": r.body,
                "body_html": r.body_html,
                "created_at": r.created_at,
                "attachments": [],
            }
            for r in view.responses
        ],
    }


@router.get("/partnerships/{partnership_id}/communication/concerns", response=list[ConcernOut])
def concern_list(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return [
        _concern(v, request)
        for v in selectors.concerns_for(partnership=partnership, viewer=request.user)
    ]


def _concern_view(request: HttpRequest, partnership_id: int, concern_id: int) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    concern = Concern.objects.filter(partnership=partnership, pk=concern_id).first()
    if concern is None:
        raise Http404
    return partnership, concern


def _one(request: HttpRequest, partnership: Any, concern_id: int) -> dict[str, Any]:
    views = selectors.concerns_for(partnership=partnership, viewer=request.user)
    return _concern(next(v for v in views if v.concern.pk == concern_id), request)


@router.post("/partnerships/{partnership_id}/communication/concerns", response={201: ConcernOut})
def concern_create(request: HttpRequest, payload: ConcernIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    concern = services.concern_raise(partnership=partnership, user=request.user, **payload.dict())
    return Status(201, _one(request, partnership, concern.pk))


@router.post(
    "/partnerships/{partnership_id}/communication/concerns/{concern_id}/responses",
    response={201: ConcernOut},
)
def concern_response(
    request: HttpRequest, payload: MessageIn, partnership_id: int = Id, concern_id: int = Id
) -> Any:
    partnership, concern = _concern_view(request, partnership_id, concern_id)
    services.concern_respond(concern=concern, user=request.user, body=payload.body)
    return Status(201, _one(request, partnership, concern_id))


@router.post(
    "/partnerships/{partnership_id}/communication/concerns/{concern_id}/close",
    response=ConcernOut,
)
def concern_close(request: HttpRequest, partnership_id: int = Id, concern_id: int = Id) -> Any:
    partnership, concern = _concern_view(request, partnership_id, concern_id)
    services.concern_close(concern=concern, user=request.user)
    return _one(request, partnership, concern_id)


@router.post(
    "/partnerships/{partnership_id}/communication/concerns/{concern_id}/issue",
    response=ConcernOut,
)
def concern_issue(
    request: HttpRequest, payload: ConcernEscalateIn, partnership_id: int = Id, concern_id: int = Id
) -> Any:
    """Make the concern a conflict issue in one step (raised by you, not by its author)."""
    partnership, concern = _concern_view(request, partnership_id, concern_id)
    services.concern_to_issue(
        concern=concern, user=request.user, conflict_type=payload.conflict_type
    )
    return _one(request, partnership, concern_id)


@router.get("/partnerships/{partnership_id}/communication/signals", response=list[SignalOut])
def signal_list(
    request: HttpRequest,
    partnership_id: int = Id,
    start: date | None = None,
    end: date | None = None,
) -> Any:
    """Weekly signals per direction between start and end (default: the last 26 weeks; at most
    three years); a week with no row for a signal has no evidence for it."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    end = end or timezone.localdate()
    start = start or end - timedelta(weeks=26)
    if start > end:
        raise ApiError(400, DATES_OUT_OF_ORDER, "invalid")
    if (end - start).days > 3 * 366:
        raise ApiError(400, "Ask for at most three years at a time.", "invalid")
    rows = communication_evidence([partnership.pk], start=start, end=end)
    return [r._asdict() for r in rows]
