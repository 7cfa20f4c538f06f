import statistics
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from accord.domain.culture import (
    BRIDGING_PRACTICES,
    DIMENSIONS,
    FITS,
    UNCLASSIFIED,
    CultureError,
    CultureRules,
    Dimension,
    Fit,
    Ratings,
    assess_culture,
    classify,
    due_diligence_report,
)

RISK, TIME, FORMALITY, DECISIONS, COMMUNICATION, INNOVATION = range(6)

# Ratings as plain data: {(partnership, rater party, rated party): [one row of six values per
# respondent]}. Respondent i of party p has id 100 * p + i.
Profiles = dict[tuple[int, int, int], list[list[int]]]


def ratings_from(profiles: Profiles) -> Ratings:
    rows = []
    for (partnership, rater, rated), respondents in profiles.items():
        for i, values in enumerate(respondents):
            for dimension, value in enumerate(values):
                rows.append((100 * rater + i, partnership, rater, rated, dimension, value))
    return Ratings(*(np.array(column, np.int64) for column in zip(*rows, strict=True)))


def one_dimension(
    dimension: int,
    self_a: int,
    self_b: int,
    a_sees_b: int | None,
    b_sees_a: int | None,
    raters: int = 3,
) -> Profiles:
    """Parties 1 and 2 of partnership 7, every rater giving the same value on ``dimension``
    and 4 elsewhere; None leaves a view out."""

    def row(value: int) -> list[list[int]]:
        return [[value if d == dimension else 4 for d in range(6)]] * raters

    profiles = {(7, 1, 1): row(self_a), (7, 2, 2): row(self_b)}
    if a_sees_b is not None:
        profiles[(7, 1, 2)] = row(a_sees_b)
    if b_sees_a is not None:
        profiles[(7, 2, 1)] = row(b_sees_a)
    return profiles


def reading_of(profiles: Profiles, dimension: int, **kwargs):
    readings = assess_culture(ratings_from(profiles), **kwargs).readings
    return next(r for r in readings if r.dimension is DIMENSIONS[dimension].dimension)


NAMES = {1: "Acme", 2: "Borealis"}

# The data


def test_six_dimensions_with_an_anchor_for_each_end():
    assert [d.dimension for d in DIMENSIONS] == list(Dimension)
    for spec in DIMENSIONS:
        assert spec.low_anchor != spec.high_anchor
        assert spec.low_anchor.lower().startswith(spec.low_pole.split("-")[0])
        assert spec.high_anchor.endswith(".")
    adding = {d.dimension for d in DIMENSIONS if d.difference_adds_value}
    assert adding == {Dimension.RISK_TOLERANCE, Dimension.INNOVATION}


def test_catalog_has_practices_wherever_a_fit_can_call_for_them():
    for spec in DIMENSIONS:
        practices = BRIDGING_PRACTICES[spec.dimension]
        fits = {p.fit for p in practices}
        assert Fit.FRICTION in fits
        assert (Fit.COMPLEMENTARY in fits) == spec.difference_adds_value
        assert Fit.ALIGNED not in fits
        for practice in practices:
            assert practice.title
            assert practice.description.endswith(".")
            assert practice.description.count(". ") == 0


# Profiles, distance and gaps


def test_profiles_are_means_over_each_partys_raters():
    profiles: Profiles = {
        (7, 1, 1): [[2] * 6, [3] * 6, [4] * 6],
        (7, 2, 2): [[6] * 6, [6] * 6, [7] * 6],
        (7, 1, 2): [[5] * 6, [5] * 6, [6] * 6],
        (7, 2, 1): [[1] * 6, [2] * 6, [2] * 6, [3] * 6],
    }
    reading = reading_of(profiles, FORMALITY)
    assert (reading.partnership, reading.party_a, reading.party_b) == (7, 1, 2)
    assert reading.self_a == 3.0
    assert reading.self_b == pytest.approx(19 / 3)
    assert reading.a_sees_b == pytest.approx(16 / 3)
    assert reading.b_sees_a == 2.0
    assert reading.distance == pytest.approx(10 / 3)
    assert reading.gap_a_about_b == pytest.approx(-1.0)
    assert reading.gap_b_about_a == -1.0


