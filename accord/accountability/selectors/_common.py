"""Reads shared by the accountability selectors: settings, parties, the viewer's organization
and the portfolio arrays the domain functions take."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from accord.accountability.models import (
    AccountabilitySettings,
)
from accord.domain import performance as perf
from accord.partnerships.access import user_organization
from accord.partnerships.models import Partnership, Party


def settings_for(partnership: Partnership) -> AccountabilitySettings:
    """The partnership's settings, or the defaults (unsaved) when none were changed."""
    row = AccountabilitySettings.objects.filter(partnership=partnership).first()
    return row or AccountabilitySettings(partnership=partnership)


def parties(partnership: Partnership) -> list[Party]:
    """Parties in the fixed order the domain arrays use (joined first, then by id)."""
    return list(partnership.parties.select_related("organization").order_by("joined_at", "pk"))


def _day(value: date | None) -> Any:
    return np.datetime64(value, "D") if value is not None else np.datetime64("NaT", "D")


@dataclass
class _Portfolio:
    ids: list[int]
    party_index: dict[int, tuple[int, int]]  # party pk -> (partnership index, party index)
    portfolio: perf.Portfolio


def _portfolio(partnership_ids: Sequence[int]) -> _Portfolio:
    index = {pid: i for i, pid in enumerate(partnership_ids)}
    counts = [0] * len(partnership_ids)
    party_index: dict[int, tuple[int, int]] = {}
    for party_id, pid in (
        Party.objects.filter(partnership_id__in=partnership_ids)
        .order_by("partnership_id", "joined_at", "pk")
        .values_list("pk", "partnership_id")
    ):
        i = index[pid]
        party_index[party_id] = (i, counts[i])
        counts[i] += 1
    return _Portfolio(
        list(partnership_ids), party_index, perf.Portfolio(np.maximum(np.array(counts), 1))
    )


def _portfolio_of_one(partnership_id: int, party_list: Sequence[Party]) -> _Portfolio:
    """``_portfolio([partnership_id])`` from its parties already read in :func:`parties` order."""
    return _Portfolio(
        [partnership_id],
        {party.pk: (0, j) for j, party in enumerate(party_list)},
        perf.Portfolio(np.maximum(np.array([len(party_list)]), 1)),
    )


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def viewer_org_id(viewer: Any) -> int | None:
    org = user_organization(viewer)
    return org.pk if org else None
