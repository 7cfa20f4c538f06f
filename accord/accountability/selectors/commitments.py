"""Commitments a viewer may see, one commitment, and counts by status."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from accord.accountability.models import (
    Commitment,
)
from accord.partnerships.models import Partnership


def commitment_list(
    *, partnership: Partnership, viewer: Any, party: int | None = None, status: str | None = None
) -> QuerySet[Commitment]:
    rows = (
        Commitment.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .select_related("owner_party__organization", "owner")
    )
    if party:
        rows = rows.filter(owner_party_id=party)
    if status == "open":
        rows = rows.filter(status__in=Commitment.OPEN_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    return rows


def commitment_get(*, partnership: Partnership, viewer: Any, commitment_id: int) -> Commitment:
    commitment = (
        commitment_list(partnership=partnership, viewer=viewer).filter(pk=commitment_id).first()
    )
    if commitment is None:
        raise Http404
    return commitment


def status_counts(*, partnership: Partnership, viewer: Any) -> dict[str, int]:
    counts = dict.fromkeys(Commitment.Status.values, 0)
    for status, n in (
        commitment_list(partnership=partnership, viewer=viewer)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    ):
        counts[status] += n
    return counts
