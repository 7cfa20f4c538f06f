"""Decision rights: the mode recommender, the server-side mode gate and decision cycle times."""

import math
import re
import statistics
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.decision_rights import (
    APPROVED_AND_OBJECTED,
    CYCLE_DECIDED_BEFORE_PROPOSED,
    CYCLE_INDEX_OUT_OF_RANGE,
    CYCLE_PROPOSED_MISSING,
    CYCLE_ROWS_SHAPE,
    DECIDE_ALL_ANSWERED,
    DECIDE_ALL_APPROVED,
    DECIDE_AWAITING_APPROVAL,
    DECIDE_AWAITING_INPUT,
    DECIDE_NO_MAJORITY,
    DECIDE_NO_QUORUM,
    DECIDE_NOT_A_PARTY,
    DECIDE_NOT_ON_JOINT_BODY,
    DECIDE_NOT_OWNER,
    DECIDE_OBJECTION,
    DECIDE_OWNER,
    DECIDE_QUORUM_MAJORITY,
    DECIDE_WINDOW_PASSED,
    DUPLICATE_PARTY,
    FLAGS_SHAPE,
    MARGINS_ORDER,
    MASK_SHAPE,
    NAIVE_DATETIME,
    OWNER_REQUIRED,
    QUORUM_INVALID,
    RULES,
    SCORE_OUT_OF_RANGE,
    SCORES_SHAPE,
    STAKE_THRESHOLDS_ORDER,
    STANCES_OUTSIDE_PARTIES,
    STARTER_DOMAINS,
    TOO_FEW_PARTIES,
    VOTES_NEGATIVE,
    DecisionMode,
    DecisionRightsError,
    DecisionState,
    DomainAssessment,
    PartyScores,
    RecommenderConfig,
    Rule,
    cycle_time_stats,
    is_valid_score,
    may_decide,
    recommend,
    recommend_batch,
)

# Personas: a pharma company and a biotech in an R&D alliance, with a CRO joining some domains.
HELIX = "Helix Pharma"
NOVA = "Nova Bio"
ORBIT = "Orbit CRO"

JOINTNESS = {DecisionMode.INDEPENDENT: 0, DecisionMode.CONSULTATIVE: 1, DecisionMode.CONSENSUS: 2}


def assess(*parties, frequent=False, joint_team=False):
    return DomainAssessment(
        "Budget",
        tuple(PartyScores(*p) for p in parties),
        frequent_operational_choices=frequent,
        has_joint_team=joint_team,
    )


# --- recommender: one test per rule ---------------------------------------------------------


def test_it_delegates_frequent_operational_choices_to_the_joint_body():
    rec = recommend(assess((HELIX, 5, 5, 5, 5), (NOVA, 1, 1, 5, 5), frequent=True, joint_team=True))
    assert rec.mode is DecisionMode.DELEGATED
    assert rec.rule is Rule.DELEGATED_OPERATIONAL
    assert rec.owner_index is None
    assert "joint body" in rec.reasoning


def test_it_does_not_delegate_without_a_joint_team():
    rec = recommend(assess((HELIX, 5, 5, 1, 1), (NOVA, 1, 1, 1, 1), frequent=True))
    assert rec.mode is DecisionMode.INDEPENDENT


def test_it_recommends_consensus_when_every_party_has_high_stakes():
    rec = recommend(assess((HELIX, 5, 5, 4, 2), (NOVA, 1, 1, 1, 5)))
    assert rec.mode is DecisionMode.CONSENSUS
    assert rec.rule is Rule.CONSENSUS_HIGH_STAKES
    assert rec.owner_index is None
    assert "lowest 4" in rec.reasoning


def test_it_recommends_consensus_when_no_party_clearly_leads():
    rec = recommend(assess((HELIX, 3, 4, 1, 1), (NOVA, 4, 4, 0, 2)))
    assert rec.mode is DecisionMode.CONSENSUS
    assert rec.rule is Rule.CONSENSUS_NO_CLEAR_LEAD
    assert "best lead 0.5" in rec.reasoning


