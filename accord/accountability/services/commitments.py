"""Commitment services: record, edit, report status, add evidence, re-plan, agree consequences."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accord.accountability.models import (
    Commitment,
    CommitmentStatusChange,
    Consequence,
    Evidence,
)
from accord.accountability.services._common import (
    DONE_IN_FUTURE,
    EVIDENCE_EMPTY,
    INTERNAL_NOT_OWN_PARTY,
    NO_ORGANIZATION,
    Status,
    _audit,
    _check_owner,
    _name,
    _notify_missed,
    _org_name,
    commitment_url,
)
from accord.notifications.services import notify
from accord.partnerships.access import user_organization
from accord.partnerships.models import Partnership, Party, Visibility
from accord.partnerships.stale import expect

TITLE_REQUIRED = "Say what is promised."
STATUS_UNKNOWN = "Status must be one of: planned, on track, at risk, done, missed."
STATUS_UNCHANGED = "The commitment already has this status."
STATUS_CHANGED = (
    "The commitment's status changed to {status} while you were looking, so your update was "
    "not applied. Check its status now and update it again if you still need to."
)
STATUS_FROM_DONE = "A done commitment is closed; record a new commitment for further work."
STATUS_FROM_MISSED = (
    "A missed commitment stays missed; mark it done if it was delivered late, or re-plan it."
)
DONE_BEFORE_CREATED = "The done date cannot be before the commitment was made."
EDIT_CLOSED = "Only open commitments can be edited; re-plan a missed one instead."
EVIDENCE_TOO_BIG = "Evidence files may be at most {mb} MB."
EVIDENCE_TYPE = "Evidence files must be one of: {types}."
EVIDENCE_URL_SCHEME = "Links must start with http:// or https://."
REPLAN_NOT_MISSED = "Only a missed commitment can be re-planned."
REPLAN_ALREADY = "This commitment has already been re-planned."
REPLAN_DUE_PAST = "The new due date must be after today."
CONSEQUENCE_DESCRIPTION = "Describe the remedy the parties agreed."
CONSEQUENCE_KIND = "Choose the kind of remedy."
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
    expected_status: str | None = None,
) -> Commitment:
    """Report progress. Done needs a done date (today by default); a late done date still counts
    as missed for on-time delivery. Missed and done are final, except that a missed commitment
    may later be marked done (delivered late).

    The change applies to the status the person saw — `expected_status`, else the status of the
    `commitment` passed in (read before the lock) — and is refused as stale if it changed
    meanwhile (a partner's update, the missed-commitment pass)."""
    expected = expected_status or commitment.status
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    expect(
        commitment.status,
        expected,
        STATUS_CHANGED.format(status=Status(commitment.status).label.lower()),
    )
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
