"""The signals a history file may carry: their meaning, unit, direction and how a period's rows
combine. docs/history-import.md renders the same list for people; a test keeps them in step."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    DIRECTION = "direction"  # from_party and to_party both required and different
    FROM = "from"  # from_party required; to_party optional (the other party when there are two)
    PARTY = "party"  # about the partnership as a whole: from_party and to_party stay empty


class Combine(StrEnum):
    ANSWER = "answer"  # one person's survey answer: aggregated per cell, hidden below k
    MEAN = "mean"  # one observation: the period's value is the mean, weighted by their number
    SUM = "sum"  # a count: the period's value is the sum


@dataclass(frozen=True)
class HistorySignal:
    name: str
    role: Role
    combine: Combine
    minimum: float
    maximum: float
    integer: bool
    meaning: str
    unit: str


def _trust(form: str, words: str) -> HistorySignal:
    return HistorySignal(
        f"trust_{form}",
        Role.DIRECTION,
        Combine.ANSWER,
        1,
        7,
        True,
        f"One person of from_party answering how far they trust to_party's {words}.",
        "a whole number on the 1-7 scale (7 = full trust)",
    )


SIGNALS: tuple[HistorySignal, ...] = (
    _trust("competence", "ability to deliver"),
    _trust("contractual", "keeping of agreements"),
    _trust("goodwill", "good faith beyond the contract"),
    HistorySignal(
        "on_time",
        Role.FROM,
        Combine.MEAN,
        0,
        1,
        True,
        "One commitment of from_party that fell due in the period: 1 delivered on time, "
        "0 late or missed.",
        "1 or 0",
    ),
    HistorySignal(
        "slippage_days",
        Role.FROM,
        Combine.MEAN,
        0,
        365,
        False,
        "One delivered commitment of from_party: days after its due date (0 when on time).",
        "days",
    ),
    HistorySignal(
        "notice_lead_days",
        Role.FROM,
        Combine.MEAN,
        0,
        730,
        False,
        "One change notice given by from_party to to_party: days between the notice and the "
        "change taking effect.",
        "days",
    ),
    HistorySignal(
        "monitoring_requests",
        Role.DIRECTION,
        Combine.SUM,
        0,
        10_000,
        True,
        "Requests by from_party for status or proof about to_party's work in the period.",
        "a count",
    ),
    HistorySignal(
        "messages",
        Role.FROM,
        Combine.SUM,
        0,
        1_000_000,
        True,
        "Messages (emails, threads, meeting notes) from_party sent to to_party in the period.",
        "a count",
    ),
    HistorySignal(
        "escalations",
        Role.FROM,
        Combine.SUM,
        0,
        10_000,
        True,
        "Issues from_party escalated up the conflict ladder in the period.",
        "a count",
    ),
    HistorySignal(
        "decision_cycle_days",
        Role.PARTY,
        Combine.MEAN,
        0,
        3_650,
        False,
        "One joint decision taken in the period: days from proposal to decision.",
        "days",
    ),
    HistorySignal(
        "open_conflicts",
        Role.PARTY,
        Combine.MEAN,
        0,
        10_000,
        True,
        "Joint issues still open at the period's date.",
        "a count",
    ),
    HistorySignal(
        "metric_attainment",
        Role.PARTY,
        Combine.MEAN,
        0,
        10,
        False,
        "One joint performance metric in the period: its value against its target "
        "(1 = on target; counted up to 1.2, as for native metrics).",
        "a ratio (0.9 = 90 % of target)",
    ),
)
BY_NAME: dict[str, HistorySignal] = {s.name: s for s in SIGNALS}
