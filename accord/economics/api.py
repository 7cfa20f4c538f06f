"""API for the ledgers, the rate table and the indices. Same rules as the pages: the entries a
caller may see (joint, plus their organization's internal ones), the indices computed from those
alone, and only the recording organization changes an entry."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from accord.api.pagination import Pagination
from accord.economics import rates, selectors, services
from accord.economics.selectors import LedgerFilter
from accord.partnerships.access import Need, access_partnership
from accord.partnerships.models import Partnership, Party

router = Router(tags=["economics"])
Id = Path(..., ge=1, le=2**53)

SourceName = Literal[
    "complementary_capabilities", "scale", "risk_sharing", "network_effects", "knowledge_exchange"
]
KindName = Literal["financial", "human", "technological", "attentional"]
VisibilityName = Literal["joint", "internal"]
# Bounded so every accepted number fits the columns; the sign and the shares' range are left to
# the domain validators, whose messages say what is wrong (400).
Amount = Field(..., max_digits=20, decimal_places=4)
ShareIn = Field(..., max_digits=12, decimal_places=4)
UNIT_PATTERN = r"^[A-Za-z_]{1,12}$"

PARTY_NOT_FOUND = "This party is not a party of the partnership."


class ValueEntryOut(Schema):
    id: int
    description: str
    source: str
    beneficiary_party_id: int
    beneficiary: str
    amount: Decimal
    currency: str
    status: str
    period_start: date
    period_end: date
    visibility: str
    owner_organization: str
    reference: str
    evidence_note: str
    evidence_link: str
    has_evidence_file: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_beneficiary_party_id(obj: Any) -> int:
        return int(obj.beneficiary_id)

    @staticmethod
    def resolve_beneficiary(obj: Any) -> str:
        return str(obj.beneficiary.organization.name)

    @staticmethod
    def resolve_owner_organization(obj: Any) -> str:
        return str(obj.owner_org.name)

    @staticmethod
    def resolve_has_evidence_file(obj: Any) -> bool:
        return bool(obj.evidence_file)


class ValueEntryIn(Schema):
    source: SourceName
    beneficiary_party_id: int = Field(..., ge=1, le=2**53)
    amount: Decimal = Amount
    currency: str = Field(..., pattern=UNIT_PATTERN)
    status: Literal["expected", "realized"]
    period_start: date
    period_end: date
    description: str = Field("", max_length=200)
    visibility: VisibilityName = "joint"
    reference: str = Field("", max_length=100)
    evidence_note: str = Field("", max_length=5000)
    evidence_link: str = Field("", max_length=500)


class ValueEntryPatch(Schema):
    source: SourceName = None  # type: ignore[assignment]
    beneficiary_party_id: int = Field(None, ge=1, le=2**53)  # type: ignore[assignment]
    amount: Decimal = Field(None, max_digits=20, decimal_places=4)  # type: ignore[assignment]
    currency: str = Field(None, pattern=UNIT_PATTERN)  # type: ignore[assignment]
    status: Literal["expected", "realized"] = None  # type: ignore[assignment]
    period_start: date = None  # type: ignore[assignment]
    period_end: date = None  # type: ignore[assignment]
    description: str = Field(None, max_length=200)  # type: ignore[assignment]
    visibility: VisibilityName = None  # type: ignore[assignment]
    reference: str = Field(None, max_length=100)  # type: ignore[assignment]
    evidence_note: str = Field(None, max_length=5000)  # type: ignore[assignment]
    evidence_link: str = Field(None, max_length=500)  # type: ignore[assignment]


class InvestmentOut(Schema):
    id: int
    description: str
    contributor_party_id: int
    contributor: str
    kind: str
    amount: Decimal
    unit: str
    planned_on: date
    actual_on: date | None
    specificity: Decimal
    recoverability: Decimal
    visibility: str
    owner_organization: str
    reference: str
    evidence_note: str
    evidence_link: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_contributor_party_id(obj: Any) -> int:
        return int(obj.contributor_id)

    @staticmethod
    def resolve_contributor(obj: Any) -> str:
        return str(obj.contributor.organization.name)

    @staticmethod
    def resolve_owner_organization(obj: Any) -> str:
        return str(obj.owner_org.name)


class InvestmentIn(Schema):
    contributor_party_id: int = Field(..., ge=1, le=2**53)
    kind: KindName
    amount: Decimal = Amount
    unit: str = Field(..., pattern=UNIT_PATTERN)
    planned_on: date
    actual_on: date | None = None
    specificity: Decimal = ShareIn
    recoverability: Decimal = ShareIn
    description: str = Field("", max_length=200)
    visibility: VisibilityName = "joint"
    reference: str = Field("", max_length=100)
    evidence_note: str = Field("", max_length=5000)
    evidence_link: str = Field("", max_length=500)


class InvestmentPatch(Schema):
    """Only the fields sent change; `actual_on` may be null (not made after all)."""

    contributor_party_id: int = Field(None, ge=1, le=2**53)  # type: ignore[assignment]
    kind: KindName = None  # type: ignore[assignment]
    amount: Decimal = Field(None, max_digits=20, decimal_places=4)  # type: ignore[assignment]
    unit: str = Field(None, pattern=UNIT_PATTERN)  # type: ignore[assignment]
    planned_on: date = None  # type: ignore[assignment]
    actual_on: date | None = None
    specificity: Decimal = Field(None, max_digits=12, decimal_places=4)  # type: ignore[assignment]
    recoverability: Decimal = Field(None, max_digits=12, decimal_places=4)  # type: ignore[assignment]
    description: str = Field(None, max_length=200)  # type: ignore[assignment]
    visibility: VisibilityName = None  # type: ignore[assignment]
    reference: str = Field(None, max_length=100)  # type: ignore[assignment]
    evidence_note: str = Field(None, max_length=5000)  # type: ignore[assignment]
    evidence_link: str = Field(None, max_length=500)  # type: ignore[assignment]


class RateOut(Schema):
    unit: str
    per_unit: Decimal


class RateTableOut(Schema):
    base_currency: str
    rates: list[RateOut]


class RateIn(Schema):
    unit: str = Field(..., pattern=UNIT_PATTERN)
    per_unit: Decimal = Field(..., max_digits=24, decimal_places=8)


class PartyIndicesOut(Schema):
    party_id: int
    organization: str
    realized_value: float
    expected_value: float
    invested: float
    committed: float
    realized_ratio: float | None
    expected_ratio: float | None
    hostage: float
    mean_slip_days: float | None
    late_amount: float
    realized_drivers: list[int]
    expected_drivers: list[int]
    invested_drivers: list[int]
    committed_drivers: list[int]
    hostage_drivers: list[int]


class IndicesOut(Schema):
    as_of: date
    base_currency: str
    value_entries_counted: int
    investments_counted: int
    internal_entries_counted: int
    parties: list[PartyIndicesOut]
    realized_imbalance: float | None
    expected_imbalance: float | None
    hostage_balance: float | None
    mean_lateness_days: float | None
    bottleneck_party_id: int | None
    proportionality_realized: str
    proportionality_expected: str
    hostages: str
    timing: str


def _party(partnership: Partnership, party_id: int | None) -> Party | None:
    """The party of this partnership, or None — which the domain rejects with its message."""
    if party_id is None:
        return None
    return partnership.parties.filter(pk=party_id).select_related("organization").first()


def _value_fields(partnership: Partnership, payload: Schema) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    if "beneficiary_party_id" in fields:
        fields["beneficiary"] = _party(partnership, fields.pop("beneficiary_party_id"))
    return fields


def _investment_fields(partnership: Partnership, payload: Schema) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    if "contributor_party_id" in fields:
        fields["contributor"] = _party(partnership, fields.pop("contributor_party_id"))
    return fields


class ValueFilters(Schema):
    party_id: int | None = Field(None, ge=1, le=2**53)
    source: SourceName | None = None
    status: Literal["expected", "realized"] | None = None
    visibility: VisibilityName | None = None


class InvestmentFilters(Schema):
    party_id: int | None = Field(None, ge=1, le=2**53)
    kind: KindName | None = None
    state: Literal["made", "planned", "late"] | None = None
    visibility: VisibilityName | None = None


PREFIX = "/partnerships/{partnership_id}/economics"
FILTERS = Query(...)


@router.get(f"{PREFIX}/value-entries", response=list[ValueEntryOut])
@paginate(Pagination)
def list_value_entries(
    request: HttpRequest, partnership_id: int = Id, filters: ValueFilters = FILTERS
) -> Any:
    """Value entries you may see: joint ones and your organization's internal ones."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    where = LedgerFilter(
        party=filters.party_id,
        category=filters.source or "",
        status=filters.status or "",
        visibility=filters.visibility or "",
    )
    return selectors.value_entries(partnership=partnership, viewer=request.user, where=where)


