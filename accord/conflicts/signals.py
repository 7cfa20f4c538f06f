"""Conflict signals offered to the health engine through one function.

"Signals" in the health engine's sense, not Django's: counts and rates per partnership. Only
joint issues count unless `include_internal` is set, so a score that both parties see never
reveals that one organization has internal issues.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db.models import Count, QuerySet

from accord.conflicts.models import TIER_ORDER, Issue
from accord.domain.conflicts import ConflictSignals
from accord.domain.conflicts import conflict_signals as compute
from accord.partnerships.models import Visibility

__all__ = ["ConflictSignals", "conflict_signals"]


def conflict_signals(
    partnership_ids: Iterable[int], *, include_internal: bool = False
) -> dict[int, ConflictSignals]:
    """Open issues, current tier per open issue, median days to resolution and escalation rate
    for each partnership (one query, one vectorized computation for any number of them)."""
    ids = sorted({int(pk) for pk in partnership_ids})
    issues = Issue.objects.filter(partnership_id__in=ids)
    if not include_internal:
        issues = issues.filter(visibility=Visibility.JOINT)
    return signals_from(issues, ids)


def signals_for_viewer(
    *, partnership: Any, viewer: Any, issues: QuerySet[Issue] | None = None
) -> ConflictSignals:
    """The same signals over only the issues this person may see (for the overview page);
    ``issues`` is ``issues_for(partnership, viewer)`` when the caller has it already."""
    from accord.conflicts.selectors import issues_for

    if issues is None:
        issues = issues_for(partnership=partnership, viewer=viewer)
    return signals_from(issues, [partnership.pk])[partnership.pk]


def signals_from(issues: QuerySet[Issue], ids: list[int]) -> dict[int, ConflictSignals]:
    rows = list(
        issues.annotate(climbs=Count("tier_changes")).values_list(
            "partnership_id", "pk", "tier", "created_at", "resolved_at", "withdrawn_at", "climbs"
        )
    )
    order = {key: i + 1 for i, key in enumerate(TIER_ORDER)}
    nan = float("nan")
    return compute(
        partnership_ids=np.array(ids, dtype=np.int64),
        issue_partnership=np.array([r[0] for r in rows], dtype=np.int64),
        issue_id=np.array([r[1] for r in rows], dtype=np.int64),
        tier=np.array([order[r[2]] for r in rows], dtype=np.int64),
        raised_at=np.array([r[3].timestamp() for r in rows], dtype=np.float64),
        closed_at=np.array(
            [(r[4] or r[5]).timestamp() if (r[4] or r[5]) else nan for r in rows],
            dtype=np.float64,
        ),
        resolved=np.array([r[4] is not None for r in rows], dtype=bool),
        escalations=np.array([r[6] for r in rows], dtype=np.int64),
        n_tiers=len(TIER_ORDER),
    )
