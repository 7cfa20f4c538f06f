"""Writes for accountability. Each service validates, saves, records its audit event and sends its
notifications in one transaction (HackSoft style: keyword-only, error messages as constants)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accord.accountability import links, schedule
from accord.accountability.models import (
    AccountabilitySettings,
    Commitment,
    CommitmentStatusChange,
    Consequence,
    Evidence,
    LinkRedemption,
    MonitoringRequest,
    Review,
    ReviewAction,
    ReviewCadence,
)
from accord.notifications.services import notify
from accord.partnerships.access import user_organization
from accord.partnerships.audit import record_event
from accord.partnerships.models import Participant, Partnership, Party, Visibility

Status = Commitment.Status

PARTY_NOT_IN_PARTNERSHIP = "The owner party must be a party to this partnership."
OWNER_NOT_IN_PARTY = "The owner must be a participant from the owner party's organization."
INTERNAL_NOT_OWN_PARTY = (
    "An internal commitment can only be owned by your own organization: the other party would "
    "never see it."
)
NO_ORGANIZATION = "You need to belong to one of the partnership's organizations."
TITLE_REQUIRED = "Say what is promised."
STATUS_UNKNOWN = "Status must be one of: planned, on track, at risk, done, missed."
STATUS_UNCHANGED = "The commitment already has this status."
STATUS_FROM_DONE = "A done commitment is closed; record a new commitment for further work."
STATUS_FROM_MISSED = (
    "A missed commitment stays missed; mark it done if it was delivered late, or re-plan it."
)
DONE_IN_FUTURE = "The done date cannot be in the future."
DONE_BEFORE_CREATED = "The done date cannot be before the commitment was made."
EDIT_CLOSED = "Only open commitments can be edited; re-plan a missed one instead."
DUE_CHANGE_ON_OPEN_ONLY = "Move a due date by re-planning once the commitment is missed."
EVIDENCE_EMPTY = "Add a note, a link or a file as evidence."
EVIDENCE_TOO_BIG = "Evidence files may be at most {mb} MB."
EVIDENCE_TYPE = "Evidence files must be one of: {types}."
EVIDENCE_URL_SCHEME = "Links must start with http:// or https://."
REPLAN_NOT_MISSED = "Only a missed commitment can be re-planned."
REPLAN_ALREADY = "This commitment has already been re-planned."
REPLAN_DUE_PAST = "The new due date must be after today."
CONSEQUENCE_DESCRIPTION = "Describe the remedy the parties agreed."
CONSEQUENCE_KIND = "Choose the kind of remedy."
ESCALATION_NOT_ELIGIBLE = (
    "This commitment cannot be escalated: it must be missed twice — missed, re-planned and missed "
    "again, or a second miss by the same party on the same workstream."
)
ACTION_NOT_ELIGIBLE = "This action can be escalated once it is {days} days past due and still open."
ALREADY_ESCALATED = "This has already been escalated into the conflict ladder."
CONFLICTS_UNAVAILABLE = "The conflict ladder is not available in this installation."
MONITORING_OWN_COMMITMENT = "Monitoring requests go to the other party, not your own."
MONITORING_INTERNAL = "An internal commitment cannot be the subject of a monitoring request."
MONITORING_KIND = "Choose a status check or an evidence request."
MONITORING_ANSWERED = "This request has already been answered."
ANSWER_REQUIRED = "Write an answer."
NOT_OWNER_SIDE = (
    "Only the owning party reports on its own commitments and answers requests about them."
)
CADENCE_FREQUENCY = "Frequency must be one of: daily, weekly, monthly, quarterly."
CADENCE_KIND = "A review is operational or strategic."
CADENCE_NAME = "Name the review."
CADENCE_DURATION = "A review lasts between 5 and 600 minutes."
CADENCE_PARTICIPANT_OUTSIDE = "Participants must take part in this partnership."
CADENCE_EACH_PARTY = "A joint review needs participants from each party; missing: {missing}."
CADENCE_INTERNAL_PARTICIPANTS = (
    "An internal review can only include your own organization's people."
)
CADENCE_ENDED = "This cadence has already ended."
CADENCE_END_BEFORE_START = "A cadence cannot end before it starts."
REVIEW_CANCELLED = "A cancelled review cannot take minutes."
REVIEW_NOT_SCHEDULED = "Only a scheduled review can be cancelled."
ATTENDEE_OUTSIDE = "Attendees must be participants in this partnership."
METRIC_OUTSIDE = "Metrics must belong to this partnership."
ACTION_TITLE = "Say what needs to happen."
ACTION_DONE_ALREADY = "This action is already done."
ACTION_REVIEW_OUTSIDE = "The review must belong to this partnership."
SETTINGS_RANGE = "{field} must be between {low} and {high} days."
LINK_USED = "This link has already been used. Ask for a new one, or sign in."
LINK_HOLDER_GONE = "This link's holder no longer answers for this item. Sign in instead."

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".md": "text/markdown",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# The first bytes each type must start with; text types are checked as UTF-8 instead.
_MAGIC = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}


def _name(user: Any) -> str:
    if user is None:
        return "Accord"
    return user.get_full_name() or user.get_username()


def _org_name(party: Party) -> str:
    return party.organization.name


def _audit(record: Any, *, actor: Any, action: str, summary: str, **extra: Any) -> None:
    """Audit an event about a partnership-scoped record with the record's own visibility, so an
    internal record's history stays internal too."""
    internal = record.visibility == Visibility.INTERNAL
    record_event(
        partnership=record.partnership,
        actor=actor,
        action=action,
        summary=summary,
        target=extra.pop("target", record),
        changes=extra.pop("changes", None),
        owner_org=record.owner_org if internal else None,
        visibility=record.visibility,
    )


