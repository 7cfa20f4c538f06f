"""Threads, meeting notes and their messages (mentions, attachments)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from accord.communication.models import (
    Message,
    Thread,
)
from accord.communication.services._common import (
    BAD_KIND,
    BAD_VISIBILITY,
    NOT_A_CONTRIBUTOR,
    _attach,
    _check_files,
    _mentions,
    _name,
    _party_of,
    _title,
)
from accord.communication.text import clean_body
from accord.notifications.services import notify
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership, Visibility


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
