import math
import statistics
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain import trust
from accord.domain.trust import (
    DEFAULT_TRUST_INSTRUMENT,
    FORMS,
    Aggregate,
    Answers,
    BelowThreshold,
    Evidence,
    Groups,
    Instrument,
    Item,
    Rollup,
    RollupWithheld,
    RuleStatus,
    Stage,
    StageRule,
    StageRules,
    TrustError,
    TrustForm,
    asymmetries,
    judge_stage,
    rated_rollups,
    reverse,
    score_trust,
    trends,
)

# A short instrument keeps generated portfolios small: two items per form, one reversed.
SHORT = Instrument(
    key="short",
    version=1,
    items=tuple(
        Item(f"{form}.{i}", f"{{partner}} statement {i}", form, reverse=i == 1)
        for form in FORMS
        for i in range(2)
    ),
).items

# A portfolio as plain data: {(partnership, round, rater, rated): [respondent rows]}, where a row
# holds one raw value per item of the table, or None for a skipped item.
Row = list[int | None]
Portfolio = dict[tuple[int, int, int, int], list[Row]]


def build(portfolio: Portfolio, first_response: int = 0) -> tuple[Answers, Groups]:
    keys = list(portfolio)
    columns: list[list[int]] = [[], [], [], []]
    response = first_response
    for g, key in enumerate(keys):
        for row in portfolio[key]:
            for item, value in enumerate(row):
                if value is not None:
                    for column, x in zip(columns, (response, g, item, value), strict=True):
                        column.append(x)
            response += 1
    groups = Groups(*(np.array([key[i] for key in keys], np.int64) for i in range(4)))
    return Answers(*(np.array(c, np.int64) for c in columns)), groups


def scored(value: int, item: Item) -> int:
    return item.scale_points + 1 - value if item.reverse else value


def reference_alpha(matrix: list[list[int]]) -> float | None:
    """Cronbach's alpha written out as in a textbook, one loop at a time."""
    n_items = len(matrix[0])
    item_variances = 0.0
    for j in range(n_items):
        column = [row[j] for row in matrix]
        mean = sum(column) / len(column)
        item_variances += sum((x - mean) ** 2 for x in column) / (len(column) - 1)
    totals = [sum(row) for row in matrix]
    mean_total = sum(totals) / len(totals)
    total_variance = sum((t - mean_total) ** 2 for t in totals) / (len(totals) - 1)
    if total_variance == 0:
        return None
    return n_items / (n_items - 1) * (1 - item_variances / total_variance)


def reference_cell(rows: list[Row], items: tuple[Item, ...], form: TrustForm, k: int) -> dict:
    on_form = [i for i, item in enumerate(items) if item.form is form]
    scores = []
    for row in rows:
        answered = [scored(row[i], items[i]) for i in on_form if row[i] is not None]
        if answered:
            scores.append(sum(answered) / len(answered))
    if len(scores) < k:
        return {"visible": False}
    used = [i for i in on_form if any(row[i] is not None for row in rows)]
    complete = [
        [scored(row[i], items[i]) for i in used]
        for row in rows
        if all(row[i] is not None for i in used)
    ]
    # Spread (sd, alpha) only from 2k respondents: below, it would tell each answer.
    spread = len(scores) >= 2 * k
    alpha = None
    if spread and len(complete) >= max(trust.ALPHA_MIN_N, 2 * k) and len(used) >= 2:
        alpha = reference_alpha(complete)
    return {
        "visible": True,
        "n": len(scores),
        "mean": statistics.fmean(scores),
        "sd": statistics.stdev(scores) if spread else None,
        "alpha": alpha,
    }


