"""API of own instruments (issue 15): create, version, list, read — for a partnership, and for
an organization's library — and the results of their rounds. Handlers: access first, then the
definition's own validation, then one service call."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, NotRequired

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Body, Field, Path, Schema, Status
from typing_extensions import TypedDict

from accord.domain.instruments.definition import (
    Definition,
    DefinitionError,
    definition_to_data,
    parse_definition,
)
from accord.partnerships.access import Need, access_organization, access_partnership
from accord.trust import instrument_services as services
from accord.trust.api import router
from accord.trust.definitions import definition_of
from accord.trust.instrument_results import instrument_results
from accord.trust.models import Instrument

Id = Path(..., ge=1, le=2**53)
Key = Path(..., min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
Version = Path(..., ge=1, le=100_000)
Slug = Path(..., min_length=1, max_length=100)
DefinitionBody = Body(..., description="An instrument definition (docs/instruments.md).")


class VersionOut(Schema):
    id: int
    version: int
    in_use: bool
    created_at: str


class InstrumentScaleOut(Schema):
    points: int
    labels: list[str]
    not_applicable: str | None = Field(None, description="Label of the 'does not apply' answer.")


class InstrumentConstructOut(Schema):
    key: str
    label: str


class InstrumentCategoryOut(Schema):
    key: str
    label: str
    constructs: list[InstrumentConstructOut]


class InstrumentBandOut(Schema):
    key: str
    label: str
    minimum: float


class InstrumentDefinedItemOut(TypedDict):
    """A TypedDict, not a Schema: a pydantic model may not name a field ``construct``."""

    key: str
    text: str
    construct: str
    reverse: bool
    low_anchor: NotRequired[str]
    high_anchor: NotRequired[str]


class InstrumentBodyOut(Schema):
    key: str
    name: str
    description: str | None = None
    scale: InstrumentScaleOut
    directions: list[str]
    categories: list[InstrumentCategoryOut]
    bands: list[InstrumentBandOut]
    items: list[InstrumentDefinedItemOut]


class InstrumentDefinitionOut(Schema):
    id: int
    key: str
    version: int
    owner: str = Field(..., description="partnership, library or built-in")
    in_use: bool = Field(..., description="A round has opened on this version: it is fixed.")
    definition: InstrumentBodyOut
    versions: list[VersionOut]


class LibraryIn(Schema):
    library_instrument_id: int = Field(..., ge=1, le=2**53)


class ConstructCellOut(Schema):
    round: int
    rater_party_id: int
    rated_party_id: int | None = Field(..., description="Empty: the partnership as a whole.")
    construct_key: str
    published: bool
    n: int | None
    mean: float | None
    band: str | None


class CategoryCellOut(Schema):
    round: int
    rater_party_id: int
    rated_party_id: int | None
    category: str
    constructs_shown: int
    mean: float | None
    band: str | None


class InstrumentResultsOut(Schema):
    k: int
    rounds: list[int]
    constructs: list[ConstructCellOut]
    categories: list[CategoryCellOut]


def _parse(payload: dict[str, Any]) -> Definition:
    try:
        return parse_definition(payload)
    except DefinitionError as error:
        messages: dict[str, list[str]] = defaultdict(list)
        for path, message in error.problems:
            messages[path or "definition"].append(message)
        raise ValidationError(dict(messages)) from None


def _detail(instrument: Instrument) -> dict[str, Any]:
    owner = "partnership" if instrument.partnership_id else "library"
    if instrument.partnership_id is None and instrument.organization_id is None:
        owner = "built-in"
    siblings = Instrument.objects.filter(
        key=instrument.key,
        partnership_id=instrument.partnership_id,
        organization_id=instrument.organization_id,
    ).order_by("-version")
    return {
        "id": instrument.pk,
        "key": instrument.key,
        "version": instrument.version,
        "owner": owner,
        "in_use": instrument.in_use(),
        "definition": definition_to_data(definition_of(instrument)),
        "versions": [
            {
                "id": v.pk,
                "version": v.version,
                "in_use": v.in_use(),
                "created_at": v.created_at.isoformat(),
            }
            for v in siblings
        ],
    }


def _own(partnership: Any, key: str, version: int | None = None) -> Instrument:
    rows = Instrument.objects.filter(
        partnership=partnership, key=key, kind=Instrument.Kind.CUSTOM
    ).order_by("-version")
    if version is not None:
        rows = rows.filter(version=version)
    instrument = rows.first()
    if instrument is None:
        raise Http404
    return instrument


def _library(organization: Any, key: str, version: int | None = None) -> Instrument:
    rows = Instrument.objects.filter(organization=organization, key=key).order_by("-version")
    if version is not None:
        rows = rows.filter(version=version)
    instrument = rows.first()
    if instrument is None:
        raise Http404
    return instrument


# ---------------------------------------------------------------------------- partnership


@router.post(
    "/partnerships/{partnership_id}/surveys/instruments",
    response={201: InstrumentDefinitionOut},
    exclude_none=True,
)
def create_instrument(
    request: HttpRequest, payload: dict[str, Any] = DefinitionBody, partnership_id: int = Id
) -> Any:
    """Create an own instrument from its definition (the format of docs/instruments.md)."""
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    instrument = services.instrument_create(
        user=request.user, partnership=partnership, definition=_parse(payload)
    )
    return Status(201, _detail(instrument))


@router.post(
    "/partnerships/{partnership_id}/surveys/instruments/adopt",
    response={201: InstrumentDefinitionOut},
    exclude_none=True,
)
def adopt_instrument(request: HttpRequest, payload: LibraryIn, partnership_id: int = Id) -> Any:
    """Bring an instrument of one's own organization's library into the partnership."""
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    source = Instrument.objects.filter(
        pk=payload.library_instrument_id,
        organization__isnull=False,
        organization=getattr(getattr(request.user, "membership", None), "organization", None),
    ).first()
    if source is None:
        raise Http404
    instrument = services.instrument_adopt(
        user=request.user, partnership=partnership, source=source
    )
    return Status(201, _detail(instrument))


@router.get(
    "/partnerships/{partnership_id}/surveys/instruments/{key}",
    response=InstrumentDefinitionOut,
    exclude_none=True,
)
def read_instrument(request: HttpRequest, partnership_id: int = Id, key: str = Key) -> Any:
    """The latest version of an own instrument, with its whole definition."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return _detail(_own(partnership, key))