def _url(name: str, partnership: Partnership, **kwargs: Any) -> str:
    return reverse(f"accountability:{name}", kwargs={"pk": partnership.pk, **kwargs})


def commitment_url(commitment: Commitment) -> str:
    return _url("commitment_detail", commitment.partnership, commitment_id=commitment.pk)


def _readers(record: Any, people: list[Any]) -> list[Any]:
    """Only people who may see the record hear about it (internal records: its organization)."""
    if record.visibility != Visibility.INTERNAL:
        return people
    return [
        p
        for p in people
        if p is not None and (o := user_organization(p)) and o.pk == record.owner_org_id
    ]


def _alliance_managers(partnership: Partnership, party: Party | None = None) -> list[Any]:
    managers = Participant.objects.filter(
        partnership=partnership, role=Participant.Role.ALLIANCE_MANAGER
    ).select_related("user")
    if party is not None:
        managers = managers.filter(organization_id=party.organization_id)
    return [m.user for m in managers]


# --- settings -----------------------------------------------------------------------------


SETTINGS_LIMITS = {
    "action_overdue_window_days": ("Action escalation window", 1, 365),
    "repeat_miss_window_days": ("Repeat-miss window", 1, 730),
    "due_soon_days": ("Reminder lead time", 0, 60),
}


@transaction.atomic
def settings_update(
    *, partnership: Partnership, user: Any, **values: Any
) -> AccountabilitySettings:
    errors = {}
    for field, value in values.items():
        label, low, high = SETTINGS_LIMITS[field]
        if not isinstance(value, int) or not low <= value <= high:
            errors[field] = SETTINGS_RANGE.format(field=label, low=low, high=high)
    if errors:
        raise ValidationError(errors)
    row, _created = AccountabilitySettings.objects.select_for_update().get_or_create(
        partnership=partnership
    )
    changes = {f: [getattr(row, f), v] for f, v in values.items() if getattr(row, f) != v}
    if not changes:
        return row
    for field, value in values.items():
        setattr(row, field, value)
    row.save()
    record_event(
        partnership=partnership,
        actor=user,
        action="accountability.settings_update",
        summary=f"{_name(user)} changed the accountability settings",
        target=row,
        changes=changes,
    )
    return row


# --- commitments --------------------------------------------------------------------------


def _check_owner(partnership: Partnership, owner_party: Party, owner: Any) -> None:
    if owner_party.partnership_id != partnership.pk:
        raise ValidationError({"owner_party": PARTY_NOT_IN_PARTNERSHIP})
    if (
        owner is not None
        and not Participant.objects.filter(
            partnership=partnership, user=owner, organization_id=owner_party.organization_id
        ).exists()
    ):
        raise ValidationError({"owner": OWNER_NOT_IN_PARTY})


@transaction.atomic
def commitment_create(
    *,
    partnership: Partnership,
    user: Any,
    title: str,
    owner_party: Party,
    due_on: date,
    owner: Any = None,
    description: str = "",
    workstream: str = "",
    acceptance_criteria: str = "",
    visibility: str = Visibility.JOINT,
    replanned_from: Commitment | None = None,
) -> Commitment:
    org = user_organization(user)
    if org is None or not partnership.parties.filter(organization=org).exists():
        raise ValidationError(NO_ORGANIZATION)
    if not title.strip():
        raise ValidationError({"title": TITLE_REQUIRED})
    _check_owner(partnership, owner_party, owner)
    if visibility == Visibility.INTERNAL and owner_party.organization_id != org.pk:
        raise ValidationError({"visibility": INTERNAL_NOT_OWN_PARTY})
    commitment = Commitment.objects.create(
        partnership=partnership,
        owner_org=org,
        visibility=visibility,
        created_by=user,
        title=title.strip(),
        description=description,
        workstream=workstream.strip(),
        owner_party=owner_party,
        owner=owner,
        due_on=due_on,
        acceptance_criteria=acceptance_criteria,
        replanned_from=replanned_from,
    )
    _audit(
        commitment,
        actor=user,
        action="accountability.commitment_create",
        summary=f"{_name(user)} recorded a commitment by {_org_name(owner_party)}: "
        f"“{commitment.title}”, due {due_on:%d %b %Y}",
        changes={"due_on": due_on.isoformat(), "owner_party": _org_name(owner_party)},
    )
    if owner is not None and owner != user:
        notify(
            recipients=[owner],
            kind="accountability.commitment_assigned",
            summary=f"You own the commitment “{commitment.title}” in {partnership.name}, due "
            f"{due_on:%d %b %Y}.",
            partnership=partnership,
            url=commitment_url(commitment),
        )
    return commitment


EDITABLE = ("title", "description", "workstream", "acceptance_criteria", "due_on", "owner")


@transaction.atomic
def commitment_update(*, commitment: Commitment, user: Any, **fields: Any) -> Commitment:
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    values = {k: v for k, v in fields.items() if k in EDITABLE}
    if not commitment.is_open:
        raise ValidationError(EDIT_CLOSED)
    if "title" in values and not str(values["title"]).strip():
        raise ValidationError({"title": TITLE_REQUIRED})
    if "owner" in values:
        _check_owner(commitment.partnership, commitment.owner_party, values["owner"])
    changes = {
        f: [_show(getattr(commitment, f)), _show(v)]
        for f, v in values.items()
        if getattr(commitment, f) != v
    }
    if not changes:
        return commitment
    for field, value in values.items():
        setattr(commitment, field, value)
    if "due_on" in changes:
        commitment.due_soon_notified_on = None
    commitment.save()
    _audit(
        commitment,
        actor=user,
        action="accountability.commitment_update",
        summary=f"{_name(user)} edited the commitment “{commitment.title}” "
        f"({', '.join(sorted(changes))})",
        changes=changes,
    )
    return commitment


