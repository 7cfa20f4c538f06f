"""The import kind ``instrument``: one own instrument per CSV/XLSX sheet, through the import
engine like every import — all or nothing, with a row-level report. The rows describe one
definition, so they are checked together once the whole sheet is read (``complete``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from accord.imports.engine import RowError
from accord.imports.registry import Importer, RowCheck, Writer, register_importer
from accord.partnerships.access import Need, can
from accord.trust.definitions import COLUMNS_SPEC, SheetWriter

MANAGERS_ONLY = "Only an alliance manager of the partnership can add an instrument."


class InstrumentSheet(SheetWriter):
    """Stores the instrument (version 1, or the next version of an own instrument with the
    same key) inside the import's transaction, once every row checked out."""

    def __init__(self, partnership: Any, user: Any) -> None:
        super().__init__()
        self.partnership, self.user = partnership, user
        self.counts = {"new": 0}

    def complete(self) -> list[RowError]:
        from accord.trust import instrument_services
        from accord.trust.models import Instrument

        if not can(self.user, self.partnership, Need.MANAGE):
            return [RowError(1, "record", MANAGERS_ONLY)]
        errors = super().complete()
        if errors or self.definition is None:
            return errors
        current = (
            Instrument.objects.filter(
                partnership=self.partnership, key=self.definition.key, kind="custom"
            )
            .order_by("-version")
            .first()
        )
        try:
            if current is None:
                instrument_services.instrument_create(
                    user=self.user, partnership=self.partnership, definition=self.definition
                )
            else:
                instrument_services.instrument_version_create(
                    user=self.user, instrument=current, definition=self.definition
                )
        except ValidationError as error:
            return [RowError(self.rows[0][0] if self.rows else 1, "key", m) for m in error.messages]
        self.counts["new"] = 1
        return []


def prepare(partnership: Any, user: Any) -> tuple[Writer, RowCheck | None]:
    sheet = InstrumentSheet(partnership, user)
    return sheet, sheet.check_row


EXAMPLE = """record,key,label,parent,value,reverse
instrument,pulse,Quarterly pulse,,How each side sees the alliance this quarter,
scale,,Does not apply,,4,
point,1,Disagree,,,
point,2,Rather disagree,,,
point,3,Rather agree,,,
point,4,Agree,,,
direction,other,,,,
category,relationship,Relationship,,,
construct,openness,Openness,relationship,,
band,strength,Strength,,3,
band,concern,Concern,,1,
item,openness.1,{partner} shares bad news early.,openness,,no
"""

register_importer(
    Importer(
        kind="instrument",
        label="Survey instrument (one per file)",
        columns=COLUMNS_SPEC,
        prepare=prepare,
        example=EXAMPLE,
    )
)
