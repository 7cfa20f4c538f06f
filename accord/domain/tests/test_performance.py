"""Performance: on-time delivery, oversight balance, metric attainment, loop closure, signals."""

import re
import statistics
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.performance import (
    CADENCES,
    CAP_INVALID,
    CATEGORIES,
    DATE_MISSING,
    DONE_WITHOUT_DATE,
    FLAT_TOLERANCE_INVALID,
    METRIC_OUT_OF_RANGE,
    METRIC_VALUES_NOT_FINITE,
    MIN_REQUESTS_INVALID,
    N_PERIODS_INVALID,
    OVERSIGHT_THRESHOLD_RANGE,
    PARTNERSHIP_OUT_OF_RANGE,
    PARTY_NAMES_MISMATCH,
    PARTY_OUT_OF_RANGE,
    PORTFOLIO_PARTY_COUNT,
    PORTFOLIO_SHAPE,
    ROWS_SHAPE,
    TARGET_NOT_POSITIVE,
    THRESHOLDS_ORDER_HIGHER,
    THRESHOLDS_ORDER_LOWER,
    TREND_POINTS_INVALID,
    UNKNOWN_CADENCE,
    UNKNOWN_CATEGORY,
    UNKNOWN_DIRECTION,
    UNKNOWN_STATUS,
    WINDOW_INVALID,
    Commitments,
    Metrics,
    MetricStatus,
    MonitoringRequests,
    Observations,
    PerformanceError,
    Period,
    Portfolio,
    ReviewActions,
    attainment_signal,
    loop_closure,
    loop_closure_signal,
    metric_attainment,
    on_time_rates,
    on_time_signal,
    oversight_balance,
    oversight_sentence,
    oversight_signal,
)

TODAY = date(2024, 6, 30)
# Personas: Helix Pharma (party 0) and Nova Bio (party 1) in partnership 0; a three-party
# consortium with Orbit CRO in partnership 1; partnership 2 has recorded nothing yet.
PORTFOLIO = Portfolio(np.array([2, 3, 2]))


def raises(message):
    return pytest.raises(PerformanceError, match=re.escape(message))


def d(offset):
    """A date ``offset`` days from TODAY, or None."""
    return None if offset is None else TODAY + timedelta(days=offset)


def commitments(rows):
    """rows: (partnership, party, due offset, done offset or None, status)."""
    return Commitments(
        partnership=[r[0] for r in rows],
        party=[r[1] for r in rows],
        due_on=np.array([d(r[2]) for r in rows], dtype="datetime64[D]"),
        done_on=np.array([d(r[3]) for r in rows], dtype="datetime64[D]"),
        status=[r[4] for r in rows],
    )


# --- portfolio ------------------------------------------------------------------------------


def test_a_portfolio_needs_one_count_per_partnership_and_a_party_each():
    with raises(PORTFOLIO_SHAPE):
        Portfolio(np.array([[2, 2]]))
    with raises(PORTFOLIO_PARTY_COUNT):
        Portfolio(np.array([2, 0]))
    assert (PORTFOLIO.n_partnerships, PORTFOLIO.max_parties) == (3, 3)


# --- on-time delivery -----------------------------------------------------------------------


def test_on_time_rate_counts_past_due_undone_commitments_as_missed():
    rates = on_time_rates(
        commitments(
            [
                (0, 0, -10, -12, "done"),  # Helix: early, kept
                (0, 0, -20, -5, "done"),  # Helix: late, missed
                (0, 1, -1, None, "on_track"),  # Nova: past due, not done: missed
                (0, 1, 0, None, "at_risk"),  # Nova: due today, still has the day
                (0, 1, 30, None, "planned"),  # Nova: not yet due
            ]
        ),
        PORTFOLIO,
        today=TODAY,
    )
    assert rates.kept[0].sum(axis=1).tolist() == [1, 0, 0]
    assert rates.evaluated[0].sum(axis=1).tolist() == [2, 1, 0]
    assert rates.rate[0, :2].tolist() == [0.5, 0.0]
    assert np.isnan(rates.rate[0, 2])  # no third party
    assert on_time_signal(rates)[0] == pytest.approx(1 / 3)


