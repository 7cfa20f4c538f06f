"""Conflict signals and escalation deadlines, without a database."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.conflicts import (
    CLOSED_BEFORE_RAISED,
    ROWS_SHAPE,
    SECONDS_PER_DAY,
    TIER_OUT_OF_RANGE,
    ConflictsError,
    conflict_signals,
    escalation_deadlines,
    escalation_due,
)

DAY = SECONDS_PER_DAY
NAN = float("nan")


def arr(values, dtype=np.float64):
    return np.array(values, dtype=dtype)


def signals(rows, wanted, n_tiers=5):
    """rows: (partnership, id, tier, raised_day, closed_day or None, resolved, escalations)."""
    return conflict_signals(
        partnership_ids=arr(wanted, np.int64),
        issue_partnership=arr([r[0] for r in rows], np.int64),
        issue_id=arr([r[1] for r in rows], np.int64),
        tier=arr([r[2] for r in rows], np.int64),
        raised_at=arr([r[3] * DAY for r in rows]),
        closed_at=arr([NAN if r[4] is None else r[4] * DAY for r in rows]),
        resolved=arr([r[5] for r in rows], bool),
        escalations=arr([r[6] for r in rows], np.int64),
        n_tiers=n_tiers,
    )


def test_an_issue_is_due_exactly_when_its_window_has_passed():
    entered = arr([0.0, 0.0, 0.0])
    windows = arr([10.0, 10.0, NAN])
    assert escalation_due(entered, windows, 10 * DAY - 1).tolist() == [False, False, False]
    assert escalation_due(entered, windows, 10 * DAY).tolist() == [True, True, False]


def test_the_exit_procedure_never_falls_due():
    assert not escalation_due(arr([0.0]), arr([NAN]), 1e12).any()
    assert math.isnan(escalation_deadlines(arr([0.0]), arr([NAN]))[0])


def test_deadlines_add_the_window_in_days():
    assert escalation_deadlines(arr([100.0]), arr([2.0]))[0] == 100.0 + 2 * DAY


def test_mismatched_rows_are_refused():
    with pytest.raises(ConflictsError, match=re.escape(ROWS_SHAPE)):
        escalation_due(arr([0.0, 1.0]), arr([1.0]), 0.0)


def test_it_counts_open_issues_their_tiers_and_the_median_time_to_resolution():
    rows = [
        (7, 1, 1, 0, 4, True, 0),  # resolved in 4 days at tier 1
        (7, 2, 2, 0, 12, True, 1),  # resolved in 12 days after one escalation
        (7, 3, 3, 5, None, False, 2),  # open at tier 3
        (7, 4, 1, 6, 8, False, 0),  # withdrawn: not a resolution
        (9, 5, 4, 1, None, False, 3),  # another partnership
    ]
    result = signals(rows, [7, 9])
    seven = result[7]
    assert seven.issues == 4
    assert seven.open_issues == 1
    assert seven.resolved == 2
    assert seven.median_days_to_resolution == pytest.approx(8.0)
    assert seven.escalated == 2
    assert seven.escalation_rate == pytest.approx(0.5)
    assert seven.open_by_tier == (0, 0, 1, 0, 0)
    assert seven.current_tiers == ((3, 3),)
    assert seven.highest_open_tier == 3
    assert result[9].current_tiers == ((5, 4),)


def test_a_partnership_without_issues_has_no_rates_rather_than_zero():
    result = signals([(1, 1, 1, 0, None, False, 0)], [1, 2])
    empty = result[2]
    assert empty.issues == 0
    assert empty.open_issues == 0
    assert empty.escalation_rate is None
    assert empty.median_days_to_resolution is None
    assert empty.highest_open_tier == 0


def test_issues_of_partnerships_not_asked_for_are_ignored():
    result = signals([(1, 1, 1, 0, None, False, 0), (3, 2, 2, 0, None, False, 1)], [3])
    assert list(result) == [3]
    assert result[3].issues == 1


def test_a_tier_off_the_ladder_is_refused():
    with pytest.raises(ConflictsError, match=re.escape(TIER_OUT_OF_RANGE)):
        signals([(1, 1, 6, 0, None, False, 0)], [1])


def test_closing_before_raising_is_refused():
    with pytest.raises(ConflictsError, match=re.escape(CLOSED_BEFORE_RAISED)):
        signals([(1, 1, 1, 5, 4, True, 0)], [1])


issue_rows = st.lists(
    st.tuples(
        st.integers(1, 4),
        st.integers(1, 5),
        st.integers(0, 400),
        st.one_of(st.none(), st.integers(0, 200)),
        st.booleans(),
        st.integers(0, 4),
    ),
    max_size=40,
)


@given(issue_rows)
def test_signals_match_a_per_partnership_loop(rows):
    full = [
        (p, i, tier, raised, None if span is None else raised + span, res and span is not None, esc)
        for i, (p, tier, raised, span, res, esc) in enumerate(rows, start=1)
    ]
    result = signals(full, [1, 2, 3, 4])
    for pid in (1, 2, 3, 4):
        mine = [r for r in full if r[0] == pid]
        got = result[pid]
        assert got.issues == len(mine)
        assert got.open_issues == sum(r[4] is None for r in mine)
        durations = sorted(r[4] - r[3] for r in mine if r[4] is not None and r[5])
        if durations:
            assert got.median_days_to_resolution == pytest.approx(float(np.median(durations)))
        else:
            assert got.median_days_to_resolution is None
        climbed = sum(r[6] > 0 for r in mine)
        assert got.escalation_rate == (pytest.approx(climbed / len(mine)) if mine else None)
        assert sum(got.open_by_tier) == got.open_issues
        assert sorted(got.current_tiers) == sorted((r[1], r[2]) for r in mine if r[4] is None)
