"""The "history" import kind: a partnership's past as long-format rows, all or nothing.

Columns: period (YYYY-MM or YYYY-MM-DD), from_party, to_party (an organization's code — its
slug — or its name; empty where the signal has no direction), signal (see signals.py) and value.
Only alliance managers import history. Survey answers (trust_*) come only from the importer's
own organization, and a (period, signal, direction) imported once is never topped up later —
otherwise the other party could tell the new answers from the change in the aggregate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from accord.history.signals import BY_NAME, Combine, Role
from accord.imports.engine import Column, RowError, choice, number, text
from accord.imports.registry import Importer, RowCheck, Writer, register_importer
from accord.partnerships.access import Need, can, user_organization
from accord.partnerships.models import Party, Visibility

NOT_A_MANAGER = "Only the partnership's alliance managers can import its history."
BAD_PERIOD = "'{value}' is not a period (use YYYY-MM or YYYY-MM-DD)."
FUTURE_PERIOD = "The period is in the future; history is what already happened."
UNKNOWN_PARTY = "'{value}' is not a party of this partnership (use its code or its name)."
PARTY_NEEDED = "This signal needs a party here."
NO_PARTY_HERE = "This signal is about the partnership as a whole; leave the party empty."
SAME_PARTY = "from_party and to_party must be different parties."
NOT_YOUR_ANSWERS = (
    "Survey answers can only be imported by the rater's own organization: from_party must be "
    "your organization's party."
)
OUT_OF_RANGE = "The value must be between {low:g} and {high:g} ({unit})."
NOT_WHOLE = "The value must be a whole number ({unit})."
ALREADY_IMPORTED = (
    "History for this period, signal and direction was imported before; each is imported once."
)
NO_ERRORS: list[RowError] = []

_PERIOD = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def parse_period(value: str) -> date:
    found = _PERIOD.match(value.strip())
    try:
        if found is None:
            raise ValueError
        year, month, day = found.groups()
        return date(int(year), int(month), int(day or 1))
    except ValueError:
        raise ValueError(BAD_PERIOD.format(value=value[:40])) from None


COLUMNS = [
    Column("period", parse_period),
    Column("from_party", text(200), required=False),
    Column("to_party", text(200), required=False),
    Column("signal", choice(BY_NAME)),
    Column("value", number()),
]


def _party_lookup(partnership: Any) -> dict[str, Party]:
    lookup: dict[str, Party] = {}
    for party in Party.objects.filter(partnership=partnership).select_related("organization"):
        lookup[party.organization.slug.casefold()] = party
        lookup[party.organization.name.casefold()] = party
    return lookup


def _key(row: dict[str, Any]) -> tuple[date, str, int | None, int | None]:
    return (row["period"], row["signal"], row["from_party"], row["to_party"])


def prepare(partnership: Any, user: Any) -> tuple[Writer, RowCheck]:
    """Refuses anyone but an alliance manager; resolves parties per run; checks each value
    against its signal's documented range."""
    if not can(user, partnership, Need.MANAGE):
        raise ValidationError(NOT_A_MANAGER)
    from accord.history.models import HistoryEntry

    parties = _party_lookup(partnership)
    org = user_organization(user)
    own = {p.pk for p in parties.values() if org is not None and p.organization_id == org.pk}
    stored = set(
        HistoryEntry.objects.filter(partnership=partnership)
        .values_list("period", "signal", "from_party_id", "to_party_id")
        .distinct()
    )
    today = timezone.localdate()

    def resolve(number_: int, row: dict[str, Any], column: str) -> RowError | None:
        given = row[column]
        if given is None:
            return None
        party = parties.get(given.strip().casefold())
        if party is None:
            return RowError(number_, column, UNKNOWN_PARTY.format(value=given[:40]))
        row[column] = party.pk
        return None

    def check_row(number_: int, row: dict[str, Any]) -> list[RowError]:
        errors = [e for c in ("from_party", "to_party") if (e := resolve(number_, row, c))]
        if errors:
            return errors
        spec = BY_NAME[row["signal"]]
        if row["period"] > today:
            errors.append(RowError(number_, "period", FUTURE_PERIOD))
        if spec.role == Role.PARTY:
            errors += [
                RowError(number_, c, NO_PARTY_HERE)
                for c in ("from_party", "to_party")
                if row[c] is not None
            ]
        else:
            needed = ("from_party", "to_party") if spec.role == Role.DIRECTION else ("from_party",)
            errors += [RowError(number_, c, PARTY_NEEDED) for c in needed if row[c] is None]
            if row["from_party"] is not None and row["from_party"] == row["to_party"]:
                errors.append(RowError(number_, "to_party", SAME_PARTY))
        if spec.combine == Combine.ANSWER and row["from_party"] not in own | {None}:
            errors.append(RowError(number_, "from_party", NOT_YOUR_ANSWERS))
        value = row["value"]
        if not spec.minimum <= value <= spec.maximum:
            reason = OUT_OF_RANGE.format(low=spec.minimum, high=spec.maximum, unit=spec.unit)
            errors.append(RowError(number_, "value", reason))
        elif spec.integer and value != int(value):
            errors.append(RowError(number_, "value", NOT_WHOLE.format(unit=spec.unit)))
        if not errors and _key(row) in stored:
            errors.append(RowError(number_, "period", ALREADY_IMPORTED))
        return errors or NO_ERRORS

    return HistoryWriter(partnership, user, org), check_row


class HistoryWriter:
    """Bulk-inserts checked rows and asks health for a re-score in the same transaction."""

    def __init__(self, partnership: Any, user: Any, org: Any) -> None:
        self.partnership = partnership
        self.user = user
        self.org = org
        self.asked = False

    def __call__(self, batch: list[dict[str, Any]]) -> None:
        from accord.health.services import request_rescore
        from accord.history.models import HistoryEntry

        HistoryEntry.objects.bulk_create(
            [
                HistoryEntry(
                    partnership=self.partnership,
                    period=row["period"],
                    from_party_id=row["from_party"],
                    to_party_id=row["to_party"],
                    signal=row["signal"],
                    value=row["value"],
                    owner_org=self.org,
                    visibility=visibility_of(row),
                    created_by=self.user,
                )
                for row in batch
            ],
            batch_size=2000,
        )
        if not self.asked:
            request_rescore(self.partnership.pk)
            self.asked = True


def visibility_of(row: dict[str, Any]) -> str:
    """Behaviour rows are joint evidence; a survey answer is internal to the importer."""
    if BY_NAME[row["signal"]].combine == Combine.ANSWER:
        return Visibility.INTERNAL
    return Visibility.JOINT


def audience(partnership: Any, user: Any) -> Callable[[dict[str, Any]], str]:
    """Survey answers count on the importer's internal chain only, so the joint audit event
    never tells the other party how many answers a period has."""
    return visibility_of


EXAMPLE = """period,from_party,to_party,signal,value
2024-01,alder,birch,trust_goodwill,6
2024-01,alder,birch,trust_competence,5
2024-01,birch,,on_time,1
2024-01-17,birch,alder,notice_lead_days,21
2024-01,alder,birch,monitoring_requests,2
2024-01,,,metric_attainment,0.93
"""

register_importer(
    Importer(
        kind="history",
        label="Partnership history",
        columns=COLUMNS,
        prepare=prepare,
        example=EXAMPLE,
        audience=audience,
        need=Need.MANAGE,
    )
)