def _show(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "get_full_name"):
        return _name(value)
    return value


def _check_transition(commitment: Commitment, status: str) -> None:
    if status not in Status.values:
        raise ValidationError({"status": STATUS_UNKNOWN})
    if status == commitment.status:
        raise ValidationError({"status": STATUS_UNCHANGED})
    if commitment.status == Status.DONE:
        raise ValidationError({"status": STATUS_FROM_DONE})
    if commitment.status == Status.MISSED and status != Status.DONE:
        raise ValidationError({"status": STATUS_FROM_MISSED})


@transaction.atomic
def commitment_set_status(
    *,
    commitment: Commitment,
    user: Any,
    status: str,
    note: str = "",
    done_on: date | None = None,
    via_link: bool = False,
) -> Commitment:
    """Report progress. Done needs a done date (today by default); a late done date still counts
    as missed for on-time delivery. Missed and done are final, except that a missed commitment
    may later be marked done (delivered late)."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _check_transition(commitment, status)
    today = timezone.localdate()
    previous = commitment.status
    if status == Status.DONE:
        done_on = done_on or today
        if done_on > today:
            raise ValidationError({"done_on": DONE_IN_FUTURE})
        if done_on < commitment.created_at.date() - timedelta(days=366):
            raise ValidationError({"done_on": DONE_BEFORE_CREATED})
        commitment.done_on = done_on
    if status == Status.MISSED:
        commitment.missed_on = today
    commitment.status = status
    commitment.save()
    CommitmentStatusChange.objects.create(
        commitment=commitment,
        from_status=previous,
        to_status=status,
        note=note,
        changed_by=user,
        via_link=via_link,
    )
    label = Status(status).label
    late = ""
    if status == Status.DONE and commitment.done_on and commitment.done_on > commitment.due_on:
        late = f" ({(commitment.done_on - commitment.due_on).days} days late)"
    _audit(
        commitment,
        actor=user,
        action="accountability.commitment_status",
        summary=f"{_name(user)} set “{commitment.title}” to {label}{late}"
        + (" from an e-mailed link" if via_link else ""),
        changes={"status": [previous, status], "note": note},
    )
    if status == Status.MISSED:
        _notify_missed(commitment)
    return commitment


def _notify_missed(commitment: Commitment) -> None:
    people = [commitment.owner, commitment.created_by, *_alliance_managers(commitment.partnership)]
    notify(
        recipients=_readers(commitment, people),
        kind="accountability.commitment_missed",
        summary=f"Missed: “{commitment.title}” by {_org_name(commitment.owner_party)} was due "
        f"{commitment.due_on:%d %b %Y}.",
        partnership=commitment.partnership,
        url=commitment_url(commitment),
    )


def validate_evidence_file(upload: UploadedFile) -> str:
    """Size and type, by extension and by the file's first bytes (a renamed .exe is refused)."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError(
            {"file": EVIDENCE_TYPE.format(types=", ".join(sorted(EVIDENCE_TYPES)))}
        )
    if upload.size is None or upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": EVIDENCE_TOO_BIG.format(mb=EVIDENCE_MAX_BYTES // 2**20)})
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    magic = _MAGIC.get(suffix)
    if magic is not None:
        ok = any(head.startswith(m) for m in magic)
    else:
        try:
            head.decode("utf-8")
            ok = b"\x00" not in head
        except UnicodeDecodeError:
            ok = len(head) == 2048  # a multi-byte character cut at the boundary
            ok = ok and b"\x00" not in head
    if not ok:
        raise ValidationError(
            {"file": EVIDENCE_TYPE.format(types=", ".join(sorted(EVIDENCE_TYPES)))}
        )
    return suffix


@transaction.atomic
def commitment_add_evidence(
    *,
    commitment: Commitment,
    user: Any,
    note: str = "",
    url: str = "",
    file: UploadedFile | None = None,
    via_link: bool = False,
) -> Evidence:
    note, url = note.strip(), url.strip()
    if not (note or url or file):
        raise ValidationError(EVIDENCE_EMPTY)
    if url and not url.lower().startswith(("http://", "https://")):
        raise ValidationError({"url": EVIDENCE_URL_SCHEME})
    evidence = Evidence(commitment=commitment, note=note, url=url, added_by=user, via_link=via_link)
    if file is not None:
        validate_evidence_file(file)
        evidence.original_name = PurePath(file.name or "evidence").name[:200]
        evidence.size = file.size or 0
        evidence.file = file
    evidence.full_clean(exclude=["file", "commitment"])
    evidence.save()
    what = {"file": f"the file {evidence.original_name}", "link": "a link", "note": "a note"}[
        evidence.kind()
    ]
    _audit(
        commitment,
        actor=user,
        action="accountability.evidence_add",
        summary=f"{_name(user)} added {what} as evidence for “{commitment.title}”",
        target=evidence,
    )
    return evidence


