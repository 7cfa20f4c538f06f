"""Writes for communication. Every service runs in one transaction with its audit event."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accord.accountability import links
from accord.accountability.models import LinkRedemption
from accord.accountability.services import validate_evidence_file
from accord.communication.models import (
    Attachment,
    ChangeNotice,
    CommunicationSettings,
    Concern,
    ConcernResponse,
    DigestPreference,
    Message,
    NoticeAcknowledgement,
    Thread,
)
from accord.communication.text import clean_body
from accord.notifications.services import notify
from accord.partnerships.access import ROLES_FOR, Need, can, user_organization
from accord.partnerships.audit import record_event
from accord.partnerships.models import Participant, Partnership, Party, Visibility

NOT_A_CONTRIBUTOR = "Only a sponsor, alliance manager or team member of a party can do this."
TITLE_REQUIRED = "Give it a title."
TITLE_TOO_LONG = "Keep the title under 200 characters."
BAD_KIND = "Choose one of: {choices}."
BAD_VISIBILITY = "Choose joint or internal."
TOO_MANY_FILES = "Attach at most {n} files to one message."
SUMMARY_REQUIRED = "Say what changes."
REASON_REQUIRED_WHEN_SHORT = (
    "This notice is shorter than the agreed {days} days ({lead} days): say why. The reason is "
    "shown to every party beside the short notice."
)
UNKNOWN_PARTY = "That party is not part of this partnership."
OWN_PARTY_REPORT = "Report a change by another party; announce your own with a change notice."
REPORT_IN_FUTURE = "A reported change must already have taken effect (today or earlier)."
ONLY_CHANGING_PARTY = "Only the party that made the change can answer this report."
ALREADY_ANSWERED = "This report has already been answered."
OWN_NOTICE_ACK = "Your own party gave this notice; the other parties acknowledge it."
ALREADY_ACKNOWLEDGED = "Your party has already acknowledged this notice."
CONCERN_CLOSED = "This concern is closed."
CONCERN_ESCALATED = "This concern is already a conflict issue."
LINK_USED = "This link has already been used. Ask for a new one, or sign in."
MAX_FILES = 5
MENTION = re.compile(r"(?<![\w@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Accord"


def _party_of(user: Any, partnership: Partnership) -> Party:
    org = user_organization(user)
    party = partnership.parties.filter(organization=org).select_related("organization").first()
    if party is None or not can(user, partnership, Need.CONTRIBUTE):
        raise ValidationError(NOT_A_CONTRIBUTOR)
    return party


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": TITLE_REQUIRED})
    if len(title) > 200:
        raise ValidationError({"title": TITLE_TOO_LONG})
    return title


def settings_for(partnership: Partnership) -> CommunicationSettings:
    found = CommunicationSettings.objects.filter(partnership=partnership).first()
    return found or CommunicationSettings(partnership=partnership)


@transaction.atomic
def settings_update(
    *, partnership: Partnership, user: Any, concerns_fully_anonymous: bool
) -> CommunicationSettings:
    if not can(user, partnership, Need.MANAGE):
        raise ValidationError("Only an alliance manager can change communication settings.")
    current, _ = CommunicationSettings.objects.get_or_create(partnership=partnership)
    current.concerns_fully_anonymous = concerns_fully_anonymous
    current.save()
    state = "on" if concerns_fully_anonymous else "off"
    record_event(
        partnership=partnership,
        actor=user,
        action="communication.settings",
        summary=f"{_name(user)} turned full anonymity for concerns {state}",
        target=current,
        changes={"concerns_fully_anonymous": concerns_fully_anonymous},
    )
    return current


def readers_of(record: Thread | Message, partnership: Partnership) -> Any:
    """Participants who may read a thread: joint → every reading role; internal → the owner's."""
    people = Participant.objects.filter(
        partnership=partnership, role__in=ROLES_FOR[Need.READ]
    ).select_related("user")
    if record.visibility == Visibility.INTERNAL:
        people = people.filter(organization_id=record.owner_org_id)
    return people


def _mentions(body: str, thread: Thread, author: Any) -> list[Any]:
    """@username (or the part of an e-mail username before its @) of a participant who can read
    the thread — never someone who could not, so a mention cannot leak an internal thread."""
    names = {m.lower().rstrip(".") for m in MENTION.findall(body)}
    if not names:
        return []

    def handles(user: Any) -> set[str]:
        username = user.get_username().lower()
        return {username, username.split("@", 1)[0]}

    return [
        p.user
        for p in readers_of(thread, thread.partnership)
        if handles(p.user) & names and p.user_id != author.pk
    ]


def _attach(message: Message, files: Sequence[UploadedFile]) -> None:
    for upload in files:
        name = PurePath(upload.name or "attachment").name[:200]
        Attachment.objects.create(
            message=message, file=upload, original_name=name, size=upload.size or 0
        )


