"""CSV/XLSX imports of both ledgers through the shared engine (all or nothing, row-level report).

Every row is checked by the same domain validators as the forms and the API; their FieldErrors
become RowErrors on the matching column. The importer's organization owns the rows. Importing
the same file again updates the entries it created instead of adding them twice: a row is known
by its `reference`, or, without one, by its content. A file exported from the ledger carries each
entry's `id`, so importing it back into the same partnership recognises every entry — also those
made with the form — and reports "0 new, N unchanged" instead of adding them again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accord.economics import selectors, services
from accord.economics.models import AMOUNT_PLACES, InvestmentEntry, ValueEntry
from accord.imports.engine import Column, RowError, decimal, iso_date, text
from accord.imports.registry import Importer, register_importer
from accord.partnerships.access import user_organization
from accord.partnerships.models import Party, Visibility

PARTY_UNKNOWN = "'{name}' is not a party of this partnership; use an organization's name."
DUPLICATE_ROW = "The same entry is already in row {row} of this file."
# One message for an id that does not exist, belongs to another partnership or is another
# organization's internal entry: the answer must not tell them apart.
ENTRY_UNKNOWN = "There is no entry {id} in this partnership's ledger."
DUPLICATE_ID = "Entry {id} is already in row {row} of this file."
NOT_THE_OWNER = (
    "Entry {id} was recorded by {organization}; only they can change it. Leave the row as "
    "exported, or remove it from the file."
)
TEXT_FIELDS = ("description", "reference", "evidence_note", "evidence_link")
FORMULA_START = ("=", "+", "-", "@")
NOT_A_PARTY = services.NOT_A_PARTY

VALUE_COLUMNS = [
    "source",
    "beneficiary",
    "amount",
    "currency",
    "status",
    "period_start",
    "period_end",
    "description",
    "visibility",
    "reference",
    "evidence_note",
    "evidence_link",
]
INVESTMENT_COLUMNS = [
    "contributor",
    "kind",
    "amount",
    "unit",
    "planned_on",
    "actual_on",
    "specificity",
    "recoverability",
    "description",
    "visibility",
    "reference",
    "evidence_note",
    "evidence_link",
]


def _choice(choices: Iterable[tuple[str, Any]]) -> Callable[[str], str]:
    """A stored value or its label, in any case, with spaces or underscores."""
    choices = list(choices)
    known: dict[str, str] = {}
    for value, label in choices:
        for name in (value, str(label)):
            known[_key(name)] = value
    listed = ", ".join(value for value, _ in choices)

    def parse(raw: str) -> str:
        try:
            return known[_key(raw)]
        except KeyError:
            raise ValueError(f"'{raw[:40]}' is not one of: {listed}.") from None

    return parse


def _key(name: str) -> str:
    return "_".join(name.lower().replace("_", " ").replace("-", " ").split())


def _unit(raw: str) -> str:
    return raw.strip().upper().replace("-", "_")


AMOUNT = decimal(places=AMOUNT_PLACES)
SHARE = decimal(places=4)


def entry_id(raw: str) -> int:
    try:
        number = int(raw)
    except ValueError:
        raise ValueError(f"'{raw[:40]}' is not an entry id (a whole number).") from None
    if not 1 <= number < 2**63:
        raise ValueError(f"'{raw[:40]}' is not an entry id (a whole number).")
    return number


_COMMON = [
    Column("id", entry_id, required=False),
    Column("description", text(200), required=False),
    Column("visibility", _choice(Visibility.choices), required=False),
    Column("reference", text(100), required=False),
    Column("evidence_note", text(5000), required=False),
    Column("evidence_link", text(500), required=False),
]


def _row_key(row: dict[str, Any], names: list[str]) -> str:
    if row.get("reference"):
        return f"ref:{row['reference']}"[:100]
    content = "\x1f".join(str(row.get(name) or "") for name in names)
    return "row:" + hashlib.sha256(content.encode()).hexdigest()[:40]


def _stamp(entries: list[Any]) -> None:
    """``bulk_update`` skips ``auto_now``: stamp updated entries by hand, as ``save()`` would,
    so the change stamps pages key kept results on (see economics/indices_cache.py) move."""
    now = timezone.now()
    for entry in entries:
        entry.updated_at = now


def _values(row: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The row as the fields it sets, normalised the way the entry stores them."""
    values = {name: row.get(name) for name in names}
    for name in TEXT_FIELDS:
        values[name] = values[name] or ""
    values["amount"] = values["amount"].quantize(Decimal(1).scaleb(-AMOUNT_PLACES))
    return values


