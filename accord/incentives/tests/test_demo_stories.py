"""Each archetype's demo model tells its story in δ* against the shadow of the future."""

from __future__ import annotations

import pytest

from accord.domain import games
from accord.incentives.demo import STORIES


def verdicts(archetype: str, *, horizon_days: float = 900) -> tuple[bool, bool]:
    story = STORIES[archetype]
    game = games.StageGame(
        games.PartyPayoffs("first", *story["first"]),
        games.PartyPayoffs("second", *story["second"]),
    )
    reviews = games.expected_reviews(
        horizon_days=story["horizon"] or horizon_days, review_interval_days=story["interval"]
    )
    report = games.analyse_incentives(game, shadow=games.shadow_of_the_future(reviews))
    first, second = report.parties
    return first.self_enforcing, second.self_enforcing


@pytest.mark.parametrize("archetype", ["healthy", "recovering"])
def test_healthy_and_recovering_partnerships_make_contributing_pay(archetype):
    assert verdicts(archetype) == (True, True)


@pytest.mark.parametrize("archetype", ["drifting", "transactional"])
def test_drifting_and_transactional_ones_are_too_short_sighted(archetype):
    assert verdicts(archetype) == (False, False)


def test_in_the_one_sided_partnership_only_the_lead_party_is_tempted():
    assert verdicts("one_sided") == (False, True)
    first, second = STORIES["one_sided"]["first"], STORIES["one_sided"]["second"]
    assert first[0] > second[0]


def test_noise_is_low_when_healthy_and_high_when_drifting():
    assert STORIES["healthy"]["noise"] < STORIES["drifting"]["noise"]
