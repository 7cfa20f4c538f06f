"""Incentive analysis: dilemma conditions, δ*, equilibria, noisy simulation, Markov chain and
what-if mechanisms."""

import math
import re

import nashpy as nash
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from accord.domain import games
from accord.domain.games import (
    STRATEGIES,
    Condition,
    GameError,
    Mechanism,
    Mechanisms,
    PartyPayoffs,
    Scenario,
    StageGame,
    Strategy,
    analyse_incentives,
    apply_mechanisms,
    check_dilemma,
    compare_mechanisms,
    critical_continuation,
    expect,
    expected_reviews,
    payoffs_from_ledger,
    shadow_of_the_future,
    simulate,
    stability,
    stage_equilibria,
    symmetric_game,
    tournament,
)

PD = symmetric_game(5, 3, 1, 0)
ASYMMETRIC = StageGame(PartyPayoffs("Acme", 5, 3, 1, 0), PartyPayoffs("Beta", 7, 4, 1, -1))
TFT, CTFT, GTFT = (
    Strategy.TIT_FOR_TAT,
    Strategy.CONTRITE_TIT_FOR_TAT,
    Strategy.GENEROUS_TIT_FOR_TAT,
)
WSLS, GRIM = Strategy.WIN_STAY_LOSE_SHIFT, Strategy.GRIM_TRIGGER
ALLD, ALLC = Strategy.ALWAYS_DEFECT, Strategy.ALWAYS_COOPERATE

# Quarter steps keep the payoff arithmetic exact, so orderings are never blurred by rounding.
payoff = st.integers(-40, 40).map(lambda k: k / 4)


def party(t, r, p, s):
    return PartyPayoffs("A", t, r, p, s)


# --- Payoffs and the dilemma ------------------------------------------------------------------


def test_ledger_figures_become_payoffs_measured_from_the_status_quo():
    p = payoffs_from_ledger("A", mutual_value=3, withholding_gain=5, solo_cost=1.5, status_quo=2)
    assert (p.temptation, p.reward, p.punishment, p.sucker) == (7, 5, 2, 0.5)


def test_it_says_which_dilemma_conditions_hold_in_words():
    checks = {c.condition: c for c in check_dilemma(party(6, 3, 1, 0.5), other="B")}
    assert {c: checks[c].holds for c in Condition} == {
        Condition.TEMPTATION: True,
        Condition.REWARD: True,
        Condition.PUNISHMENT: True,
        Condition.ALTERNATION: False,
    }
    assert checks[Condition.TEMPTATION].sentence == (
        "A gains by withholding while B contributes (T = 6 > R = 3)."
    )
    assert checks[Condition.ALTERNATION].sentence == (
        "Taking turns at exploiting each other pays A at least as much as contributing "
        "together (2R = 6 ≤ T + S = 6.5)."
    )


@given(payoff, payoff, payoff, payoff)
def test_it_is_a_dilemma_exactly_when_every_condition_holds(t, r, p, s):
    report = analyse_incentives(symmetric_game(t, r, p, s), shadow=0.5)
    assert report.parties[0].is_dilemma == (t > r > p > s and 2 * r > t + s)


@given(payoff, payoff, payoff, payoff)
def test_delta_star_lies_in_zero_one_exactly_when_the_payoff_ordering_allows(t, r, p, s):
    delta_star = critical_continuation(party(t, r, p, s))
    if t > r > p > s:
        assert 0 <= delta_star < 1
    # S does not enter δ* = (T − R)/(T − P); the ordering of T, R and P decides it exactly.
    assert (0 < delta_star < 1) == (t > r > p)
    assert (delta_star == 0) == (t <= r)
    assert (delta_star >= 1) == (r < t and r <= p)


def test_delta_star_is_half_in_axelrods_game():
    assert critical_continuation(PD.first) == 0.5


def test_the_shadow_of_the_future_comes_from_the_horizon_and_review_cadence():
    reviews = expected_reviews(horizon_days=365, review_interval_days=91.25)
    assert reviews == 4
    assert shadow_of_the_future(reviews) == 0.75
    assert shadow_of_the_future(1) == 0
    assert shadow_of_the_future(0.5) == 0


