"""Reads for incentive models, and the bridge from a saved model to the domain's analysis.

Every read is scoped by the viewer: the joint model of a pair is seen by every reader of the
partnership, an internal scenario only by its own organization. The analysis itself is pure
computation in accord.domain.games; this module only turns rows into its inputs and bounds the
work so each page stays fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.http import Http404

from accord.domain import games
from accord.incentives.models import IncentiveModel
from accord.partnerships.access import NOT_FOUND
from accord.partnerships.models import Partnership, Party, Visibility

PAGE_ROUNDS = 200
"""Most reviews simulated on the analysis page; the expectation covers the same span."""
MIN_PAGE_ROUNDS = 20
"""Fewest reviews played on the page: with only a handful left, no echo has room to develop, so
the page shows how the strategies would fare if the partnership went on, and says so."""
REPETITIONS = 40
"""Matches per strategy pair: enough for standard errors, small enough for a fast page."""
RECIPROCAL = (
    games.Strategy.TIT_FOR_TAT,
    games.Strategy.GENEROUS_TIT_FOR_TAT,
    games.Strategy.CONTRITE_TIT_FOR_TAT,
    games.Strategy.WIN_STAY_LOSE_SHIFT,
    games.Strategy.GRIM_TRIGGER,
)


def models_for(*, partnership: Partnership, viewer: Any) -> QuerySet[IncentiveModel]:
    return (
        IncentiveModel.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .select_related(
            "partnership", "owner_org", "first_party__organization", "second_party__organization"
        )
    )


def model_for(*, partnership: Partnership, viewer: Any, model_id: int) -> IncentiveModel:
    """A model the viewer may see, or 404: another party's internal scenario and a missing one
    look the same."""
    model = models_for(partnership=partnership, viewer=viewer).filter(pk=model_id).first()
    if model is None:
        raise Http404(NOT_FOUND)
    return model


def party_pairs(*, partnership: Partnership) -> list[tuple[Party, Party]]:
    parties = list(partnership.parties.select_related("organization").order_by("pk"))
    return list(combinations(parties, 2))


@dataclass
class PairRow:
    """One pair of parties on the overview: its joint model (if any) and the viewer's own
    internal scenarios."""

    first: Party
    second: Party
    joint: IncentiveModel | None
    scenarios: list[IncentiveModel]


def pair_rows(*, partnership: Partnership, viewer: Any) -> list[PairRow]:
    """Two queries whatever the number of parties and models: the models are read alone and
    given the parties and the partnership already in hand (the analysis reads their names and
    the end date)."""
    pairs = party_pairs(partnership=partnership)
    parties = {p.pk: p for pair in pairs for p in pair}
    visible = [
        m
        for m in IncentiveModel.objects.visible_to(viewer).filter(partnership=partnership)
        if m.first_party_id in parties and m.second_party_id in parties
    ]
    for m in visible:
        m.partnership = partnership
        m.first_party = parties[m.first_party_id]
        m.second_party = parties[m.second_party_id]
    rows = []
    for first, second in pairs:
        mine = [
            m for m in visible if m.first_party_id == first.pk and m.second_party_id == second.pk
        ]
        joint = next((m for m in mine if m.visibility == Visibility.JOINT), None)
        rows.append(
            PairRow(first, second, joint, [m for m in mine if m.visibility != Visibility.JOINT])
        )
    return rows


# --- From a model to the domain ---------------------------------------------------------------


def party_names(model: IncentiveModel) -> tuple[str, str]:
    one = model.first_party.organization.name
    two = model.second_party.organization.name
    return (one, two) if one != two else (f"{one} (1)", f"{two} (2)")


def stage_game(model: IncentiveModel) -> games.StageGame:
    one, two = party_names(model)
    return games.StageGame(
        games.PartyPayoffs(one, **model.payoffs_of("first")),
        games.PartyPayoffs(two, **model.payoffs_of("second")),
    )


@dataclass(frozen=True)
class Horizon:
    """How the model's horizon and cadence become the shadow of the future, in words."""

    days: int
    interval_days: int
    reviews: float
    shadow: float
    sentence: str