@st.composite
def portfolios(draw: st.DrawFn, max_respondents: int = 14) -> tuple[Portfolio, dict[int, int]]:
    """Random partnerships of 2–3 parties over 1–3 rounds, some answers skipped, any k ≥ 3."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    portfolio: Portfolio = {}
    thresholds = {}
    for p in range(draw(st.integers(1, 2))):
        thresholds[p] = draw(st.integers(3, 6))
        parties = [10 * p + i for i in range(draw(st.integers(2, 3)))]
        skip = draw(st.sampled_from([0.0, 0.15]))
        for round_ in range(1, draw(st.integers(1, 3)) + 1):
            for rater in parties:
                for rated in parties:
                    if rater == rated:
                        continue
                    n = draw(st.integers(0, max_respondents))
                    values = rng.integers(1, 8, (n, len(SHORT))).tolist()
                    skipped = rng.random((n, len(SHORT))) < skip
                    portfolio[(p, round_, rater, rated)] = [
                        [None if s else v for v, s in zip(row, mask, strict=True)]
                        for row, mask in zip(values, skipped, strict=True)
                    ]
    return portfolio, thresholds


def offered_queries(scores: trust.TrustScores) -> tuple[object, ...]:
    """Everything the API offers about a scored portfolio, arrays included (NaN as None)."""
    arrays = (scores.mean, scores.sd, scores.alpha)
    return (
        scores.visible.tolist(),
        scores.n.tolist(),
        *(np.where(np.isnan(a), None, a).tolist() for a in arrays),
        scores.aggregates(),
        rated_rollups(scores),
        trends(scores),
        asymmetries(scores),
    )


def said(competence: int, contractual: int | None = None, goodwill: int | None = None) -> Row:
    """A respondent whose every answer on a form scores the given value (SHORT instrument)."""
    row: Row = []
    for value in (competence, contractual or competence, goodwill or competence):
        row += [value, 8 - value]
    return row


def one_group(rows: list[Row], items: tuple[Item, ...] = SHORT, k: int = 3) -> trust.TrustScores:
    answers, groups = build({(1, 1, 1, 2): rows})
    return score_trust(answers, groups, items, {1: k})


# The instrument


def test_default_instrument_has_four_items_per_form_some_reversed():
    items = DEFAULT_TRUST_INSTRUMENT.items
    for form in FORMS:
        on_form = [item for item in items if item.form is form]
        assert len(on_form) == 4
        assert any(item.reverse for item in on_form)
        assert not all(item.reverse for item in on_form)
    assert {item.scale_points for item in items} == {7}


def test_default_items_are_worded_about_the_partner_for_the_ui_to_fill():
    for item in DEFAULT_TRUST_INSTRUMENT.items:
        text = item.text.format(partner="Northwind")
        assert "Northwind" in text
        assert "{" not in text


@pytest.mark.parametrize(
    ("build_instrument", "message"),
    [
        (lambda: Item("x", "{partner} is fine", TrustForm.GOODWILL, scale_points=6), "5 or 7"),
        (lambda: Item("x", "They are fine", TrustForm.GOODWILL), "{partner}"),
        (
            lambda: Instrument("i", 1, (*SHORT, SHORT[0])),
            "lists item competence.0 twice",
        ),
        (
            lambda: Instrument("i", 1, tuple(i for i in SHORT if i.form is not TrustForm.GOODWILL)),
            "no item for the goodwill form",
        ),
        (
            lambda: Instrument("i", 1, (*SHORT, replace(SHORT[0], key="c5", scale_points=5))),
            "competence items on different scales",
        ),
    ],
)
def test_instrument_definitions_are_checked(build_instrument, message):
    with pytest.raises(TrustError, match=message):
        build_instrument()


# Reverse scoring


@given(st.sampled_from(trust.SCALE_POINTS), st.data())
def test_reversing_twice_gives_the_answer_back(points, data):
    values = data.draw(st.lists(st.integers(1, points), min_size=1, max_size=20))
    assert reverse(reverse(values, points), points).tolist() == values
    assert set(reverse(values, points).tolist()) <= set(range(1, points + 1))


@given(st.sampled_from(trust.SCALE_POINTS), st.lists(st.integers(0, 6), min_size=3, max_size=8))
def test_a_reversed_item_scores_a_mirrored_answer_like_a_plain_item(points, raw):
    values = [v % points + 1 for v in raw]
    plain = tuple(replace(i, reverse=False, scale_points=points) for i in SHORT)
    flipped = tuple(replace(i, reverse=True, scale_points=points) for i in SHORT)
    mirrored = reverse(values, points).tolist()
    straight = one_group([[v] * len(SHORT) for v in values], plain)
    reversed_ = one_group([[v] * len(SHORT) for v in mirrored], flipped)
    np.testing.assert_array_equal(straight.mean, reversed_.mean)
    np.testing.assert_array_equal(straight.sd, reversed_.sd)


# Scoring against a plain loop


@settings(max_examples=60, deadline=None)
@given(portfolios())
def test_scores_match_a_plain_loop_over_every_cell(case):
    portfolio, thresholds = case
    answers, groups = build(portfolio)
    scores = score_trust(answers, groups, SHORT, thresholds)
    for g, (key, rows) in enumerate(portfolio.items()):
        for f, form in enumerate(FORMS):
            expected = reference_cell(rows, SHORT, form, thresholds[key[0]])
            assert scores.visible[g, f] == expected["visible"]
            if not expected["visible"]:
                assert scores.n[g, f] == 0
                assert math.isnan(scores.mean[g, f])
                assert math.isnan(scores.sd[g, f])
                assert math.isnan(scores.alpha[g, f])
                continue
            assert scores.n[g, f] == expected["n"]
            assert scores.mean[g, f] == pytest.approx(expected["mean"], abs=1e-12)
            assert scores.spread_visible[g, f] == (expected["sd"] is not None)
            if expected["sd"] is None:
                assert math.isnan(scores.sd[g, f])
            else:
                assert scores.sd[g, f] == pytest.approx(expected["sd"], abs=1e-9)
            if expected["alpha"] is None:
                assert math.isnan(scores.alpha[g, f])
            else:
                assert scores.alpha[g, f] == pytest.approx(expected["alpha"], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(1, 7), min_size=width, max_size=width), min_size=6, max_size=30
        )
    ),
    st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_alpha_matches_the_textbook_formula(matrix, reversed_flags):
    width = len(matrix[0])
    items = tuple(
        Item(f"c{j}", "{partner}", TrustForm.COMPETENCE, reverse=reversed_flags[j])
        for j in range(width)
    ) + tuple(Item(f"o{form}", "{partner}", form) for form in FORMS[1:])
    scores = one_group([[*row, 4, 4] for row in matrix], items)
    expected = reference_alpha([[scored(v, items[j]) for j, v in enumerate(r)] for r in matrix])
    alpha = scores.alpha[0, 0]
    if expected is None:
        assert math.isnan(alpha)
    else:
        assert alpha == pytest.approx(expected, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(portfolios(), st.integers(0, 2**32 - 1), st.booleans())
def test_scores_ignore_answer_order_and_how_response_ids_are_spaced(case, seed, sparse):
    portfolio, thresholds = case
    answers, groups = build(portfolio)
    order = np.random.default_rng(seed).permutation(len(answers))
    spacing = 1_000_003 if sparse else 1
    shuffled = Answers(
        answers.response[order] * spacing,
        answers.group[order],
        answers.item[order],
        answers.value[order],
    )
    first = score_trust(answers, groups, SHORT, thresholds)
    second = score_trust(shuffled, groups, SHORT, thresholds)
    np.testing.assert_array_equal(first.n, second.n)
    np.testing.assert_allclose(first.mean, second.mean, rtol=1e-12)
    np.testing.assert_allclose(first.alpha, second.alpha, rtol=1e-9, atol=1e-12)


def test_it_scores_several_instrument_versions_in_one_call():
    five_point = tuple(replace(i, key=f"v2.{i.key}", scale_points=5) for i in SHORT)
    items = SHORT + five_point
    portfolio: Portfolio = {
        (1, 1, 1, 2): [[7, 1, 7, 1, 7, 1] + [None] * 6] * 3,
        (1, 2, 1, 2): [[None] * 6 + [5, 1, 5, 1, 5, 1]] * 3,
    }
    answers, groups = build(portfolio)
    scores = score_trust(answers, groups, items)
    np.testing.assert_array_equal(scores.mean, [[7.0] * 3, [5.0] * 3])


def test_alpha_warns_when_a_forms_items_disagree():
    # The two competence items move in opposite directions: no common attitude behind them.
    pairs = [(1, 6), (3, 5), (5, 2), (7, 2), (2, 3), (6, 4)]
    rows: list[Row] = [[x, 8 - y, 4, 4, 4, 4] for x, y in pairs]
    (competence, *_) = one_group(rows).aggregates()
    assert isinstance(competence, Aggregate)
    assert competence.alpha is not None
    assert competence.alpha < trust.ALPHA_WARNING
    assert competence.low_consistency


def test_alpha_is_reported_for_consistent_items_without_warning():
    rows: list[Row] = [[v, 8 - v, 4, 4, 4, 4] for v in (1, 3, 5, 7, 2, 6)]
    (competence, *_) = one_group(rows).aggregates()
    assert isinstance(competence, Aggregate)
    assert competence.alpha == pytest.approx(1.0)
    assert not competence.low_consistency


def test_alpha_waits_for_five_complete_answers():
    rows: list[Row] = [[v, 8 - v, 4, 4, 4, 4] for v in (1, 3, 5, 7)]
    rows.append([2, None, 4, 4, 4, 4])
    (competence, *_) = one_group(rows).aggregates()
    assert isinstance(competence, Aggregate)
    assert competence.n == 5
    assert competence.alpha is None


def test_alpha_waits_for_2k_complete_answers():
    rows: list[Row] = [[v, 8 - v, 4, 4, 4, 4] for v in (1, 3, 5, 7, 2, 6, 4)]
    rows.append([2, None, 4, 4, 4, 4])
    (competence, *_) = one_group(rows, k=4).aggregates()
    assert isinstance(competence, Aggregate)
    assert competence.n == 8
    assert competence.alpha is None  # 7 complete answers < 2k = 8
    (competence, *_) = one_group(rows, k=3).aggregates()
    assert isinstance(competence, Aggregate)
    assert competence.alpha is not None


# Anonymity


def test_it_hides_every_figure_of_a_cell_below_threshold():
    scores = one_group([[7] * 6, [6] * 6], k=3)
    assert scores.n.tolist() == [[0, 0, 0]]
    assert np.isnan(scores.mean).all()
    assert np.isnan(scores.sd).all()
    cell = scores.aggregates()[0]
    assert isinstance(cell, BelowThreshold)
    assert cell.k == 3
    assert not hasattr(cell, "mean")
    assert not hasattr(cell, "n")


def test_it_publishes_a_cell_once_k_people_answered():
    scores = one_group([said(7), said(6), said(5)], k=3)
    cell = scores.aggregates()[0]
    assert isinstance(cell, Aggregate)
    assert (cell.n, cell.mean, cell.sd, cell.alpha) == (3, 6.0, None, None)
    assert not cell.spread_shown


def test_it_publishes_spread_only_from_twice_k_respondents():
    """ "sd 0.00 · n 3" would tell every reader each answer: below 2k only mean and n."""
    five = [said(6)] * 5
    (cell, *_) = one_group(five, k=3).aggregates()
    assert isinstance(cell, Aggregate)
    assert (cell.n, cell.mean, cell.sd, cell.spread_shown) == (5, 6.0, None, False)
    assert math.isnan(one_group(five, k=3).sd[0, 0])
    six = [said(7), said(5)] * 3
    (cell, *_) = one_group(six, k=3).aggregates()
    assert isinstance(cell, Aggregate)
    assert cell.spread_shown
    assert cell.sd == pytest.approx(statistics.stdev([7, 5] * 3))
    (cell, *_) = one_group(six, k=4).aggregates()
    assert isinstance(cell, Aggregate)
    assert (cell.n, cell.sd, cell.spread_shown) == (6, None, False)


def test_a_rounds_own_k_replaces_the_partnership_k():
    rows = [[4] * 6] * 4
    answers, groups = build({(1, 1, 1, 2): rows, (1, 2, 1, 2): rows})
    scores = score_trust(answers, groups, SHORT, {1: 3}, group_k=[5, 3])
    assert scores.k.tolist() == [5, 3]
    assert scores.visible.tolist() == [[False] * 3, [True] * 3]


def test_it_refuses_a_round_k_below_three_or_of_the_wrong_length():
    answers, groups = build({(1, 1, 1, 2): [[4] * 6] * 3})
    with pytest.raises(TrustError, match="never below 3"):
        score_trust(answers, groups, SHORT, group_k=[2])
    with pytest.raises(TrustError, match="2 thresholds for 1 groups"):
        score_trust(answers, groups, SHORT, group_k=[3, 3])


def test_threshold_is_set_per_partnership():
    rows = [[4] * 6] * 4
    answers, groups = build({(1, 1, 1, 2): rows, (2, 1, 3, 4): rows})
    scores = score_trust(answers, groups, SHORT, {2: 5})
    assert scores.visible.tolist() == [[True] * 3, [False] * 3]
    assert scores.k.tolist() == [3, 5]


@pytest.mark.parametrize("k", [0, 1, 2])
def test_it_refuses_a_threshold_below_three(k):
    answers, groups = build({(1, 1, 1, 2): [[4] * 6] * 3})
    with pytest.raises(TrustError, match="never below 3"):
        score_trust(answers, groups, SHORT, {1: k})


def test_scores_cannot_be_edited_after_scoring():
    scores = one_group([[4] * 6] * 3)
    with pytest.raises(ValueError, match="read-only"):
        scores.mean[0, 0] = 1.0


def withhold_differently(
    portfolio: Portfolio, scores: trust.TrustScores, thresholds: dict[int, int], seed: int
) -> Portfolio:
    """Replace the answers of every withheld cell with other answers from another number of
    people (still below k), leaving published cells alone."""
    rng = np.random.default_rng(seed)
    changed: Portfolio = {}
    for g, (key, rows) in enumerate(portfolio.items()):
        kept = [list(row) for row in rows]
        extra: list[Row] = []
        for f, form in enumerate(FORMS):
            if scores.visible[g, f]:
                continue
            on_form = [i for i, item in enumerate(SHORT) if item.form is form]
            for row in kept:
                for i in on_form:
                    row[i] = None
            for _ in range(int(rng.integers(0, thresholds[key[0]]))):
                new: Row = [None] * len(SHORT)
                for i in on_form:
                    new[i] = int(rng.integers(1, 8))
                extra.append(new)
        changed[key] = [row for row in kept if any(v is not None for v in row)] + extra
    return changed


@settings(max_examples=60, deadline=None)
@given(portfolios(max_respondents=7), st.integers(0, 2**32 - 1))
def test_no_offered_query_depends_on_a_withheld_cell(case, seed):
    # If every query answers the same whatever a withheld cell holds, no combination of them
    # (totals minus parts, differences across rounds or directions) can reveal that cell.
    portfolio, thresholds = case
    answers, groups = build(portfolio)
    scores = score_trust(answers, groups, SHORT, thresholds)
    other = withhold_differently(portfolio, scores, thresholds, seed)
    other_answers, other_groups = build(other, first_response=len(answers) + 1)
    other_scores = score_trust(other_answers, other_groups, SHORT, thresholds)
    assert offered_queries(other_scores) == offered_queries(scores)


@settings(max_examples=60, deadline=None)
@given(portfolios(max_respondents=7))
def test_no_rollup_leaves_a_withheld_part_to_subtract(case):
    portfolio, thresholds = case
    answers, groups = build(portfolio)
    scores = score_trust(answers, groups, SHORT, thresholds)
    published = {
        (c.cell.partnership, c.cell.round, c.cell.rater, c.cell.rated, c.cell.form): c
        for c in scores.aggregates()
        if isinstance(c, Aggregate)
    }
    for rollup in rated_rollups(scores):
        parts = [
            published.get((rollup.partnership, rollup.round, r, rollup.rated, rollup.form))
            for r in rollup.raters
        ]
        if isinstance(rollup, RollupWithheld):
            assert None in parts
            continue
        assert None not in parts
        # Total minus every visible part: nothing remains to be recovered.
        remainder_n = rollup.n - sum(p.n for p in parts)
        remainder_sum = rollup.n * rollup.mean - sum(p.n * p.mean for p in parts)
        assert remainder_n == 0
        assert remainder_sum == pytest.approx(0, abs=1e-9)


def test_rollup_pools_the_respondents_of_every_rater_party():
    low, high = [said(2)] * 6, [said(6)] * 7
    answers, groups = build({(1, 1, 1, 3): low, (1, 1, 2, 3): high, (1, 1, 3, 1): low})
    rollups = rated_rollups(score_trust(answers, groups, SHORT))
    assert [r.form for r in rollups] == list(FORMS)
    pooled = rollups[0]
    assert isinstance(pooled, Rollup)
    values = [2.0] * 6 + [6.0] * 7
    assert (pooled.rated, pooled.raters, pooled.n) == (3, (1, 2), 13)
    assert pooled.mean == pytest.approx(statistics.fmean(values))
    assert pooled.sd == pytest.approx(statistics.stdev(values))


def test_rollup_hides_its_sd_when_one_rater_partys_spread_is_hidden():
    """A pooled sd beside one shown sd would give the hidden group's spread away."""
    small, large = [said(2), said(3), said(4)], [said(6), said(5)] * 4
    answers, groups = build({(1, 1, 1, 3): small, (1, 1, 2, 3): large, (1, 1, 3, 1): small})
    pooled = rated_rollups(score_trust(answers, groups, SHORT))[0]
    assert isinstance(pooled, Rollup)
    assert (pooled.n, pooled.sd) == (11, None)


