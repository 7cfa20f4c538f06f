"""Audit events for imports whose audience follows the rows they describe.

An import can mix joint rows (every party reads them) and internal ones (only the importer's
organization does). One joint event about all of them would tell the other parties how many
hidden rows arrived and what the file was called, so an import writes at most two events: a
joint one that counts only the joint rows, and an internal one for the rest. A file name reaches
the other parties only when every row of the import is joint.

An import that changes nothing (a re-import of the same file: every row "unchanged") writes no
event at all: the trail records changes, and the person who ran it reads "0 new, N unchanged" in
the report. When only some rows changed, the event that may name the file also gives the
new / updated / unchanged figures, so it never claims that unchanged rows were imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from accord.partnerships.access import user_organization
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership, Visibility

Audience = Callable[[dict[str, Any]], str]


def row_visibility(row: dict[str, Any]) -> str:
    """The audience of a row that carries its own `visibility` column (ledger entries)."""
    return row.get("visibility") or Visibility.JOINT


class AudienceCount:
    """Wraps an import's batch writer and counts the rows it writes per audience.

    Keeps the writer's `finish()` (the engine calls it before the transaction ends), and counts a
    batch only after it was written, so a failed import counts nothing it did not keep.
    """

    def __init__(self, write: Callable[[list[dict[str, Any]]], None], audience: Audience) -> None:
        self._write = write
        self._audience = audience
        self.joint = 0
        self.internal = 0
        finish = getattr(write, "finish", None)
        if finish is not None:
            self.finish = finish
        complete = getattr(write, "complete", None)
        if complete is not None:
            self.complete = complete

    @property
    def counts(self) -> dict[str, int] | None:
        """The writer's own new / updated / unchanged figures, read when the engine asks."""
        return getattr(self._write, "counts", None)

    def __call__(self, batch: list[dict[str, Any]]) -> None:
        self._write(batch)
        audience = self._audience
        internal = sum(1 for row in batch if audience(row) == Visibility.INTERNAL)
        self.internal += internal
        self.joint += len(batch) - internal


def record_import_events(
    *,
    partnership: Partnership,
    user: Any,
    action: str,
    label: str,
    counted: AudienceCount,
    source: str,
) -> None:
    """Write the joint and/or internal event of a finished import (see the module docstring).

    `source` says where the rows came from ("from budget.csv", "by API"); it is named in the
    joint event only when no row of the import was internal.
    """
    org = user_organization(user)
    joint, internal = counted.joint, counted.internal
    counts = counted.counts
    if counts is not None and not counts.get("new") and not counts.get("updated"):
        return  # nothing changed: nothing to record (see the module docstring)
    detail = ""
    if counts is not None and counts.get("unchanged"):
        detail = ": " + ", ".join(f"{n} {what}" for what, n in counts.items())
    with transaction.atomic():
        if joint:
            rows, where = f"{joint}", ""
            if not internal:  # the whole import is joint: its file and figures may be named
                where = f" {source}{detail}"
                if detail:
                    rows = f"{counts['new'] + counts['updated']} of {joint}"  # type: ignore[index]
            record_event(
                partnership=partnership,
                actor=user,
                action=action,
                summary=f"Imported {rows} joint rows of {label}{where}",
                visibility=Visibility.JOINT,
            )
        if internal and org is not None:
            also = f" (and {joint} joint rows)" if joint else ""
            record_event(
                partnership=partnership,
                actor=user,
                action=action,
                summary=f"Imported {internal} internal rows of {label}{also} {source}{detail}",
                owner_org=org,
                visibility=Visibility.INTERNAL,
            )