def test_cooperation_is_self_enforcing_when_the_shadow_covers_delta_star():
    report = analyse_incentives(PD, shadow=0.75)
    assert report.self_enforcing
    assert report.parties[0].sentences[0] == (
        "For A the partnership is a prisoner's dilemma: every condition holds."
    )
    assert report.parties[0].sentences[-1] == (
        "A needs a shadow of the future of at least δ* = (T − R)/(T − P) = (5 − 3)/(5 − 1) "
        "= 0.50; the partnership's is 0.75, so contributing is self-enforcing for A."
    )
    short = analyse_incentives(PD, shadow=0.4)
    assert not short.self_enforcing
    assert short.sentences[-1] == (
        "Cooperation is not self-enforcing: it needs mechanisms that change the incentives."
    )


def test_each_party_is_judged_on_its_own_payoffs():
    report = analyse_incentives(ASYMMETRIC, shadow=0.6)
    acme, beta = report.parties
    assert (acme.delta_star, beta.delta_star) == (0.5, 0.5)
    report = analyse_incentives(
        StageGame(ASYMMETRIC.first, PartyPayoffs("Beta", 7, 3, 1, 0)), shadow=0.6
    )
    acme, beta = report.parties
    assert acme.self_enforcing
    assert not beta.self_enforcing
    assert not report.self_enforcing
    assert beta.sentences[-1] == (
        "Beta needs a shadow of the future of at least δ* = (T − R)/(T − P) = (7 − 3)/(7 − 1) "
        "= 0.67; the partnership's is 0.60, so Beta is better off withholding against a "
        "partner who retaliates for good."
    )


# --- Stage-game equilibria --------------------------------------------------------------------


def test_the_single_review_of_a_dilemma_has_mutual_withholding_as_its_only_equilibrium():
    result = stage_equilibria(PD)
    assert not result.degenerate
    (only,) = result.points
    assert (only.first_contributes, only.second_contributes, only.payoffs) == (0, 0, (1, 1))
    assert only.pure


def test_ties_are_flagged_as_degenerate():
    # A penalty of 2 on withholding in Axelrod's game: withholding no longer tempts.
    result = stage_equilibria(symmetric_game(3, 3, -1, 0))
    assert result.degenerate
    # Against a contributor, withholding now pays exactly as much: weak equilibria appear.
    points = [(e.first_contributes, e.second_contributes) for e in result.points]
    assert points == [(1, 1), (1, 0), (0, 1)]
    assert result.sentences[-1] == "Some payoffs tie, so further equilibria mix between these."


@given(st.lists(st.integers(-6, 6), min_size=8, max_size=8))
def test_equilibria_agree_with_nashpy(values):
    game = StageGame(party(*values[:4]), PartyPayoffs("B", *values[4:]))
    a, b = game.bimatrix()
    assume(not (np.any(a[0] == a[1]) or np.any(b[:, 0] == b[:, 1])))
    ours = sorted(
        (e.first_contributes, e.second_contributes, *e.payoffs)
        for e in stage_equilibria(game).points
    )
    solver = nash.Game(a, b)
    theirs = sorted(
        (rows[0], cols[0], *solver[rows, cols]) for rows, cols in solver.support_enumeration()
    )
    assert np.allclose(ours, theirs)


# --- Simulation -------------------------------------------------------------------------------


def test_simulation_is_reproducible_from_its_seed():
    pairs = [(GTFT, Strategy.RANDOM), (TFT, CTFT)]
    one, two = (
        simulate(PD, pairs, rounds=30, repetitions=20, noise=0.1, seed=3, record_moves=True)
        for _ in range(2)
    )
    other = simulate(PD, pairs, rounds=30, repetitions=20, noise=0.1, seed=4)
    assert np.array_equal(one.payoffs, two.payoffs)
    assert np.array_equal(one.moves, two.moves)
    assert np.array_equal(one.intended, two.intended)
    assert not np.array_equal(one.payoffs, other.payoffs)


