"""The health index: scaling rules, re-weighting of missing evidence, order invariance, and each
side's own-behaviour view depending only on evidence about that side."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain.health import (
    DEFAULT_WEIGHTS,
    GROUPS,
    SIGNAL_INDEX,
    SIGNALS,
    EvidenceArrays,
    Group,
    HealthError,
    Subject,
    evidence_arrays,
    health_index,
)

SCORED = [s.name for s in SIGNALS if s.group is not None]
row = st.tuples(
    st.integers(0, 2),  # partnership
    st.integers(0, 5),  # period
    st.integers(-1, 1),  # from side
    st.integers(-1, 1),  # to side
    st.sampled_from(SCORED),
    st.floats(0, 100, allow_nan=False),
    st.floats(0.5, 20, allow_nan=False),
)


def build(rows: list[tuple], **kw) -> EvidenceArrays:  # type: ignore[type-arg]
    return evidence_arrays(rows, partnerships=3, periods=6, **kw)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b, equal_nan=True))


@settings(max_examples=60)
@given(st.lists(row, max_size=40), st.randoms())
def test_index_is_invariant_to_the_order_of_evidence(rows, rnd):
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    a, b = health_index(build(rows), window=3), health_index(build(shuffled), window=3)
    for field in ("subscores", "overall", "trend", "own_view", "own_weight"):
        assert same(getattr(a, field), getattr(b, field)), field


@settings(max_examples=60)
@given(st.lists(row, max_size=30), st.lists(row, min_size=1, max_size=10))
def test_evidence_about_one_side_never_moves_the_other_sides_own_view(rows, extra):
    def about_side_one(r: tuple) -> bool:  # type: ignore[type-arg]
        subject = SIGNALS[SIGNAL_INDEX[r[4]]].subject
        return (subject is Subject.FROM and r[2] == 1) or (subject is Subject.TO and r[3] == 1)

    extra = [r for r in extra if about_side_one(r)]
    before = health_index(build(rows), window=3)
    after = health_index(build(rows + extra), window=3)
    assert same(before.own_view[:, :, 0], after.own_view[:, :, 0])
    assert same(before.own_weight[:, :, 0], after.own_weight[:, :, 0])


@settings(max_examples=60)
@given(st.lists(row, min_size=1, max_size=30))
def test_missing_evidence_never_counts_as_zero(rows):
    idx = health_index(build(rows), window=2)
    present = ~np.isnan(idx.subscores)
    # a group without evidence is NaN, never 0 …
    assert np.isnan(idx.subscores[~present]).all()
    # … and the overall is the weighted mean of the groups that have evidence only
    w = np.array([DEFAULT_WEIGHTS[g] for g in GROUPS])
    for p, t in zip(*np.nonzero(present.any(axis=2)), strict=True):
        have = present[p, t]
        expected = (idx.subscores[p, t, have] * w[have]).sum() / w[have].sum()
        assert idx.overall[p, t] == pytest.approx(expected, abs=1e-5)
    assert np.isnan(idx.overall[~present.any(axis=2)]).all()


def test_a_partnership_with_only_trust_evidence_scores_its_trust_not_a_diluted_mean():
    rows = [(0, 0, 0, 1, "trust_goodwill", 6.4, 5), (0, 0, 1, 0, "trust_goodwill", 6.4, 4)]
    idx = health_index(build(rows), window=1)
    assert idx.subscores[0, 0, GROUPS.index(Group.TRUST)] == pytest.approx(90.0)
    assert idx.overall[0, 0] == pytest.approx(90.0)
    assert np.isnan(idx.subscores[0, 0, GROUPS.index(Group.BEHAVIOUR)])
    assert np.isnan(idx.overall[1:]).all()


def test_lower_is_better_signals_scale_downwards_and_clip():
    rows = [
        (0, 0, 0, 1, "slippage_days", 0.0, 1),
        (1, 0, 0, 1, "slippage_days", 15.0, 1),
        (2, 0, 0, 1, "slippage_days", 90.0, 1),
    ]
    beh = health_index(build(rows), window=1).subscores[:, 0, GROUPS.index(Group.BEHAVIOUR)]
    assert beh.tolist() == [100.0, 50.0, 0.0]


def test_trust_rows_count_for_the_trusted_side_and_delivery_for_the_deliverer():
    rows = [
        (0, 0, 0, 1, "trust_competence", 7.0, 3),  # side 0 trusts side 1 fully
        (0, 0, 0, 1, "on_time", 0.25, 4),  # side 0 delivered a quarter on time
    ]
    own = health_index(build(rows), window=1).own_view[0, 0]
    assert own[1, 0] == 100.0
    assert np.isnan(own[1, 1])
    assert own[0, 1] == 25.0
    assert np.isnan(own[0, 0])


def test_weights_per_partnership_change_only_that_partnership():
    rows = [
        (p, 0, 0, 1, s, v, 1)
        for p in range(3)
        for s, v in (("trust_goodwill", 7.0), ("on_time", 0.0))
    ]
    w = np.tile([DEFAULT_WEIGHTS[g] for g in GROUPS], (3, 1))
    w[1, GROUPS.index(Group.BEHAVIOUR)] = 0.0
    overall = health_index(build(rows), w, window=1).overall[:, 0]
    assert overall.tolist() == [50.0, 100.0, 50.0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"signal": np.array([len(SIGNALS)])}, "unknown signal"),
        ({"period": np.array([9])}, "period outside"),
        ({"value": np.array([np.nan])}, "finite"),
        ({"weight": np.array([0.0])}, "positive"),
        ({"to_side": np.array([2])}, "beyond"),
        ({"from_side": np.array([-2])}, "below"),
    ],
)
def test_bad_evidence_is_refused_with_a_reason(change, message):
    good = dict(
        partnership=np.array([0]),
        period=np.array([0]),
        from_side=np.array([0]),
        to_side=np.array([1]),
        signal=np.array([0]),
        value=np.array([5.0]),
        weight=np.array([1.0]),
        partnerships=1,
        periods=2,
    )
    with pytest.raises(HealthError, match=message):
        EvidenceArrays(**{**good, **change})


def test_unknown_signal_names_and_negative_weights_are_refused():
    with pytest.raises(HealthError, match="Unknown signal"):
        build([(0, 0, 0, 1, "vibes", 1.0, 1.0)])
    with pytest.raises(HealthError, match="non-negative"):
        health_index(build([]), np.full(len(GROUPS), -1.0))
