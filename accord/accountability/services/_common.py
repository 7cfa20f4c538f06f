"""Helpers and messages shared by the accountability services: names, audit events with the
record's own visibility, links, and who hears about a record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from accord.accountability.models import (
    Commitment,
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
DONE_IN_FUTURE = "The done date cannot be in the future."
DUE_CHANGE_ON_OPEN_ONLY = "Move a due date by re-planning once the commitment is missed."
EVIDENCE_EMPTY = "Add a note, a link or a file as evidence."
ANSWER_REQUIRED = "Write an answer."
NOT_OWNER_SIDE = (
    "Only the owning party reports on its own commitments and answers requests about them."
)


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


def _email_link(*, user: Any, subject: str, body: str, path: str) -> None:
    if not user.email:
        return
    message = f"{body}\n\n{settings.SITE_URL}{path}\n"
    transaction.on_commit(
        lambda: send_mail(subject[:150], message, None, [user.email], fail_silently=True)
    )