def test_on_time_rate_without_commitments_is_no_evidence_not_zero():
    rates = on_time_rates(commitments([]), PORTFOLIO, today=TODAY)
    assert rates.kept.shape == (3, 3, 4)
    assert np.isnan(rates.rate).all()
    assert np.isnan(on_time_signal(rates)).all()


def test_a_commitment_declared_missed_counts_before_its_due_date():
    rows = [(1, 2, -5, None, "missed")]
    rates = on_time_rates(commitments(rows), PORTFOLIO, today=TODAY - timedelta(days=20))
    assert rates.evaluated[1, 2].tolist() == [0, 0, 0, 1]
    assert rates.rate[1, 2] == 0.0


def test_a_completion_after_today_is_not_yet_known():
    rates = on_time_rates(commitments([(0, 0, -5, 3, "done")]), PORTFOLIO, today=TODAY)
    assert rates.rate[0, 0] == 0.0  # as of today it is past due and not done


def test_on_time_rates_are_bucketed_by_the_quarter_of_the_due_date():
    rows = [
        (0, 0, -1, -2, "done"),  # 2024-06-29: Q2 2024
        (0, 0, -91, None, "on_track"),  # 2024-03-31: Q1 2024
        (0, 0, -366, -370, "done"),  # 2023-06-30: Q2 2023, outside four quarters
    ]
    rates = on_time_rates(commitments(rows), PORTFOLIO, today=TODAY)
    assert rates.period_starts.astype(str).tolist() == [
        "2023-07-01",
        "2023-10-01",
        "2024-01-01",
        "2024-04-01",
    ]
    assert rates.kept[0, 0].tolist() == [0, 0, 0, 1]
    assert rates.evaluated[0, 0].tolist() == [0, 0, 1, 1]
    np.testing.assert_array_equal(rates.rate_by_period[0, 0], [np.nan, np.nan, 0.0, 1.0])


def test_on_time_rates_can_be_bucketed_by_month():
    rows = [(0, 1, -1, -1, "done"), (0, 1, -31, None, "planned")]
    rates = on_time_rates(
        commitments(rows), PORTFOLIO, today=TODAY, period=Period.MONTH, n_periods=2
    )
    assert rates.period_starts.astype(str).tolist() == ["2024-05-01", "2024-06-01"]
    assert rates.kept[0, 1].tolist() == [0, 1]
    assert rates.evaluated[0, 1].tolist() == [1, 1]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(0, 0, -1, None, "forgotten")], UNKNOWN_STATUS),
        ([(0, 0, -1, None, "done")], DONE_WITHOUT_DATE),
        ([(0, 0, None, None, "planned")], DATE_MISSING),
        ([(0, 2, -1, None, "planned")], PARTY_OUT_OF_RANGE),
        ([(3, 0, -1, None, "planned")], PARTNERSHIP_OUT_OF_RANGE),
    ],
)
def test_on_time_rates_reject_bad_commitments(rows, message):
    with raises(message):
        on_time_rates(commitments(rows), PORTFOLIO, today=TODAY)


def test_row_arrays_must_line_up_and_periods_must_exist():
    with raises(ROWS_SHAPE):
        Commitments([0, 0], [0], ["2024-01-01"], ["NaT"], ["planned"])
    with raises(ROWS_SHAPE):
        MonitoringRequests([[0]], [[0]], [["2024-01-01"]])
    with raises(N_PERIODS_INVALID):
        on_time_rates(commitments([]), PORTFOLIO, today=TODAY, n_periods=0)


@st.composite
def portfolios(draw):
    return Portfolio(np.array(draw(st.lists(st.integers(1, 3), min_size=1, max_size=4))))


