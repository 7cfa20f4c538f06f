"""Writes for the ledgers and the rate table. Each service validates with the domain validators
(the same rules for forms, API and imports), saves and records its audit event in one transaction.

Entries belong to the organization that recorded them: only its contributors change or delete
them. An internal entry is audited internally, so even its history stays with its owner.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from accord.domain import economics as domain
from accord.economics import selectors
from accord.economics.models import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    SHARE_PLACES,
    InvestmentEntry,
    ValueEntry,
)
from accord.partnerships.access import check_ownership_change, user_organization
from accord.partnerships.audit import record_event
from accord.partnerships.models import Organization, Partnership, Party, Visibility

NO_ORGANIZATION = "You need to belong to one of the partnership's organizations to record entries."
NOT_A_PARTY = "Your organization is not a party to this partnership."
VISIBILITY_UNKNOWN = "Visibility is either joint or internal."
AMOUNT_TOO_LARGE = "The amount is too large."
LINK_INVALID = "Enter a full web address starting with http:// or https://."
FILE_TOO_LARGE = "Evidence files may be at most 20 MB."
TEXT_TOO_LONG = "At most {n} characters."

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MAX_AMOUNT = Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES)

VALUE_FIELDS = (
    "description",
    "source",
    "beneficiary",
    "amount",
    "currency",
    "status",
    "period_start",
    "period_end",
    "visibility",
    "reference",
    "evidence_note",
    "evidence_link",
)
INVESTMENT_FIELDS = (
    "description",
    "contributor",
    "kind",
    "amount",
    "unit",
    "planned_on",
    "actual_on",
    "specificity",
    "recoverability",
    "visibility",
    "reference",
    "evidence_note",
    "evidence_link",
)
TEXT_LIMITS = {"description": 200, "reference": 100, "evidence_note": 5000, "evidence_link": 500}


def _owner(user: Any, partnership: Partnership) -> Organization:
    org = user_organization(user)
    if org is None:
        raise ValidationError(NO_ORGANIZATION)
    if not partnership.parties.filter(organization=org).exists():
        raise ValidationError(NOT_A_PARTY)
    return org


def _as_validation_error(errors: Iterable[domain.FieldError]) -> ValidationError | None:
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(error.field, []).append(error.message)
    return ValidationError(by_field) if by_field else None


def _common_errors(fields: dict[str, Any]) -> list[domain.FieldError]:
    """Rules the domain leaves to the storage: sizes, visibility, the link's form."""
    errors = []
    if fields.get("visibility") not in Visibility.values:
        errors.append(domain.FieldError("visibility", VISIBILITY_UNKNOWN))
    amount = fields.get("amount")
    if isinstance(amount, Decimal) and amount.is_finite() and abs(amount) >= MAX_AMOUNT:
        errors.append(domain.FieldError("amount", AMOUNT_TOO_LARGE))
    for name, limit in TEXT_LIMITS.items():
        if len(fields.get(name) or "") > limit:
            errors.append(domain.FieldError(name, TEXT_TOO_LONG.format(n=limit)))
    link = fields.get("evidence_link") or ""
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors.append(domain.FieldError("evidence_link", LINK_INVALID))
    return errors


def _party_key(party: Party | None) -> str:
    return str(party.pk) if party is not None else ""


def value_entry_errors(
    *, partnership: Partnership, fields: dict[str, Any], rates: domain.RateTable, today: date
) -> list[domain.FieldError]:
    """Every problem of a value entry's fields (forms, API and imports share this)."""
    entry = domain.ValueEntry(
        source=domain.ValueSource(fields["source"]),
        beneficiary=_party_key(fields.get("beneficiary")),
        amount=fields["amount"],
        currency=fields["currency"],
        status=domain.ValueStatus(fields["status"]),
        period_start=fields["period_start"],
        period_end=fields["period_end"],
    )
    parties = selectors.party_keys(partnership=partnership)
    return [
        *domain.validate_value_entry(entry, parties=parties, rates=rates, today=today),
        *_common_errors(fields),
    ]


