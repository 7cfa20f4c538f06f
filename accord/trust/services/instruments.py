"""Questionnaires: the built-in instruments and a partnership's own edits of them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership
from accord.trust import instruments
from accord.trust.models import (
    Instrument,
    Item,
    SurveyRound,
)
from accord.trust.services.messages import (
    INSTRUMENT_NOT_AVAILABLE,
    ITEM_KEY_TAKEN,
    ITEM_NOT_FOUND,
    OWN_INSTRUMENT_BY_VERSION,
)


def ensure_builtin_instruments() -> None:
    """Create the built-in instruments if they are missing (also run by a data migration)."""
    for key, spec in instruments.BUILTIN.items():
        if Instrument.objects.filter(
            partnership__isnull=True, organization__isnull=True, key=key
        ).exists():
            continue
        with transaction.atomic():
            instrument = Instrument.objects.create(
                key=key,
                version=1,
                kind=spec["kind"],
                name=spec["name"],
                description=spec["description"],
                scale_points=spec["scale_points"],
                definition=instruments.builtin_definition(spec["kind"], spec["scale_points"]),
            )
            Item.objects.bulk_create(
                Item(instrument=instrument, position=i, **fields)
                for i, fields in enumerate(spec["items"], start=1)
            )


def _editable_version(*, user: Any, partnership: Partnership, instrument: Instrument) -> Instrument:
    """The version to edit: this one if the partnership owns it and no round has opened on it;
    otherwise a copy with the next version number. Rounds of the partnership that have not
    opened yet move to the new version; rounds that have opened keep theirs."""
    if instrument.partnership_id == partnership.pk and not instrument.in_use():
        return instrument
    # Counted among the versions this partnership can see (built-in and its own) only: another
    # partnership's edits must not move this one's numbers.
    latest = (
        Instrument.objects.filter(
            Q(partnership__isnull=True, organization__isnull=True) | Q(partnership=partnership),
            key=instrument.key,
        ).aggregate(v=Max("version"))["v"]
        or 0
    )
    copy = Instrument.objects.create(
        key=instrument.key,
        version=latest + 1,
        kind=instrument.kind,
        name=instrument.name,
        description=instrument.description,
        scale_points=instrument.scale_points,
        definition=instrument.definition,
        partnership=partnership,
        created_by=user,
    )
    Item.objects.bulk_create(
        Item(
            instrument=copy,
            position=item.position,
            key=item.key,
            text=item.text,
            construct=item.construct,
            reverse=item.reverse,
            low_anchor=item.low_anchor,
            high_anchor=item.high_anchor,
            comment=item.comment,
        )
        for item in instrument.items.all()
    )
    moved = SurveyRound.objects.filter(
        partnership=partnership, instrument__key=instrument.key, opens_at__gt=timezone.now()
    ).update(instrument=copy)
    record_event(
        partnership=partnership,
        actor=user,
        action="trust.instrument_version",
        summary=f"New version {copy.version} of the questionnaire “{copy.name}”"
        + (f"; {moved} scheduled round(s) will use it" if moved else ""),
        target=copy,
        changes={"from_version": instrument.version, "to_version": copy.version},
    )
    return copy


def _validate_instrument(instrument: Instrument) -> None:
    try:
        instruments.check_items(
            instrument.kind,
            instrument.items.all(),
            instrument.scale_points,
            instrument.key,
            instrument.version,
        )
    except ValueError as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def instrument_item_save(
    *,
    user: Any,
    partnership: Partnership,
    instrument: Instrument,
    item_key: str | None,
    key: str,
    text: str,
    construct: str,
    reverse: bool,
    low_anchor: str = "",
    high_anchor: str = "",
    comment: str = "",
) -> tuple[Instrument, Item]:
    """Change one statement (``item_key``) or add one (``item_key`` None). Returns the version
    that now holds it, which is new when the edited one was in use."""
    if instrument.kind not in instruments.CONSTRUCTS:
        raise ValidationError(OWN_INSTRUMENT_BY_VERSION)
    if construct not in instruments.CONSTRUCTS[instrument.kind]:
        raise ValidationError(
            {"construct": f"Choose one of {instruments.CONSTRUCTS[instrument.kind]}."}
        )
    target = _editable_version(user=user, partnership=partnership, instrument=instrument)
    if item_key is None:
        if target.items.filter(key=key).exists():
            raise ValidationError({"key": ITEM_KEY_TAKEN.format(key=key)})
        position = (target.items.aggregate(p=Max("position"))["p"] or 0) + 1
        item = Item(instrument=target, position=position, key=key)
    else:
        item = target.items.filter(key=item_key).first()
        if item is None:
            raise ValidationError(ITEM_NOT_FOUND)
        if key != item_key and target.items.filter(key=key).exists():
            raise ValidationError({"key": ITEM_KEY_TAKEN.format(key=key)})
        item.key = key
    before = {"text": item.text, "construct": item.construct, "reverse": item.reverse}
    item.text, item.construct, item.reverse = text.strip(), construct, reverse
    item.low_anchor, item.high_anchor, item.comment = low_anchor, high_anchor, comment
    item.save()
    _validate_instrument(target)
    record_event(
        partnership=partnership,
        actor=user,
        action="trust.instrument_item",
        summary=f"{'Changed' if item_key else 'Added'} the statement “{item.key}” in "
        f"“{target.name}” v{target.version}",
        target=target,
        changes={"item": item.key, "before": before if item_key else None, "text": item.text},
    )
    return target, item


@transaction.atomic
def instrument_item_remove(
    *, user: Any, partnership: Partnership, instrument: Instrument, item_key: str
) -> Instrument:
    target = _editable_version(user=user, partnership=partnership, instrument=instrument)
    deleted, _ = target.items.filter(key=item_key).delete()
    if not deleted:
        raise ValidationError(ITEM_NOT_FOUND)
    _validate_instrument(target)
    record_event(
        partnership=partnership,
        actor=user,
        action="trust.instrument_item",
        summary=f"Removed the statement “{item_key}” from “{target.name}” v{target.version}",
        target=target,
        changes={"removed": item_key},
    )
    return target


def available_instrument(partnership: Partnership, instrument_id: int) -> Instrument:
    instrument = Instrument.objects.filter(
        Q(partnership__isnull=True, organization__isnull=True) | Q(partnership=partnership),
        pk=instrument_id,
    ).first()
    if instrument is None:
        raise ValidationError({"instrument": INSTRUMENT_NOT_AVAILABLE})
    return instrument
