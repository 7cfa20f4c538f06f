"""Words for numbers: what moved a partnership's health, and what the detector sees."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from accord.domain.health import SIGNAL_INDEX, SIGNALS
from accord.health.registry import EvidenceRow

RATES = {"on_time", "short_notice_share", "metric_attainment", "loop_closure"}
MIN_MOVE = {"trust": 0.2, "rate": 0.05, "other": 0.1}


def _fmt(signal: str, value: float) -> str:
    if signal in RATES:
        return f"{value:.0%}"
    if signal.startswith("trust_"):
        return f"{value:.1f}"
    return f"{value:.1f}".rstrip("0").rstrip(".")


def possessive(name: str) -> str:
    """ "Helix Therapeutics'", "Cobalt's"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _mean(rows: Sequence[EvidenceRow]) -> float:
    weight = sum(r.weight for r in rows)
    return sum(r.value * r.weight for r in rows) / weight


def movements(
    rows: Sequence[EvidenceRow],
    names: dict[int, str],
    *,
    now: date,
    then: date,
    window_weeks: int = 13,
    notice_days: int = 30,
) -> list[str]:
    """Sentences for each signal and direction whose level in the window ending ``now`` moved
    against the window ending ``then``, largest relative moves first."""
    span = timedelta(weeks=window_weeks)
    by_key: dict[tuple[str, int | None, int | None], dict[str, list[EvidenceRow]]] = defaultdict(
        lambda: {"now": [], "then": []}
    )
    for row in rows:
        key = (row.signal, row.from_party_id, row.to_party_id)
        if now - span < row.period_start <= now:
            by_key[key]["now"].append(row)
        if then - span < row.period_start <= then:
            by_key[key]["then"].append(row)
    found: list[tuple[float, str]] = []
    recipients: dict[tuple[str, int | None], set[int | None]] = defaultdict(set)
    for signal, from_id, to_id in by_key:
        recipients[(signal, from_id)].add(to_id)
    for (signal, from_id, to_id), windows in by_key.items():
        if signal not in SIGNAL_INDEX or SIGNALS[SIGNAL_INDEX[signal]].group is None:
            continue
        if not windows["now"] or not windows["then"]:
            continue
        spec = SIGNALS[SIGNAL_INDEX[signal]]
        before, after = _mean(windows["then"]), _mean(windows["now"])
        change = after - before
        kind = "trust" if signal.startswith("trust_") else "rate" if signal in RATES else "other"
        threshold = MIN_MOVE[kind] * (1 if kind != "other" else max(abs(before), 1))
        if abs(change) < threshold:
            continue
        verb = "rose" if change > 0 else "fell"
        who_from = names.get(from_id, "") if from_id else ""
        who_to = names.get(to_id, "") if to_id else ""
        if signal.startswith("trust_"):
            form = signal.removeprefix("trust_")
            text = f"{possessive(who_from)} {form} trust in {who_to} {verb} {abs(change):.1f}"
            text += f" points (to {after:.1f} of 7)"
        else:
            subject = f" by {who_from}" if who_from else ""
            if who_to and len(recipients[(signal, from_id)]) > 1:
                subject += f" towards {who_to}"  # several other parties: say which one
            text = f"{spec.label.capitalize()}{subject} {verb} from {_fmt(signal, before)}"
            text += f" to {_fmt(signal, after)}"
        found.append((abs(change) / (spec.high - spec.low), text))
    found.sort(key=lambda pair: (-pair[0], pair[1]))
    sentences = [text for _score, text in found]
    sentences.extend(_notice_sentences(rows, names, now=now, span=span, notice_days=notice_days))
    return sentences


def _notice_sentences(
    rows: Sequence[EvidenceRow],
    names: dict[int, str],
    *,
    now: date,
    span: timedelta,
    notice_days: int,
) -> list[str]:
    """ "3 of 5 change notices from A came with less than the agreed 30 days"."""
    counts: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        if row.from_party_id and now - span < row.period_start <= now:
            if row.signal == "notices":
                counts[row.from_party_id][0] += row.value
            elif row.signal == "short_notices":
                counts[row.from_party_id][1] += row.value
    return [
        f"{short:.0f} of {total:.0f} change notices from {names.get(party, '')} came with less"
        f" than the agreed {notice_days} days"
        for party, (total, short) in sorted(counts.items())
        if total and short
    ]
