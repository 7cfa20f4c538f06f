"""The feedback forum: concerns, responses, closing, and the step to a conflict issue."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accord.communication.models import (
    Concern,
    ConcernResponse,
)
from accord.communication.services._common import (
    CONCERN_CLOSED,
    CONCERN_ESCALATED,
    _name,
    _party_of,
    _title,
    settings_for,
)
from accord.communication.text import clean_body
from accord.notifications.services import notify
from accord.partnerships.audit import record_event
from accord.partnerships.models import Participant, Partnership


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
