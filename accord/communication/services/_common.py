"""Shared pieces of the communication services: messages, people, files, settings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accord.accountability.services import validate_evidence_file
from accord.communication.models import (
    Attachment,
    CommunicationSettings,
    Message,
    Thread,
)
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
