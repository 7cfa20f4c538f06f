"""Capabilities register their import kinds here (in their AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from accord.imports.engine import Column, RowError
from accord.partnerships.access import Need

Writer = Callable[[list[dict[str, Any]]], None]
RowCheck = Callable[[int, dict[str, Any]], list[RowError]]


@dataclass(frozen=True)
class Importer:
    """`prepare(partnership, user)` returns the batch writer and the cross-row check for one run."""

    kind: str
    label: str
    columns: Sequence[Column]
    prepare: Callable[[Any, Any], tuple[Writer, RowCheck | None]]
    example: str  # a short CSV sample shown on the upload page
    # `audience(partnership, user)` returns, for one run, a function telling whether a checked
    # row is joint or internal, so the import's audit events follow its rows (default: the row's
    # own `visibility` column).
    audience: Callable[[Any, Any], Callable[[dict[str, Any]], str]] | None = None
    # Who may import this kind: contributors by default; history needs the alliance managers.
    need: Need = Need.CONTRIBUTE

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


IMPORTERS: dict[str, Importer] = {}


def need_for(kind: str) -> Need:
    """The access a kind's upload needs (an unknown kind: contributors, who then get a 404)."""
    importer = IMPORTERS.get(kind)
    return importer.need if importer is not None else Need.CONTRIBUTE


def register_importer(importer: Importer) -> Importer:
    IMPORTERS[importer.kind] = importer
    return importer
