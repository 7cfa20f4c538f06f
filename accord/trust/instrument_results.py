"""Results of any instrument's closed rounds, read through the one survey engine.

Every closed round of the chosen questionnaires, in every given partnership, is scored in one
domain call (``score_instruments``); a cell answered by fewer than the round's promised k is
withheld, and categories and trends come from the published cells only. Nothing here returns an
answer row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db.models import Q
from django.utils import timezone

from accord.domain.instruments.definition import Band, Definition
from accord.domain.instruments.scoring import (
    PARTNERSHIP_AS_WHOLE,
    InstrumentAnswers,
    InstrumentGroups,
    InstrumentScores,
    compile_definitions,
    score_instruments,
)
from accord.partnerships.models import Partnership, Party
from accord.trust.definitions import definition_of
from accord.trust.models import Instrument, Item, Response, SurveyRound


@dataclass(frozen=True)
class ConstructCell:
    """One published or withheld (n 0, mean None) cell. ``rated`` is a party id, or None for
    the partnership as a whole."""

    round_number: int
    rater: int
    rated: int | None
    construct: str
    n: int
    mean: float | None
    band: Band | None


@dataclass(frozen=True)
class CategoryCell:
    round_number: int
    rater: int
    rated: int | None
    category: str
    constructs_shown: int
    mean: float | None
    band: Band | None


@dataclass
class InstrumentResults:
    partnership: Partnership
    rounds: dict[int, SurveyRound] = field(default_factory=dict)
    definitions: dict[int, Definition] = field(default_factory=dict)  # round number → definition
    parties: dict[int, str] = field(default_factory=dict)
    cells: list[ConstructCell] = field(default_factory=list)
    categories: list[CategoryCell] = field(default_factory=list)

    def cells_of(self, number: int) -> list[ConstructCell]:
        return [c for c in self.cells if c.round_number == number]

    def categories_of(self, number: int) -> list[CategoryCell]:
        return [c for c in self.categories if c.round_number == number]


def closed_rounds_of(
    partnerships: Sequence[Partnership], *, kind: str, key: str | None, now: datetime | None
) -> list[SurveyRound]:
    rows = SurveyRound.objects.filter(
        partnership__in=list(partnerships), kind=kind, closes_at__lte=now or timezone.now()
    )
    if key is not None:
        rows = rows.filter(instrument__key=key)
    return list(rows.select_related("instrument", "partnership").order_by("partnership", "number"))


def instrument_results(
    *,
    partnerships: Sequence[Partnership],
    kind: str = Instrument.Kind.CUSTOM,
    key: str | None = None,
    now: datetime | None = None,
) -> dict[int, InstrumentResults]:
    """Score every closed round of the given kind (and key) in every partnership at once."""
    out = {p.pk: InstrumentResults(p) for p in partnerships}
    parties: dict[int, list[int]] = defaultdict(list)
    for party in Party.objects.filter(partnership__in=out).select_related("organization"):
        parties[party.partnership_id].append(party.pk)
        out[party.partnership_id].parties[party.pk] = party.organization.name
    rounds = closed_rounds_of(partnerships, kind=kind, key=key, now=now)
    if not rounds:
        return out

    instrument_ids = sorted({s.instrument_id for s in rounds})
    items_of: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.filter(instrument__in=instrument_ids):
        items_of[item.instrument_id].append(item)
    instruments = {s.instrument_id: s.instrument for s in rounds}
    definitions = [definition_of(instruments[i], items_of[i]) for i in instrument_ids]
    compiled = compile_definitions(definitions)
    position = {i: d for d, i in enumerate(instrument_ids)}
    item_row = {
        (i, item.key): int(compiled.item_start[position[i]]) + n
        for i in instrument_ids
        for n, item in enumerate(definitions[position[i]].items)
    }

    group_rows: list[tuple[int, int, int, int, int]] = []
    group_k: list[int] = []
    group_of: dict[tuple[int, int, int], int] = {}
    for survey in rounds:
        result = out[survey.partnership_id]
        result.rounds[survey.number] = survey
        d = position[survey.instrument_id]
        result.definitions[survey.number] = definitions[d]
        k = max(survey.anonymity_k, survey.partnership.anonymity_k)  # the k it promised
        members = parties[survey.partnership_id]
        for rater in members:
            targets = []
            if "other" in definitions[d].directions:
                targets += [p for p in members if p != rater]
            if "self" in definitions[d].directions:
                targets.append(rater)
            if "partnership" in definitions[d].directions:
                targets.append(PARTNERSHIP_AS_WHOLE)
            for rated in targets:
                group_of[(survey.pk, rater, rated)] = len(group_rows)
                group_rows.append((survey.partnership_id, survey.number, rater, rated, d))
                group_k.append(k)
    if not group_rows:
        return out
    columns = np.array(group_rows, np.int64).T
    groups = InstrumentGroups(columns[0], columns[1], columns[2], columns[3], columns[4])

    response_col, group_col, item_col, value_col = [], [], [], []
    instrument_of = {s.pk: s.instrument_id for s in rounds}
    rows = Response.objects.filter(Q(round__in=rounds)).values_list(
        "round_id", "rater_party_id", "rated_party_id", "values"
    )
    for code, (round_id, rater, rated, values) in enumerate(rows.iterator(chunk_size=5000)):
        group = group_of.get((round_id, rater, rated or PARTNERSHIP_AS_WHOLE))
        if group is None:
            continue
        instrument_id = instrument_of[round_id]
        for item_key, value in values.items():
            index = item_row.get((instrument_id, item_key))
            if index is not None:
                response_col.append(code)
                group_col.append(group)
                item_col.append(index)
                value_col.append(value)
    answers = InstrumentAnswers(
        np.array(response_col, np.int64),
        np.array(group_col, np.int64),
        np.array(item_col, np.int64),
        np.array(value_col, np.int64),
    )
    scores = score_instruments(answers, groups, compiled, np.array(group_k, np.int64))
    _collect(out, scores, definitions)
    return out


def _collect(
    out: dict[int, InstrumentResults], scores: object, definitions: list[Definition]
) -> None:

    assert isinstance(scores, InstrumentScores)
    g, compiled = scores.groups, scores.compiled
    for row, (pk, number, rater, rated, d) in enumerate(
        zip(
            g.partnership.tolist(),
            g.round.tolist(),
            g.rater.tolist(),
            g.rated.tolist(),
            g.instrument.tolist(),
            strict=True,
        )
    ):
        definition = definitions[d]
        target = None if rated == PARTNERSHIP_AS_WHOLE else rated
        start = int(compiled.construct_start[d])
        for c, construct in enumerate(definition.constructs()):
            col = start + c
            shown = bool(scores.visible[row, col])
            band = int(scores.band[row, col])
            out[pk].cells.append(
                ConstructCell(
                    number,
                    rater,
                    target,
                    construct.key,
                    int(scores.n[row, col]),
                    float(scores.mean[row, col]) if shown else None,
                    definition.bands[band] if band >= 0 else None,
                )
            )
        start = int(compiled.category_start[d])
        for c, category in enumerate(definition.categories):
            col = start + c
            count = int(scores.category_constructs[row, col])
            band = int(scores.category_band[row, col])
            out[pk].categories.append(
                CategoryCell(
                    number,
                    rater,
                    target,
                    category.key,
                    count,
                    float(scores.category_mean[row, col]) if count else None,
                    definition.bands[band] if band >= 0 else None,
                )
            )