@transaction.atomic
def commitment_replan(
    *, commitment: Commitment, user: Any, due_on: date, note: str = ""
) -> Commitment:
    """A missed commitment keeps its miss (on-time history never improves by re-planning); the
    re-plan is a new commitment pointing back at it."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status != Status.MISSED:
        raise ValidationError(REPLAN_NOT_MISSED)
    if Commitment.objects.filter(replanned_from=commitment).exists():
        raise ValidationError(REPLAN_ALREADY)
    if due_on <= timezone.localdate():
        raise ValidationError({"due_on": REPLAN_DUE_PAST})
    creator_org = user_organization(user)
    replanned = Commitment.objects.create(
        partnership=commitment.partnership,
        owner_org=creator_org
        if commitment.visibility == Visibility.JOINT
        else commitment.owner_org,
        visibility=commitment.visibility,
        created_by=user,
        title=commitment.title,
        description=commitment.description,
        workstream=commitment.workstream,
        owner_party=commitment.owner_party,
        owner=commitment.owner,
        due_on=due_on,
        acceptance_criteria=commitment.acceptance_criteria,
        replanned_from=commitment,
    )
    _audit(
        replanned,
        actor=user,
        action="accountability.commitment_replan",
        summary=f"{_name(user)} re-planned the missed commitment “{commitment.title}” "
        f"(was due {commitment.due_on:%d %b %Y}) to {due_on:%d %b %Y}",
        changes={"replanned_from": commitment.pk, "due_on": due_on.isoformat(), "note": note},
    )
    return replanned


@transaction.atomic
def consequence_record(
    *, commitment: Commitment, user: Any, kind: str, description: str, agreed_on: date | None = None
) -> Consequence:
    if kind not in Consequence.Kind.values:
        raise ValidationError({"kind": CONSEQUENCE_KIND})
    if not description.strip():
        raise ValidationError({"description": CONSEQUENCE_DESCRIPTION})
    agreed_on = agreed_on or timezone.localdate()
    consequence = Consequence.objects.create(
        commitment=commitment,
        kind=kind,
        description=description.strip(),
        agreed_on=agreed_on,
        recorded_by=user,
    )
    _audit(
        commitment,
        actor=user,
        action="accountability.consequence_record",
        summary=f"{_name(user)} recorded a consequence for “{commitment.title}”: "
        f"{Consequence.Kind(kind).label} — {consequence.description[:200]}",
        target=consequence,
    )
    return consequence


# --- escalation -------------------------------------------------------------------------------

ESCALATION_CONFLICT_TYPE = "timing"  # conflicts.ConflictType: a missed date is a timing conflict


def _raise_issue(
    *,
    partnership: Partnership,
    user: Any,
    title: str,
    description: str,
    visibility: str,
    source: Any,
) -> Any:
    try:
        from accord.conflicts.services import issue_raise
    except ImportError:
        raise ValidationError(CONFLICTS_UNAVAILABLE) from None
    return issue_raise(
        partnership=partnership,
        user=user,
        title=title[:200],
        description=description,
        conflict_type=ESCALATION_CONFLICT_TYPE,
        visibility=visibility,
        source=source,
    )


@transaction.atomic
def commitment_escalate(*, commitment: Commitment, user: Any) -> Any:
    """Raise a conflict issue at the first tier of the ladder for a commitment missed twice;
    returns the issue. The basis (which rule applies) goes into the issue's description."""
    from accord.accountability.selectors import escalation_basis

    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.escalated_at is not None:
        raise ValidationError(ALREADY_ESCALATED)
    basis = escalation_basis(commitment=commitment)
    if basis is None:
        raise ValidationError(ESCALATION_NOT_ELIGIBLE)
    party = _org_name(commitment.owner_party)
    issue = _raise_issue(
        partnership=commitment.partnership,
        user=user,
        title=f"Repeated miss: {commitment.title} ({party})",
        description=f"{basis}\n\nAcceptance criteria: {commitment.acceptance_criteria or '—'}",
        visibility=commitment.visibility,
        source=commitment,
    )
    commitment.escalated_at = timezone.now()
    commitment.escalated_issue_id = issue.pk
    commitment.save(update_fields=["escalated_at", "escalated_issue_id", "updated_at"])
    Consequence.objects.create(
        commitment=commitment,
        kind=Consequence.Kind.ESCALATION,
        description=f"Escalated to the conflict ladder: {basis}",
        agreed_on=timezone.localdate(),
        recorded_by=user,
    )
    _audit(
        commitment,
        actor=user,
        action="accountability.commitment_escalate",
        summary=f"{_name(user)} escalated “{commitment.title}” into the conflict ladder: {basis}",
        changes={"issue": issue.pk},
    )
    return issue


@transaction.atomic
def review_action_escalate(*, action: ReviewAction, user: Any) -> Any:
    from accord.accountability.selectors import action_overdue_days, settings_for

    action = ReviewAction.objects.select_for_update().get(pk=action.pk)
    if action.escalated_at is not None:
        raise ValidationError(ALREADY_ESCALATED)
    window = settings_for(action.partnership).action_overdue_window_days
    overdue = action_overdue_days(action)
    if action.done_on is not None or overdue <= window:
        raise ValidationError(ACTION_NOT_ELIGIBLE.format(days=window))
    owner = _name(action.owner) if action.owner else _org_name(action.owner_party)
    basis = (
        f"The review action “{action.title}” owned by {owner} ({_org_name(action.owner_party)}) "
        f"was due {action.due_on:%d %b %Y} and is {overdue} days overdue; the agreed window is "
        f"{window} days."
    )
    issue = _raise_issue(
        partnership=action.partnership,
        user=user,
        title=f"Overdue action: {action.title}",
        description=basis,
        visibility=action.visibility,
        source=action,
    )
    action.escalated_at = timezone.now()
    action.escalated_issue_id = issue.pk
    action.save(update_fields=["escalated_at", "escalated_issue_id", "updated_at"])
    _audit(
        action,
        actor=user,
        action="accountability.action_escalate",
        summary=f"{_name(user)} escalated the overdue action “{action.title}” into the conflict "
        "ladder",
        changes={"issue": issue.pk},
    )
    return issue