def _unchanged(entry: Any, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        if isinstance(value, Party):
            if getattr(entry, f"{name}_id") != value.pk:
                return False
        elif getattr(entry, name) != value:
            return False
    return True


def _unescape(value: str | None) -> str | None:
    """The export writes a cell that a spreadsheet would run as a formula with a leading
    apostrophe; reading it back drops that apostrophe again."""
    if value and value[0] == "'" and value[1:2] in FORMULA_START:
        return value[1:]
    return value


def _prepare(
    model: type[ValueEntry] | type[InvestmentEntry],
    party_column: str,
    names: list[str],
    errors_of: Callable[..., list[Any]],
) -> Callable[[Any, Any], tuple[Any, Any]]:
    def prepare(partnership: Any, user: Any) -> tuple[Any, Any]:
        owner = user_organization(user)
        parties: dict[str, Party] = {}
        for party in selectors.parties(partnership=partnership):
            parties[_key(party.organization.name)] = party
            parties[_key(party.organization.slug)] = party
        rates = selectors.rate_table(partnership=partnership)
        today = timezone.localdate()
        member = owner is not None and any(p.organization_id == owner.pk for p in parties.values())
        seen: dict[str, int] = {}
        seen_ids: dict[int, int] = {}
        visible: dict[int, Any] = {}
        counts = {"new": 0, "updated": 0, "unchanged": 0}

        def known_entry(pk: int) -> Any:
            """An entry of this partnership the importer may see, or None."""
            if not visible:
                visible.update(
                    (entry.pk, entry)
                    for entry in model.objects.visible_to(user)
                    .filter(partnership=partnership)
                    .select_related("owner_org")
                )
                visible.setdefault(0, None)  # loaded, even when the ledger is empty
            return visible.get(pk)

        def check_row(number: int, row: dict[str, Any]) -> list[RowError]:
            if not member:
                return [RowError(number, party_column, NOT_A_PARTY)]
            name = row[party_column]
            party = parties.get(_key(name))
            if party is None:
                return [RowError(number, party_column, PARTY_UNKNOWN.format(name=name[:60]))]
            row[party_column] = party
            row["visibility"] = row.get("visibility") or Visibility.JOINT
            for name in TEXT_FIELDS:
                row[name] = _unescape(row.get(name))
            for unit_field in ("currency", "unit"):
                if unit_field in row:
                    row[unit_field] = _unit(row[unit_field])
            errors = [
                RowError(number, error.field, error.message)
                for error in errors_of(
                    partnership=partnership, fields=row, rates=rates, today=today
                )
            ]
            if errors:
                return errors
            pk = row.pop("id", None)
            if pk is not None:
                return check_known(number, pk, row)
            key = _row_key({**row, party_column: party.pk}, names)
            if key in seen:
                return [RowError(number, "reference", DUPLICATE_ROW.format(row=seen[key]))]
            seen[key] = number
            row["import_key"] = key
            return []

        locked: list[bool] = []

        def check_known(number: int, pk: int, row: dict[str, Any]) -> list[RowError]:
            entry = known_entry(pk)
            if entry is None:
                return [RowError(number, "id", ENTRY_UNKNOWN.format(id=pk))]
            if pk in seen_ids:
                return [RowError(number, "id", DUPLICATE_ID.format(id=pk, row=seen_ids[pk]))]
            seen_ids[pk] = number
            if not _unchanged(entry, _values(row, names)) and entry.owner_org_id != owner.pk:
                organization = entry.owner_org.name
                return [
                    RowError(number, "id", NOT_THE_OWNER.format(id=pk, organization=organization))
                ]
            row["entry"] = entry
            return []

        def write(batch: list[dict[str, Any]]) -> None:
            if not locked:
                # Two imports into the same ledger at once would both find a key free and the
                # second would fail on `…_import_key_once`: the importer's party row is locked
                # for the rest of the import's transaction, so the second waits, then sees the
                # first one's entries and updates them (PostgreSQL; SQLite serializes writers).
                list(
                    Party.objects.select_for_update()
                    .filter(partnership=partnership, organization=owner)
                    .values_list("pk", flat=True)
                )
                locked.append(True)
            by_id = [row for row in batch if "entry" in row]
            batch = [row for row in batch if "entry" not in row]
            changed_by_id = []
            for row in by_id:
                entry, values = row["entry"], _values(row, names)
                if _unchanged(entry, values):
                    counts["unchanged"] += 1
                    continue
                for name, value in values.items():
                    setattr(entry, name, value)
                changed_by_id.append(entry)
            if changed_by_id:
                _stamp(changed_by_id)
                model.objects.bulk_update(changed_by_id, [*names, "updated_at"], batch_size=1000)
                counts["updated"] += len(changed_by_id)
            keys = [row["import_key"] for row in batch]
            existing = {
                entry.import_key: entry
                for entry in model.objects.filter(
                    partnership=partnership, owner_org=owner, import_key__in=keys
                )
            }
            new, changed = [], []
            for row in batch:
                values = _values(row, names)
                entry = existing.get(row["import_key"])
                if entry is None:
                    new.append(
                        model(
                            partnership=partnership,
                            owner_org=owner,
                            created_by=user,
                            import_key=row["import_key"],
                            **values,
                        )
                    )
                elif _unchanged(entry, values):
                    counts["unchanged"] += 1
                else:
                    for name, value in values.items():
                        setattr(entry, name, value)
                    changed.append(entry)
            model.objects.bulk_create(new, batch_size=1000)
            if changed:
                _stamp(changed)
                model.objects.bulk_update(changed, [*names, "updated_at"], batch_size=1000)
            counts["new"] += len(new)
            counts["updated"] += len(changed)

        write.counts = counts  # type: ignore[attr-defined]  # read by the engine's report
        return write, check_row

    return prepare


VALUE_IMPORTER = register_importer(
    Importer(
        kind="value-entries",
        label="value entries",
        columns=[
            Column("source", _choice(ValueEntry.Source.choices)),
            Column("beneficiary", text(200)),
            Column("amount", AMOUNT),
            Column("currency", text(12)),
            Column("status", _choice(ValueEntry.Status.choices)),
            Column("period_start", iso_date),
            Column("period_end", iso_date),
            *_COMMON,
        ],
        prepare=_prepare(ValueEntry, "beneficiary", VALUE_COLUMNS, services.value_entry_errors),
        example=(
            "source,beneficiary,amount,currency,status,period_start,period_end,description,"
            "visibility,reference\n"
            "scale,Alder Pharma,250000,EUR,realized,2026-01-01,2026-03-31,"
            "Shared manufacturing savings,joint,Q1-MFG\n"
            "knowledge_exchange,Birch Bio,1.2e6,USD,expected,2027-01-01,2027-12-31,"
            "Platform know-how,internal,"
        ),
    )
)

INVESTMENT_IMPORTER = register_importer(
    Importer(
        kind="investments",
        label="investments",
        columns=[
            Column("contributor", text(200)),
            Column("kind", _choice(InvestmentEntry.Kind.choices)),
            Column("amount", AMOUNT),
            Column("unit", text(12)),
            Column("planned_on", iso_date),
            Column("actual_on", iso_date, required=False),
            Column("specificity", SHARE),
            Column("recoverability", SHARE),
            *_COMMON,
        ],
        prepare=_prepare(
            InvestmentEntry, "contributor", INVESTMENT_COLUMNS, services.investment_errors
        ),
        example=(
            "contributor,kind,amount,unit,planned_on,actual_on,specificity,recoverability,"
            "description,reference\n"
            "Alder Pharma,financial,2000000,EUR,2026-01-15,2026-02-01,0.8,0.1,"
            "Milestone payment,MS-1\n"
            "Birch Bio,human,36,FTE_MONTH,2026-03-01,,0.6,0,Assay team (3 FTE for a year),"
        ),
    )
)