def test_it_recommends_independent_when_one_party_dominates_and_others_have_little_at_stake():
    rec = recommend(assess((NOVA, 1, 2, 2, 1), (HELIX, 4, 5, 3, 5), (ORBIT, 2, 1, 0, 2)))
    assert rec.mode is DecisionMode.INDEPENDENT
    assert rec.rule is Rule.INDEPENDENT_DOMINANT
    assert rec.owner_index == 1
    assert rec.reasoning.startswith(f"{HELIX} dominates")
    assert "highest 2" in rec.reasoning


def test_it_recommends_consultative_when_the_leader_dominates_but_others_are_at_stake():
    rec = recommend(assess((HELIX, 5, 5, 1, 1), (NOVA, 1, 2, 3, 1), (ORBIT, 2, 1, 2, 3.5)))
    assert rec.mode is DecisionMode.CONSULTATIVE
    assert rec.rule is Rule.CONSULTATIVE_OTHERS_AT_STAKE
    assert rec.owner_index == 0
    assert f"but {ORBIT} has a stake of 3.5" in rec.reasoning


def test_it_recommends_consultative_when_the_leader_leads_without_dominating():
    rec = recommend(assess((HELIX, 5, 3, 0, 1), (NOVA, 2, 2.5, 1, 2)))
    assert rec.mode is DecisionMode.CONSULTATIVE
    assert rec.rule is Rule.CONSULTATIVE_LEAD_NOT_DOMINANT
    assert rec.owner_index == 0
    assert "without dominating" in rec.reasoning


def test_it_applies_the_configured_thresholds():
    parties = ((HELIX, 5, 5, 1, 1), (NOVA, 1, 1, 3, 1))
    assert recommend(assess(*parties)).mode is DecisionMode.CONSULTATIVE
    tolerant = RecommenderConfig(low_stake=3.0)
    assert recommend(assess(*parties), tolerant).mode is DecisionMode.INDEPENDENT


def test_starter_domains_are_the_seven_of_the_design_with_unique_keys():
    keys = [d.key for d in STARTER_DOMAINS]
    assert len(set(keys)) == len(keys) == 7
    assert {"research_direction", "commercialization", "budget", "ip"} <= set(keys)


# --- recommender: validation ----------------------------------------------------------------


@pytest.mark.parametrize("bad", [-0.5, 5.5, math.nan, math.inf])
def test_it_rejects_scores_outside_zero_to_five(bad):
    with pytest.raises(DecisionRightsError, match=re.escape(SCORE_OUT_OF_RANGE)):
        recommend(assess((HELIX, 3, 3, bad, 3), (NOVA, 3, 3, 3, 3)))
    assert not is_valid_score(bad)


def test_it_needs_two_distinct_parties():
    with pytest.raises(DecisionRightsError, match=re.escape(TOO_FEW_PARTIES)):
        recommend(assess((HELIX, 3, 3, 3, 3)))
    with pytest.raises(DecisionRightsError, match=re.escape(DUPLICATE_PARTY)):
        recommend(assess((HELIX, 3, 3, 3, 3), (HELIX, 1, 1, 1, 1)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"low_stake": 4.0, "high_stake": 4.0}, STAKE_THRESHOLDS_ORDER),
        ({"high_stake": 5.5}, STAKE_THRESHOLDS_ORDER),
        ({"low_stake": -1.0}, STAKE_THRESHOLDS_ORDER),
        ({"lead_margin": 0.0}, MARGINS_ORDER),
        ({"lead_margin": 2.5, "dominance_margin": 2.0}, MARGINS_ORDER),
    ],
)
def test_it_rejects_thresholds_out_of_order(kwargs, message):
    with pytest.raises(DecisionRightsError, match=re.escape(message)):
        RecommenderConfig(**kwargs)