def test_rollup_is_withheld_when_one_rater_party_is_below_threshold():
    answers, groups = build({(1, 1, 1, 3): [[2] * 6] * 3, (1, 1, 2, 3): [[6] * 6] * 2})
    rollups = rated_rollups(score_trust(answers, groups, SHORT))
    assert all(isinstance(r, RollupWithheld) for r in rollups)
    assert not hasattr(rollups[0], "mean")


# Trends and asymmetry


def test_trend_follows_published_rounds_and_skips_withheld_ones():
    portfolio: Portfolio = {
        (1, 1, 1, 2): [said(3)] * 3,
        (1, 2, 1, 2): [said(7)] * 2,
        (1, 3, 1, 2): [said(4)] * 3,
        (1, 4, 1, 2): [said(6)] * 3,
    }
    answers, groups = build(portfolio)
    competence = trends(score_trust(answers, groups, SHORT))[0]
    assert competence.form is TrustForm.COMPETENCE
    assert (competence.rater, competence.rated) == (1, 2)
    assert competence.rounds == (1, 3, 4)
    assert competence.means == (3.0, 4.0, 6.0)
    assert competence.change == pytest.approx(2.0)
    assert competence.slope == pytest.approx(np.polyfit([1, 3, 4], [3, 4, 6], 1)[0])