def test_without_noise_an_exploiter_takes_the_temptation_every_round():
    sim = simulate(PD, [(ALLC, ALLD), (TFT, TFT)], rounds=10, repetitions=3, noise=0)
    assert sim.mean_payoffs().tolist() == [[0, 5], [3, 3]]
    assert sim.cooperation[0].mean(axis=0).tolist() == [1, 0]
    assert sim.echoes_per_match.tolist() == [0, 0]


def test_noise_turns_tit_for_tat_retaliation_into_echoes_and_forgiving_strategies_break_them():
    pairs = [(TFT, TFT), (CTFT, CTFT), (GTFT, GTFT), (WSLS, WSLS)]
    sim = simulate(PD, pairs, rounds=200, repetitions=200, noise=0.05, seed=1)
    tft, *forgiving = range(len(pairs))
    assert sim.echoes_per_match[tft] > 3
    assert sim.echo_length[tft] > 2 * max(sim.echo_length[k] for k in forgiving)
    assert sim.echoes_into_withholding[tft] > 0.3
    assert sim.mutual_withholding[tft] > 2 * max(sim.mutual_withholding[k] for k in forgiving)
    assert sim.sentences()[tft].startswith(
        "A playing tit-for-tat against B playing tit-for-tat, with 5% of moves misread: "
    )


# --- Exact expectation ------------------------------------------------------------------------


def test_markov_expectation_matches_a_large_simulation():
    pairs = [(a, b) for a in STRATEGIES for b in STRATEGIES]
    rounds, repetitions, noise = 30, 2500, 0.05
    exact = expect(ASYMMETRIC, pairs, rounds=rounds, noise=noise)
    sim = simulate(ASYMMETRIC, pairs, rounds=rounds, repetitions=repetitions, noise=noise, seed=2)
    z = np.abs(sim.mean_payoffs() - exact.payoffs) / sim.standard_errors()
    assert z.max() < 4, pairs[int(np.argmax(z.max(axis=1)))]
    p = exact.cooperation
    z = np.abs(sim.cooperation - p) / np.sqrt(p * (1 - p) / repetitions)
    assert z.max() < 5


def test_long_run_is_the_limit_of_the_finite_horizon():
    pairs = [(TFT, TFT), (WSLS, GTFT), (CTFT, Strategy.RANDOM), (GRIM, CTFT)]
    exact = expect(PD, pairs, rounds=4000, noise=0.02)
    # Grim trigger's cooperative opening is a transient worth about 50 rounds: O(50/4000).
    assert np.allclose(exact.payoffs, exact.long_run_payoffs, atol=0.02)
    assert np.allclose(exact.cooperation[:, -1], exact.long_run_cooperation, atol=1e-3)


def test_long_run_values_match_known_results():
    exact = expect(PD, [(TFT, TFT), (TFT, TFT), (WSLS, ALLD)], rounds=1, noise=0)
    assert exact.long_run_payoffs[0].tolist() == pytest.approx([3, 3])
    noisy = expect(PD, [(TFT, TFT)], rounds=1, noise=0.01)
    # Under any noise, tit-for-tat pairs spend a quarter of the time in each outcome.
    assert noisy.long_run_payoffs[0] == pytest.approx([2.25, 2.25])
    assert noisy.long_run_cooperation[0] == pytest.approx([0.5, 0.5])
    # Win-stay-lose-shift against always-withhold alternates forever: a periodic chain.
    assert exact.long_run_payoffs[2] == pytest.approx([0.5, 3])


def test_grim_trigger_never_forgives_a_misread_move():
    exact = expect(PD, [(GRIM, GRIM)], rounds=500, noise=0.05)
    assert exact.long_run_cooperation[0] == pytest.approx([0.05, 0.05])


# --- Tournament -------------------------------------------------------------------------------


