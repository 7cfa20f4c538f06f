"""Loop closure (review actions done on time) and the accountability signals for the health
engine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.utils import timezone

from accord.accountability.models import (
    ReviewAction,
    ReviewCadence,
)
from accord.accountability.selectors._common import _day, _num
from accord.accountability.selectors.on_time import on_time_rates_for
from accord.accountability.selectors.oversight import oversight_balance_for
from accord.domain import performance as perf
from accord.partnerships.models import Partnership, Visibility


def _loop_closure(
    rows: list[tuple[int, str, date, date | None]], n: int, today: date
) -> perf.LoopClosure:
    actions = perf.ReviewActions(
        partnership=np.array([r[0] for r in rows], dtype=np.int64),
        cadence=np.array([r[1] for r in rows], dtype=np.str_),
        due_on=np.array([_day(r[2]) for r in rows], dtype="datetime64[D]"),
        done_on=np.array([_day(r[3]) for r in rows], dtype="datetime64[D]"),
    )
    return perf.loop_closure(actions, perf.Portfolio(np.ones(n, dtype=np.int64)), today=today)


def loop_closure(*, partnership: Partnership, today: date | None = None) -> list[dict[str, Any]]:
    """Review actions closed on time, per review cadence (daily, weekly, monthly, quarterly),
    over joint actions due in the last two quarters; a last row "outside reviews" covers actions
    raised elsewhere (e.g. from the scorecard) and judged by the same rule.

    Each row: {"cadence", "label", "closed" (on time), "judged", "rate" (0–1, None without
    evidence)} — the shape performance's scorecard reads."""
    today = today or timezone.localdate()
    since = today - timedelta(days=182)
    rows = ReviewAction.objects.filter(
        partnership=partnership, visibility=Visibility.JOINT, due_on__gte=since
    ).values_list("review__cadence__frequency", "due_on", "done_on")
    in_review = [(0, f, due, done) for f, due, done in rows if f]
    outside = [(0, "monthly", due, done) for f, due, done in rows if not f]
    closure = _loop_closure(in_review, 1, today)
    labels = dict(ReviewCadence.Frequency.choices)
    result = [
        {
            "cadence": cadence.value,
            "label": str(labels[cadence.value]),
            "closed": int(closure.closed_on_time[0, k]),
            "judged": int(closure.evaluated[0, k]),
            "rate": _num(closure.rate[0, k]),
        }
        for k, cadence in enumerate(perf.CADENCES)
    ]
    other = _loop_closure(outside, 1, today)
    result.append(
        {
            "cadence": "outside_reviews",
            "label": "Outside reviews",
            "closed": int(other.closed_on_time[0].sum()),
            "judged": int(other.evaluated[0].sum()),
            "rate": _num(other.rate_total[0]),
        }
    )
    return result


def loop_closure_signal_for(
    partnership_ids: Sequence[int], *, today: date
) -> dict[int, float | None]:
    """The loop-closure signal for many partnerships in one pass (for the health engine)."""
    index = {pid: i for i, pid in enumerate(partnership_ids)}
    since = today - timedelta(days=182)
    rows = [
        (index[pid], f or "monthly", due, done)
        for pid, f, due, done in ReviewAction.objects.filter(
            partnership_id__in=partnership_ids, visibility=Visibility.JOINT, due_on__gte=since
        ).values_list("partnership_id", "review__cadence__frequency", "due_on", "done_on")
    ]
    signal = perf.loop_closure_signal(_loop_closure(rows, len(partnership_ids), today))
    return {pid: _num(signal[i]) for pid, i in index.items()}


def signals_for(
    partnership_ids: Sequence[int], *, today: date
) -> dict[int, dict[str, float | None]]:
    """On-time delivery, oversight balance and loop closure per partnership, each 0–1 or None
    (no evidence), computed in one vectorized pass per measure for a whole portfolio."""
    ids = list(partnership_ids)
    _b, rates = on_time_rates_for(ids, today=today)
    _o, balance = oversight_balance_for(ids, today=today)
    on_time_signal = perf.on_time_signal(rates)
    oversight_signal = perf.oversight_signal(balance)
    closure = loop_closure_signal_for(ids, today=today)
    return {
        pid: {
            "on_time": _num(on_time_signal[i]),
            "oversight": _num(oversight_signal[i]),
            "loop_closure": closure[pid],
        }
        for i, pid in enumerate(ids)
    }