@router.get(
    "/partnerships/{partnership_id}/surveys/instruments/{key}/versions/{version}",
    response=InstrumentDefinitionOut,
    exclude_none=True,
)
def read_instrument_version(
    request: HttpRequest, partnership_id: int = Id, key: str = Key, version: int = Version
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return _detail(_own(partnership, key, version))


@router.post(
    "/partnerships/{partnership_id}/surveys/instruments/{key}/versions",
    response={201: InstrumentDefinitionOut},
    exclude_none=True,
)
def create_instrument_version(
    request: HttpRequest,
    payload: dict[str, Any] = DefinitionBody,
    partnership_id: int = Id,
    key: str = Key,
) -> Any:
    """A new version; earlier ones stay as they were (rounds keep the version they asked)."""
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    current = _own(partnership, key)
    instrument = services.instrument_version_create(
        user=request.user, instrument=current, definition=_parse(payload)
    )
    return Status(201, _detail(instrument))


@router.get(
    "/partnerships/{partnership_id}/surveys/instruments/{key}/results",
    response=InstrumentResultsOut,
)
def instrument_results_api(request: HttpRequest, partnership_id: int = Id, key: str = Key) -> Any:
    """Published cells of the closed rounds of an own instrument: per construct and category,
    per direction, with bands; a cell from fewer than the round's k respondents is withheld."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    _own(partnership, key)
    results = instrument_results(partnerships=[partnership], key=key)[partnership.pk]
    return {
        "k": partnership.anonymity_k,
        "rounds": sorted(results.rounds),
        "constructs": [
            {
                "round": c.round_number,
                "rater_party_id": c.rater,
                "rated_party_id": c.rated,
                "construct_key": c.construct,
                "published": c.mean is not None,
                "n": c.n if c.mean is not None else None,
                "mean": c.mean,
                "band": c.band.key if c.band else None,
            }
            for c in results.cells
        ],
        "categories": [
            {
                "round": c.round_number,
                "rater_party_id": c.rater,
                "rated_party_id": c.rated,
                "category": c.category,
                "constructs_shown": c.constructs_shown,
                "mean": c.mean,
                "band": c.band.key if c.band else None,
            }
            for c in results.categories
        ],
    }


# ---------------------------------------------------------------------------- library


@router.get(
    "/organizations/{slug}/instruments", response=list[InstrumentDefinitionOut], exclude_none=True
)
def list_library(request: HttpRequest, slug: str = Slug) -> Any:
    """The latest version of each instrument in one's own organization's library."""
    organization = access_organization(request.user, slug)
    latest: dict[str, Instrument] = {}
    for row in Instrument.objects.filter(organization=organization).order_by("key", "version"):
        latest[row.key] = row
    return [_detail(row) for row in latest.values()]


@router.post(
    "/organizations/{slug}/instruments", response={201: InstrumentDefinitionOut}, exclude_none=True
)
def create_library_instrument(
    request: HttpRequest, payload: dict[str, Any] = DefinitionBody, slug: str = Slug
) -> Any:
    organization = access_organization(request.user, slug, admin=True)
    instrument = services.instrument_create(
        user=request.user, organization=organization, definition=_parse(payload)
    )
    return Status(201, _detail(instrument))


@router.get(
    "/organizations/{slug}/instruments/{key}", response=InstrumentDefinitionOut, exclude_none=True
)
def read_library_instrument(request: HttpRequest, slug: str = Slug, key: str = Key) -> Any:
    organization = access_organization(request.user, slug)
    return _detail(_library(organization, key))


@router.post(
    "/organizations/{slug}/instruments/{key}/versions",
    response={201: InstrumentDefinitionOut},
    exclude_none=True,
)
def create_library_version(
    request: HttpRequest, payload: dict[str, Any] = DefinitionBody, slug: str = Slug, key: str = Key
) -> Any:
    organization = access_organization(request.user, slug, admin=True)
    instrument = services.instrument_version_create(
        user=request.user, instrument=_library(organization, key), definition=_parse(payload)
    )
    return Status(201, _detail(instrument))