def horizon(model: IncentiveModel, *, today: date) -> Horizon:
    days = model.horizon_on(today)
    reviews = games.expected_reviews(
        horizon_days=days, review_interval_days=model.review_interval_days
    )
    shadow = games.shadow_of_the_future(reviews)
    if model.horizon_source == IncentiveModel.HorizonSource.END_DATE:
        end = model.partnership.end_date
        where = (
            f"{days:,} days remain until the partnership's end date ({end:%d %b %Y})"
            if end
            else "the partnership has no end date, so no review is left to plan for"
        )
    else:
        where = f"the parties plan {days:,} days ahead"
    sentence = (
        f"{where[0].upper()}{where[1:]}; with a review every {model.review_interval_days} days "
        f"that is {reviews:.1f} expected reviews, so the shadow of the future is "
        f"δ = 1 − 1/{reviews:.1f} = {shadow:.2f}: after each review the partnership goes on "
        f"with probability {shadow:.2f}."
        if reviews > 1
        else f"{where[0].upper()}{where[1:]}; with a review every {model.review_interval_days} "
        f"days that is {reviews:.1f} expected reviews, so there is no shadow of the future "
        f"(δ = 0): every review may be the last."
    )
    return Horizon(days, model.review_interval_days, reviews, shadow, sentence)


def scenario(model: IncentiveModel, *, today: date) -> games.Scenario:
    return games.Scenario(
        stage_game(model), reviews=horizon(model, today=today).reviews, noise=model.noise
    )


def _fmt(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value:.2f}"


@dataclass
class StrategyRow:
    """Both parties playing the same strategy: what one batch of matches gave, and what to
    expect exactly."""

    strategy: games.Strategy
    simulated_cooperation: tuple[float, float]
    expected_cooperation: tuple[float, float]
    long_run_cooperation: tuple[float, float]
    simulated_payoffs: tuple[float, float]
    standard_errors: tuple[float, float]
    expected_payoffs: tuple[float, float]
    echoes_per_match: float
    echo_length: float
    echoes_into_withholding: float
    sentence: str


@dataclass(frozen=True)
class Reconciled:
    """Why the page shows two contribution figures for the same tit-for-tat pair.

    Both are exact (Markov) expectations with the same payoffs and the same noise and no
    discounting; they differ only in how many reviews they average over: the simulation section
    plays ``page_reviews`` (the horizon, but at least MIN_PAGE_ROUNDS and at most PAGE_ROUNDS),
    the What-if comparison the horizon's own ``horizon_reviews``. Every misread move can start an
    echo, so the longer the span, the lower the share, down to ``long_run``.
    """

    page_reviews: int
    page_share: float
    horizon_reviews: int
    horizon_share: float
    long_run: float
    noise: float

    @property
    def sentence(self) -> str:
        if self.page_reviews == self.horizon_reviews:
            return (
                f"Tit-for-tat partners: {_pct(self.page_share)} over the horizon's "
                f"{self.horizon_reviews} reviews, here and in the What-if comparison alike."
            )
        return (
            f"Two figures for the same tit-for-tat pair, both exact expectations with the same "
            f"payoffs, the same {_pct(self.noise)} of misread moves and no discounting: "
            f"{_pct(self.page_share)} averaged over the {self.page_reviews} reviews played on "
            f"this page, {_pct(self.horizon_share)} over the {self.horizon_reviews} reviews "
            f"the horizon holds (the What-if comparison). They differ only in length: both "
            f"start by contributing, every misread move can start an echo, so the longer they "
            f"play, the closer the share comes to its long-run {_pct(self.long_run)}."
        )


def reconcile(
    game: games.StageGame, exact: games.Expectation, k: int, *, full: int, noise: float
) -> Reconciled:
    """Tit-for-tat's expected contribution over the page's span (pair ``k`` of ``exact``) and
    over the horizon's — the figure compare_mechanisms shows for the same pair."""
    page = exact.cooperation[k]
    if full <= exact.rounds:
        horizon_share = float(page[:full].mean())
    else:
        tft = games.Strategy.TIT_FOR_TAT
        horizon_share = float(
            games.expect(game, [(tft, tft)], rounds=full, noise=noise).cooperation[0].mean()
        )
    return Reconciled(
        page_reviews=exact.rounds,
        page_share=float(page.mean()),
        horizon_reviews=full,
        horizon_share=horizon_share,
        long_run=float(np.mean(exact.long_run_cooperation[k])),
        noise=noise,
    )