@pytest.mark.parametrize(
    ("case", "fit", "explanation"),
    [
        (
            (FORMALITY, 3, 4, 4, 3),
            Fit.ALIGNED,
            "Aligned: Acme rates itself 3.0 and Borealis 4.0 on formality, 1.0 apart"
            " (aligned up to 1.0).",
        ),
        (
            (FORMALITY, 3, 4, 7, 3),
            Fit.ALIGNED,
            "Yet Acme places Borealis 3.0 points closer to formal than Borealis places itself:"
            " worth talking through.",
        ),
        (
            (INNOVATION, 2, 5, 5, 3),
            Fit.COMPLEMENTARY,
            "Complementary: Acme rates itself 2.0 and Borealis 5.0 on innovation approach,"
            " 3.0 apart, where difference adds value (an exploring partner finds options and an"
            " improving one makes them work), and each sees the other within 1.0 of how the"
            " other sees itself.",
        ),
        (
            (COMMUNICATION, 2, 4, 4, 2),
            Fit.FRICTION,
            "Friction: Acme rates itself 2.0 and Borealis 4.0 on communication norms, 2.0 apart,"
            " on a dimension where difference hurts: bad news gets missed by one side or taken"
            " as an affront by the other.",
        ),
        (
            (RISK, 1, 6, 6, 1),
            Fit.FRICTION,
            "5.0 apart, wider than the 3.0 points across which this difference still adds value.",
        ),
        (
            (RISK, 2, 5, 3, 2),
            Fit.FRICTION,
            "and the difference is misread: Acme places Borealis 2.0 points closer to cautious"
            " than Borealis places itself.",
        ),
    ],
)
def test_each_classification_says_why(case, fit, explanation):
    dimension, *values = case
    reading = reading_of(one_dimension(dimension, *values), dimension, party_names=NAMES)
    assert reading.fit is fit
    assert explanation in reading.explanation


def test_distance_alone_settles_a_dimension_where_difference_hurts():
    reading = reading_of(one_dimension(TIME, 1, 5, None, None), TIME)
    assert reading.fit is Fit.FRICTION
    assert (reading.a_sees_b, reading.gap_a_about_b) == (None, None)


def test_complementary_needs_both_views_but_one_misreading_settles_friction():
    one_view = reading_of(one_dimension(INNOVATION, 2, 4, 4, None), INNOVATION)
    assert one_view.fit is None
    assert one_view.explanation.startswith("Not classified yet: party 1 rates itself 2.0")
    misread = reading_of(one_dimension(INNOVATION, 2, 4, 7, None), INNOVATION)
    assert misread.fit is Fit.FRICTION


# Anonymity


def test_a_profile_from_fewer_than_k_people_is_not_used():
    reading = reading_of(one_dimension(FORMALITY, 1, 7, 7, 1, raters=2), FORMALITY)
    assert (reading.self_a, reading.self_b, reading.a_sees_b, reading.distance) == (None,) * 4
    assert reading.fit is None
    assert reading.explanation == (
        "Not classified yet: the self-rating of party 1 and party 2 on formality is missing or"
        " comes from fewer than 3 people."
    )


def test_threshold_is_set_per_partnership():
    profiles = one_dimension(FORMALITY, 1, 7, 7, 1, raters=4)
    assert reading_of(profiles, FORMALITY, thresholds={7: 4}).fit is Fit.FRICTION
    reading = reading_of(profiles, FORMALITY, thresholds={7: 5})
    assert reading.fit is None
    assert "fewer than 5 people" in reading.explanation


def test_it_refuses_a_threshold_below_three():
    with pytest.raises(CultureError, match="never below 3"):
        assess_culture(ratings_from(one_dimension(RISK, 1, 2, 2, 1)), thresholds={7: 2})


# Classification rules

distances = st.floats(0, 6, allow_nan=False)


@given(distances, distances, distances, st.booleans())
def test_fit_never_improves_as_distance_grows(d1, d2, gap, adds):
    near, far = min(d1, d2), max(d1, d2)
    fits = classify([near, far], [gap, gap], [adds, adds], CultureRules())
    assert fits[0] <= fits[1]


@given(distances, distances, distances, st.booleans())
def test_fit_never_improves_as_misreading_grows(d, g1, g2, adds):
    fits = classify([d, d], [min(g1, g2), max(g1, g2)], [adds, adds], CultureRules())
    assert fits[0] <= fits[1]


@given(
    distances,
    distances,
    st.booleans(),
    st.lists(distances, min_size=3, max_size=3),
    st.sampled_from(["aligned_max_distance", "complementary_max_distance", "understood_max_gap"]),
    st.floats(0, 3),
)
def test_loosening_a_threshold_never_worsens_the_fit(d, gap, adds, limits, loosened, step):
    aligned, complementary, understood = [*sorted(limits[:2]), limits[2]]
    strict = CultureRules(aligned, complementary, understood)
    value = getattr(strict, loosened) + step
    if loosened == "aligned_max_distance":
        assume(value <= complementary)
        loose = replace(strict, aligned_max_distance=value)
    elif loosened == "complementary_max_distance":
        loose = replace(strict, complementary_max_distance=min(value, 6))
    else:
        loose = replace(strict, understood_max_gap=min(value, 6))
    assert classify([d], [gap], [adds], loose)[0] <= classify([d], [gap], [adds], strict)[0]