@st.composite
def party_rows(draw, portfolio, extra):
    """Rows of (partnership, party, *extra) drawn inside the portfolio."""
    rows = []
    for _ in range(draw(st.integers(0, 25))):
        partnership = draw(st.integers(0, portfolio.n_partnerships - 1))
        party = draw(st.integers(0, int(portfolio.party_count[partnership]) - 1))
        rows.append((partnership, party, *draw(extra)))
    return rows


offsets = st.integers(-400, 60)
statuses = st.sampled_from(["planned", "on_track", "at_risk", "done", "missed"])


def commitment_extra():
    return st.tuples(offsets, st.none() | offsets, statuses).map(
        lambda t: (t[0], t[1], "on_track" if t[2] == "done" and t[1] is None else t[2])
    )


def quarter(day):
    return (day.year * 12 + day.month - 1) // 3


@given(st.data())
def test_on_time_rates_match_a_per_partnership_reference_loop(data):
    portfolio = data.draw(portfolios())
    rows = data.draw(party_rows(portfolio, commitment_extra()))
    rates = on_time_rates(commitments(rows), portfolio, today=TODAY)
    signal = on_time_signal(rates)
    for p in range(portfolio.n_partnerships):
        kept_all = judged_all = 0
        for party in range(int(portfolio.party_count[p])):
            kept = judged = 0
            for partnership, who, due, done, status in rows:
                if (partnership, who) != (p, party):
                    continue
                if not 0 <= quarter(d(due)) - quarter(TODAY) + 3 <= 3:
                    continue
                if done is not None and done <= 0:
                    judged, kept = judged + 1, kept + (done <= due)
                elif status == "missed" or due < 0:
                    judged += 1
            kept_all, judged_all = kept_all + kept, judged_all + judged
            expected = kept / judged if judged else None
            actual = rates.rate[p, party]
            assert np.isnan(actual) if expected is None else actual == pytest.approx(expected)
        expected_signal = kept_all / judged_all if judged_all else None
        if expected_signal is None:
            assert np.isnan(signal[p])
        else:
            assert signal[p] == pytest.approx(expected_signal)


# --- oversight balance ----------------------------------------------------------------------


def requests(rows):
    """rows: (partnership, requesting party, day offset)."""
    return MonitoringRequests(
        partnership=[r[0] for r in rows],
        party=[r[1] for r in rows],
        requested_on=np.array([d(r[2]) for r in rows], dtype="datetime64[D]"),
    )


def test_oversight_is_flagged_when_one_party_makes_more_than_three_quarters_of_requests():
    rows = [(0, 0, -1)] * 4 + [(0, 1, -2)] + [(1, 0, -1)] * 3 + [(1, 2, -3)]
    balance = oversight_balance(requests(rows), PORTFOLIO, today=TODAY)
    assert balance.counts.tolist() == [[4, 1, 0], [3, 0, 1], [0, 0, 0]]
    assert balance.flagged.tolist() == [True, False, False]  # 80% flagged, exactly 75% not
    assert balance.top_party.tolist() == [0, 0, -1]
    np.testing.assert_allclose(balance.share[0], [0.8, 0.2, 0.0])
    assert np.isnan(balance.top_share[2])


def test_oversight_counts_only_the_window_ending_today():
    rows = [(0, 0, 0), (0, 0, -90), (0, 0, -91), (0, 0, 1)]
    balance = oversight_balance(requests(rows), PORTFOLIO, today=TODAY)
    assert balance.counts[0].tolist() == [2, 0, 0]


def test_a_few_requests_are_not_enough_to_flag_oversight():
    balance = oversight_balance(requests([(0, 0, -1)] * 3), PORTFOLIO, today=TODAY)
    assert balance.flagged.tolist() == [False, False, False]
    assert np.isnan(oversight_signal(balance)).all()