def test_the_batch_rejects_badly_shaped_input():
    scores = np.full((2, 3, 4), 2.0)
    mask = np.ones((2, 3), dtype=bool)
    flags = np.zeros(2, dtype=bool)
    with pytest.raises(DecisionRightsError, match=re.escape(SCORES_SHAPE)):
        recommend_batch(scores[..., :3], mask, flags, flags)
    with pytest.raises(DecisionRightsError, match=re.escape(MASK_SHAPE)):
        recommend_batch(scores, mask[:, :2], flags, flags)
    with pytest.raises(DecisionRightsError, match=re.escape(FLAGS_SHAPE)):
        recommend_batch(scores, mask, flags[:1], flags)
    mask[1, 1:] = False
    with pytest.raises(DecisionRightsError, match=re.escape(TOO_FEW_PARTIES)):
        recommend_batch(scores, mask, flags, flags)


def test_the_batch_ignores_padding_but_not_bad_real_scores():
    scores = np.array([[[5, 5, 1, 1], [1, 1, 1, 1], [np.nan] * 4]], dtype=float)
    mask = np.array([[True, True, False]])
    flags = np.zeros(1, dtype=bool)
    batch = recommend_batch(scores, mask, flags, flags)
    assert batch.mode.tolist() == ["independent"]
    assert batch.owner.tolist() == [0]
    mask[0, 2] = True
    with pytest.raises(DecisionRightsError, match=re.escape(SCORE_OUT_OF_RANGE)):
        recommend_batch(scores, mask, flags, flags)


# --- recommender: properties ----------------------------------------------------------------

half_points = st.integers(0, 10).map(lambda x: x / 2)
party_scores = st.tuples(half_points, half_points, half_points, half_points)


@st.composite
def assessments(draw):
    scores = draw(st.lists(party_scores, min_size=2, max_size=4))
    names = [f"Party {i}" for i in range(len(scores))]
    return assess(
        *[(n, *s) for n, s in zip(names, scores, strict=True)],
        frequent=draw(st.booleans()),
        joint_team=draw(st.booleans()),
    )


def owner_name(assessment, rec):
    return None if rec.owner_index is None else assessment.parties[rec.owner_index].name


@given(assessments(), st.randoms(use_true_random=False))
def test_swapping_party_order_does_not_change_the_recommendation(assessment, rnd):
    shuffled = list(assessment.parties)
    rnd.shuffle(shuffled)
    other = DomainAssessment(
        assessment.domain,
        tuple(shuffled),
        assessment.frequent_operational_choices,
        assessment.has_joint_team,
    )
    a, b = recommend(assessment), recommend(other)
    assert (a.mode, a.rule) == (b.mode, b.rule)
    assert owner_name(assessment, a) == owner_name(other, b)


@given(assessments(), st.data())
def test_raising_a_partys_risk_exposure_never_moves_towards_independent(assessment, data):
    assessment = DomainAssessment(assessment.domain, assessment.parties)  # not delegated
    i = data.draw(st.integers(0, len(assessment.parties) - 1))
    party = assessment.parties[i]
    raised_risk = data.draw(half_points.filter(lambda x: x >= party.risk_exposure))
    parties = list(assessment.parties)
    parties[i] = PartyScores(
        party.name, party.expertise, party.resources, raised_risk, party.strategic_importance
    )
    before = recommend(assessment).mode
    after = recommend(DomainAssessment(assessment.domain, tuple(parties))).mode
    assert JOINTNESS[after] >= JOINTNESS[before]


def reference_recommendation(parties, frequent, joint_team, config):
    """The documented rules, written as plainly as possible."""
    if frequent and joint_team:
        return DecisionMode.DELEGATED, None
    capability = [(e + r) / 2 for e, r, _, _ in parties]
    stake = [max(k, s) for _, _, k, s in parties]
    if min(stake) >= config.high_stake:
        return DecisionMode.CONSENSUS, None
    best = max(capability)
    leader = capability.index(best)
    others = [i for i in range(len(parties)) if i != leader]
    if best - max(capability[i] for i in others) < config.lead_margin:
        return DecisionMode.CONSENSUS, None
    dominates = all(
        parties[leader][0] - parties[i][0] >= config.dominance_margin
        and parties[leader][1] - parties[i][1] >= config.dominance_margin
        for i in others
    )
    if dominates and max(stake[i] for i in others) <= config.low_stake:
        return DecisionMode.INDEPENDENT, leader
    return DecisionMode.CONSULTATIVE, leader