def test_a_single_published_round_has_no_trend_yet():
    trend = trends(one_group([[5] * 6] * 3))[0]
    assert (trend.rounds, trend.change, trend.slope) == ((1,), None, None)


def test_asymmetry_is_flagged_beyond_one_scale_point():
    portfolio: Portfolio = {
        (1, 1, 2, 1): [said(4, 5, 3)] * 3,
        (1, 1, 1, 2): [said(5, 3, 3)] * 3,
    }
    answers, groups = build(portfolio)
    found = {a.form: a for a in asymmetries(score_trust(answers, groups, SHORT))}
    competence = found[TrustForm.COMPETENCE]
    assert (competence.party_a, competence.party_b) == (1, 2)
    assert (competence.a_in_b, competence.b_in_a, competence.gap) == (5.0, 4.0, 1.0)
    assert not competence.flagged
    contractual = found[TrustForm.CONTRACTUAL]
    assert contractual.gap == -2.0
    assert contractual.flagged
    assert found[TrustForm.GOODWILL].gap == 0


def test_asymmetry_needs_both_directions_published():
    portfolio: Portfolio = {(1, 1, 1, 2): [[6] * 6] * 3, (1, 1, 2, 1): [[2] * 6] * 2}
    answers, groups = build(portfolio)
    assert asymmetries(score_trust(answers, groups, SHORT)) == ()