def test_oversight_signal_is_one_when_balanced_and_zero_when_one_sided():
    rows = [(0, 0, -1)] * 5 + [(1, 0, -1)] * 2 + [(1, 1, -1)] * 2 + [(2, 0, -1)] * 4
    balance = oversight_balance(requests(rows), PORTFOLIO, today=TODAY)
    np.testing.assert_allclose(oversight_signal(balance), [0.0, 0.75, 0.0])
    rows = [(0, 0, -1)] * 2 + [(0, 1, -1)] * 2 + [(1, p, -1) for p in range(3)] * 2
    balance = oversight_balance(requests(rows), PORTFOLIO, today=TODAY)
    np.testing.assert_allclose(oversight_signal(balance)[:2], [1.0, 1.0])


def test_oversight_signal_is_undefined_for_a_single_party():
    portfolio = Portfolio(np.array([1]))
    balance = oversight_balance(requests([(0, 0, -1)] * 5), portfolio, today=TODAY)
    assert np.isnan(oversight_signal(balance)[0])


def test_oversight_sentences_name_the_party_and_the_window():
    rows = [(0, 1, -1)] * 9 + [(0, 0, -1)] + [(1, 0, -1), (1, 1, -1), (1, 2, -1), (1, 2, -2)]
    rows += [(2, 0, -1)]
    balance = oversight_balance(requests(rows), PORTFOLIO, today=TODAY)
    assert oversight_sentence(balance, 0, ["Helix Pharma", "Nova Bio"]) == (
        "Nova Bio made 9 of 10 monitoring requests (90%) in the 91 days to 2024-06-30, more "
        "than 75%: oversight rests on one side."
    )
    assert oversight_sentence(balance, 1, ["Helix Pharma", "Nova Bio", "Orbit CRO"]) == (
        "Monitoring requests in the 91 days to 2024-06-30: Helix Pharma 1, Nova Bio 1, "
        "Orbit CRO 2; no party made more than 75%."
    )
    assert oversight_sentence(balance, 2, ["A", "B"]) == (
        "Only 1 monitoring request in the 91 days to 2024-06-30; at least 4 are needed to "
        "judge the balance of oversight."
    )
    empty = oversight_balance(requests([]), PORTFOLIO, today=TODAY)
    assert oversight_sentence(empty, 2, ["A", "B"]) == (
        "No monitoring requests in the 91 days to 2024-06-30: no evidence about the balance "
        "of oversight."
    )
    with raises(PARTY_NAMES_MISMATCH):
        oversight_sentence(balance, 1, ["Helix Pharma", "Nova Bio"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"window_days": 0}, WINDOW_INVALID),
        ({"threshold": 0.4}, OVERSIGHT_THRESHOLD_RANGE),
        ({"threshold": 1.0}, OVERSIGHT_THRESHOLD_RANGE),
        ({"min_requests": 0}, MIN_REQUESTS_INVALID),
    ],
)
def test_oversight_rejects_bad_settings(kwargs, message):
    with raises(message):
        oversight_balance(requests([]), PORTFOLIO, today=TODAY, **kwargs)


def test_oversight_rejects_a_party_outside_its_partnership():
    with raises(PARTY_OUT_OF_RANGE):
        oversight_balance(requests([(2, 2, -1)]), PORTFOLIO, today=TODAY)
    with raises(DATE_MISSING):
        requests([(0, 0, None)])


