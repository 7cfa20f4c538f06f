"""The vectorized communication signals equal a plain per-partnership loop, and the rules about
notice lead times, silence and unknown periods hold on hand-worked cases."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from accord.domain.communication import (
    NO_PARTY,
    SIGNALS,
    CommunicationInputError,
    Concerns,
    Directions,
    Messages,
    Notices,
    communication_signals,
)
from accord.domain.tests.communication_reference import PartnershipRows, reference_signals

MONDAY = 20_000 - (20_000 + 3) % 7  # day numbers: 1970-01-01 was a Thursday (weekday 3)


def to_arrays(portfolio: list[PartnershipRows]) -> tuple[Directions, Messages, Notices, Concerns]:
    directions = [d for p in portfolio for d in p.directions]
    messages = [m for p in portfolio for m in p.messages]
    notices = [n for p in portfolio for n in p.notices]
    concerns = [c for p in portfolio for c in p.concerns]

    def col(rows: list[tuple], i: int, dtype: type, n: int) -> np.ndarray:
        return np.array([r[i] for r in rows], dtype=dtype).reshape(n)

    return (
        Directions(
            *(
                col(directions, i, t, len(directions))
                for i, t in enumerate((np.int64, np.int64, float, float))
            )
        ),
        Messages(
            *(col(messages, i, t, len(messages)) for i, t in enumerate((np.int64, np.int64, float)))
        ),
        Notices(
            *(
                col(notices, i, t, len(notices))
                for i, t in enumerate((np.int64, np.int64, np.int64, np.int64, bool))
            )
        ),
        Concerns(
            *(
                col(concerns, i, t, len(concerns))
                for i, t in enumerate((np.int64, float, np.int64, float))
            )
        ),
    )


def random_portfolio(seed: int, n: int = 12) -> list[PartnershipRows]:
    rng = random.Random(seed)
    portfolio = []
    party = thread = 0
    for _ in range(n):
        parties = list(range(party, party + rng.choice((2, 2, 3))))
        party += len(parties)
        start = MONDAY + rng.uniform(-10, 30)
        end = start + rng.uniform(5, 120) if rng.random() < 0.5 else MONDAY + 1000
        rows = PartnershipRows(
            directions=[(a, b, start, end) for a in parties for b in parties if a != b]
        )
        threads = list(range(thread, thread + rng.randint(0, 4)))
        thread += len(threads)
        for _ in range(rng.randint(0, 60) if threads else 0):
            at = round(MONDAY + rng.uniform(-20, 90), 3)
            rows.messages.append((rng.choice(threads), rng.choice(parties), at))
        for _ in range(rng.randint(0, 6)):
            given = MONDAY + rng.randint(-5, 80)
            rows.notices.append(
                (
                    rng.choice(parties),
                    given,
                    given + rng.randint(-10, 60),
                    rng.choice((14, 30)),
                    rng.random() < 0.2,
                )
            )
        for _ in range(rng.randint(0, 5)):
            raised = MONDAY + rng.uniform(-5, 80)
            raiser = rng.choice(parties) if rng.random() < 0.8 else NO_PARTY
            answerer = rng.choice(parties) if rng.random() < 0.6 else NO_PARTY
            if answerer == raiser:
                answerer = NO_PARTY
            rows.concerns.append(
                (
                    raiser,
                    raised,
                    answerer,
                    raised + rng.uniform(0, 20) if answerer != NO_PARTY else math.nan,
                )
            )
        portfolio.append(rows)
    return portfolio


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_it_equals_the_per_partnership_loop(seed: int) -> None:
    portfolio = random_portfolio(seed)
    weeks = 14
    result = communication_signals(*to_arrays(portfolio), first_monday=MONDAY, weeks=weeks)
    row = 0
    checked = 0
    for rows in portfolio:
        for series in reference_signals(rows, first_monday=MONDAY, weeks=weeks):
            for name in SIGNALS:
                got = result.values[name][row].tolist()
                assert all(same(g, e) for g, e in zip(got, series[name], strict=True)), (
                    name,
                    row,
                    got,
                    series[name],
                )
                checked += sum(not math.isnan(v) for v in series[name])
            row += 1
    assert checked > 0


def one_pair(**kwargs: list[tuple]) -> tuple[Directions, Messages, Notices, Concerns]:
    rows = PartnershipRows(
        directions=[(0, 1, MONDAY, MONDAY + 28.0), (1, 0, MONDAY, MONDAY + 28.0)], **kwargs
    )
    return to_arrays([rows])


def test_a_notice_given_after_its_effective_date_has_negative_lead_and_is_short() -> None:
    arrays = one_pair(notices=[(0, MONDAY + 10, MONDAY + 7, 30, False)])
    values = communication_signals(*arrays, first_monday=MONDAY, weeks=4).values
    assert values["notice_lead_days_median"][0].tolist()[1] == -3.0
    assert values["short_notices"][0].tolist() == [0.0, 1.0, 0.0, 0.0]
    assert values["notices"][1].tolist() == [0.0, 0.0, 0.0, 0.0]  # the other direction


def test_a_notice_is_judged_by_the_period_in_force_when_it_was_given() -> None:
    # 20 days' lead: enough under the 14-day period stored on the first notice, short under the
    # 30-day period stored on the second, though both partnerships' settings may read the same now.
    arrays = one_pair(
        notices=[(0, MONDAY, MONDAY + 20, 14, False), (0, MONDAY + 8, MONDAY + 28, 30, False)]
    )
    values = communication_signals(*arrays, first_monday=MONDAY, weeks=4).values
    assert values["notices"][0].tolist() == [1.0, 1.0, 0.0, 0.0]
    assert values["short_notices"][0].tolist() == [0.0, 1.0, 0.0, 0.0]


def test_an_unannounced_change_is_a_short_notice_with_no_lead_time() -> None:
    arrays = one_pair(notices=[(1, MONDAY + 15, MONDAY + 3, 30, True)])
    values = communication_signals(*arrays, first_monday=MONDAY, weeks=4).values
    assert values["short_notices"][1].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert values["notices"][1].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert np.isnan(values["notice_lead_days_median"][1]).all()


def test_weeks_outside_the_partnership_are_unknown_and_inside_are_real_zeros() -> None:
    arrays = one_pair()
    values = communication_signals(*arrays, first_monday=MONDAY - 7, weeks=6).values
    assert np.isnan(values["messages"][0][[0, 5]]).all()
    assert values["messages"][0][1:5].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert np.isnan(values["reply_hours_median"][0]).all()  # no reply is no evidence, not zero
    assert values["longest_silence_days"][0][1:5].tolist() == [7.0, 14.0, 21.0, 28.0]


def test_replies_and_silence_follow_the_thread() -> None:
    arrays = one_pair(
        messages=[
            (7, 0, MONDAY + 1.0),
            (7, 1, MONDAY + 1.5),
            (7, 1, MONDAY + 2.0),
            (8, 0, MONDAY + 12.0),
        ]
    )
    values = communication_signals(*arrays, first_monday=MONDAY, weeks=4).values
    assert values["reply_hours_median"][1].tolist()[0] == 12.0  # B answered A after 12 hours
    assert np.isnan(values["reply_hours_median"][0]).all()
    assert values["messages"][0].tolist() == [1.0, 1.0, 0.0, 0.0]
    # A was silent towards B from day 1 to day 12 (11 days), then from day 12 to day 28 (16).
    assert values["longest_silence_days"][0].tolist() == [6.0, 11.0, 9.0, 16.0]


def test_mismatched_arrays_are_refused() -> None:
    d, _m, n, c = one_pair()
    bad = Messages(np.array([1], dtype=np.int64), np.array([], dtype=np.int64), np.array([1.0]))
    with pytest.raises(CommunicationInputError):
        communication_signals(d, bad, n, c, first_monday=MONDAY, weeks=2)
