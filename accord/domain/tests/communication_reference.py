"""A plain-Python, one-partnership-at-a-time reference for accord.domain.communication.

Written the obvious way (loops over each direction, week and event) so the vectorized version can
be checked against it, and so the benchmark has an honest per-partnership loop to compare with.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from accord.domain.communication import NO_PARTY, SIGNALS

NAN = math.nan


@dataclass
class PartnershipRows:
    """One partnership's rows, as a selector would fetch them for it alone."""

    directions: list[tuple[int, int, float, float]]  # from, to, window start, window end
    messages: list[tuple[int, int, float]] = field(default_factory=list)  # thread, party, at
    notices: list[tuple[int, int, int, int, bool]] = field(default_factory=list)
    concerns: list[tuple[int, float, int, float]] = field(default_factory=list)


def _week(day: float, first_monday: int) -> int:
    return (math.floor(day) - first_monday) // 7


def reference_signals(
    rows: PartnershipRows, *, first_monday: int, weeks: int
) -> list[dict[str, list[float]]]:
    """Per direction (in rows.directions order): signal → list of weekly values."""
    by_thread: dict[int, list[tuple[float, int, int]]] = defaultdict(list)
    for i, (thread, party, at) in enumerate(rows.messages):
        by_thread[thread].append((at, i, party))
    replies: list[tuple[int, int, float, float]] = []  # replier, answered party, at, hours
    for posts in by_thread.values():
        posts.sort()
        for (at0, _, p0), (at1, _, p1) in itertools.pairwise(posts):
            if p1 != p0:
                replies.append((p1, p0, at1, (at1 - at0) * 24.0))

    out = []
    for frm, to, start, end in rows.directions:
        series: dict[str, list[float]] = {name: [] for name in SIGNALS}
        sent = sorted(at for _, party, at in rows.messages if party == frm and start <= at < end)
        gaps: list[tuple[float, float]] = []  # (at, gap)
        previous = start
        for at in sent:
            gaps.append((at, at - previous))
            previous = at
        for w in range(weeks):
            week_start = first_monday + 7.0 * w
            lo, hi = max(week_start, start), min(week_start + 7.0, end)
            if hi <= lo:
                for name in SIGNALS:
                    series[name].append(NAN)
                continue
            in_week = [at for at in sent if _week(at, first_monday) == w]
            series["messages"].append(float(len(in_week)))
            hours = [
                h for p, q, at, h in replies if (p, q) == (frm, to) and _week(at, first_monday) == w
            ]
            series["reply_hours_median"].append(statistics.median(hours) if hours else NAN)
            given = [n for n in rows.notices if n[0] == frm and _week(n[1], first_monday) == w]
            announced = [n for n in given if not n[4]]
            leads = [float(n[2] - n[1]) for n in announced]
            series["notices"].append(float(len(announced)))
            series["notice_lead_days_median"].append(statistics.median(leads) if leads else NAN)
            series["short_notices"].append(
                float(sum(1 for n in given if n[4] or n[2] - n[1] < n[3]))
            )
            series["concerns_raised"].append(
                float(
                    sum(1 for c in rows.concerns if c[0] == frm and _week(c[1], first_monday) == w)
                )
            )
            series["concerns_answered"].append(
                float(
                    sum(
                        1
                        for c in rows.concerns
                        if c[0] == to != NO_PARTY and c[2] == frm and _week(c[3], first_monday) == w
                    )
                )
            )
            last = max([start] + [at for at in sent if at < hi])
            longest = hi - last
            for at, gap in gaps:
                if _week(at, first_monday) == w:
                    longest = max(longest, gap)
            series["longest_silence_days"].append(longest)
        out.append(series)
    return out