# --- monitoring requests ------------------------------------------------------------------


@transaction.atomic
def monitoring_request_create(
    *, commitment: Commitment, user: Any, kind: str, question: str = ""
) -> MonitoringRequest:
    from accord.accountability.rules import party_of

    if kind not in MonitoringRequest.Kind.values:
        raise ValidationError({"kind": MONITORING_KIND})
    if commitment.visibility != Visibility.JOINT:
        raise ValidationError(MONITORING_INTERNAL)
    party = party_of(user, commitment.partnership)
    if party is None:
        raise ValidationError(NO_ORGANIZATION)
    if party.pk == commitment.owner_party_id:
        raise ValidationError(MONITORING_OWN_COMMITMENT)
    request = MonitoringRequest.objects.create(
        partnership=commitment.partnership,
        owner_org=party.organization,
        visibility=Visibility.JOINT,
        created_by=user,
        commitment=commitment,
        kind=kind,
        requesting_party=party,
        question=question.strip(),
        requested_on=timezone.localdate(),
    )
    label = MonitoringRequest.Kind(kind).label.lower()
    _audit(
        commitment,
        actor=user,
        action="accountability.monitoring_request",
        summary=f"{_name(user)} ({party.organization.name}) sent a {label} about "
        f"“{commitment.title}”",
        target=request,
    )
    recipients = [commitment.owner] if commitment.owner else []
    recipients += _alliance_managers(commitment.partnership, commitment.owner_party)
    notify(
        recipients=recipients,
        kind="accountability.monitoring_request",
        summary=f"{party.organization.name} asks for a {label} on “{commitment.title}”.",
        partnership=commitment.partnership,
        url=commitment_url(commitment),
    )
    if commitment.owner is not None:
        _email_link(
            user=commitment.owner,
            subject=f"[Accord] {party.organization.name} asks: {commitment.title}",
            body=f"{party.organization.name} sent a {label} about “{commitment.title}”"
            + (f":\n\n{request.question}" if request.question else ".")
            + "\n\nAnswer without signing in (the link works once and expires in "
            f"{links.MAX_AGE_DAYS} days):",
            path=links.monitoring_answer_path(request, commitment.owner),
        )
    return request


@transaction.atomic
def monitoring_request_answer(
    *, request: MonitoringRequest, user: Any, answer: str, via_link: bool = False
) -> MonitoringRequest:
    request = MonitoringRequest.objects.select_for_update().get(pk=request.pk)
    if request.answered_at is not None:
        raise ValidationError(MONITORING_ANSWERED)
    if not answer.strip():
        raise ValidationError({"answer": ANSWER_REQUIRED})
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.answered_by = user
    request.save()
    _audit(
        request.commitment,
        actor=user,
        action="accountability.monitoring_answer",
        summary=f"{_name(user)} answered the {request.get_kind_display().lower()} about "
        f"“{request.commitment.title}”" + (" from an e-mailed link" if via_link else ""),
        target=request,
    )
    if request.created_by is not None:
        notify(
            recipients=[request.created_by],
            kind="accountability.monitoring_answered",
            summary=f"{_name(user)} answered your {request.get_kind_display().lower()} on "
            f"“{request.commitment.title}”.",
            partnership=request.partnership,
            url=commitment_url(request.commitment),
        )
    return request


# --- signed links -------------------------------------------------------------------------


def _email_link(*, user: Any, subject: str, body: str, path: str) -> None:
    if not user.email:
        return
    message = f"{body}\n\n{settings.SITE_URL}{path}\n"
    transaction.on_commit(
        lambda: send_mail(subject[:150], message, None, [user.email], fail_silently=True)
    )


@transaction.atomic
def commitment_send_update_link(*, commitment: Commitment, user: Any) -> str:
    """E-mail the owner a link to update this commitment without signing in; returns the path."""
    if commitment.owner is None:
        raise ValidationError({"owner": "This commitment has no owner to send a link to."})
    path = links.commitment_update_path(commitment, commitment.owner)
    _email_link(
        user=commitment.owner,
        subject=f"[Accord] Update: {commitment.title}",
        body=f"{_name(user)} asks for an update on “{commitment.title}” "
        f"({commitment.partnership.name}), due {commitment.due_on:%d %b %Y}.\n\n"
        "Update its status or add evidence without signing in (the link works once and "
        f"expires in {links.MAX_AGE_DAYS} days):",
        path=path,
    )
    _audit(
        commitment,
        actor=user,
        action="accountability.update_link_sent",
        summary=f"{_name(user)} e-mailed {_name(commitment.owner)} a link to update "
        f"“{commitment.title}”",
    )
    return path


def _redeem(token: str, purpose: str) -> None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    try:
        with transaction.atomic():
            LinkRedemption.objects.create(token_hash=digest, purpose=purpose)
    except IntegrityError:
        raise ValidationError(LINK_USED) from None


def link_is_used(token: str) -> bool:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return LinkRedemption.objects.filter(token_hash=digest).exists()