@given(st.data(), st.sampled_from([0.5, 0.6, 0.75, 0.9]), st.integers(1, 6))
def test_oversight_matches_a_per_partnership_reference_loop(data, threshold, min_requests):
    portfolio = data.draw(portfolios())
    rows = data.draw(party_rows(portfolio, st.tuples(st.integers(-120, 10))))
    balance = oversight_balance(
        requests(rows), portfolio, today=TODAY, threshold=threshold, min_requests=min_requests
    )
    signal = oversight_signal(balance)
    for p in range(portfolio.n_partnerships):
        n_parties = int(portfolio.party_count[p])
        counts = [0] * n_parties
        for partnership, party, offset in rows:
            if partnership == p and -91 < offset <= 0:
                counts[party] += 1
        total = sum(counts)
        assert balance.counts[p, :n_parties].tolist() == counts
        enough = total >= min_requests
        top = max(counts) / total if total else None
        assert balance.flagged[p] == (enough and top > threshold)
        if enough and n_parties > 1:
            assert signal[p] == pytest.approx((1 - top) * n_parties / (n_parties - 1))
        else:
            assert np.isnan(signal[p])


# --- metric attainment ----------------------------------------------------------------------


def metrics(rows):
    """rows: (partnership, category, direction, target, amber, red)."""
    columns = list(zip(*rows, strict=True)) if rows else [[]] * 6
    return Metrics(*[list(c) for c in columns])


def observations(rows):
    """rows: (metric, day offset, value)."""
    return Observations(
        metric=[r[0] for r in rows],
        observed_on=np.array([d(r[1]) for r in rows], dtype="datetime64[D]"),
        value=[float(r[2]) for r in rows],
    )


REVENUE = (0, "financial", "higher", 100.0, 90.0, 75.0)
CYCLE_DAYS = (0, "operational", "lower", 10.0, 12.0, 15.0)


@pytest.mark.parametrize(
    ("metric", "value", "status"),
    [
        (REVENUE, 120, MetricStatus.GREEN),
        (REVENUE, 90, MetricStatus.GREEN),
        (REVENUE, 89.9, MetricStatus.AMBER),
        (REVENUE, 75, MetricStatus.AMBER),
        (REVENUE, 74.9, MetricStatus.RED),
        (CYCLE_DAYS, 8, MetricStatus.GREEN),
        (CYCLE_DAYS, 12, MetricStatus.GREEN),
        (CYCLE_DAYS, 12.1, MetricStatus.AMBER),
        (CYCLE_DAYS, 15, MetricStatus.AMBER),
        (CYCLE_DAYS, 15.1, MetricStatus.RED),
    ],
)
def test_status_follows_the_thresholds_in_the_metrics_direction(metric, value, status):
    result = metric_attainment(
        metrics([metric]), observations([(0, -1, value)]), PORTFOLIO, today=TODAY
    )
    assert result.status.tolist() == [status.value]


@pytest.mark.parametrize(
    ("metric", "value", "ratio"),
    [
        (REVENUE, 80, 0.8),
        (REVENUE, 150, 1.5),
        (REVENUE, 500, 2.0),  # capped
        (REVENUE, -20, 0.0),
        (CYCLE_DAYS, 20, 0.5),
        (CYCLE_DAYS, 4, 2.0),  # capped
        (CYCLE_DAYS, 0, 2.0),  # nothing left to improve
    ],
)
def test_attainment_ratio_reads_the_direction_and_is_capped(metric, value, ratio):
    result = metric_attainment(
        metrics([metric]), observations([(0, -1, value)]), PORTFOLIO, today=TODAY
    )
    assert result.ratio[0] == pytest.approx(ratio)


def test_the_latest_observation_is_the_latest_dated_one_known_today():
    rows = [(0, -1, 95), (0, -30, 60), (0, -1, 85), (0, 5, 10)]
    result = metric_attainment(metrics([REVENUE]), observations(rows), PORTFOLIO, today=TODAY)
    assert result.latest_value[0] == 85  # same day: the last given wins; the future is unknown
    assert str(result.latest_on[0]) == "2024-06-29"
    assert result.n_observations[0] == 3