@st.composite
def batch_rows(draw):
    width = 4
    rows = draw(st.lists(st.lists(party_scores, min_size=2, max_size=width), max_size=8))
    slots = [draw(st.permutations(range(width)))[: len(r)] for r in rows]
    flags = [(draw(st.booleans()), draw(st.booleans())) for _ in rows]
    return width, rows, slots, flags


@given(batch_rows())
def test_the_batch_matches_the_rules_applied_row_by_row(case):
    width, rows, slots, flags = case
    config = RecommenderConfig()
    scores = np.full((len(rows), width, 4), np.nan)
    mask = np.zeros((len(rows), width), dtype=bool)
    for r, (parties, positions) in enumerate(zip(rows, slots, strict=True)):
        sorted_positions = sorted(positions)
        scores[r, sorted_positions] = parties
        mask[r, sorted_positions] = True
    frequent = np.array([f for f, _ in flags], dtype=bool)
    joint = np.array([j for _, j in flags], dtype=bool)
    batch = recommend_batch(scores, mask, frequent, joint, config)
    for r, (parties, positions) in enumerate(zip(rows, slots, strict=True)):
        mode, owner = reference_recommendation(parties, *flags[r], config)
        assert batch.mode[r] == mode.value
        expected_owner = -1 if owner is None else sorted(positions)[owner]
        assert batch.owner[r] == expected_owner
        assert RULES[batch.rule[r]].value.startswith(mode.value)


# --- may_decide -----------------------------------------------------------------------------

HELIX_ID, NOVA_ID, ORBIT_ID, OUTSIDER_ID = 1, 2, 3, 99
PARTIES = frozenset({HELIX_ID, NOVA_ID, ORBIT_ID})
NOW = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


def verdict(check):
    return check.allowed, check.reason


def state(mode, **kwargs):
    return DecisionState(mode=mode, parties=PARTIES, **kwargs)


def test_in_independent_mode_only_the_owner_party_decides():
    independent = state(DecisionMode.INDEPENDENT, owner_party=HELIX_ID)
    assert verdict(may_decide(independent, actor_party=HELIX_ID, now=NOW)) == (True, DECIDE_OWNER)
    check = may_decide(independent, actor_party=NOVA_ID, now=NOW)
    assert (check.allowed, check.reason) == (False, DECIDE_NOT_OWNER)


def test_people_outside_the_partnership_never_decide():
    for mode in DecisionMode:
        check = may_decide(
            state(mode, owner_party=HELIX_ID, quorum=1, votes_for=3),
            actor_party=OUTSIDER_ID,
            now=NOW,
            actor_on_joint_body=True,
        )
        assert (check.allowed, check.reason) == (False, DECIDE_NOT_A_PARTY)


def test_in_consultative_mode_the_owner_waits_for_every_other_party():
    closes = NOW + timedelta(days=1)
    consult = state(
        DecisionMode.CONSULTATIVE,
        owner_party=HELIX_ID,
        answered=frozenset({NOVA_ID}),
        consultation_closes_at=closes,
    )
    check = may_decide(consult, actor_party=HELIX_ID, now=NOW)
    assert check.allowed is False
    assert check.reason == DECIDE_AWAITING_INPUT
    assert check.waiting_for == {ORBIT_ID}
    assert may_decide(consult, actor_party=NOVA_ID, now=NOW).reason == DECIDE_NOT_OWNER


