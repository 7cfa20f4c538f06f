"""Writes for culture: the partnership's catalog of bridging practices."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accord.culture.models import BridgingPractice
from accord.domain import culture as domain
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership

PRACTICE_NOT_FOUND = "No such practice in this partnership's catalog."
ALIGNED_NEEDS_NO_PRACTICE = (
    "Practices address friction or complementary differences, not alignment."
)


def _copy_builtin(*, user: Any, partnership: Partnership) -> None:
    if BridgingPractice.objects.filter(partnership=partnership).exists():
        return
    org = user.membership.organization
    BridgingPractice.objects.bulk_create(
        BridgingPractice(
            partnership=partnership,
            owner_org=org,
            created_by=user,
            dimension=str(dim),
            fit=str(p.fit),
            title=p.title,
            description=p.description,
        )
        for dim, practices in domain.BRIDGING_PRACTICES.items()
        for p in practices
    )


def _check(fit: str, dimension: str) -> None:
    if fit == domain.Fit.ALIGNED:
        raise ValidationError({"fit": ALIGNED_NEEDS_NO_PRACTICE})
    domain.Dimension(dimension)


@transaction.atomic
def practice_save(
    *,
    user: Any,
    partnership: Partnership,
    practice_id: int | None,
    dimension: str,
    fit: str,
    title: str,
    description: str,
) -> BridgingPractice:
    """Add a practice (``practice_id`` None) or change one; the first edit copies the built-in
    catalog into the partnership."""
    _check(fit, dimension)
    _copy_builtin(user=user, partnership=partnership)
    if practice_id is None:
        practice = BridgingPractice(
            partnership=partnership, owner_org=user.membership.organization, created_by=user
        )
    else:
        practice = BridgingPractice.objects.filter(partnership=partnership, pk=practice_id).first()
        if practice is None:
            raise ValidationError(PRACTICE_NOT_FOUND)
    practice.dimension, practice.fit = dimension, fit
    practice.title, practice.description = title.strip(), description.strip()
    practice.save()
    record_event(
        partnership=partnership,
        actor=user,
        action="culture.practice_save",
        summary=f"{'Changed' if practice_id else 'Added'} the bridging practice “{practice.title}”",
        target=practice,
        changes={"dimension": dimension, "fit": fit, "title": practice.title},
    )
    return practice


@transaction.atomic
def practice_remove(*, user: Any, partnership: Partnership, practice_id: int) -> None:
    practice = BridgingPractice.objects.filter(partnership=partnership, pk=practice_id).first()
    if practice is None:
        raise ValidationError(PRACTICE_NOT_FOUND)
    record_event(
        partnership=partnership,
        actor=user,
        action="culture.practice_remove",
        summary=f"Removed the bridging practice “{practice.title}”",
        changes={"title": practice.title},
    )
    practice.delete()


@transaction.atomic
def catalog_customize(*, user: Any, partnership: Partnership) -> int:
    """Copy the built-in catalog into the partnership so it can be edited item by item."""
    before = BridgingPractice.objects.filter(partnership=partnership).count()
    _copy_builtin(user=user, partnership=partnership)
    after = BridgingPractice.objects.filter(partnership=partnership).count()
    if after != before:
        record_event(
            partnership=partnership,
            actor=user,
            action="culture.catalog_customize",
            summary=f"Copied the built-in catalog of {after} bridging practices for editing",
            changes={"practices": after},
        )
    return after