def test_asymmetry_threshold_must_be_positive():
    with pytest.raises(TrustError, match="must be positive"):
        asymmetries(one_group([[5] * 6] * 3), threshold=0)


# Bad input


def bad(**changes: object) -> tuple[Answers, Groups]:
    columns = {"response": [0, 0, 1], "group": [0, 0, 0], "item": [0, 1, 0], "value": [4, 4, 4]}
    columns.update(changes)  # type: ignore[arg-type]
    return Answers(**columns), Groups([1], [1], [1], [2])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"group": [0, 0, 1]}, "Answer 2 refers to group 1; there are 1 groups."),
        ({"item": [0, 6, 0]}, "Answer 1 refers to item 6; the item table has 6 items."),
        ({"value": [4, 8, 4]}, "Answer 1 has value 8, outside the item's scale 1–7."),
        ({"value": [4, 0, 4]}, "Answer 1 has value 0, outside"),
        ({"item": [0, 0, 0]}, "Response 0 answers item 0 twice."),
        ({"response": [5, 5 * 10**9, 5], "item": [0, 1, 0]}, "Response 5 answers item 0 twice."),
    ],
)
def test_it_names_the_bad_answer(case, message):
    answers, groups = bad(**case)
    with pytest.raises(TrustError, match=message):
        score_trust(answers, groups, SHORT)