def investment_errors(
    *, partnership: Partnership, fields: dict[str, Any], rates: domain.RateTable, today: date
) -> list[domain.FieldError]:
    """Every problem of an investment's fields (forms, API and imports share this)."""
    entry = domain.InvestmentEntry(
        contributor=_party_key(fields.get("contributor")),
        kind=domain.InvestmentKind(fields["kind"]),
        amount=fields["amount"],
        unit=fields["unit"],
        planned_on=fields["planned_on"],
        actual_on=fields.get("actual_on"),
        specificity=fields["specificity"],
        recoverability=fields["recoverability"],
    )
    parties = selectors.party_keys(partnership=partnership)
    return [
        *domain.validate_investment_entry(entry, parties=parties, rates=rates, today=today),
        *_common_errors(fields),
    ]


def _check(errors: list[domain.FieldError]) -> None:
    error = _as_validation_error(errors)
    if error is not None:
        raise error


def _check_file(upload: UploadedFile | None) -> None:
    if upload is not None and (upload.size or 0) > MAX_EVIDENCE_BYTES:
        raise ValidationError({"evidence_file": [FILE_TOO_LARGE]})


def _clean(fields: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    values = {name: fields.get(name) for name in names}
    for name in TEXT_LIMITS:
        values[name] = (values.get(name) or "").strip()
    values["currency" if "currency" in values else "unit"] = (
        (values.get("currency" if "currency" in values else "unit") or "").strip().upper()
    )
    if values.get("visibility") is None:
        values["visibility"] = Visibility.JOINT
    for name in ("specificity", "recoverability"):
        if isinstance(values.get(name), float | int):
            values[name] = Decimal(str(values[name]))
    return values


def _quantized(values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    values["amount"] = values["amount"].quantize(Decimal(1).scaleb(-AMOUNT_PLACES))
    for name in ("specificity", "recoverability"):
        if name in values:
            values[name] = values[name].quantize(Decimal(1).scaleb(-SHARE_PLACES))
    return values


def _audit(
    *, entry: Any, user: Any, action: str, summary: str, changes: dict[str, Any] | None = None
) -> None:
    internal = entry.visibility == Visibility.INTERNAL
    record_event(
        partnership=entry.partnership,
        actor=user,
        action=action,
        summary=summary,
        target=entry,
        changes=changes,
        owner_org=entry.owner_org if internal else None,
        visibility=entry.visibility,
    )


def _show(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return str(value)
    if isinstance(value, Party):
        return value.organization.name
    return value


def _money(amount: Decimal, unit: str) -> str:
    return f"{amount.normalize():f} {unit}"


@transaction.atomic
def value_entry_create(
    *,
    partnership: Partnership,
    user: Any,
    evidence_file: UploadedFile | None = None,
    **fields: Any,
) -> ValueEntry:
    """Record a benefit. The recorder's organization owns it; `visibility` internal keeps it to
    that organization."""
    owner = _owner(user, partnership)
    values = _clean(fields, VALUE_FIELDS)
    _check(
        value_entry_errors(
            partnership=partnership,
            fields=values,
            rates=selectors.rate_table(partnership=partnership),
            today=timezone.localdate(),
        )
    )
    _check_file(evidence_file)
    entry = ValueEntry(
        partnership=partnership, owner_org=owner, created_by=user, **_quantized(values)
    )
    if evidence_file is not None:
        entry.evidence_file = evidence_file
    entry.save()
    _audit(
        entry=entry,
        user=user,
        action="economics.value_create",
        summary=f"{entry.get_status_display()} value of {_money(entry.amount, entry.currency)} "
        f"for {entry.beneficiary.organization.name} recorded ({entry.get_source_display()})",
    )
    return entry


@transaction.atomic
def value_entry_update(
    *,
    entry: ValueEntry,
    user: Any,
    evidence_file: UploadedFile | None = None,
    remove_file: bool = False,
    **fields: Any,
) -> ValueEntry:
    """Change the fields given (others keep their value). The caller has checked that the user's
    organization owns the entry (selectors.editable_value_entries)."""
    current = {name: getattr(entry, name) for name in VALUE_FIELDS}
    values = _clean({**current, **fields}, VALUE_FIELDS)
    check_ownership_change(user, entry, values)
    _check(
        value_entry_errors(
            partnership=entry.partnership,
            fields=values,
            rates=selectors.rate_table(
                partnership=entry.partnership,
                include_archived=values["currency"] == current["currency"],
            ),
            today=timezone.localdate(),
        )
    )
    _check_file(evidence_file)
    values = _quantized(values)
    changes = {
        name: [_show(current[name]), _show(value)]
        for name, value in values.items()
        if current[name] != value
    }
    for name, value in values.items():
        setattr(entry, name, value)
    if evidence_file is not None:
        entry.evidence_file = evidence_file
        changes["evidence_file"] = ["", evidence_file.name]
    elif remove_file and entry.evidence_file:
        entry.evidence_file = ""
        changes["evidence_file"] = ["a file", ""]
    if not changes:
        return entry
    entry.save()
    _audit(
        entry=entry,
        user=user,
        action="economics.value_update",
        summary=f"Value entry “{entry}” changed",
        changes=changes,
    )
    return entry


@transaction.atomic
def value_entry_delete(*, entry: ValueEntry, user: Any) -> None:
    _audit(
        entry=entry,
        user=user,
        action="economics.value_delete",
        summary=f"Value entry “{entry}” ({_money(entry.amount, entry.currency)}) deleted",
    )
    entry.delete()


@transaction.atomic
def investment_create(*, partnership: Partnership, user: Any, **fields: Any) -> InvestmentEntry:
    """Record a contribution, planned (no actual date yet) or made."""
    owner = _owner(user, partnership)
    values = _clean(fields, INVESTMENT_FIELDS)
    _check(
        investment_errors(
            partnership=partnership,
            fields=values,
            rates=selectors.rate_table(partnership=partnership),
            today=timezone.localdate(),
        )
    )
    entry = InvestmentEntry(
        partnership=partnership, owner_org=owner, created_by=user, **_quantized(values)
    )
    entry.save()
    _audit(
        entry=entry,
        user=user,
        action="economics.investment_create",
        summary=f"{entry.get_kind_display()} contribution of {_money(entry.amount, entry.unit)} "
        f"by {entry.contributor.organization.name} recorded",
    )
    return entry


@transaction.atomic
def investment_update(*, entry: InvestmentEntry, user: Any, **fields: Any) -> InvestmentEntry:
    """Change the fields given; the caller has checked that the user's organization owns it."""
    current = {name: getattr(entry, name) for name in INVESTMENT_FIELDS}
    values = _clean({**current, **fields}, INVESTMENT_FIELDS)
    check_ownership_change(user, entry, values)
    _check(
        investment_errors(
            partnership=entry.partnership,
            fields=values,
            rates=selectors.rate_table(
                partnership=entry.partnership,
                include_archived=values["unit"] == current["unit"],
            ),
            today=timezone.localdate(),
        )
    )
    values = _quantized(values)
    changes = {
        name: [_show(current[name]), _show(value)]
        for name, value in values.items()
        if current[name] != value
    }
    if not changes:
        return entry
    for name, value in values.items():
        setattr(entry, name, value)
    entry.save()
    _audit(
        entry=entry,
        user=user,
        action="economics.investment_update",
        summary=f"Contribution “{entry}” changed",
        changes=changes,
    )
    return entry


@transaction.atomic
def investment_delete(*, entry: InvestmentEntry, user: Any) -> None:
    _audit(
        entry=entry,
        user=user,
        action="economics.investment_delete",
        summary=f"Contribution “{entry}” ({_money(entry.amount, entry.unit)}) deleted",
    )
    entry.delete()