def test_trends_are_read_in_the_improving_direction():
    rows = [(0, -30, 80), (0, -20, 85), (0, -10, 90)]  # revenue rising: improving
    rows += [(1, -30, 14), (1, -20, 13), (1, -10, 12)]  # cycle time falling: improving
    rows += [(2, -30, 90), (2, -20, 80), (2, -10, 70)]  # revenue falling: worsening
    rows += [(3, -30, 100), (3, -20, 100.4), (3, -10, 100.8)]  # within 1% of target: flat
    rows += [(4, -10, 100)]  # one observation: unknown
    result = metric_attainment(
        metrics([REVENUE, CYCLE_DAYS, REVENUE, REVENUE, REVENUE]),
        observations(rows),
        PORTFOLIO,
        today=TODAY,
    )
    assert result.trend.tolist() == [1, 1, -1, 0, 0]
    assert result.slope[0] == pytest.approx(0.5)
    assert result.slope[1] == pytest.approx(-0.1)
    assert np.isnan(result.slope[4])


def test_trends_use_only_the_last_observations():
    rows = [(0, -50, 10), (0, -40, 100), (0, -30, 95), (0, -20, 90)]
    result = metric_attainment(
        metrics([REVENUE]), observations(rows), PORTFOLIO, today=TODAY, trend_points=3
    )
    assert result.trend[0] == -1


def test_metrics_without_observations_have_no_evidence_not_zero():
    result = metric_attainment(
        metrics([REVENUE, (1, "market", "higher", 5, 4, 3)]),
        observations([(0, -1, 95)]),
        PORTFOLIO,
        today=TODAY,
    )
    assert result.status.tolist() == ["green", "no_evidence"]
    assert np.isnan(result.ratio[1])
    assert np.isnat(result.latest_on[1])
    assert result.trend[1] == 0
    assert np.isnan(result.green_share_total[1:]).all()
    assert np.isnan(attainment_signal(result)[1:]).all()


def test_attainment_rolls_up_per_category_and_partnership():
    rows = [
        REVENUE,
        (0, "financial", "higher", 100, 90, 75),
        CYCLE_DAYS,
        (0, "relationship", "higher", 5, 4, 3),
    ]
    obs = [(0, -1, 150), (1, -1, 80), (2, -1, 20), (3, -1, 4.5)]
    result = metric_attainment(metrics(rows), observations(obs), PORTFOLIO, today=TODAY)
    financial, operational = (CATEGORIES.index(c) for c in ("financial", "operational"))
    assert result.with_evidence[0].tolist() == [2, 1, 0, 0, 1]
    assert result.green[0].tolist() == [1, 0, 0, 0, 1]
    assert result.green_share[0, financial] == 0.5
    assert result.green_share[0, operational] == 0.0
    assert np.isnan(result.green_share[0, CATEGORIES.index("market")])
    assert result.green_share_total[0] == 0.5
    assert result.mean_ratio[0, financial] == pytest.approx((1.5 + 0.8) / 2)
    # Signal: financial (1 + 0.8)/2, operational 0.5, relationship 0.9, equally weighted.
    assert attainment_signal(result)[0] == pytest.approx((0.9 + 0.5 + 0.9) / 3)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ((0, "financial", "higher", 100, 95, 96), THRESHOLDS_ORDER_HIGHER),
        ((0, "financial", "higher", 100, 101, 90), THRESHOLDS_ORDER_HIGHER),
        ((0, "operational", "lower", 10, 9, 15), THRESHOLDS_ORDER_LOWER),
        ((0, "operational", "lower", 10, 12, 11), THRESHOLDS_ORDER_LOWER),
        ((0, "financial", "higher", 0, -1, -2), TARGET_NOT_POSITIVE),
        ((0, "financial", "higher", np.nan, 1, 0), METRIC_VALUES_NOT_FINITE),
        ((0, "finance", "higher", 100, 90, 75), UNKNOWN_CATEGORY),
        ((0, "financial", "up", 100, 90, 75), UNKNOWN_DIRECTION),
    ],
)
def test_metric_definitions_are_validated(row, message):
    with raises(message):
        metrics([row])