def test_one_response_belongs_to_one_group():
    answers = Answers([7, 7], [0, 1], [0, 1], [4, 4])
    groups = Groups([1, 1], [1, 1], [1, 2], [2, 1])
    with pytest.raises(TrustError, match="Response 7 answers in two groups"):
        score_trust(answers, groups, SHORT)


def test_a_group_cannot_mix_scales_on_one_form():
    items = (*SHORT, replace(SHORT[0], key="five", scale_points=5))
    answers = Answers([0, 1], [0, 0], [0, 6], [4, 4])
    with pytest.raises(TrustError, match="Group 0 has competence answers on different scales"):
        score_trust(answers, Groups([1], [1], [1], [2]), items)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (([1, 1], [1, 1], [1, 2], [2, 1, 3]), "same length"),
        (([1], [1], [1], [1]), "party 1 rates itself"),
        (([1, 1], [1, 1], [1, 1], [2, 2]), "Groups 0 and 1 share"),
        (([1.5], [1], [1], [2]), "partnership must hold integers"),
        (([[1]], [1], [1], [2]), "one-dimensional"),
    ],
)
def test_groups_are_checked(columns, message):
    with pytest.raises(TrustError, match=message):
        Groups(*columns)


def test_an_empty_item_table_is_refused():
    answers, groups = bad()
    with pytest.raises(TrustError, match="item table is empty"):
        score_trust(answers, groups, ())