@transaction.atomic
def commitment_update_via_link(
    *,
    token: str,
    commitment: Commitment,
    holder: Any,
    status: str = "",
    note: str = "",
    url: str = "",
    file: UploadedFile | None = None,
) -> Commitment:
    """What a signed link allows: one status change and/or one piece of evidence, once, by the
    owner it was sent to (who must still own the commitment)."""
    if commitment.owner_id != holder.pk:
        raise ValidationError(LINK_HOLDER_GONE)
    if not status and not (note.strip() or url.strip() or file):
        raise ValidationError(EVIDENCE_EMPTY)
    _redeem(token, links.COMMITMENT_UPDATE)
    if status and status != commitment.status:
        commitment = commitment_set_status(
            commitment=commitment, user=holder, status=status, note=note, via_link=True
        )
    if url.strip() or file or (note.strip() and not status):
        commitment_add_evidence(
            commitment=commitment, user=holder, note=note, url=url, file=file, via_link=True
        )
    return commitment


@transaction.atomic
def monitoring_answer_via_link(
    *, token: str, request: MonitoringRequest, holder: Any, answer: str
) -> MonitoringRequest:
    if request.commitment.owner_id != holder.pk:
        raise ValidationError(LINK_HOLDER_GONE)
    if not answer.strip():
        raise ValidationError({"answer": ANSWER_REQUIRED})
    _redeem(token, links.MONITORING_ANSWER)
    return monitoring_request_answer(request=request, user=holder, answer=answer, via_link=True)


# --- review cadences and meetings ---------------------------------------------------------


def _check_participants(
    partnership: Partnership, participants: list[Participant], visibility: str, org: Any
) -> None:
    if any(p.partnership_id != partnership.pk for p in participants):
        raise ValidationError({"participants": CADENCE_PARTICIPANT_OUTSIDE})
    if visibility == Visibility.INTERNAL:
        if any(p.organization_id != org.pk for p in participants):
            raise ValidationError({"participants": CADENCE_INTERNAL_PARTICIPANTS})
        return
    present = {p.organization_id for p in participants}
    missing = [
        party.organization.name
        for party in partnership.parties.select_related("organization")
        if party.organization_id not in present
    ]
    if missing:
        raise ValidationError(
            {"participants": CADENCE_EACH_PARTY.format(missing=", ".join(missing))}
        )


@transaction.atomic
def cadence_create(
    *,
    partnership: Partnership,
    user: Any,
    name: str,
    frequency: str,
    kind: str,
    starts_on: date,
    time_of_day: time,
    participants: list[Participant],
    duration_minutes: int = 60,
    location: str = "",
    visibility: str = Visibility.JOINT,
) -> ReviewCadence:
    org = user_organization(user)
    if org is None or not partnership.parties.filter(organization=org).exists():
        raise ValidationError(NO_ORGANIZATION)
    if not name.strip():
        raise ValidationError({"name": CADENCE_NAME})
    if frequency not in ReviewCadence.Frequency.values:
        raise ValidationError({"frequency": CADENCE_FREQUENCY})
    if kind not in ReviewCadence.Kind.values:
        raise ValidationError({"kind": CADENCE_KIND})
    if not 5 <= duration_minutes <= 600:
        raise ValidationError({"duration_minutes": CADENCE_DURATION})
    participants = list(participants)
    _check_participants(partnership, participants, visibility, org)
    cadence = ReviewCadence.objects.create(
        partnership=partnership,
        owner_org=org,
        visibility=visibility,
        created_by=user,
        name=name.strip(),
        frequency=frequency,
        kind=kind,
        starts_on=starts_on,
        time_of_day=time_of_day,
        duration_minutes=duration_minutes,
        location=location.strip(),
    )
    cadence.participants.set(participants)
    created = reviews_generate(cadence=cadence, today=timezone.localdate())
    _audit(
        cadence,
        actor=user,
        action="accountability.cadence_create",
        summary=f"{_name(user)} set up the {cadence.get_frequency_display().lower()} "
        f"{cadence.get_kind_display().lower()} review “{cadence.name}” "
        f"({created} meetings scheduled)",
        changes={"frequency": frequency, "kind": kind, "starts_on": starts_on.isoformat()},
    )
    return cadence


@transaction.atomic
def cadence_end(
    *, cadence: ReviewCadence, user: Any, ended_on: date | None = None
) -> ReviewCadence:
    cadence = ReviewCadence.objects.select_for_update().get(pk=cadence.pk)
    if cadence.ended_on is not None:
        raise ValidationError(CADENCE_ENDED)
    ended_on = ended_on or timezone.localdate()
    if ended_on < cadence.starts_on:
        raise ValidationError({"ended_on": CADENCE_END_BEFORE_START})
    cadence.ended_on = ended_on
    cadence.save()
    after = datetime.combine(ended_on + timedelta(days=1), time.min, tzinfo=UTC)
    cancelled = cadence.reviews.filter(
        status=Review.Status.SCHEDULED, scheduled_at__gte=after
    ).update(status=Review.Status.CANCELLED)
    _audit(
        cadence,
        actor=user,
        action="accountability.cadence_end",
        summary=f"{_name(user)} ended the review “{cadence.name}” on {ended_on:%d %b %Y} "
        f"({cancelled} later meetings cancelled)",
    )
    return cadence


