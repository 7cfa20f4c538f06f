"""The partnership's resolution principles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accord.conflicts.catalog import DEFAULT_PRINCIPLES
from accord.conflicts.models import (
    ConflictType,
    Principle,
)
from accord.conflicts.services._common import _clean_text, _name, _require_manager
from accord.conflicts.services.messages import (
    BAD_PRINCIPLE_TYPE,
    PRINCIPLE_DUPLICATE,
    PRINCIPLE_OTHER_PARTNERSHIP,
    PRINCIPLE_TEXT_REQUIRED,
    PRINCIPLE_TITLE_REQUIRED,
    TITLE_TOO_LONG,
)
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership


@transaction.atomic
def principles_seed(*, partnership: Partnership) -> list[Principle]:
    """Give the partnership its own editable copy of the default catalog (once)."""
    existing = list(Principle.objects.filter(partnership=partnership))
    if existing:
        return existing
    return Principle.objects.bulk_create(
        [
            Principle(
                partnership=partnership,
                conflict_type=p.conflict_type,
                title=p.title,
                text=p.text,
                position=i,
            )
            for i, p in enumerate(DEFAULT_PRINCIPLES)
        ]
    )


def _validate_principle(conflict_type: str, title: str, text: str) -> dict[str, str]:
    errors = {}
    if conflict_type not in [Principle.ANY, *ConflictType.values]:
        errors["conflict_type"] = BAD_PRINCIPLE_TYPE
    if not title:
        errors["title"] = PRINCIPLE_TITLE_REQUIRED
    elif len(title) > 200:
        errors["title"] = TITLE_TOO_LONG
    if not text:
        errors["text"] = PRINCIPLE_TEXT_REQUIRED
    return errors


@transaction.atomic
def principle_save(
    *,
    partnership: Partnership,
    user: Any,
    conflict_type: str,
    title: str,
    text: str,
    principle: Principle | None = None,
) -> Principle:
    """Add a principle, or change one (`principle`). The first edit copies the catalog."""
    _require_manager(user, partnership)
    title, text = _clean_text(title), _clean_text(text)
    errors = _validate_principle(conflict_type, title, text)
    if errors:
        raise ValidationError(errors)
    principles_seed(partnership=partnership)
    if principle is not None and principle.partnership_id != partnership.pk:
        raise ValidationError(PRINCIPLE_OTHER_PARTNERSHIP)
    clash = Principle.objects.filter(
        partnership=partnership, conflict_type=conflict_type, title=title
    )
    if principle is not None:
        clash = clash.exclude(pk=principle.pk)
    if clash.exists():
        raise ValidationError({"title": PRINCIPLE_DUPLICATE})
    if principle is None:
        last = Principle.objects.filter(partnership=partnership).order_by("-position").first()
        principle = Principle(partnership=partnership, position=(last.position + 1) if last else 0)
        action, verb = "conflicts.principle_add", "added"
        before: dict[str, Any] = {}
    else:
        action, verb = "conflicts.principle_change", "changed"
        before = {"title": principle.title, "text": principle.text}
    principle.conflict_type, principle.title, principle.text = conflict_type, title, text
    principle.save()
    record_event(
        partnership=partnership,
        actor=user,
        action=action,
        summary=f"{_name(user)} {verb} the principle “{title}”",
        target=principle,
        changes={"before": before, "after": {"title": title, "text": text}},
    )
    return principle


@transaction.atomic
def principle_delete(*, partnership: Partnership, user: Any, principle: Principle) -> None:
    """Remove a principle. Issues resolved under it keep its title."""
    _require_manager(user, partnership)
    if principle.partnership_id != partnership.pk:
        raise ValidationError(PRINCIPLE_OTHER_PARTNERSHIP)
    title = principle.title
    record_event(
        partnership=partnership,
        actor=user,
        action="conflicts.principle_delete",
        summary=f"{_name(user)} removed the principle “{title}”",
        target=principle,
        changes={"title": title},
    )
    principle.delete()