def test_an_empty_portfolio_scores_to_nothing():
    scores = score_trust(Answers([], [], [], []), Groups([], [], [], []), SHORT)
    assert all(len(query) == 0 for query in offered_queries(scores))


# Development stage

ALL_HOLD = Evidence(
    completed_small_exchanges=3,
    competence_trust=5.5,
    contractual_trust=5.2,
    goodwill_trust=5.4,
    on_time_rates=(0.6, 0.85, 0.9, 0.95),
    longest_communication_gap_days=14,
    scope_growth=0.3,
    fewest_people_per_party=4,
    fewest_units_per_party=2,
    trust_drop_after_staff_change=0.2,
)


def test_without_evidence_it_stays_at_assessment_and_invents_nothing():
    judgement = judge_stage(Evidence())
    assert judgement.stage is Stage.ASSESSMENT
    assert {r.status for r in judgement.rules} == {RuleStatus.NO_EVIDENCE}
    assert judgement.next_stage is Stage.VERIFICATION
    assert [r.rule for r in judgement.missing] == [
        StageRule.SMALL_EXCHANGES,
        StageRule.COMPETENCE_TRUST,
    ]
    assert judgement.missing[0].explanation == (
        "No small exchange has been recorded yet; verification needs at least 2 completed."
    )


def test_full_evidence_reaches_institutionalization():
    judgement = judge_stage(ALL_HOLD)
    assert judgement.stage is Stage.INSTITUTIONALIZATION
    assert judgement.next_stage is None
    assert judgement.missing == ()
    assert {r.status for r in judgement.rules} == {RuleStatus.HOLDS}