@router.post(f"{PREFIX}/value-entries", response={201: ValueEntryOut})
def create_value_entry(
    request: HttpRequest, payload: ValueEntryIn, partnership_id: int = Id
) -> Any:
    """Record a value entry; your organization owns it. Bad amounts, currencies, parties or
    periods are rejected with 400 and the rule that failed."""
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    entry = services.value_entry_create(
        partnership=partnership, user=request.user, **_value_fields(partnership, payload)
    )
    return Status(201, entry)


@router.get(f"{PREFIX}/value-entries/{{entry_id}}", response=ValueEntryOut)
def get_value_entry(request: HttpRequest, partnership_id: int = Id, entry_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.value_entry(partnership=partnership, viewer=request.user, entry_id=entry_id)


@router.patch(f"{PREFIX}/value-entries/{{entry_id}}", response=ValueEntryOut)
def update_value_entry(
    request: HttpRequest, payload: ValueEntryPatch, partnership_id: int = Id, entry_id: int = Id
) -> Any:
    """Change the fields sent. Only your organization's entries (404 otherwise)."""
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    entry = selectors.own_value_entry(
        partnership=partnership, viewer=request.user, entry_id=entry_id
    )
    return services.value_entry_update(
        entry=entry, user=request.user, **_value_fields(partnership, payload)
    )


@router.delete(f"{PREFIX}/value-entries/{{entry_id}}", response={204: None})
def delete_value_entry(request: HttpRequest, partnership_id: int = Id, entry_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    entry = selectors.own_value_entry(
        partnership=partnership, viewer=request.user, entry_id=entry_id
    )
    services.value_entry_delete(entry=entry, user=request.user)
    return Status(204, None)


@router.get(f"{PREFIX}/investments", response=list[InvestmentOut])
@paginate(Pagination)
def list_investments(
    request: HttpRequest, partnership_id: int = Id, filters: InvestmentFilters = FILTERS
) -> Any:
    """Contributions you may see: joint ones and your organization's internal ones."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    where = LedgerFilter(
        party=filters.party_id,
        category=filters.kind or "",
        status=filters.state or "",
        visibility=filters.visibility or "",
    )
    return selectors.investments(
        partnership=partnership, viewer=request.user, where=where, today=timezone.localdate()
    )


@router.post(f"{PREFIX}/investments", response={201: InvestmentOut})
def create_investment(request: HttpRequest, payload: InvestmentIn, partnership_id: int = Id) -> Any:
    """Record a contribution; your organization owns it. Negative amounts, units that do not fit
    the kind or are not in the rate table, shares outside 0–1 and future actual dates are
    rejected with 400 and the rule that failed."""
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    entry = services.investment_create(
        partnership=partnership, user=request.user, **_investment_fields(partnership, payload)
    )
    return Status(201, entry)


@router.get(f"{PREFIX}/investments/{{entry_id}}", response=InvestmentOut)
def get_investment(request: HttpRequest, partnership_id: int = Id, entry_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.investment(partnership=partnership, viewer=request.user, entry_id=entry_id)


@router.patch(f"{PREFIX}/investments/{{entry_id}}", response=InvestmentOut)
def update_investment(
    request: HttpRequest, payload: InvestmentPatch, partnership_id: int = Id, entry_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    entry = selectors.own_investment(
        partnership=partnership, viewer=request.user, entry_id=entry_id
    )
    return services.investment_update(
        entry=entry, user=request.user, **_investment_fields(partnership, payload)
    )


@router.delete(f"{PREFIX}/investments/{{entry_id}}", response={204: None})
def delete_investment(request: HttpRequest, partnership_id: int = Id, entry_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    entry = selectors.own_investment(
        partnership=partnership, viewer=request.user, entry_id=entry_id
    )
    services.investment_delete(entry=entry, user=request.user)
    return Status(204, None)


def _rate_table(partnership: Partnership) -> dict[str, Any]:
    return {
        "base_currency": selectors.base_currency(partnership=partnership),
        "rates": list(selectors.rates(partnership=partnership)),
    }


@router.get(f"{PREFIX}/rates", response=RateTableOut)
def get_rates(request: HttpRequest, partnership_id: int = Id) -> Any:
    """The rate table: the value of one unit in the base currency (the base itself is 1)."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return _rate_table(partnership)


@router.put(f"{PREFIX}/rates", response=RateTableOut)
def set_rate(request: HttpRequest, payload: RateIn, partnership_id: int = Id) -> Any:
    """Add or change one rate (alliance managers)."""
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    rates.rate_set(
        partnership=partnership, user=request.user, unit=payload.unit, per_unit=payload.per_unit
    )
    return _rate_table(partnership)


@router.delete(f"{PREFIX}/rates/{{unit}}", response=RateTableOut)
def delete_rate(
    request: HttpRequest, partnership_id: int = Id, unit: str = Path(..., pattern=UNIT_PATTERN)
) -> Any:
    """Remove a rate no entry uses (alliance managers)."""
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    rates.rate_delete(partnership=partnership, user=request.user, unit=unit.upper())
    return _rate_table(partnership)


@router.get(f"{PREFIX}/indices", response=IndicesOut)
def get_indices(request: HttpRequest, partnership_id: int = Id, as_of: date | None = None) -> Any:
    """Proportionality, hostages and timing computed from the entries you may see, with the ids
    of the entries that drive each party's figures and the indices in words."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    economics = selectors.partnership_economics(
        partnership=partnership, viewer=request.user, as_of=as_of or timezone.localdate()
    )
    return {
        "as_of": economics.as_of,
        "base_currency": economics.base_currency,
        "value_entries_counted": economics.value_count,
        "investments_counted": economics.investment_count,
        "internal_entries_counted": economics.internal_count,
        "parties": [
            {
                "party_id": f.party.pk,
                "organization": f.party.organization.name,
                "realized_value": f.realized_value,
                "expected_value": f.expected_value,
                "invested": f.invested,
                "committed": f.committed,
                "realized_ratio": _json_ratio(f.realized_ratio),
                "expected_ratio": _json_ratio(f.expected_ratio),
                "hostage": f.hostage,
                "mean_slip_days": f.mean_slip_days,
                "late_amount": f.late_amount,
                "realized_drivers": [d.entry.pk for d in f.realized_drivers],
                "expected_drivers": [d.entry.pk for d in f.expected_drivers],
                "invested_drivers": [d.entry.pk for d in f.invested_drivers],
                "committed_drivers": [d.entry.pk for d in f.committed_drivers],
                "hostage_drivers": [d.entry.pk for d in f.hostage_drivers],
            }
            for f in economics.parties
        ],
        "realized_imbalance": economics.realized_imbalance,
        "expected_imbalance": economics.expected_imbalance,
        "hostage_balance": economics.hostage_balance,
        "mean_lateness_days": economics.mean_lateness_days,
        "bottleneck_party_id": economics.bottleneck.pk if economics.bottleneck else None,
        "proportionality_realized": economics.explanation.realized,
        "proportionality_expected": economics.explanation.expected,
        "hostages": economics.explanation.hostages,
        "timing": economics.explanation.timing,
    }


def _json_ratio(value: float | None) -> float | None:
    """JSON has no infinity: value with nothing put in is reported as null, like "no ratio"."""
    return None if value is None or value == float("inf") else value
