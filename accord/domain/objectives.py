"""Objective status, the divergence of two parties' accounts, and recovery after an intervention.

Pure functions over plain arrays and tuples, so one call covers every objective of a portfolio.

Objective status — the rule, stated once. Each objective is linked to metrics and commitments;
every link is one piece of evidence, classified as:

- *met*: a metric whose latest observation is green, or a commitment that is done;
- *progress*: a metric that is amber, or an open commitment (planned, on track, at risk) whose
  due date has not passed;
- *failing*: a metric that is red, a missed commitment, or an open commitment past its due date;
- *none*: a metric with no observation yet (it says nothing either way).

The objective is then **unmet** if any piece is failing; otherwise **met** if it has pieces and
all are met; otherwise **on track** if it has at least one met or progress piece; otherwise
**no evidence yet** (no links, or only metrics without observations). One red metric or one
missed commitment is enough to call an objective unmet: the point is to name shortfalls early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

import numpy as np
from numpy.typing import NDArray

ROWS_SHAPE = "Evidence arrays must be one-dimensional and of equal length."
OBJECTIVE_OUT_OF_RANGE = "An evidence row points outside the objectives."
UNKNOWN_EVIDENCE = "Evidence codes are 0 (none), 1 (progress), 2 (met) or 3 (failing)."
DIVERGENCE_DAYS = 14


class ObjectivesError(ValueError):
    """Raised for evidence that cannot be scored."""


class Evidence(IntEnum):
    NONE = 0
    PROGRESS = 1
    MET = 2
    FAILING = 3


class ObjectiveStatus(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    UNMET = "unmet"
    NO_EVIDENCE = "no_evidence"


METRIC_EVIDENCE = {
    "green": Evidence.MET,
    "amber": Evidence.PROGRESS,
    "red": Evidence.FAILING,
    "no_evidence": Evidence.NONE,
}


def metric_evidence(status: str) -> Evidence:
    """A metric's traffic light (accord.domain.performance.MetricStatus) as evidence."""
    return METRIC_EVIDENCE.get(status, Evidence.NONE)


def commitment_evidence(status: str, due_on: date, today: date) -> Evidence:
    """A commitment's status as evidence: done met, missed or overdue failing, else progress."""
    if status == "done":
        return Evidence.MET
    if status == "missed" or due_on < today:
        return Evidence.FAILING
    return Evidence.PROGRESS


def objective_status(
    objective: NDArray[np.int64], evidence: NDArray[np.int64], count: int
) -> list[ObjectiveStatus]:
    """The status of `count` objectives from evidence rows (objective index, evidence code)."""
    if objective.ndim != 1 or evidence.shape != objective.shape:
        raise ObjectivesError(ROWS_SHAPE)
    if objective.size and (objective.min() < 0 or objective.max() >= count):
        raise ObjectivesError(OBJECTIVE_OUT_OF_RANGE)
    if evidence.size and (evidence.min() < 0 or evidence.max() > Evidence.FAILING):
        raise ObjectivesError(UNKNOWN_EVIDENCE)
    tally = np.zeros((count, len(Evidence)), dtype=np.int64)
    np.add.at(tally, (objective, evidence), 1)
    pieces = tally[:, Evidence.PROGRESS] + tally[:, Evidence.MET] + tally[:, Evidence.FAILING]
    unmet = tally[:, Evidence.FAILING] > 0
    met = ~unmet & (pieces > 0) & (tally[:, Evidence.MET] == pieces)
    on_track = ~unmet & ~met & (pieces > 0)
    codes = np.where(unmet, 2, np.where(met, 0, np.where(on_track, 1, 3)))
    order = (
        ObjectiveStatus.MET,
        ObjectiveStatus.ON_TRACK,
        ObjectiveStatus.UNMET,
        ObjectiveStatus.NO_EVIDENCE,
    )
    return [order[int(c)] for c in codes]


@dataclass(frozen=True)
class PivotalEvent:
    """One party's account of a moment: when, and how it moved that party's trust (-1, 0, +1)."""

    party: int
    occurred_on: date
    trust_effect: int


@dataclass(frozen=True)
class Divergence:
    """How one event compares with the other parties' accounts.

    kind is "only_one_side" (no other party recorded anything within DIVERGENCE_DAYS),
    "opposite_effect" (another party recorded the same days with the opposite effect on trust:
    raised against lowered), "different_effect" (another party recorded them with a different
    but not opposite effect: no effect against lowered or raised), or "shared" (every other
    party that recorded them felt the same effect)."""

    index: int
    kind: str


def divergences(events: list[PivotalEvent], window_days: int = DIVERGENCE_DAYS) -> list[Divergence]:
    """Where the accounts diverge: each event against the other parties' events nearby.

    Two events are about the same moment when they lie within `window_days` of each other. An
    event with no counterpart is seen by one side only; otherwise it is opposite if any
    counterpart moved trust the other way, different if any counterpart's effect differs, and
    shared when all felt the same."""
    out: list[Divergence] = []
    for i, event in enumerate(events):
        nearby = [
            other
            for other in events
            if other.party != event.party
            and abs((other.occurred_on - event.occurred_on).days) <= window_days
        ]
        if not nearby:
            out.append(Divergence(i, "only_one_side"))
            continue
        if any(event.trust_effect * o.trust_effect < 0 for o in nearby):
            out.append(Divergence(i, "opposite_effect"))
        elif any(event.trust_effect != o.trust_effect for o in nearby):
            out.append(Divergence(i, "different_effect"))
        else:
            out.append(Divergence(i, "shared"))
    return out


@dataclass(frozen=True)
class Recovery:
    """Levels before and after an intervention opened; None where there is no evidence."""

    trust_before: float | None
    trust_after: float | None
    on_time_before: float | None
    on_time_after: float | None
    delivered_before: int
    delivered_after: int


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def recovery(
    *,
    opened_on: date,
    round_means: list[tuple[date, float]],
    deliveries: list[tuple[date, bool]],
) -> Recovery:
    """Trust (the mean of the last round that closed before `opened_on`, against the latest one
    after; `round_means` in closing order) and on-time delivery (share of commitments kept among
    those done or missed, by due date) before and after `opened_on`."""
    before = [m for d, m in round_means if d < opened_on]
    after = [m for d, m in round_means if d >= opened_on]
    kept_before = [ok for d, ok in deliveries if d < opened_on]
    kept_after = [ok for d, ok in deliveries if d >= opened_on]
    return Recovery(
        trust_before=before[-1] if before else None,
        trust_after=after[-1] if after else None,
        on_time_before=_mean([float(k) for k in kept_before]),
        on_time_after=_mean([float(k) for k in kept_after]),
        delivered_before=len(kept_before),
        delivered_after=len(kept_after),
    )
