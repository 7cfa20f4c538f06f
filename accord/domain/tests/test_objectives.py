"""Objective status, diverging accounts and recovery, without a database."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.objectives import (
    OBJECTIVE_OUT_OF_RANGE,
    Evidence,
    ObjectivesError,
    ObjectiveStatus,
    PivotalEvent,
    commitment_evidence,
    divergences,
    metric_evidence,
    objective_status,
    recovery,
)

E = Evidence


def status(*rows: tuple[int, Evidence], count: int) -> list[ObjectiveStatus]:
    objective = np.array([r[0] for r in rows], dtype=np.int64)
    evidence = np.array([int(r[1]) for r in rows], dtype=np.int64)
    return objective_status(objective, evidence, count)


def test_each_status_follows_its_stated_rule_in_one_call():
    assert status(
        (0, E.MET),
        (0, E.MET),  # all met
        (1, E.MET),
        (1, E.PROGRESS),  # some progress, nothing failing
        (2, E.MET),
        (2, E.FAILING),  # one failing piece is enough
        (3, E.NONE),  # a metric without observations says nothing
        count=5,  # objective 4 has no links at all
    ) == [
        ObjectiveStatus.MET,
        ObjectiveStatus.ON_TRACK,
        ObjectiveStatus.UNMET,
        ObjectiveStatus.NO_EVIDENCE,
        ObjectiveStatus.NO_EVIDENCE,
    ]


def test_it_refuses_evidence_for_an_objective_that_does_not_exist():
    with pytest.raises(ObjectivesError, match=OBJECTIVE_OUT_OF_RANGE):
        status((2, E.MET), count=2)


def test_metric_lights_and_commitment_states_map_to_evidence():
    today = date(2026, 6, 1)
    assert [metric_evidence(s) for s in ("green", "amber", "red", "no_evidence")] == [
        E.MET,
        E.PROGRESS,
        E.FAILING,
        E.NONE,
    ]
    assert commitment_evidence("done", date(2026, 5, 1), today) is E.MET
    assert commitment_evidence("missed", date(2026, 7, 1), today) is E.FAILING
    assert commitment_evidence("on_track", date(2026, 5, 31), today) is E.FAILING  # overdue
    assert commitment_evidence("planned", date(2026, 6, 1), today) is E.PROGRESS


@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(list(Evidence))), max_size=40))
def test_any_failing_piece_makes_an_objective_unmet_and_nothing_else_does(rows):
    result = status(*rows, count=4)
    for i in range(4):
        failing = any(o == i and e is E.FAILING for o, e in rows)
        assert (result[i] is ObjectiveStatus.UNMET) == failing


def test_accounts_diverge_when_one_side_alone_recalls_a_moment_or_reads_it_the_other_way():
    events = [
        PivotalEvent(1, date(2026, 3, 1), -1),
        PivotalEvent(2, date(2026, 3, 8), 1),  # same weeks, opposite reading
        PivotalEvent(1, date(2026, 5, 1), -1),  # Birch recalls nothing near it
        PivotalEvent(1, date(2026, 8, 1), -1),
        PivotalEvent(2, date(2026, 8, 10), -1),  # both lowered their trust
        PivotalEvent(1, date(2026, 11, 1), 0),
        PivotalEvent(2, date(2026, 11, 2), -1),  # no effect for one, lowered for the other
    ]
    assert [d.kind for d in divergences(events)] == [
        "opposite_effect",
        "opposite_effect",
        "only_one_side",
        "shared",
        "shared",
        "different_effect",
        "different_effect",
    ]


def test_recovery_compares_the_last_round_before_with_the_latest_after_and_delivery_rates():
    result = recovery(
        opened_on=date(2026, 6, 1),
        round_means=[(date(2026, 1, 1), 5.0), (date(2026, 5, 1), 3.5), (date(2026, 9, 1), 4.6)],
        deliveries=[(date(2026, 4, 1), False), (date(2026, 5, 1), True), (date(2026, 7, 1), True)],
    )
    assert (result.trust_before, result.trust_after) == (3.5, 4.6)
    assert (result.on_time_before, result.on_time_after) == (0.5, 1.0)
    assert (result.delivered_before, result.delivered_after) == (2, 1)


def test_recovery_without_evidence_says_none_rather_than_zero():
    result = recovery(opened_on=date(2026, 6, 1), round_means=[], deliveries=[])
    assert result.trust_before is None
    assert result.on_time_after is None