def test_stages_are_cumulative():
    # Everything for the later stages holds, but too few small exchanges were completed.
    judgement = judge_stage(replace(ALL_HOLD, completed_small_exchanges=1))
    assert judgement.stage is Stage.ASSESSMENT
    (missing,) = judgement.missing
    assert missing.rule is StageRule.SMALL_EXCHANGES
    assert missing.status is RuleStatus.FAILS
    assert missing.explanation == (
        "1 small exchanges completed; verification needs at least 2 completed."
    )


def test_missing_evidence_stops_the_stage_where_it_is_needed():
    judgement = judge_stage(replace(ALL_HOLD, scope_growth=None))
    assert judgement.stage is Stage.REINFORCEMENT
    assert judgement.next_stage is Stage.EXPANSION
    (missing,) = judgement.missing
    assert missing.status is RuleStatus.NO_EVIDENCE
    assert missing.explanation == "No scope history yet; expansion needs growth of at least 10%."


def test_untested_staff_change_keeps_it_short_of_institutionalization():
    judgement = judge_stage(replace(ALL_HOLD, trust_drop_after_staff_change=None))
    assert judgement.stage is Stage.EXPANSION
    assert [r.rule for r in judgement.missing] == [StageRule.STAFF_CHANGE]


@pytest.mark.parametrize(
    ("rates", "status", "explanation"),
    [
        (
            (0.9, 0.85),
            RuleStatus.FAILS,
            "On-time delivery in the last 2 of 2 periods: 90%, 85%; reinforcement needs 3 periods"
            " in a row with at least 80% delivered on time.",
        ),
        ((0.9, 0.7, 0.95), RuleStatus.FAILS, "in the last 3 of 3 periods: 90%, 70%, 95%"),
        ((0.5, 0.9, 0.8, 0.85), RuleStatus.HOLDS, "in the last 3 of 4 periods: 90%, 80%, 85%"),
        ((), RuleStatus.NO_EVIDENCE, "No commitments have come due yet"),
    ],
)
def test_on_time_delivery_must_be_sustained(rates, status, explanation):
    judgement = judge_stage(replace(ALL_HOLD, on_time_rates=rates))
    (rule,) = [r for r in judgement.rules if r.rule is StageRule.ON_TIME_RECORD]
    assert rule.status is status
    assert explanation in rule.explanation


def test_stage_rules_are_configurable():
    strict = StageRules(min_goodwill_trust=6.0)
    judgement = judge_stage(ALL_HOLD, strict)
    assert judgement.stage is Stage.REINFORCEMENT
    (missing,) = judgement.missing
    assert missing.explanation == (
        "The lowest goodwill trust between the parties is 5.4 of 7; expansion needs at least 6.0."
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Evidence(goodwill_trust=7.5), r"goodwill_trust = 7.5 is outside \[1, 7\]"),
        (lambda: Evidence(on_time_rates=(0.5, 1.2)), "on_time_rates = 1.2"),
        (lambda: Evidence(completed_small_exchanges=-1), "completed_small_exchanges = -1"),
        (lambda: StageRules(min_on_time_rate=80), "StageRules.min_on_time_rate = 80"),
        (lambda: StageRules(min_people_per_party=0), "min_people_per_party = 0"),
    ],
)
def test_evidence_and_rules_refuse_impossible_values(make, message):
    with pytest.raises(TrustError, match=message):
        make()