def reviews_generate(*, cadence: ReviewCadence, today: date) -> int:
    """Create the cadence's meetings from today to its horizon. Idempotent: existing slots are
    left alone (a rescheduled or cancelled meeting stays as people left it)."""
    last = today + timedelta(days=schedule.HORIZON_DAYS[cadence.frequency])
    slots = [
        datetime.combine(day, cadence.time_of_day, tzinfo=UTC)
        for day in schedule.occurrences(
            cadence.frequency, cadence.starts_on, first=today, last=last, ended_on=cadence.ended_on
        )
    ]
    if not slots:
        return 0
    existing = set(
        cadence.reviews.filter(scheduled_at__in=slots).values_list("scheduled_at", flat=True)
    )
    new = [
        Review(
            partnership_id=cadence.partnership_id,
            owner_org_id=cadence.owner_org_id,
            visibility=cadence.visibility,
            created_by=None,
            cadence=cadence,
            title=cadence.name,
            kind=cadence.kind,
            scheduled_at=slot,
            duration_minutes=cadence.duration_minutes,
            location=cadence.location,
        )
        for slot in slots
        if slot not in existing
    ]
    Review.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def review_create(
    *,
    partnership: Partnership,
    user: Any,
    title: str,
    scheduled_at: datetime,
    kind: str = ReviewCadence.Kind.OPERATIONAL,
    duration_minutes: int = 60,
    location: str = "",
    visibility: str = Visibility.JOINT,
) -> Review:
    """A one-off review (an extraordinary steering meeting, a recovery check-in)."""
    org = user_organization(user)
    if org is None or not partnership.parties.filter(organization=org).exists():
        raise ValidationError(NO_ORGANIZATION)
    if not title.strip():
        raise ValidationError({"title": CADENCE_NAME})
    if kind not in ReviewCadence.Kind.values:
        raise ValidationError({"kind": CADENCE_KIND})
    if not 5 <= duration_minutes <= 600:
        raise ValidationError({"duration_minutes": CADENCE_DURATION})
    review = Review.objects.create(
        partnership=partnership,
        owner_org=org,
        visibility=visibility,
        created_by=user,
        title=title.strip(),
        kind=kind,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
    )
    _audit(
        review,
        actor=user,
        action="accountability.review_create",
        summary=f"{_name(user)} scheduled the review “{review.title}” for "
        f"{scheduled_at:%d %b %Y %H:%M}",
    )
    return review


@transaction.atomic
def review_cancel(*, review: Review, user: Any) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status != Review.Status.SCHEDULED:
        raise ValidationError(REVIEW_NOT_SCHEDULED)
    review.status = Review.Status.CANCELLED
    review.save()
    _audit(
        review,
        actor=user,
        action="accountability.review_cancel",
        summary=f"{_name(user)} cancelled the review “{review.title}” of "
        f"{review.scheduled_at:%d %b %Y}",
    )
    return review