def _check_files(files: Sequence[UploadedFile]) -> None:
    if len(files) > MAX_FILES:
        raise ValidationError({"files": TOO_MANY_FILES.format(n=MAX_FILES)})
    for upload in files:
        try:
            validate_evidence_file(upload)
        except ValidationError as error:
            raise ValidationError(
                {"files": error.message_dict.get("file", error.messages)}
            ) from None


@transaction.atomic
def thread_start(
    *,
    partnership: Partnership,
    user: Any,
    title: str,
    body: str,
    kind: str = Thread.Kind.DISCUSSION,
    visibility: str = Visibility.JOINT,
    meeting_on: date | None = None,
    files: Sequence[UploadedFile] = (),
) -> Thread:
    """A thread with its first message; internal threads stay with the author's organization."""
    party = _party_of(user, partnership)
    errors: dict[str, Any] = {}
    try:
        title = _title(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    if kind not in Thread.Kind.values:
        errors["kind"] = BAD_KIND.format(choices=", ".join(Thread.Kind.values))
    if visibility not in Visibility.values:
        errors["visibility"] = BAD_VISIBILITY
    try:
        clean_body(body)
        _check_files(files)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    thread = Thread.objects.create(
        partnership=partnership,
        owner_org=party.organization,
        visibility=visibility,
        created_by=user,
        kind=kind,
        title=title,
        meeting_on=meeting_on,
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="communication.thread_start",
        summary=f"{_name(user)} started “{title}”",
        target=thread,
        owner_org=party.organization if visibility == Visibility.INTERNAL else None,
        visibility=visibility,
    )
    message_post(thread=thread, user=user, body=body, files=files)
    return thread


@transaction.atomic
def message_post(
    *, thread: Thread, user: Any, body: str, files: Sequence[UploadedFile] = ()
) -> Message:
    partnership = thread.partnership
    party = _party_of(user, partnership)
    if thread.visibility == Visibility.INTERNAL and party.organization_id != thread.owner_org_id:
        raise ValidationError(NOT_A_CONTRIBUTOR)
    source, html = clean_body(body)
    _check_files(files)
    message = Message.objects.create(
        partnership=partnership,
        owner_org=thread.owner_org,
        visibility=thread.visibility,
        created_by=user,
        thread=thread,
        author_party=party,
        body=source,
        body_html=html,
    )
    _attach(message, files)
    mentioned = _mentions(source, thread, user)
    message.mentions.set(mentioned)
    internal = thread.visibility == Visibility.INTERNAL
    record_event(
        partnership=partnership,
        actor=user,
        action="communication.message_post",
        summary=f"{_name(user)} wrote in “{thread.title}”",
        target=message,
        owner_org=thread.owner_org if internal else None,
        visibility=thread.visibility,
    )
    if mentioned:
        notify(
            recipients=mentioned,
            kind="communication.mention",
            partnership=partnership,
            summary=f"{_name(user)} mentioned you in “{thread.title}” ({partnership.name})",
            url=reverse(
                "communication:thread", kwargs={"pk": partnership.pk, "thread_id": thread.pk}
            ),
        )
    return message


def _other_party_people(partnership: Partnership, party: Party) -> Any:
    return [
        p.user
        for p in Participant.objects.filter(
            partnership=partnership, role__in=ROLES_FOR[Need.CONTRIBUTE]
        )
        .exclude(organization_id=party.organization_id)
        .select_related("user")
    ]


@transaction.atomic
def notice_give(
    *,
    partnership: Partnership,
    user: Any,
    category: str,
    summary: str,
    effective_on: date,
    reason: str = "",
) -> ChangeNotice:
    """Announce a change of one's own party. Given today (the server's calendar date, UTC), judged
    against the notice period in force today, which is stored on the notice."""
    party = _party_of(user, partnership)
    given_on = timezone.localdate()
    errors: dict[str, str] = {}
    if category not in ChangeNotice.Category.values:
        errors["category"] = BAD_KIND.format(choices=", ".join(ChangeNotice.Category.values))
    summary, reason = (summary or "").strip(), (reason or "").strip()
    if not summary:
        errors["summary"] = SUMMARY_REQUIRED
    lead = (effective_on - given_on).days
    agreed = partnership.notice_lead_days
    if lead < agreed and not reason:
        errors["reason"] = REASON_REQUIRED_WHEN_SHORT.format(days=agreed, lead=lead)
    if errors:
        raise ValidationError(errors)
    notice = ChangeNotice.objects.create(
        partnership=partnership,
        owner_org=party.organization,
        visibility=Visibility.JOINT,
        created_by=user,
        kind=ChangeNotice.Kind.NOTICE,
        changing_party=party,
        category=category,
        summary=summary,
        given_on=given_on,
        effective_on=effective_on,
        agreed_days=agreed,
        reason=reason,
    )
    what = notice.get_category_display().lower()
    short = f" — short notice ({lead} of {agreed} days): {reason}" if notice.is_short else ""
    record_event(
        partnership=partnership,
        actor=user,
        action="communication.notice_give",
        summary=f"{party.organization.name} gave notice of a {what} "
        f"change effective {effective_on:%d %b %Y}{short}",
        target=notice,
        changes={"lead_days": lead, "agreed_days": agreed},
    )
    for person in _other_party_people(partnership, party):
        notify(
            recipients=[person],
            kind="communication.notice",
            partnership=partnership,
            summary=f"{party.organization.name} announces a {what} "
            f"change effective {effective_on:%d %b %Y} — acknowledge it (the link works once)",
            url=notice_acknowledge_path(notice, person),
        )
    return notice


def notice_acknowledge_path(notice: ChangeNotice, holder: Any) -> str:
    token = links.make_token(links.NOTICE_ACKNOWLEDGE, notice.pk, holder)
    return reverse(
        "communication:link_acknowledge", kwargs={"pk": notice.partnership_id, "token": token}
    )


@transaction.atomic
def notice_report(
    *,
    partnership: Partnership,
    user: Any,
    changing_party_id: int,
    category: str,
    summary: str,
    effective_on: date,
) -> ChangeNotice:
    """Another party made a change with no notice: record it after the fact (a sin of omission)."""
    party = _party_of(user, partnership)
    changing = (
        partnership.parties.filter(pk=changing_party_id).select_related("organization").first()
    )
    errors: dict[str, str] = {}
    if changing is None:
        errors["changing_party_id"] = UNKNOWN_PARTY
    elif changing.pk == party.pk:
        errors["changing_party_id"] = OWN_PARTY_REPORT
    if category not in ChangeNotice.Category.values:
        errors["category"] = BAD_KIND.format(choices=", ".join(ChangeNotice.Category.values))
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = SUMMARY_REQUIRED
    today = timezone.localdate()
    if effective_on > today:
        errors["effective_on"] = REPORT_IN_FUTURE
    if errors:
        raise ValidationError(errors)
    assert changing is not None
    notice = ChangeNotice.objects.create(
        partnership=partnership,
        owner_org=party.organization,
        visibility=Visibility.JOINT,
        created_by=user,
        kind=ChangeNotice.Kind.REPORT,
        changing_party=changing,
        category=category,
        summary=summary,
        given_on=today,
        effective_on=effective_on,
        agreed_days=partnership.notice_lead_days,
    )
    what = notice.get_category_display().lower()
    record_event(
        partnership=partnership,
        actor=user,
        action="communication.notice_report",
        summary=f"{party.organization.name} reports a {what} change "
        f"by {changing.organization.name} effective {effective_on:%d %b %Y} with no notice",
        target=notice,
    )
    notify(
        recipients=_other_party_people(partnership, party),
        kind="communication.notice_report",
        partnership=partnership,
        summary=f"{party.organization.name} reports a change with no notice: you can answer it",
        url=reverse("communication:notices", kwargs={"pk": partnership.pk}),
    )
    return notice


@transaction.atomic
def notice_answer(*, notice: ChangeNotice, user: Any, answer: str) -> ChangeNotice:
    party = _party_of(user, notice.partnership)
    notice = ChangeNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.kind != ChangeNotice.Kind.REPORT or party.pk != notice.changing_party_id:
        raise ValidationError(ONLY_CHANGING_PARTY)
    if notice.answered_at is not None:
        raise ValidationError(ALREADY_ANSWERED)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Write the answer."})
    notice.answer, notice.answered_at, notice.answered_by = answer, timezone.now(), user
    notice.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
    record_event(
        partnership=notice.partnership,
        actor=user,
        action="communication.notice_answer",
        summary=f"{party.organization.name} answered the report of a change with no notice",
        target=notice,
    )
    return notice


@transaction.atomic
def notice_acknowledge(
    *, notice: ChangeNotice, user: Any, token: str = ""
) -> NoticeAcknowledgement:
    """One acknowledgement per receiving party; with ``token`` it is the signed link's one use."""
    party = _party_of(user, notice.partnership)
    if party.pk == notice.changing_party_id:
        raise ValidationError(OWN_NOTICE_ACK)
    if token:
        try:
            with transaction.atomic():
                LinkRedemption.objects.create(
                    token_hash=hashlib.sha256(token.encode()).hexdigest(),
                    purpose=links.NOTICE_ACKNOWLEDGE,
                )
        except IntegrityError:
            raise ValidationError(LINK_USED) from None
    try:
        with transaction.atomic():
            ack = NoticeAcknowledgement.objects.create(notice=notice, party=party, user=user)
    except IntegrityError:
        raise ValidationError(ALREADY_ACKNOWLEDGED) from None
    record_event(
        partnership=notice.partnership,
        actor=user,
        action="communication.notice_acknowledge",
        summary=f"{_name(user)} acknowledged the {notice.get_category_display().lower()} notice"
        + (" from an e-mailed link" if token else ""),
        target=notice,
    )
    return ack


def _concern_alert_people(partnership: Partnership) -> list[Any]:
    return [
        p.user
        for p in Participant.objects.filter(
            partnership=partnership, role=Participant.Role.ALLIANCE_MANAGER
        ).select_related("user")
    ]


@transaction.atomic
def concern_raise(
    *, partnership: Partnership, user: Any, title: str, body: str, hide_name: bool = False
) -> Concern:
    """Raise a concern. Under full anonymity nothing links it to its author: no author, no party,
    no audit actor, and every alliance manager is told — the author too, so the list of
    recipients gives nothing away."""
    party = _party_of(user, partnership)
    errors: dict[str, Any] = {}
    try:
        title = _title(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        source, html = clean_body(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    anonymous = settings_for(partnership).concerns_fully_anonymous
    concern = Concern.objects.create(
        partnership=partnership,
        author=None if anonymous else user,
        raised_by_party=None if anonymous else party,
        name_hidden=hide_name or anonymous,
        fully_anonymous=anonymous,
        title=title,
        body=source,
        body_html=html,
    )
    if anonymous:
        who, actor = "Someone", None
    elif hide_name:
        who, actor = f"Someone at {party.organization.name}", None
    else:
        who, actor = _name(user), user
    record_event(
        partnership=partnership,
        actor=actor,
        action="communication.concern_raise",
        summary=f"{who} raised the concern “{title}”",
        target=concern,
    )
    recipients = _concern_alert_people(partnership)
    if not anonymous:
        recipients = [p for p in recipients if p.pk != user.pk]
    notify(
        recipients=recipients,
        kind="communication.concern",
        partnership=partnership,
        summary=f"{who} raised a concern: “{title}” ({partnership.name})",
        url=reverse(
            "communication:concern", kwargs={"pk": partnership.pk, "concern_id": concern.pk}
        ),
    )
    return concern


@transaction.atomic
def concern_respond(*, concern: Concern, user: Any, body: str) -> ConcernResponse:
    """The first response from outside the raising party (from anyone, when the party is
    unknown) starts the clock's first stop: time to first response."""
    party = _party_of(user, concern.partnership)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.closed_at is not None:
        raise ValidationError(CONCERN_CLOSED)
    source, html = clean_body(body)
    response = ConcernResponse.objects.create(
        concern=concern, author=user, party=party, body=source, body_html=html
    )
    if concern.first_response_at is None and party.pk != concern.raised_by_party_id:
        concern.first_response_at = response.created_at
        concern.save(update_fields=["first_response_at"])
    record_event(
        partnership=concern.partnership,
        actor=user,
        action="communication.concern_respond",
        summary=f"{_name(user)} responded to the concern “{concern.title}”",
        target=concern,
    )
    return response


@transaction.atomic
def concern_close(*, concern: Concern, user: Any) -> Concern:
    _party_of(user, concern.partnership)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.closed_at is not None:
        raise ValidationError(CONCERN_CLOSED)
    concern.closed_at = timezone.now()
    concern.save(update_fields=["closed_at"])
    record_event(
        partnership=concern.partnership,
        actor=user,
        action="communication.concern_close",
        summary=f"{_name(user)} closed the concern “{concern.title}”",
        target=concern,
    )
    return concern


@transaction.atomic
def concern_to_issue(*, concern: Concern, user: Any, conflict_type: str) -> Any:
    """One step from concern to conflict issue; the issue is raised by whoever escalates, so an
    anonymous concern stays anonymous on the ladder too."""
    from accord.conflicts.services import issue_raise

    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.conflict_issue_id is not None:
        raise ValidationError(CONCERN_ESCALATED)
    issue = issue_raise(
        partnership=concern.partnership,
        user=user,
        title=concern.title,
        description=concern.body,
        conflict_type=conflict_type,
        source=concern,
    )
    concern.conflict_issue_id = issue.pk
    concern.save(update_fields=["conflict_issue_id"])
    record_event(
        partnership=concern.partnership,
        actor=user,
        action="communication.concern_to_issue",
        summary=f"{_name(user)} made the concern “{concern.title}” a conflict issue",
        target=concern,
        changes={"issue": issue.pk},
    )
    return issue


def digest_set(*, user: Any, daily_digest: bool) -> DigestPreference:
    pref, _ = DigestPreference.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest}
    )
    return pref