def test_observations_and_settings_are_validated():
    with raises(METRIC_VALUES_NOT_FINITE):
        observations([(0, -1, np.inf)])
    with raises(DATE_MISSING):
        observations([(0, None, 1)])
    with raises(METRIC_OUT_OF_RANGE):
        metric_attainment(metrics([REVENUE]), observations([(1, -1, 1)]), PORTFOLIO, today=TODAY)
    with raises(PARTNERSHIP_OUT_OF_RANGE):
        metric_attainment(metrics([(5, *REVENUE[1:])]), observations([]), PORTFOLIO, today=TODAY)
    for kwargs, message in [
        ({"trend_points": 1}, TREND_POINTS_INVALID),
        ({"cap": 0.9}, CAP_INVALID),
        ({"flat_tolerance": -0.1}, FLAT_TOLERANCE_INVALID),
    ]:
        with raises(message):
            metric_attainment(
                metrics([REVENUE]), observations([]), PORTFOLIO, today=TODAY, **kwargs
            )


@st.composite
def metric_rows(draw, portfolio):
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        partnership = draw(st.integers(0, portfolio.n_partnerships - 1))
        category = draw(st.sampled_from([c.value for c in CATEGORIES]))
        low, middle, high = sorted(draw(st.lists(st.integers(1, 20), min_size=3, max_size=3)))
        if draw(st.booleans()):  # red ≤ amber ≤ target
            rows.append((partnership, category, "higher", float(high), float(middle), float(low)))
        else:  # red ≥ amber ≥ target
            rows.append((partnership, category, "lower", float(low), float(middle), float(high)))
    return rows


def reference_metric(definition, points, trend_points, cap, tolerance):
    """Status, ratio and trend of one metric from its (day, value) points, in input order."""
    _, _, direction, target, amber, red = definition
    if not points:
        return "no_evidence", None, 0
    ordered = sorted(points, key=lambda p: p[0])  # stable: the last given wins a tie
    value = ordered[-1][1]
    better = (lambda a, b: a >= b) if direction == "higher" else (lambda a, b: a <= b)
    status = "green" if better(value, amber) else "amber" if better(value, red) else "red"
    if direction == "lower":
        value_over_target = target / value if value > 0 else cap
    else:
        value_over_target = value / target
    ratio = min(max(value_over_target, 0.0), cap)
    recent = ordered[-trend_points:]
    days = [p[0] for p in recent]
    if len(set(days)) < 2:
        return status, ratio, 0
    slope = statistics.linear_regression(days, [p[1] for p in recent]).slope
    change = slope * (days[-1] - days[0])
    if abs(abs(change) - tolerance * target) < 1e-9:
        return status, ratio, None  # on the flat boundary: rounding decides, do not compare
    if abs(change) <= tolerance * target:
        return status, ratio, 0
    improving = change > 0 if direction == "higher" else change < 0
    return status, ratio, 1 if improving else -1


@given(st.data(), st.integers(2, 4), st.sampled_from([1.0, 1.5]), st.sampled_from([0.0, 0.05]))
def test_attainment_matches_a_per_metric_reference_loop(data, trend_points, cap, tolerance):
    portfolio = data.draw(portfolios())
    definitions = data.draw(metric_rows(portfolio))
    points = (
        data.draw(
            st.lists(
                st.tuples(
                    st.integers(0, len(definitions) - 1), st.integers(-60, 5), st.integers(0, 30)
                ),
                max_size=30,
            )
        )
        if definitions
        else []
    )
    result = metric_attainment(
        metrics(definitions),
        observations(points),
        portfolio,
        today=TODAY,
        trend_points=trend_points,
        cap=cap,
        flat_tolerance=tolerance,
    )
    met_by_partnership = [{} for _ in range(portfolio.n_partnerships)]
    for m, definition in enumerate(definitions):
        known = [(day, float(value)) for metric, day, value in points if metric == m and day <= 0]
        status, ratio, trend = reference_metric(definition, known, trend_points, cap, tolerance)
        assert result.status[m] == status
        if ratio is None:
            assert np.isnan(result.ratio[m])
        else:
            assert result.ratio[m] == pytest.approx(ratio)
            categories = met_by_partnership[definition[0]]
            categories.setdefault(definition[1], []).append(min(ratio, 1.0))
        if trend is not None:
            assert result.trend[m] == trend
    signal = attainment_signal(result)
    for p, categories in enumerate(met_by_partnership):
        if categories:
            means = [statistics.fmean(v) for v in categories.values()]
            assert signal[p] == pytest.approx(statistics.fmean(means))
        else:
            assert np.isnan(signal[p])


