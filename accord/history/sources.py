"""The "history" evidence source: imported rows become weekly evidence like native records.

Behaviour rows combine per (week, signal, direction): means weighted by their number, counts
summed. Survey answers go through the trust domain's own scoring (`score_trust`), one cell per
(week, rater → rated, form) with the partnership's k: a cell with fewer respondents gives no row
at all, exactly as a native survey round's withheld cell does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import numpy as np

from accord.domain import trust as domain
from accord.health.registry import EvidenceRow, signal_source, week_of
from accord.health.sources import parties_of
from accord.history.signals import BY_NAME, Combine, Role

# One single-item "form" per trust form: an imported answer is already the person's form score.
_ITEMS = tuple(
    domain.Item(key=f"history_{form}", text="{partner}", form=form, scale_points=7)
    for form in domain.FORMS
)
_ITEM_OF = {f"trust_{form}": i for i, form in enumerate(domain.FORMS)}
ATTAINMENT_CAP = 1.2  # as the native performance source counts attainment


def _other(parties: dict[int, list[int]], pid: int, party: int | None) -> int | None:
    others = [p for p in parties.get(pid, []) if p != party]
    return others[0] if len(others) == 1 else None


def trust_cells(
    answers: list[tuple[int, date, int, int, str, float]], ks: dict[int, int]
) -> list[EvidenceRow]:
    """Published cells only: (partnership, week, rater, rated, signal, value) answers in."""
    if not answers:
        return []
    group_of: dict[tuple[int, date, int, int], int] = {}
    group_rows: list[tuple[int, int, int, int]] = []
    a_group, a_item, a_value = [], [], []
    for pid, week, rater, rated, signal, value in answers:
        key = (pid, week, rater, rated)
        if key not in group_of:
            group_of[key] = len(group_rows)
            group_rows.append((pid, week.toordinal(), rater, rated))
        a_group.append(group_of[key])
        a_item.append(_ITEM_OF[signal])
        a_value.append(int(value))
    columns = np.array(group_rows, np.int64).T
    groups = domain.Groups(columns[0], columns[1], columns[2], columns[3])
    n = len(a_group)
    scored = domain.score_trust(
        domain.Answers(
            np.arange(n, dtype=np.int64),  # each answer its own response: n counts people
            np.array(a_group, np.int64),
            np.array(a_item, np.int64),
            np.array(a_value, np.int64),
        ),
        groups,
        _ITEMS,
        thresholds=ks,
    )
    return [
        EvidenceRow(
            cell.cell.partnership,
            date.fromordinal(cell.cell.round),
            cell.cell.rater,
            cell.cell.rated,
            f"trust_{cell.cell.form}",
            round(cell.mean, 4),
            float(cell.n),
        )
        for cell in scored.aggregates()
        if isinstance(cell, domain.Aggregate)
    ]


@signal_source("history")
def history_evidence(
    partnership_ids: Sequence[int], *, start: date, end: date
) -> list[EvidenceRow]:
    from accord.history.models import HistoryEntry
    from accord.partnerships.models import Partnership

    stored = HistoryEntry.objects.filter(
        partnership_id__in=partnership_ids, period__gte=start, period__lte=end
    ).values_list("partnership_id", "period", "from_party_id", "to_party_id", "signal", "value")
    parties = parties_of(partnership_ids)
    answers: list[tuple[int, date, int, int, str, float]] = []
    combined: dict[tuple[int, date, int | None, int | None, str], list[float]] = defaultdict(list)
    for pid, period, from_party, to_party, signal, value in stored:
        spec = BY_NAME.get(signal)
        if spec is None:
            continue
        week = week_of(period)
        if spec.combine == Combine.ANSWER:
            answers.append((pid, week, from_party, to_party, signal, value))
            continue
        if spec.role == Role.FROM and to_party is None:
            to_party = _other(parties, pid, from_party)
        if signal == "metric_attainment":
            value = min(value, ATTAINMENT_CAP)
        combined[(pid, week, from_party, to_party, signal)].append(value)
    rows = [
        EvidenceRow(pid, week, f, t, signal, float(sum(values)))
        if BY_NAME[signal].combine == Combine.SUM
        else EvidenceRow(pid, week, f, t, signal, round(sum(values) / len(values), 4), len(values))
        for (pid, week, f, t, signal), values in combined.items()
    ]
    if answers:
        ks = dict(
            Partnership.objects.filter(pk__in={a[0] for a in answers}).values_list(
                "pk", "anonymity_k"
            )
        )
        rows += trust_cells(answers, ks)
    return rows
