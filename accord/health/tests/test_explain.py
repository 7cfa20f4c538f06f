"""What moved since the last review, in words a sponsor reads without the numbers."""

from __future__ import annotations

from datetime import date, timedelta

from accord.health.explain import movements
from accord.health.registry import EvidenceRow

NOW = date(2026, 11, 23)
THEN = NOW - timedelta(weeks=4)
NAMES = {1: "Helix Therapeutics", 2: "Cobalt", 3: "Aurora"}


def row(week: date, frm: int, to: int, signal: str, value: float, weight: float = 1.0):  # type: ignore[no-untyped-def]
    return EvidenceRow(9, week, frm, to, signal, value, weight)


def test_it_says_whose_trust_in_whom_moved_and_how_many_notices_came_short():
    rows = [
        row(THEN - timedelta(weeks=2), 2, 1, "trust_goodwill", 5.6, 4),
        row(NOW - timedelta(weeks=1), 2, 1, "trust_goodwill", 4.3, 4),
        row(NOW - timedelta(weeks=2), 1, 2, "notices", 5),
        row(NOW - timedelta(weeks=2), 1, 2, "short_notices", 3),
    ]
    said = movements(rows, NAMES, now=NOW, then=THEN, window_weeks=3, notice_days=30)
    assert said == [
        "Cobalt's goodwill trust in Helix Therapeutics fell 1.3 points (to 4.3 of 7)",
        "3 of 5 change notices from Helix Therapeutics came with less than the agreed 30 days",
    ]


def test_with_several_other_parties_it_names_the_one_a_behaviour_was_towards():
    rows = [
        row(THEN - timedelta(weeks=1), 1, 2, "on_time", 0.9, 5),
        row(NOW - timedelta(weeks=1), 1, 2, "on_time", 0.4, 5),
        row(THEN - timedelta(weeks=1), 1, 3, "on_time", 0.9, 5),
        row(NOW - timedelta(weeks=1), 1, 3, "on_time", 0.9, 5),
    ]
    said = movements(rows, NAMES, now=NOW, then=THEN, window_weeks=3)
    assert said == [
        "Share delivered on time by Helix Therapeutics towards Cobalt fell from 90% to 40%"
    ]