# --- loop closure ---------------------------------------------------------------------------


def actions(rows):
    """rows: (partnership, cadence, due offset, done offset or None)."""
    return ReviewActions(
        partnership=[r[0] for r in rows],
        cadence=[r[1] for r in rows],
        due_on=np.array([d(r[2]) for r in rows], dtype="datetime64[D]"),
        done_on=np.array([d(r[3]) for r in rows], dtype="datetime64[D]"),
    )


def test_loop_closure_counts_actions_done_on_time_per_cadence():
    rows = [
        (0, "weekly", -7, -8),  # closed on time
        (0, "weekly", -7, -1),  # closed late
        (0, "weekly", 3, None),  # not yet due
        (0, "quarterly", -1, None),  # overdue
        (1, "monthly", -10, -10),
    ]
    closure = loop_closure(actions(rows), PORTFOLIO, today=TODAY)
    weekly, monthly, quarterly = (CADENCES.index(c) for c in ("weekly", "monthly", "quarterly"))
    assert closure.evaluated[0].tolist() == [0, 2, 0, 1]
    assert closure.rate[0, weekly] == 0.5
    assert closure.rate[0, quarterly] == 0.0
    assert np.isnan(closure.rate[0, monthly])
    assert closure.rate[1, monthly] == 1.0
    np.testing.assert_array_equal(loop_closure_signal(closure), [1 / 3, 1.0, np.nan])


def test_loop_closure_rejects_unknown_cadences_and_partnerships():
    with raises(UNKNOWN_CADENCE):
        actions([(0, "fortnightly", -1, None)])
    with raises(DATE_MISSING):
        actions([(0, "weekly", None, None)])
    with raises(PARTNERSHIP_OUT_OF_RANGE):
        loop_closure(actions([(-1, "weekly", -1, None)]), PORTFOLIO, today=TODAY)


@given(st.data())
def test_loop_closure_matches_a_per_partnership_reference_loop(data):
    portfolio = data.draw(portfolios())
    rows = data.draw(
        st.lists(
            st.tuples(
                st.integers(0, portfolio.n_partnerships - 1),
                st.sampled_from([c.value for c in CADENCES]),
                offsets,
                st.none() | offsets,
            ),
            max_size=25,
        )
    )
    closure = loop_closure(actions(rows), portfolio, today=TODAY)
    signal = loop_closure_signal(closure)
    for p in range(portfolio.n_partnerships):
        closed = judged = 0
        for c, cadence in enumerate(CADENCES):
            mine = [r for r in rows if r[0] == p and r[1] == cadence]
            done = [r for r in mine if r[3] is not None and r[3] <= 0]
            overdue = [r for r in mine if (r[3] is None or r[3] > 0) and r[2] < 0]
            on_time = sum(r[3] <= r[2] for r in done)
            assert closure.closed_on_time[p, c] == on_time
            assert closure.evaluated[p, c] == len(done) + len(overdue)
            closed, judged = closed + on_time, judged + len(done) + len(overdue)
        if judged:
            assert signal[p] == pytest.approx(closed / judged)
        else:
            assert np.isnan(signal[p])