@transaction.atomic
def review_record_minutes(
    *,
    review: Review,
    user: Any,
    attendees: list[Participant],
    decisions: str = "",
    notes: str = "",
    metrics_reviewed: list[Any] | None = None,
    agenda: dict[str, Any] | None = None,
) -> Review:
    """Record who attended, what was decided and which metrics were looked at. The agenda as it
    stood is kept with the minutes, so later changes to commitments do not rewrite history.
    Minutes may be corrected; each correction is audited."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status == Review.Status.CANCELLED:
        raise ValidationError(REVIEW_CANCELLED)
    attendees = list(attendees)
    if any(p.partnership_id != review.partnership_id for p in attendees):
        raise ValidationError({"attendees": ATTENDEE_OUTSIDE})
    metrics = list(metrics_reviewed or [])
    if any(m.partnership_id != review.partnership_id for m in metrics):
        raise ValidationError({"metrics_reviewed": METRIC_OUTSIDE})
    first_time = review.status != Review.Status.HELD
    review.status = Review.Status.HELD
    review.held_at = review.held_at or timezone.now()
    review.decisions = decisions.strip()
    review.notes = notes.strip()
    if first_time and agenda is not None:
        review.agenda_snapshot = agenda
    review.save()
    review.attendees.set(attendees)
    review.metrics_reviewed.set(metrics)
    _audit(
        review,
        actor=user,
        action="accountability.review_minutes",
        summary=f"{_name(user)} {'recorded' if first_time else 'corrected'} the minutes of "
        f"“{review.title}” ({len(attendees)} attended, {len(review.decision_list())} decisions, "
        f"{len(metrics)} metrics reviewed)",
        changes={"attendees": len(attendees), "metrics": [m.pk for m in metrics]},
    )
    return review


# --- review actions -------------------------------------------------------------------------


@transaction.atomic
def review_action_create(
    *,
    partnership: Partnership,
    user: Any,
    title: str,
    owner_party: Party,
    owner: Any,
    due_on: date,
    metric: Any = None,
    review: Review | None = None,
) -> ReviewAction:
    """An action out of a review, or raised from an off-target metric (performance's scorecard
    calls this). It is as visible as its review, or its metric when raised from the scorecard;
    joint otherwise."""
    org = user_organization(user)
    if org is None or not partnership.parties.filter(organization=org).exists():
        raise ValidationError(NO_ORGANIZATION)
    if not title.strip():
        raise ValidationError({"title": ACTION_TITLE})
    _check_owner(partnership, owner_party, owner)
    if review is not None and review.partnership_id != partnership.pk:
        raise ValidationError({"review": ACTION_REVIEW_OUTSIDE})
    if metric is not None and metric.partnership_id != partnership.pk:
        raise ValidationError({"metric": METRIC_OUTSIDE})
    source = review or metric
    visibility = getattr(source, "visibility", Visibility.JOINT)
    owner_org = source.owner_org if visibility == Visibility.INTERNAL else org
    if visibility == Visibility.INTERNAL and owner_party.organization_id != owner_org.pk:
        raise ValidationError({"owner_party": INTERNAL_NOT_OWN_PARTY})
    action = ReviewAction.objects.create(
        partnership=partnership,
        owner_org=owner_org,
        visibility=visibility,
        created_by=user,
        review=review,
        metric=metric,
        title=title.strip(),
        owner_party=owner_party,
        owner=owner,
        due_on=due_on,
    )
    origin = f" from the review “{review.title}”" if review else ""
    if metric is not None:
        origin += f" on the metric “{metric}”"
    _audit(
        action,
        actor=user,
        action="accountability.action_create",
        summary=f"{_name(user)} created the action “{action.title}”{origin} for "
        f"{_org_name(owner_party)}, due {due_on:%d %b %Y}",
    )
    if owner is not None and owner != user:
        notify(
            recipients=[owner],
            kind="accountability.action_assigned",
            summary=f"Action for you in {partnership.name}: “{action.title}”, due "
            f"{due_on:%d %b %Y}.",
            partnership=partnership,
            url=_url("actions", partnership),
        )
    return action


@transaction.atomic
def review_action_complete(
    *, action: ReviewAction, user: Any, done_on: date | None = None
) -> ReviewAction:
    action = ReviewAction.objects.select_for_update().get(pk=action.pk)
    if action.done_on is not None:
        raise ValidationError(ACTION_DONE_ALREADY)
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": DONE_IN_FUTURE})
    action.done_on = done_on
    action.save()
    late = (done_on - action.due_on).days
    _audit(
        action,
        actor=user,
        action="accountability.action_done",
        summary=f"{_name(user)} closed the action “{action.title}”"
        + (f" ({late} days late)" if late > 0 else " on time"),
    )
    return action


# --- periodic passes (run by the worker, or `manage.py accord_tick`) ------------------------


def mark_missed(*, today: date) -> int:
    """Every open commitment due before ``today`` becomes missed, as of the day after its due
    date. Idempotent: missed commitments are no longer open, so a second run finds nothing."""
    count = 0
    with transaction.atomic():
        overdue = (
            Commitment.objects.select_for_update(of=("self",))
            .filter(status__in=Commitment.OPEN_STATUSES, due_on__lt=today)
            .select_related("partnership", "owner_party__organization", "owner", "created_by")
            .order_by("partnership_id", "due_on", "pk")
        )
        for commitment in overdue:
            previous = commitment.status
            commitment.status = Status.MISSED
            commitment.missed_on = commitment.due_on + timedelta(days=1)
            commitment.save(update_fields=["status", "missed_on", "updated_at"])
            CommitmentStatusChange.objects.create(
                commitment=commitment,
                from_status=previous,
                to_status=Status.MISSED,
                note=f"Due {commitment.due_on:%d %b %Y} and not done.",
                automatic=True,
            )
            _audit(
                commitment,
                actor=None,
                action="accountability.commitment_missed",
                summary=f"“{commitment.title}” by {_org_name(commitment.owner_party)} was due "
                f"{commitment.due_on:%d %b %Y} and not done: marked missed",
                changes={"status": [previous, Status.MISSED]},
            )
            _notify_missed(commitment)
            count += 1
    return count


def remind_due_soon(*, today: date) -> int:
    """Remind each owner once, ``due_soon_days`` before the due date, with a link to update the
    commitment without signing in."""
    from accord.accountability.selectors import settings_for

    count = 0
    with transaction.atomic():
        candidates = (
            Commitment.objects.select_for_update(of=("self",))
            .filter(
                status__in=Commitment.OPEN_STATUSES,
                due_on__gte=today,
                due_on__lte=today + timedelta(days=60),
                due_soon_notified_on__isnull=True,
                owner__isnull=False,
            )
            .select_related("partnership", "owner")
        )
        windows: dict[int, int] = {}
        for commitment in candidates:
            if commitment.partnership_id not in windows:
                windows[commitment.partnership_id] = settings_for(
                    commitment.partnership
                ).due_soon_days
            if (commitment.due_on - today).days > windows[commitment.partnership_id]:
                continue
            commitment.due_soon_notified_on = today
            commitment.save(update_fields=["due_soon_notified_on"])
            days = (commitment.due_on - today).days
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            notify(
                recipients=[commitment.owner],
                kind="accountability.commitment_due_soon",
                summary=f"Due {when}: “{commitment.title}” ({commitment.partnership.name}).",
                partnership=commitment.partnership,
                url=commitment_url(commitment),
                email=False,
            )
            _email_link(
                user=commitment.owner,
                subject=f"[Accord] Due {when}: {commitment.title}",
                body=f"“{commitment.title}” ({commitment.partnership.name}) is due "
                f"{commitment.due_on:%d %b %Y}.\n\nUpdate its status or add evidence without "
                f"signing in (the link works once and expires in {links.MAX_AGE_DAYS} days):",
                path=links.commitment_update_path(commitment, commitment.owner),
            )
            count += 1
    return count


def schedule_reviews(*, today: date) -> int:
    created = 0
    with transaction.atomic():
        for cadence in ReviewCadence.objects.filter(
            ended_on__isnull=True
        ) | ReviewCadence.objects.filter(ended_on__gte=today):
            created += reviews_generate(cadence=cadence, today=today)
    return created