def test_tournament_leaves_self_play_out_of_the_scores_and_ranks_by_median():
    result = tournament(PD, rounds=50, repetitions=40, noise=0.05, seed=9)
    n = len(STRATEGIES)
    matrix = result.payoff_matrix
    others = (matrix.sum(axis=1) - np.diag(matrix)) / (n - 1)
    assert np.allclose(result.normalised_scores.mean(axis=1), others)
    medians = result.median_scores()
    ranked = [medians[result.strategies.index(s)] for s in result.ranking]
    assert ranked == sorted(ranked, reverse=True)
    self_play = result.simulation.pairs.index((TFT, TFT))
    seats = result.simulation.payoffs[self_play].mean(axis=1)
    assert matrix[0, 0] == pytest.approx(seats.mean())


# --- Mechanisms -------------------------------------------------------------------------------

PENALTY_SENTENCE = (
    "A penalty of 2 on withholding lowers the temptation from 5 to 3: δ* falls from 0.50 to "
    "0.00, below the shadow of the future 0.75, so cooperation is self-enforcing."
)


def test_a_penalty_on_withholding_is_explained_in_words():
    comparison = compare_mechanisms(
        Scenario(PD, reviews=4, noise=0.05), Mechanisms(withholding_penalty=2)
    )
    (penalty,) = comparison.outcomes
    assert penalty.label == "credible consequences"
    assert penalty.sentences[0] == PENALTY_SENTENCE
    assert penalty.delta_star == (0, 0)
    assert penalty.self_enforcing


@given(
    st.lists(payoff, min_size=4, max_size=4, unique=True).map(lambda x: sorted(x, reverse=True)),
    st.integers(1, 20).map(lambda k: k / 4),
)
def test_payoff_mechanisms_lower_delta_star(payoffs, amount):
    scenario = Scenario(symmetric_game(*payoffs), reviews=4, noise=0.05)
    before = critical_continuation(scenario.game.first)
    for setting in ("withholding_penalty", "hostage_bond", "joint_bonus"):
        after = apply_mechanisms(scenario, Mechanisms(**{setting: amount}))
        assert critical_continuation(after.game.first) < before
        assert after.noise == scenario.noise
        assert after.shadow == scenario.shadow


def test_horizon_and_transparency_move_the_shadow_and_the_noise():
    scenario = Scenario(PD, reviews=4, noise=0.05)
    longer = apply_mechanisms(scenario, Mechanisms(extra_reviews=8))
    clearer = apply_mechanisms(scenario, Mechanisms(noise_reduction=0.8))
    assert (longer.shadow, longer.game) == (pytest.approx(11 / 12), PD)
    assert (clearer.noise, clearer.shadow) == (pytest.approx(0.01), 0.75)


def test_transparency_and_consequences_raise_the_cooperation_to_expect():
    scenario = Scenario(PD, reviews=1, noise=0.1)
    comparison = compare_mechanisms(
        scenario, Mechanisms(noise_reduction=0.9, withholding_penalty=2.5)
    )
    clearer, penalty, together = comparison.outcomes
    base = comparison.base
    assert [o.label for o in comparison.outcomes] == [
        "transparency",
        "credible consequences",
        "all together",
    ]
    assert not base.self_enforcing
    assert not base.stability.holds
    assert min(clearer.pair_cooperation) > max(base.pair_cooperation) + 0.05
    assert penalty.stability.holds
    assert penalty.sentences[-1] == "The cooperation that can be sustained rises from 10% to 90%."
    assert together.self_enforcing
    assert together.sentences[0].startswith("All 2 mechanisms together: δ* falls from 0.50 to 0.00")


def test_asymmetric_parties_get_a_sentence_each():
    comparison = compare_mechanisms(
        Scenario(ASYMMETRIC, reviews=6, noise=0.02), Mechanisms(joint_bonus=1)
    )
    (bonus,) = comparison.outcomes
    assert [s.split(",")[0] for s in bonus.sentences[:2]] == ["For Acme", "For Beta"]
    assert bonus.label == Mechanism.COLLECTIVE_REWARDS.value.replace("_", " ")