def test_classify_leaves_open_what_its_inputs_cannot_settle():
    rules = CultureRules()
    fits = classify(
        [np.nan, 0.5, 2.0, 2.0, 4.0],
        [0, np.nan, np.nan, np.nan, np.nan],
        [True, True, True, False, True],
        rules,
    )
    assert fits.tolist() == [UNCLASSIFIED, 0, UNCLASSIFIED, 2, 2]
    assert [FITS[f] for f in fits[1:] if f != UNCLASSIFIED] == [Fit.ALIGNED] + [Fit.FRICTION] * 2


@pytest.mark.parametrize(
    "rules",
    [
        {"aligned_max_distance": 2.0, "complementary_max_distance": 1.0},
        {"aligned_max_distance": -0.5},
        {"understood_max_gap": 7.0},
    ],
)
def test_rules_must_be_ordered_and_on_the_scale(rules):
    with pytest.raises(CultureError, match="Culture rules need"):
        CultureRules(**rules)


# Portfolio


@st.composite
def portfolios(draw: st.DrawFn) -> Profiles:
    """Partnerships of 2–3 parties; each party's raters view some of the parties."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    profiles: Profiles = {}
    for p in range(draw(st.integers(1, 3))):
        parties = [10 * p + i for i in range(draw(st.integers(2, 3)))]
        for rater in parties:
            raters = draw(st.integers(1, 5))
            for rated in parties:
                if draw(st.booleans()) or rater == rated:
                    profiles[(p, rater, rated)] = rng.integers(1, 8, (raters, 6)).tolist()
    return profiles


@settings(max_examples=40, deadline=None)
@given(portfolios())
def test_readings_match_a_plain_loop(profiles):
    readings = assess_culture(ratings_from(profiles)).readings

    def mean(p: int, rater: int, rated: int, d: int) -> float | None:
        rows = profiles.get((p, rater, rated), [])
        return statistics.fmean(r[d] for r in rows) if len(rows) >= 3 else None

    parties = sorted({(p, x) for (p, a, b) in profiles for x in (a, b)})
    expected_pairs = [(p, a, b) for p, a in parties for q, b in parties if p == q and a < b]
    assert [(r.partnership, r.party_a, r.party_b) for r in readings[::6]] == expected_pairs
    for r in readings:
        d = [spec.dimension for spec in DIMENSIONS].index(r.dimension)
        self_a, self_b = (
            mean(r.partnership, r.party_a, r.party_a, d),
            mean(r.partnership, r.party_b, r.party_b, d),
        )
        a_sees_b = mean(r.partnership, r.party_a, r.party_b, d)
        assert (r.self_a, r.self_b, r.a_sees_b) == (self_a, self_b, a_sees_b)
        if self_a is None or self_b is None:
            assert r.distance is None
            assert r.fit is None
        else:
            assert r.distance == pytest.approx(abs(self_a - self_b))
        if a_sees_b is not None and self_b is not None:
            assert r.gap_a_about_b == pytest.approx(a_sees_b - self_b)


@settings(max_examples=30, deadline=None)
@given(portfolios())
def test_one_call_for_the_portfolio_equals_one_call_per_partnership(profiles):
    together = assess_culture(ratings_from(profiles)).readings
    apart = []
    for p in sorted({key[0] for key in profiles}):
        own = {key: rows for key, rows in profiles.items() if key[0] == p}
        apart.extend(assess_culture(ratings_from(own)).readings)
    assert together == tuple(apart)


def test_three_parties_make_three_pairs():
    profiles: Profiles = {(1, party, party): [[4] * 6] * 3 for party in (5, 6, 9)}
    readings = assess_culture(ratings_from(profiles)).readings
    assert sorted({(r.party_a, r.party_b) for r in readings}) == [(5, 6), (5, 9), (6, 9)]
    assert {r.fit for r in readings} == {Fit.ALIGNED}


def test_no_ratings_give_no_readings():
    assert assess_culture(Ratings([], [], [], [], [], [])).readings == ()


# Due-diligence report


def test_report_holds_everything_the_page_shows():
    profiles = one_dimension(COMMUNICATION, 1, 6, 6, 1)
    profiles[(7, 1, 1)] = [[2, 4, 4, 4, 1, 4]] * 3
    profiles[(7, 2, 2)] = [[4, 4, 4, 4, 6, 4]] * 3
    profiles[(7, 1, 2)] = [[4, 4, 4, 4, 6, 4]] * 3
    profiles[(7, 2, 1)] = [[2, 4, 4, 4, 1, 4]] * 3
    report = due_diligence_report(assess_culture(ratings_from(profiles), party_names=NAMES), 7)
    assert report.partnership == 7
    assert report.method == CultureRules().describe()
    (pair,) = report.pairs
    assert (pair.party_a, pair.party_b) == (1, 2)
    assert pair.summary == (
        "Friction: communication norms. Complementary: risk tolerance. Aligned: time"
        " orientation, formality, decision-making style, innovation approach."
    )
    by_dimension = {s.dimension: s for s in pair.sections}
    assert list(by_dimension) == list(Dimension)
    communication = by_dimension[Dimension.COMMUNICATION]
    assert communication.low_anchor.startswith("Direct")
    assert communication.reading.fit is Fit.FRICTION
    assert communication.practices == BRIDGING_PRACTICES[Dimension.COMMUNICATION]
    risk = by_dimension[Dimension.RISK_TOLERANCE]
    assert [p.title for p in risk.practices] == ["Split portfolio"]
    assert by_dimension[Dimension.FORMALITY].practices == ()


def test_report_uses_the_catalog_it_is_given():
    assessment = assess_culture(ratings_from(one_dimension(FORMALITY, 1, 6, 6, 1)))
    own = {
        Dimension.FORMALITY: (replace(BRIDGING_PRACTICES[Dimension.FORMALITY][0], title="Ours"),)
    }
    (pair,) = due_diligence_report(assessment, 7, own).pairs
    assert [p.title for s in pair.sections for p in s.practices] == ["Ours"]


def test_report_for_an_unknown_partnership_is_refused():
    assessment = assess_culture(ratings_from(one_dimension(FORMALITY, 1, 6, 6, 1)))
    with pytest.raises(CultureError, match="No culture readings for partnership 8"):
        due_diligence_report(assessment, 8)


# Bad input


def bad(**changes: object) -> Ratings:
    columns: dict[str, object] = {
        "respondent": [1, 1, 2],
        "partnership": [7, 7, 7],
        "rater": [1, 1, 2],
        "rated": [1, 2, 2],
        "dimension": [0, 0, 0],
        "value": [4, 4, 4],
    }
    columns.update(changes)
    return Ratings(**columns)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"dimension": [0, 6, 0]}, "Rating 1 names dimension 6; there are 6 dimensions."),
        ({"value": [4, 4, 8]}, "Rating 2 has value 8, outside 1–7."),
        ({"partnership": [7, 7, 8]}, "Party 2 appears in partnerships 7 and 8."),
        ({"rater": [1, 2, 2]}, "Respondent 1 rates on behalf of two parties."),
    ],
)
def test_it_names_the_bad_rating(case, message):
    with pytest.raises(CultureError, match=message):
        assess_culture(bad(**case))


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"value": [4, 4]}, "same length"),
        ({"value": [4.5, 4, 4]}, "value must be a one-dimensional column of integers"),
    ],
)
def test_rating_columns_are_checked(case, message):
    with pytest.raises(CultureError, match=message):
        bad(**case)


def several_statements(per_person: dict[int, tuple[int, list[int]]]) -> Ratings:
    """Self-ratings on risk tolerance: respondent → (their party, their answers to the
    dimension's statements), in partnership 7 with parties 1 and 2."""
    rows = [
        (person, party, value) for person, (party, values) in per_person.items() for value in values
    ]
    return Ratings(
        respondent=np.array([r[0] for r in rows]),
        partnership=np.full(len(rows), 7),
        rater=np.array([r[1] for r in rows]),
        rated=np.array([r[1] for r in rows]),
        dimension=np.zeros(len(rows), np.int64),
        value=np.array([r[2] for r in rows]),
    )


def test_several_statements_on_one_dimension_are_averaged_per_person_first():
    # Alder's three people: (1, 1) → 1, (7,) → 7 (one statement skipped), (4, 4) → 4: the
    # profile is the mean of people, 4.0, not of answers (3.4).
    ratings = several_statements(
        {
            11: (1, [1, 1]),
            12: (1, [7]),
            13: (1, [4, 4]),
            21: (2, [2, 6]),
            22: (2, [3, 5]),
            23: (2, [4, 4]),
        }
    )
    reading = assess_culture(ratings).readings[0]
    assert reading.dimension == DIMENSIONS[0].dimension
    assert reading.self_a == pytest.approx(4.0)
    assert reading.self_b == pytest.approx(4.0)
    assert reading.distance == pytest.approx(0.0)


def test_several_statements_do_not_make_two_people_count_as_k():
    # Two people with three statements each are six answers but two people: below k = 3.
    ratings = several_statements(
        {11: (1, [5, 5, 5]), 12: (1, [6, 6, 6]), 21: (2, [2, 2]), 22: (2, [2]), 23: (2, [3])}
    )
    reading = assess_culture(ratings).readings[0]
    assert reading.self_a is None
    assert reading.self_b == pytest.approx((2 + 2 + 3) / 3)
