"""The vicious-circle detector on the archetypes' stories (50 seeded partnerships each), and its
building blocks: robust baselines that widen with few respondents, and the alert lifecycle."""

import numpy as np
import pytest

from accord.domain.early_warning import (
    DetectorRules,
    State,
    alert_lifecycle,
    detect,
)
from accord.domain.health import GROUPS, Group, HealthError, evidence_arrays, health_index
from accord.domain.health_stories import RED_PERFORMANCE, story_evidence

SEEDS = 50


def run(story: str):  # type: ignore[no-untyped-def]
    ev = story_evidence([story] * SEEDS, seed=7)
    index = health_index(ev)
    return index, detect(index)


def lead_times(index, det) -> list[int]:  # type: ignore[no-untyped-def]
    perf = index.subscores[:, det.review_end, GROUPS.index(Group.PERFORMANCE)]
    leads = []
    for alerted, performance in zip(det.alert_open, perf, strict=True):
        red = np.flatnonzero(performance < RED_PERFORMANCE)
        first = np.flatnonzero(alerted)
        assert red.size, "the drifting story always ends in red metrics"
        leads.append(int(red[0] - first[0]) if first.size else -999)
    return leads


def test_drifting_partnerships_are_warned_at_least_two_reviews_before_metrics_go_red():
    index, det = run("drifting")
    leads = lead_times(index, det)
    early = sum(lead >= 2 for lead in leads)
    assert early >= 0.85 * SEEDS, sorted(leads)
    assert np.median(leads) >= 5
    # what it sees is coupled: most drifting partnerships are called a circle at some point
    assert (det.state == State.CIRCLE).any(axis=1).sum() >= 0.6 * SEEDS


@pytest.mark.parametrize("story", ["healthy", "healthy_bad_quarter", "transactional"])
def test_steady_stories_raise_no_alert(story):
    _index, det = run(story)
    assert not det.alert_open.any()


def test_a_bad_quarter_in_the_metrics_alone_reads_as_an_external_shock():
    _index, det = run("healthy_bad_quarter")
    assert (det.state == State.EXTERNAL_SHOCK).any(axis=1).sum() >= 0.6 * SEEDS
    assert not np.isin(det.state, [State.ONE_SIDED, State.CIRCLE]).any()


def test_recovering_partnerships_are_warned_in_the_dip_and_cleared_by_recovery():
    _index, det = run("recovering")
    assert det.alert_open.any(axis=1).all()
    assert not det.alert_open[:, -1].any()


def test_one_sided_decline_is_not_called_a_circle():
    _index, det = run("one_sided")
    assert det.alert_open.any(axis=1).sum() >= 0.9 * SEEDS
    assert not (det.state == State.CIRCLE).any()
    declined_side = det.trust_down | det.behaviour_down
    assert declined_side[:, :, 1].any()
    assert not declined_side[:, :, 0].any()


def _steady_then_drop(respondents: int) -> State:
    """Trust in side 1 steady at 6 for 30 reviews, then 4.9 for 4 reviews."""
    rows = [
        (0, t, 0, 1, "trust_goodwill", 6.0 if t < 30 else 4.9, float(respondents))
        for t in range(34)
    ]
    index = health_index(evidence_arrays(rows, partnerships=1, periods=34), window=1)
    det = detect(index, DetectorRules(review_periods=1))
    return State(int(det.state[0, -1]))


def test_few_respondents_widen_the_band():
    assert _steady_then_drop(40) is State.ONE_SIDED
    assert _steady_then_drop(3) is State.STEADY


def test_low_but_stable_is_not_a_trend():
    rows = [(0, t, s, 1 - s, "trust_goodwill", 2.5, 6.0) for t in range(20) for s in (0, 1)]
    index = health_index(evidence_arrays(rows, partnerships=1, periods=20), window=1)
    det = detect(index, DetectorRules(review_periods=1))
    assert det.state[0, -1] == State.LOW_STABLE
    assert not det.alert_open.any()


def test_alert_lifecycle_opens_on_alerting_states_and_clears_after_quiet_reviews():
    s, c, o = State.STEADY, State.CIRCLE, State.ONE_SIDED
    state = np.array([[s, c, s, o, s, s, s]], dtype=np.int8)
    assert alert_lifecycle(state, 2).tolist() == [[False, True, True, True, True, False, False]]


def test_rules_are_checked():
    with pytest.raises(HealthError):
        DetectorRules(baseline=1)
    with pytest.raises(HealthError):
        DetectorRules(z=0)