@dataclass
class Analysis:
    model: IncentiveModel
    names: tuple[str, str]
    horizon: Horizon
    report: games.IncentiveReport
    rounds: int
    repetitions: int
    seed: int
    strategies: tuple[games.Strategy, ...]
    rows: list[StrategyRow]
    payoff_matrix: list[list[tuple[float, float]]]
    """[first party's strategy][second's] → exact expected payoff per review of each party."""
    cooperation_by_round: dict[str, list[float]]
    """Strategy label → expected share of moves that are contributions, per round."""
    echo_sentences: list[str]
    capped: bool
    """Fewer reviews played than the horizon holds."""
    extended: bool
    """More reviews played than the horizon holds (MIN_PAGE_ROUNDS)."""
    reconciled: Reconciled | None = None
    """Tit-for-tat's contribution over the page's reviews and over the horizon's, side by side."""

    @property
    def delta_rows(self) -> list[tuple[str, float, float, bool]]:
        return [
            (p.payoffs.party, p.delta_star, p.shadow, p.self_enforcing) for p in self.report.parties
        ]


def analyse(model: IncentiveModel, *, today: date) -> Analysis:
    """The whole analysis page in one pass: the dilemma per party, δ* against the shadow, the
    stage game's equilibria, every ordered pair of strategies simulated in one batch beside the
    exact Markov expectation, and the echo story. Bounded to PAGE_ROUNDS × REPETITIONS."""
    game = stage_game(model)
    span = horizon(model, today=today)
    report = games.analyse_incentives(game, shadow=span.shadow)
    full = max(1, round(span.reviews))
    rounds = min(max(full, MIN_PAGE_ROUNDS), PAGE_ROUNDS)
    strategies = games.STRATEGIES
    pairs = [(a, b) for a in strategies for b in strategies]
    seed = model.pk or 0
    sim = games.simulate(
        game, pairs, rounds=rounds, repetitions=REPETITIONS, noise=model.noise, seed=seed
    )
    exact = games.expect(game, pairs, rounds=rounds, noise=model.noise)
    n = len(strategies)
    means, errors = sim.mean_payoffs(), sim.standard_errors()
    lines = sim.sentences()
    rows = []
    for i, strategy in enumerate(strategies):
        k = i * n + i
        rows.append(
            StrategyRow(
                strategy=strategy,
                simulated_cooperation=_two(sim.cooperation[k].mean(axis=0)),
                expected_cooperation=_two(exact.cooperation[k].mean(axis=0)),
                long_run_cooperation=_two(exact.long_run_cooperation[k]),
                simulated_payoffs=_two(means[k]),
                standard_errors=_two(errors[k]),
                expected_payoffs=_two(exact.payoffs[k]),
                echoes_per_match=float(sim.echoes_per_match[k]),
                echo_length=float(sim.echo_length[k]),
                echoes_into_withholding=float(sim.echoes_into_withholding[k]),
                sentence=lines[k],
            )
        )
    t = strategies.index(games.Strategy.TIT_FOR_TAT)
    reconciled = reconcile(game, exact, t * n + t, full=full, noise=model.noise)
    matrix = [[_two(exact.payoffs[i * n + j]) for j in range(n)] for i in range(n)]
    by_round = {
        strategy.label: [round(float(x), 4) for x in exact.cooperation[i * n + i].mean(axis=1)]
        for i, strategy in enumerate(strategies)
        if strategy in RECIPROCAL
    }
    return Analysis(
        model=model,
        names=(game.first.party, game.second.party),
        horizon=span,
        report=report,
        rounds=rounds,
        repetitions=REPETITIONS,
        seed=seed,
        strategies=strategies,
        rows=rows,
        payoff_matrix=matrix,
        cooperation_by_round=by_round,
        echo_sentences=echo_story(rows, noise=model.noise, rounds=rounds),
        capped=rounds < full,
        extended=rounds > full,
        reconciled=reconciled,
    )