def test_in_consultative_mode_the_owner_decides_once_all_answered():
    consult = state(
        DecisionMode.CONSULTATIVE, owner_party=HELIX_ID, answered=frozenset({NOVA_ID, ORBIT_ID})
    )
    assert verdict(may_decide(consult, actor_party=HELIX_ID, now=NOW)) == (
        True,
        DECIDE_ALL_ANSWERED,
    )


def test_in_consultative_mode_the_owner_decides_when_the_window_has_passed():
    consult = state(DecisionMode.CONSULTATIVE, owner_party=HELIX_ID, consultation_closes_at=NOW)
    check = may_decide(consult, actor_party=HELIX_ID, now=NOW)
    assert (check.allowed, check.reason) == (True, DECIDE_WINDOW_PASSED)
    assert check.waiting_for == {NOVA_ID, ORBIT_ID}


def test_in_consultative_mode_without_a_window_the_owner_waits_for_answers():
    consult = state(DecisionMode.CONSULTATIVE, owner_party=HELIX_ID)
    later = NOW + timedelta(days=365)
    assert may_decide(consult, actor_party=HELIX_ID, now=later).reason == DECIDE_AWAITING_INPUT


def test_in_consensus_mode_every_party_must_approve():
    consensus = state(DecisionMode.CONSENSUS, approved=frozenset({HELIX_ID, NOVA_ID}))
    check = may_decide(consensus, actor_party=HELIX_ID, now=NOW)
    assert (check.allowed, check.reason, check.waiting_for) == (
        False,
        DECIDE_AWAITING_APPROVAL,
        {ORBIT_ID},
    )
    consensus = state(DecisionMode.CONSENSUS, approved=PARTIES)
    assert verdict(may_decide(consensus, actor_party=ORBIT_ID, now=NOW)) == (
        True,
        DECIDE_ALL_APPROVED,
    )


def test_in_consensus_mode_one_objection_blocks():
    consensus = state(
        DecisionMode.CONSENSUS,
        approved=frozenset({HELIX_ID, NOVA_ID}),
        objected=frozenset({ORBIT_ID}),
    )
    check = may_decide(consensus, actor_party=HELIX_ID, now=NOW)
    assert (check.allowed, check.reason, check.waiting_for) == (False, DECIDE_OBJECTION, {ORBIT_ID})


@pytest.mark.parametrize(
    ("on_body", "votes_for", "votes_against", "expected"),
    [
        (False, 5, 0, (False, DECIDE_NOT_ON_JOINT_BODY)),
        (True, 2, 0, (False, DECIDE_NO_QUORUM)),
        (True, 2, 2, (False, DECIDE_NO_MAJORITY)),
        (True, 3, 1, (True, DECIDE_QUORUM_MAJORITY)),
        (True, 3, 0, (True, DECIDE_QUORUM_MAJORITY)),
    ],
)
def test_in_delegated_mode_the_joint_body_decides_by_quorum(
    on_body, votes_for, votes_against, expected
):
    delegated = state(
        DecisionMode.DELEGATED, quorum=3, votes_for=votes_for, votes_against=votes_against
    )
    check = may_decide(delegated, actor_party=NOVA_ID, now=NOW, actor_on_joint_body=on_body)
    assert (check.allowed, check.reason) == expected


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (state(DecisionMode.INDEPENDENT), OWNER_REQUIRED),
        (state(DecisionMode.CONSULTATIVE, owner_party=OUTSIDER_ID), OWNER_REQUIRED),
        (state(DecisionMode.CONSENSUS, approved=frozenset({OUTSIDER_ID})), STANCES_OUTSIDE_PARTIES),
        (
            state(DecisionMode.CONSENSUS, approved=frozenset({1}), objected=frozenset({1})),
            APPROVED_AND_OBJECTED,
        ),
        (state(DecisionMode.DELEGATED), QUORUM_INVALID),
        (state(DecisionMode.DELEGATED, quorum=1, votes_against=-1), VOTES_NEGATIVE),
        (
            state(
                DecisionMode.CONSULTATIVE,
                owner_party=HELIX_ID,
                consultation_closes_at=datetime(2024, 6, 3),
            ),
            NAIVE_DATETIME,
        ),
        (DecisionState(DecisionMode.CONSENSUS, frozenset({HELIX_ID})), TOO_FEW_PARTIES),
    ],
)
def test_it_rejects_decision_states_it_cannot_judge(decision, message):
    with pytest.raises(DecisionRightsError, match=re.escape(message)):
        may_decide(decision, actor_party=HELIX_ID, now=NOW)