def test_a_one_off_sustains_only_withholding_and_a_longer_partnership_sustains_reciprocity():
    one_off = stability(PD, (TFT, TFT), rounds=1, noise=0.05)
    assert not one_off.holds
    assert [d.to for d in one_off.deviations] == [ALLD, ALLD]
    assert one_off.equilibria == ((ALLD, ALLD),)
    assert one_off.sentences[0] == (
        "Tit-for-tat on both sides does not hold over 1 review with 5% of moves misread: "
        "A gains 1.8 per review by switching to always withhold; B gains 1.8 per review by "
        "switching to always withhold."
    )
    four = stability(PD, (TFT, TFT), rounds=4, noise=0.05)
    assert four.holds
    assert four.equilibria[0] == (TFT, TFT)


def test_under_noise_contrite_tit_for_tat_holds_where_tit_for_tat_echoes_too_long():
    result = stability(PD, (TFT, TFT), rounds=30, noise=0.05)
    assert not result.holds
    assert result.equilibria[0] == (CTFT, CTFT)
    assert min(result.cooperation[0]) > 0.85
    assert result.equilibria[-1] == (ALLD, ALLD)


# --- Bad input --------------------------------------------------------------------------------


def test_game_error_is_a_value_error():
    assert issubclass(GameError, ValueError)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: party(math.nan, 3, 1, 0), "The temptation payoff of A must be a finite"),
        (lambda: party("5", 3, 1, 0), "The temptation payoff of A must be a finite"),
        (lambda: PartyPayoffs(" ", 5, 3, 1, 0), games.NOT_NAMED),
        (lambda: StageGame(party(5, 3, 1, 0), party(5, 3, 1, 0)), "both are called 'A'"),
        (
            lambda: simulate(PD, [(TFT, TFT)], rounds=5, repetitions=5, noise=1.5),
            games.NOT_SHARE.format(what="Noise", value=1.5),
        ),
        (
            lambda: simulate(PD, [(TFT, TFT)], rounds=0, repetitions=5, noise=0),
            games.NOT_COUNT.format(what="The number of rounds", value=0),
        ),
        (
            lambda: simulate(PD, [(TFT, "nice")], rounds=5, repetitions=5, noise=0),
            "Unknown strategy 'nice'; choose one of: tit_for_tat,",
        ),
        (lambda: simulate(PD, [], rounds=5, repetitions=5, noise=0), games.NO_PAIRS),
        (
            lambda: simulate(PD, [(TFT, TFT)], rounds=10_000, repetitions=10_000, noise=0),
            "100,000,000 moves to simulate exceed the limit",
        ),
        (lambda: tournament(ASYMMETRIC), games.ASYMMETRIC_TOURNAMENT),
        (lambda: tournament(PD, [TFT, "tit_for_tat"]), games.FEW_STRATEGIES.format(count=1)),
        (
            lambda: expected_reviews(horizon_days=90, review_interval_days=0),
            "The review interval in days must be positive",
        ),
        (lambda: shadow_of_the_future(-1), "must not be negative"),
        (lambda: analyse_incentives(PD, shadow=1.2), "The shadow of the future must lie"),
        (lambda: Mechanisms(withholding_penalty=-1), "The withholding penalty must not be"),
        (lambda: Mechanisms(noise_reduction=2), "The noise reduction must lie between 0 and 1"),
        (lambda: Scenario(PD, reviews=math.inf, noise=0), "must be a finite number"),
        (lambda: expect(PD, [(TFT, TFT)], rounds=1.5, noise=0), "whole number"),
        (
            lambda: expect(PD, [(TFT, TFT)], rounds=20_000, noise=0),
            "The number of rounds must be at most 10,000, got 20,000.",
        ),
        (
            lambda: expect(PD, [(TFT, TFT)] * 101, rounds=10_000, noise=0),
            "1,010,000 chain steps (pairs × rounds) exceed the limit of 1,000,000",
        ),
        (
            lambda: compare_mechanisms(
                Scenario(PD, reviews=4, noise=0), Mechanisms(extra_reviews=1e6)
            ),
            "The number of rounds must be at most 10,000",
        ),
        (
            lambda: simulate(PD, [(TFT, TFT)], rounds=5, repetitions=5, noise=0, seed=-1),
            games.BAD_SEED.format(value=-1),
        ),
    ],
)
def test_bad_input_raises_a_game_error_with_a_clear_message(call, message):
    with pytest.raises(GameError, match=re.escape(message)):
        call()
