"""Writes of own instruments (issue 15): create, new version, adopt from a library.

A stored version never changes: every edit is a new version, numbered within its owner (one
partnership, or one organization's library), so no owner learns from its numbers what another
did. A partnership's instruments are joint — every party reads their wording before its people
answer — and so are their audit events; a library belongs to its organization alone."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from accord.domain.instruments.definition import Definition
from accord.partnerships.audit import record_event
from accord.partnerships.models import Organization, Partnership, Visibility
from accord.trust.definitions import definition_of, definition_storage
from accord.trust.instruments import BUILTIN
from accord.trust.models import Instrument, Item

KEY_RESERVED = "The key {key} belongs to a built-in questionnaire; choose another key."
KEY_TAKEN = "An instrument with the key {key} exists already; add a version to it instead."
KEY_MISMATCH = "A new version must keep the key {key}."
NO_SUCH_INSTRUMENT = "No such instrument."
VERSION_TAKEN = "Another version was saved at the same moment; nothing was saved — try again."


def _owned(*, partnership: Partnership | None, organization: Organization | None) -> Any:
    if partnership is not None:
        return Instrument.objects.filter(partnership=partnership, kind=Instrument.Kind.CUSTOM)
    return Instrument.objects.filter(organization=organization, kind=Instrument.Kind.CUSTOM)


def _store(
    *,
    user: Any,
    definition: Definition,
    version: int,
    partnership: Partnership | None,
    organization: Organization | None,
) -> Instrument:
    try:
        with transaction.atomic():
            instrument = Instrument.objects.create(
                key=definition.key,
                version=version,
                kind=Instrument.Kind.CUSTOM,
                name=definition.name,
                description=definition.description,
                scale_points=definition.scale.points,
                definition=definition_storage(definition),
                partnership=partnership,
                organization=organization,
                created_by=user,
            )
    except IntegrityError:
        raise ValidationError(VERSION_TAKEN) from None
    Item.objects.bulk_create(
        Item(
            instrument=instrument,
            position=position,
            key=item.key,
            text=item.text,
            construct=item.construct,
            reverse=item.reverse,
            low_anchor=item.low_anchor,
            high_anchor=item.high_anchor,
        )
        for position, item in enumerate(definition.items, start=1)
    )
    summary = f"Instrument “{instrument.name}” version {version} saved"
    if partnership is not None:
        record_event(
            partnership=partnership,
            actor=user,
            action="trust.instrument_saved",
            summary=summary,
            target=instrument,
            changes={"key": instrument.key, "version": version},
        )
    else:
        record_event(
            organization=organization,
            owner_org=organization,
            visibility=Visibility.INTERNAL,
            actor=user,
            action="trust.library_instrument_saved",
            summary=summary,
            target=instrument,
            changes={"key": instrument.key, "version": version},
        )
    return instrument


@transaction.atomic
def instrument_create(
    *,
    user: Any,
    definition: Definition,
    partnership: Partnership | None = None,
    organization: Organization | None = None,
) -> Instrument:
    """Store a new instrument as version 1 of its key, for one partnership or one library."""
    if (partnership is None) == (organization is None):
        raise ValueError("an instrument has exactly one owner")
    if definition.key in BUILTIN:
        raise ValidationError({"key": KEY_RESERVED.format(key=definition.key)})
    if _owned(partnership=partnership, organization=organization).filter(key=definition.key):
        raise ValidationError({"key": KEY_TAKEN.format(key=definition.key)})
    return _store(
        user=user,
        definition=definition,
        version=1,
        partnership=partnership,
        organization=organization,
    )


@transaction.atomic
def instrument_version_create(
    *, user: Any, instrument: Instrument, definition: Definition
) -> Instrument:
    """Store ``definition`` as the next version of ``instrument``'s key, in the same owner.
    Earlier versions stay as they are: rounds keep pointing at the version they asked."""
    if definition.key != instrument.key:
        raise ValidationError({"key": KEY_MISMATCH.format(key=instrument.key)})
    owned = _owned(partnership=instrument.partnership, organization=instrument.organization)
    latest = owned.filter(key=instrument.key).aggregate(v=Max("version"))["v"] or 0
    return _store(
        user=user,
        definition=definition,
        version=latest + 1,
        partnership=instrument.partnership,
        organization=instrument.organization,
    )


@transaction.atomic
def instrument_adopt(*, user: Any, partnership: Partnership, source: Instrument) -> Instrument:
    """Bring a library instrument into a partnership: a new version of the partnership's own
    instrument with that key (version 1 the first time). The partner sees its wording there."""
    definition = definition_of(source)
    existing = _owned(partnership=partnership, organization=None).filter(key=source.key).first()
    if existing is None:
        return instrument_create(user=user, definition=definition, partnership=partnership)
    return instrument_version_create(user=user, instrument=existing, definition=definition)
