"""One plain sentence for every technical term the incentive pages use, shown next to the term.

Game theory's letters and names (T, R, P, S, δ*, Nash, Markov, tit-for-tat) are exact but mean
nothing to most alliance managers; each page puts these sentences where the term stands.
"""

from __future__ import annotations

from accord.domain.games import Strategy

TERMS: dict[str, str] = {
    "T": "Temptation: what a party gets in one review when it holds back while the other "
    "contributes.",
    "R": "Reward: what a party gets in one review when both contribute.",
    "P": "Punishment: what a party gets in one review when both hold back.",
    "S": "Sucker's payoff: what a party gets in one review when it contributes and the other "
    "holds back.",
    "dilemma": "A prisoner's dilemma: each party gains by holding back whatever the other does "
    "(T > R and P > S), yet both are better off contributing together than both holding back "
    "(R > P).",
    "δ*": "δ* (critical continuation): the least chance of another review at which "
    "contributing still pays for that party; it is (T − R) ÷ (T − P).",
    "δ": "Shadow of the future δ: the chance, after each review, that there will be another "
    "one, from the expected number of reviews left (δ = 1 − 1 ÷ reviews).",
    "self-enforcing": "Self-enforcing: each party's δ* is at most δ, so contributing pays for "
    "both without anyone checking.",
    "stage game": "Stage game: a single review looked at on its own, as if there were no next one.",
    "Nash": "Nash equilibrium: a pair of moves in which neither party can do better by "
    "changing only its own move.",
    "noise": "Noise (misread moves): the share of reviews in which a party's contribution is "
    "seen as holding back, or the reverse, by mistake.",
    "Markov": "Markov chain (exact expectation): the probabilities of every pair of moves "
    "carried forward review by review, giving the exact average instead of one random sample.",
    "simulated": "Simulated: the average over matches actually played with random misreadings "
    "(the seed makes them repeatable); it scatters around the exact expectation.",
    "long run": "Long run: the share the expectation settles at if the partnership went on "
    "forever.",
    "echo": "Echo: a run of reviews in which the parties take turns holding back, each "
    "answering the other's last move.",
    "stable pair": "Stable pair: a pair of strategies neither party would leave for another "
    "one, given the horizon and the noise.",
}

STRATEGIES: dict[Strategy, str] = {
    Strategy.TIT_FOR_TAT: "Contributes first, then does whatever the other party did in the "
    "last review.",
    Strategy.GENEROUS_TIT_FOR_TAT: "Like tit-for-tat, but sometimes lets a holding back go "
    "unanswered, which ends echoes.",
    Strategy.CONTRITE_TIT_FOR_TAT: "Like tit-for-tat, but accepts the other's retaliation "
    "after its own misread move instead of answering it.",
    Strategy.WIN_STAY_LOSE_SHIFT: "Repeats its last move when it went well and changes it "
    "when it went badly.",
    Strategy.GRIM_TRIGGER: "Contributes until the other holds back once, then holds back for good.",
    Strategy.ALWAYS_DEFECT: "Always holds back.",
    Strategy.ALWAYS_COOPERATE: "Always contributes.",
    Strategy.RANDOM: "Contributes or holds back at random, half the time each.",
}


def strategy_help(strategy: Strategy) -> str:
    return STRATEGIES[strategy]