def test_it_rejects_a_naive_now():
    independent = state(DecisionMode.INDEPENDENT, owner_party=HELIX_ID)
    with pytest.raises(DecisionRightsError, match=re.escape(NAIVE_DATETIME)):
        may_decide(independent, actor_party=HELIX_ID, now=datetime(2024, 6, 3))


# --- cycle times ----------------------------------------------------------------------------

DAY = 86_400.0


def test_cycle_times_are_grouped_by_domain_and_party_and_skip_undecided_proposals():
    stats = cycle_time_stats(
        domain=[0, 0, 0, 1, 1],
        party=[0, 0, 0, 1, 0],
        proposed_at=[0.0, 0.0, DAY, 0.0, 0.0],
        decided_at=[2 * DAY, 6 * DAY, 2 * DAY, np.nan, 3 * DAY],
        n_domains=2,
        n_parties=2,
    )
    assert stats.count.tolist() == [[3, 0], [1, 0]]
    assert stats.median_days[0, 0] == 2.0
    assert stats.mean_days[0, 0] == 3.0
    assert stats.median_days[1, 0] == stats.mean_days[1, 0] == 3.0
    assert np.isnan(stats.median_days[0, 1])
    assert np.isnan(stats.mean_days[1, 1])


def test_cycle_times_with_no_decisions_are_no_evidence_not_zero():
    stats = cycle_time_stats([], [], [], [], n_domains=1, n_parties=2)
    assert stats.count.tolist() == [[0, 0]]
    assert np.isnan(stats.median_days).all()
    assert np.isnan(stats.mean_days).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"domain": [0, 0]}, CYCLE_ROWS_SHAPE),
        ({"domain": [2]}, CYCLE_INDEX_OUT_OF_RANGE),
        ({"party": [-1]}, CYCLE_INDEX_OUT_OF_RANGE),
        ({"proposed_at": [np.nan]}, CYCLE_PROPOSED_MISSING),
        ({"decided_at": [-DAY]}, CYCLE_DECIDED_BEFORE_PROPOSED),
    ],
)
def test_cycle_times_reject_bad_rows(kwargs, message):
    rows = {"domain": [0], "party": [0], "proposed_at": [0.0], "decided_at": [DAY]}
    with pytest.raises(DecisionRightsError, match=re.escape(message)):
        cycle_time_stats(**(rows | kwargs), n_domains=2, n_parties=2)


@st.composite
def proposals(draw):
    n_domains, n_parties = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    rows = draw(
        st.lists(
            st.tuples(
                st.integers(0, n_domains - 1),
                st.integers(0, n_parties - 1),
                st.floats(0, 1e9),
                st.none() | st.floats(0, 1e8),
            ),
            max_size=30,
        )
    )
    return n_domains, n_parties, rows


@given(proposals())
def test_cycle_times_match_a_per_group_reference(case):
    n_domains, n_parties, rows = case
    stats = cycle_time_stats(
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
        [np.nan if r[3] is None else r[2] + r[3] for r in rows],
        n_domains=n_domains,
        n_parties=n_parties,
    )
    for d in range(n_domains):
        for p in range(n_parties):
            days = [
                ((r[2] + r[3]) - r[2]) / DAY for r in rows if r[:2] == (d, p) and r[3] is not None
            ]
            assert stats.count[d, p] == len(days)
            if days:
                assert stats.median_days[d, p] == pytest.approx(statistics.median(days))
                assert stats.mean_days[d, p] == pytest.approx(statistics.fmean(days))
            else:
                assert np.isnan(stats.median_days[d, p])
