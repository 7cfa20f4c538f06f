"""Synthetic weekly evidence that tells each demo archetype's story, for a whole portfolio.

Used by the detector's goal tests and the benchmark: trust rounds every 13 weeks per direction
(few respondents, so noisy), weekly delivery per side, monthly notice, replies, decision cycle
time, metric attainment and loop closure. The trajectories follow the demo's stories
(accord/demo/cast.py ARCHETYPES) plus "healthy_bad_quarter": healthy, with metrics down for
one quarter while trust and behaviour hold.

"Red" is the scorecard's threshold: metric attainment below 70 %, which the performance
sub-score shows as below 50.
"""

from __future__ import annotations

import numpy as np

from accord.domain.health import SIGNAL_INDEX, EvidenceArrays, Floats

STORIES = ("healthy", "drifting", "one_sided", "recovering", "transactional", "healthy_bad_quarter")
RED_PERFORMANCE = 50.0
TRUST_SIGNALS = ("trust_competence", "trust_contractual", "trust_goodwill")


def _ramp(u: Floats, start: float, end: float = 1.0) -> Floats:
    return np.asarray(np.clip((u - start) / (end - start), 0.0, 1.0))


def _trust(story: str, u: Floats, receiver: int, form: int) -> Floats:
    """Mean trust (1–7) that the other side places in ``receiver`` at times u ∈ [0, 1]."""
    base = (5.8, 5.7, 5.5)[form]
    if story == "drifting":
        fall = (1.4, 1.8, 2.6)[form] if receiver == 1 else (0.9, 1.2, 1.8)[form]
        return base - fall * _ramp(u, 0.25) ** 1.2
    if story == "one_sided":
        return base - (receiver == 1) * (1.6, 2.0, 2.6)[form] * _ramp(u, 0.3)
    if story == "recovering":
        return base - (1.6, 2.0, 2.4)[form] * np.exp(-(((u - 0.45) / 0.12) ** 2))
    if story == "transactional":
        return np.full_like(u, (4.7, 5.0, 3.2)[form])
    return np.full_like(u, base)


def _on_time(story: str, u: Floats, side: int) -> Floats:
    if story == "drifting":  # side 1 slips first, side 0 answers in kind
        return 0.93 - 0.45 * _ramp(u, 0.3 if side == 1 else 0.4)
    if story == "one_sided":
        return 0.93 - (side == 1) * 0.45 * _ramp(u, 0.25)
    if story == "recovering":
        return 0.93 - 0.4 * np.exp(-(((u - 0.42) / 0.12) ** 2))
    if story == "transactional":
        return np.full_like(u, 0.8)
    return np.full_like(u, 0.93)


def _attainment(story: str, u: Floats) -> Floats:
    if story == "drifting":  # results follow the relationship, late
        return 0.92 - 0.5 * _ramp(u, 0.6)
    if story == "one_sided":
        return 0.92 - 0.25 * _ramp(u, 0.6)
    if story == "recovering":
        return 0.92 - 0.15 * np.exp(-(((u - 0.55) / 0.12) ** 2))
    if story == "healthy_bad_quarter":
        return np.where((u >= 0.5) & (u < 0.5 + 13 / 156), 0.55, 0.92)
    if story == "transactional":
        return np.full_like(u, 0.85)
    return np.full_like(u, 0.92)


def story_evidence(stories: list[str], *, weeks: int = 156, seed: int = 0) -> EvidenceArrays:
    """Evidence for one partnership per entry of ``stories`` (two sides each)."""
    rng = np.random.default_rng(seed)
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("p", "t", "f", "to", "s", "v", "w")}

    def add(p: int, t: np.ndarray, f: int, to: int, signal: str, v: Floats, w: Floats) -> None:
        cols["p"].append(np.full(t.shape, p))
        cols["t"].append(t)
        cols["f"].append(np.full(t.shape, f))
        cols["to"].append(np.full(t.shape, to))
        cols["s"].append(np.full(t.shape, SIGNAL_INDEX[signal]))
        cols["v"].append(v)
        cols["w"].append(w)

    week = np.arange(weeks)
    rounds = np.arange(6, weeks, 13)
    months = np.arange(3, weeks, 4)
    for p, story in enumerate(stories):
        u_round, u_week, u_month = rounds / weeks, week / weeks, months / weeks
        for receiver in (0, 1):
            for form, name in enumerate(TRUST_SIGNALS):
                n = rng.integers(3, 9, rounds.shape).astype(np.float64)
                noise = rng.normal(0, 1.1, n.shape) / np.sqrt(n)
                mean = _trust(story, u_round, receiver, form) + noise
                add(p, rounds, 1 - receiver, receiver, name, np.clip(mean, 1, 7), n)
            due = rng.integers(1, 5, weeks)
            met = rng.binomial(due, np.clip(_on_time(story, u_week, receiver), 0, 1))
            add(p, week, receiver, 1 - receiver, "on_time", met / due, due.astype(np.float64))
            lead = 35 * _on_time(story, u_month, receiver) + rng.normal(0, 4, months.shape)
            add(
                p,
                months,
                receiver,
                1 - receiver,
                "notice_lead_days",
                np.clip(lead, 0, None),
                np.ones(months.shape),
            )
            reply = 80 - 60 * _on_time(story, u_month, receiver) + rng.normal(0, 5, months.shape)
            add(
                p,
                months,
                receiver,
                1 - receiver,
                "reply_hours_median",
                np.clip(reply, 0, None),
                np.ones(months.shape),
            )
        attain = _attainment(story, u_month) + rng.normal(0, 0.03, months.shape)
        attain = np.clip(attain, 0, 1.2)
        add(p, months, -1, -1, "metric_attainment", attain, np.full(months.shape, 4.0))
        closure = 0.6 + 0.3 * _on_time(story, u_month, 0) + rng.normal(0, 0.05, months.shape)
        add(p, months, -1, -1, "loop_closure", np.clip(closure, 0, 1), np.full(months.shape, 3.0))
    cat = {k: np.concatenate(v) for k, v in cols.items()}
    return EvidenceArrays(
        partnership=cat["p"].astype(np.int64),
        period=cat["t"].astype(np.int64),
        from_side=cat["f"].astype(np.int64),
        to_side=cat["to"].astype(np.int64),
        signal=cat["s"].astype(np.int64),
        value=cat["v"].astype(np.float64),
        weight=cat["w"].astype(np.float64),
        partnerships=len(stories),
        periods=weeks,
    )
