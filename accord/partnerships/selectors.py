from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accord.partnerships.models import Invitation, Participant, Partnership, Party


def partnership_rows(*, user: Any) -> QuerySet[Partnership]:
    """My partnerships with their parties and my role, in two queries."""
    return (
        Partnership.objects.visible_to(user)
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.select_related("organization")),
            Prefetch(
                "participants",
                queryset=Participant.objects.filter(user=user),
                to_attr="my_participation",
            ),
        )
        .order_by("name")
    )


def party_rows(*, partnership: Partnership) -> QuerySet[Party]:
    return partnership.parties.select_related("organization")


def pending_invitations(*, partnership: Partnership) -> QuerySet[Invitation]:
    return partnership.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("created_by", "organization")