def _two(values: Any) -> tuple[float, float]:
    return (float(values[0]), float(values[1]))


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def echo_story(rows: list[StrategyRow], *, noise: float, rounds: int) -> list[str]:
    """How retaliation echoes under this noise, and which reciprocating strategies break it."""
    by = {row.strategy: row for row in rows}
    tft = by[games.Strategy.TIT_FOR_TAT]
    grim = by[games.Strategy.GRIM_TRIGGER]
    if noise == 0:
        return [
            "With no misread moves no echo ever starts: reciprocating partners contribute in "
            "every review. Noise is what turns reciprocity into a vicious circle; set an "
            "honest estimate of it to see how."
        ]
    coop = float(np.mean(tft.expected_cooperation))
    lines = [
        f"With {_pct(noise)} of moves misread, one misreading is enough to start a retaliation "
        f"echo between two tit-for-tat partners: each answers the other's last withholding, so "
        f"the withholding bounces back and forth ({tft.echoes_per_match:.1f} echoes per "
        f"{rounds} reviews, {tft.echo_length:.1f} reviews long on average) until another "
        f"misreading ends it — or turns it into mutual withholding "
        f"({_pct(tft.echoes_into_withholding)} of echoes did). Over {rounds} reviews they "
        f"can expect to contribute {_pct(coop)} of the time, not 100%.",
        f"Grim trigger never forgives: after the first misread move both sides withhold for "
        f"good, and grim-trigger partners can expect to contribute only "
        f"{_pct(float(np.mean(grim.expected_cooperation)))} of the time.",
    ]
    breakers = []
    for strategy in (
        games.Strategy.GENEROUS_TIT_FOR_TAT,
        games.Strategy.CONTRITE_TIT_FOR_TAT,
        games.Strategy.WIN_STAY_LOSE_SHIFT,
    ):
        row = by[strategy]
        theirs = float(np.mean(row.expected_cooperation))
        if theirs > coop + 0.02:
            breakers.append(f"{strategy.label} ({_pct(theirs)})")
    if breakers:
        lines.append(
            "What breaks the circle is a partner who does not answer every withholding: "
            + ", ".join(breakers)
            + f" keep contribution above tit-for-tat's {_pct(coop)} because they forgive, "
            "apologise for their own slips, or return to contributing after mutual withholding."
        )
    else:
        lines.append(
            "At this noise no reciprocating strategy does clearly better than tit-for-tat: "
            "reduce the noise (transparency) or change the payoffs to break the circle."
        )
    return lines


# --- What-if mechanisms -----------------------------------------------------------------------


@dataclass
class WhatIfRow:
    label: str
    delta_star: tuple[float, float]
    shadow: float
    reviews: float
    noise: float
    self_enforcing: bool
    pair_cooperation: float
    sustainable_pair: str
    sustainable_cooperation: float | None
    sentences: tuple[str, ...]


@dataclass
class WhatIf:
    names: tuple[str, str]
    pair: tuple[games.Strategy, games.Strategy]
    mechanisms: games.Mechanisms
    rows: list[WhatIfRow]


def _row(outcome: games.Outcome, names: tuple[str, str]) -> WhatIfRow:
    stable = outcome.stability
    if stable.equilibria:
        a, b = stable.equilibria[0]
        label = a.label if a == b else f"{a.label} / {b.label}"
        sustained: float | None = float(np.mean(stable.cooperation[0]))
    else:
        label, sustained = "none", None
    return WhatIfRow(
        label=outcome.label,
        delta_star=outcome.delta_star,
        shadow=outcome.shadow,
        reviews=outcome.scenario.reviews,
        noise=outcome.scenario.noise,
        self_enforcing=outcome.self_enforcing,
        pair_cooperation=float(np.mean(outcome.pair_cooperation)),
        sustainable_pair=label,
        sustainable_cooperation=sustained,
        sentences=outcome.sentences,
    )


def what_if(
    model: IncentiveModel,
    mechanisms: games.Mechanisms,
    *,
    pair: tuple[games.Strategy, games.Strategy] = (
        games.Strategy.TIT_FOR_TAT,
        games.Strategy.TIT_FOR_TAT,
    ),
    today: date,
) -> WhatIf:
    """Each active mechanism alone and all together, against the model as it stands."""
    comparison = games.compare_mechanisms(scenario(model, today=today), mechanisms, pair=pair)
    names = party_names(model)
    rows = [_row(comparison.base, names), *(_row(o, names) for o in comparison.outcomes)]
    return WhatIf(names, comparison.pair, mechanisms, rows)
