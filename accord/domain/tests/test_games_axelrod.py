"""The strategies in games.py are axelrod 4.14's: move for move where they are deterministic, and
within statistical error in a noisy tournament where they are not."""

import itertools
import math

import axelrod as axl
import numpy as np
import pytest

from accord.domain.games import (
    STRATEGIES,
    PartyPayoffs,
    Strategy,
    generosity,
    simulate,
    symmetric_game,
    tournament,
)

AXELROD = {
    Strategy.TIT_FOR_TAT: axl.TitForTat,
    Strategy.GENEROUS_TIT_FOR_TAT: axl.GTFT,
    Strategy.CONTRITE_TIT_FOR_TAT: axl.ContriteTitForTat,
    Strategy.WIN_STAY_LOSE_SHIFT: axl.WinStayLoseShift,
    Strategy.GRIM_TRIGGER: axl.Grudger,
    Strategy.ALWAYS_DEFECT: axl.Defector,
    Strategy.ALWAYS_COOPERATE: axl.Cooperator,
    Strategy.RANDOM: axl.Random,
}
DETERMINISTIC = [s for s in STRATEGIES if not axl.Classifiers["stochastic"](AXELROD[s]())]
GAME = symmetric_game(5, 3, 1, 0)
AX_GAME = axl.Game(r=3, s=0, t=5, p=1)


def test_six_of_the_eight_strategies_are_deterministic():
    assert Strategy.GENEROUS_TIT_FOR_TAT not in DETERMINISTIC
    assert Strategy.RANDOM not in DETERMINISTIC
    assert len(DETERMINISTIC) == 6


def test_deterministic_strategies_make_axelrods_moves_round_by_round_under_our_noise_flips():
    rounds, repetitions, noise = 60, 4, 0.1
    pairs = [(a, b) for a in DETERMINISTIC for b in DETERMINISTIC]
    sim = simulate(
        GAME, pairs, rounds=rounds, repetitions=repetitions, noise=noise, seed=11, record_moves=True
    )
    assert sim.moves is not None
    assert sim.intended is not None
    flips = sim.moves ^ sim.intended
    assert flips[:, :, 0].any(), "noise must be able to flip the very first move"
    for k, (a, b) in enumerate(pairs):
        for rep in range(repetitions):
            players = AXELROD[a](), AXELROD[b]()
            for player in players:
                player.set_match_attributes(length=rounds, game=AX_GAME, noise=noise)
            for t in range(rounds):
                # As axelrod's Match.simultaneous_play, with our flip decisions for its RNG.
                one, two = players[0].strategy(players[1]), players[1].strategy(players[0])
                assert (one.value, two.value) == tuple(sim.intended[k, rep, t]), (a, b, rep, t)
                one = one.flip() if flips[k, rep, t, 0] else one
                two = two.flip() if flips[k, rep, t, 1] else two
                assert (one.value, two.value) == tuple(sim.moves[k, rep, t])
                players[0].update_history(one, two)
                players[1].update_history(two, one)


@pytest.mark.parametrize(
    ("t", "r", "p", "s"), [(5, 3, 1, 0), (4, 3, 2, 1), (10, 6, 1, 0), (7, 5, 0, -2)]
)
def test_generous_tit_for_tat_forgives_by_axelrods_formula(t, r, p, s):
    player = axl.GTFT()
    # axelrod 4.14 fixes p from its default game when the player is built and keeps it (1/3)
    # whatever game the match uses; clearing it makes GTFT apply its formula to this game.
    player.p = None
    player.set_match_attributes(game=axl.Game(r=r, s=s, t=t, p=p))
    assert generosity(PartyPayoffs("A", t, r, p, s)) == pytest.approx(player.p)


def test_generous_tit_for_tat_forgives_a_third_of_the_time_in_axelrods_game():
    assert axl.GTFT().p == pytest.approx(1 / 3)
    assert generosity(GAME.first) == pytest.approx(1 / 3)


def test_noisy_tournament_agrees_with_axelrod_within_statistical_error():
    turns, repetitions, noise = 100, 100, 0.05
    players = [AXELROD[s]() for s in STRATEGIES]
    theirs = axl.Tournament(
        players, game=AX_GAME, turns=turns, repetitions=repetitions, noise=noise, seed=5
    ).play(progress_bar=False)
    ours = tournament(GAME, STRATEGIES, rounds=turns, repetitions=2000, noise=noise, seed=5)

    their_means = np.array(theirs.payoff_matrix)
    their_errors = np.array(theirs.payoff_stddevs) / math.sqrt(repetitions)
    z = np.abs(ours.payoff_matrix - their_means) / np.hypot(ours.standard_errors, their_errors)
    assert z.max() < 4, np.round(z, 1)

    # Normalised scores leave self-play out: their means agree too.
    their_scores = np.array(theirs.normalised_scores)
    error = np.hypot(
        ours.normalised_scores.std(axis=1, ddof=1) / math.sqrt(2000),
        their_scores.std(axis=1, ddof=1) / math.sqrt(repetitions),
    )
    z = np.abs(ours.normalised_scores.mean(axis=1) - their_scores.mean(axis=1)) / error
    assert z.max() < 4, np.round(z, 1)

    # Openings (noise flips the first move too): share contributing in round one, self-play out.
    opening = dict.fromkeys(STRATEGIES, 0.0)
    for k, (a, b) in enumerate(ours.simulation.pairs):
        if a != b:
            opening[a] += ours.simulation.cooperation[k, 0, 0] / (len(STRATEGIES) - 1)
            opening[b] += ours.simulation.cooperation[k, 0, 1] / (len(STRATEGIES) - 1)
    matches = (len(STRATEGIES) - 1) * np.array([2000, repetitions])
    for strategy, theirs_rate in zip(STRATEGIES, theirs.initial_cooperation_rate, strict=True):
        pooled = (opening[strategy] * matches[0] + theirs_rate * matches[1]) / matches.sum()
        error = math.sqrt(pooled * (1 - pooled) * (1 / matches).sum())
        assert abs(opening[strategy] - theirs_rate) < 4 * error, strategy

    # Ranked by median: wherever axelrod's medians are clearly apart, the order is the same.
    their_medians = np.median(their_scores, axis=1)
    our_rank = {s: i for i, s in enumerate(ours.ranking)}
    for i, j in itertools.combinations(theirs.ranking, 2):
        if their_medians[i] - their_medians[j] > 0.05:
            assert our_rank[STRATEGIES[i]] < our_rank[STRATEGIES[j]]
