"""Scoring any instrument, for every round of every partnership in one call.

The cells are (group, construct), a group being one (partnership, round, rater party, rated
party): a respondent's construct score is the mean of the items they answered on it (several
items per construct are averaged, "not applicable" answers leave an item out), and a cell is
the mean over respondents, withheld below the group's k — the same engine, and the same rules,
as trust (``accord.domain.trust.engine``). Categories and bands are read from the published
cells alone, so nothing withheld can be recovered by subtraction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from accord.domain.instruments.definition import DIRECTIONS, Definition
from accord.domain.trust._common import (
    MIN_K,
    BoolArray,
    FloatArray,
    IntArray,
    _columns,
    _divide,
    _row_codes,
)
from accord.domain.trust.engine import score_cells

PARTNERSHIP_AS_WHOLE = 0  # the rated "party" of answers about the partnership itself

NO_DEFINITIONS = "Scoring needs at least one instrument definition."
UNKNOWN_INSTRUMENT = "Group {index} refers to instrument {instrument}; there are {count}."
DIRECTION_NOT_ASKED = "Group {index} rates {direction}, which its instrument does not ask for."
DUPLICATE_GROUP = "Groups {first} and {second} share partnership, round, rater and rated party."
UNKNOWN_GROUP = "Answer {index} refers to group {group}; there are {count} groups."
UNKNOWN_ITEM = "Answer {index} refers to item {item}; the item table has {count} items."
ITEM_OF_OTHER_INSTRUMENT = "Answer {index} gives item {item}, which its group's instrument lacks."
VALUE_OFF_SCALE = "Answer {index} has value {value}, outside the scale 1–{points}{na}."
K_TOO_LOW = "Group {index} asks for k = {k}; the anonymity threshold is never below 3."
UNEQUAL_K = "k gives {given} thresholds for {groups} groups."


class ScoringError(ValueError):
    """Bad input to instrument scoring; the message names the input and the rule it breaks."""


@dataclass(frozen=True, eq=False)
class Compiled:
    """Several definitions joined into flat tables. Item i of definition d is row
    ``item_start[d] + i``; construct c of d is ``construct_start[d] + c``; likewise categories
    (in each definition's order)."""

    definitions: tuple[Definition, ...]
    item_start: IntArray
    construct_start: IntArray
    category_start: IntArray
    item_instrument: IntArray
    item_construct: IntArray
    item_points: IntArray
    item_reversed: BoolArray
    item_not_applicable: BoolArray
    construct_category: IntArray
    construct_bands: FloatArray  # (constructs, most bands) minimums, +inf past the last band

    @property
    def n_constructs(self) -> int:
        return len(self.construct_category)

    @property
    def n_categories(self) -> int:
        return int(self.category_start[-1])


def compile_definitions(definitions: Sequence[Definition]) -> Compiled:
    if not definitions:
        raise ScoringError(NO_DEFINITIONS)
    item_instrument: list[int] = []
    item_construct: list[int] = []
    item_points: list[int] = []
    item_reversed: list[bool] = []
    item_na: list[bool] = []
    construct_category: list[int] = []
    bands: list[list[float]] = []
    item_start, construct_start, category_start = [0], [0], [0]
    for d, definition in enumerate(definitions):
        constructs = {c.key: i for i, c in enumerate(definition.constructs())}
        base = construct_start[-1]
        for item in definition.items:
            item_instrument.append(d)
            item_construct.append(base + constructs[item.construct])
            item_points.append(definition.scale.points)
            item_reversed.append(item.reverse)
            item_na.append(bool(definition.scale.not_applicable))
        for c, category in enumerate(definition.categories):
            for _ in category.constructs:
                construct_category.append(category_start[-1] + c)
                bands.append([b.minimum for b in definition.bands])
        item_start.append(item_start[-1] + len(definition.items))
        construct_start.append(base + len(constructs))
        category_start.append(category_start[-1] + len(definition.categories))
    width = max((len(b) for b in bands), default=0)
    band_table = np.full((len(bands), max(width, 1)), np.inf)
    for row, minimums in enumerate(bands):
        band_table[row, : len(minimums)] = minimums
    return Compiled(
        tuple(definitions),
        np.array(item_start, np.int64),
        np.array(construct_start, np.int64),
        np.array(category_start, np.int64),
        np.array(item_instrument, np.int64),
        np.array(item_construct, np.int64),
        np.array(item_points, np.int64),
        np.array(item_reversed, bool),
        np.array(item_na, bool),
        np.array(construct_category, np.int64),
        band_table,
    )


@dataclass(frozen=True, eq=False)
class InstrumentGroups:
    """One row per (partnership, round, rater party, rated party) with the instrument it
    answered (an index into the compiled definitions). ``rated`` equal to ``rater`` is a
    self-rating; ``PARTNERSHIP_AS_WHOLE`` is about the partnership itself."""

    partnership: IntArray
    round: IntArray
    rater: IntArray
    rated: IntArray
    instrument: IntArray

    def __post_init__(self) -> None:
        _columns(self, ("partnership", "round", "rater", "rated", "instrument"))
        codes, first = _row_codes((self.partnership, self.round, self.rater, self.rated))
        if len(first) < len(codes):
            clash = int(np.flatnonzero(first[codes] != np.arange(len(codes)))[0])
            raise ScoringError(DUPLICATE_GROUP.format(first=int(first[codes[clash]]), second=clash))

    def __len__(self) -> int:
        return len(self.partnership)

    def direction(self) -> IntArray:
        """0 other party, 1 itself, 2 the partnership as a whole (DIRECTIONS order)."""
        whole = self.rated == PARTNERSHIP_AS_WHOLE
        return np.where(whole, 2, np.where(self.rater == self.rated, 1, 0)).astype(np.int64)


@dataclass(frozen=True, eq=False)
class InstrumentAnswers:
    """One row per answer: the response (one person's questionnaire in one group), the group
    row, the item row in the compiled table, and the raw value (0 = not applicable)."""

    response: IntArray
    group: IntArray
    item: IntArray
    value: IntArray

    def __post_init__(self) -> None:
        _columns(self, ("response", "group", "item", "value"))

    def __len__(self) -> int:
        return len(self.response)


@dataclass(frozen=True, eq=False)
class InstrumentScores:
    """Construct cells (groups, constructs) and category cells (groups, categories) over the
    compiled tables; withheld or foreign cells hold NaN and n = 0, band -1."""

    groups: InstrumentGroups
    compiled: Compiled
    k: IntArray
    n: IntArray
    mean: FloatArray
    sd: FloatArray
    visible: BoolArray
    band: IntArray
    category_mean: FloatArray
    category_constructs: IntArray  # published constructs behind each category mean
    category_band: IntArray


def score_instruments(
    answers: InstrumentAnswers,
    groups: InstrumentGroups,
    compiled: Compiled,
    k: ArrayLike,
) -> InstrumentScores:
    """Score every group of every instrument in one pass; ``k`` is each group's threshold
    (the k its round promised)."""
    n_groups = len(groups)
    ks = np.asarray(k, np.int64)
    if ks.shape != (n_groups,):
        raise ScoringError(UNEQUAL_K.format(given=ks.size, groups=n_groups))
    low = np.flatnonzero(ks < MIN_K)
    if low.size:
        raise ScoringError(K_TOO_LOW.format(index=int(low[0]), k=int(ks[low[0]])))
    n_definitions = len(compiled.definitions)
    bad = np.flatnonzero((groups.instrument < 0) | (groups.instrument >= n_definitions))
    if bad.size:
        i = int(bad[0])
        raise ScoringError(
            UNKNOWN_INSTRUMENT.format(
                index=i, instrument=int(groups.instrument[i]), count=n_definitions
            )
        )
    asked = np.array(
        [[direction in d.directions for direction in DIRECTIONS] for d in compiled.definitions]
    )
    direction = groups.direction()
    bad = np.flatnonzero(~asked[groups.instrument, direction])
    if bad.size:
        i = int(bad[0])
        raise ScoringError(
            DIRECTION_NOT_ASKED.format(index=i, direction=DIRECTIONS[int(direction[i])])
        )
    _check_answers(answers, groups, compiled)

    columns = (answers.response, answers.group, answers.item, answers.value)
    if compiled.item_not_applicable.any():
        answered = answers.value > 0  # "not applicable" leaves the item out of the person's mean
        if not answered.all():
            columns = tuple(column[answered] for column in columns)  # type: ignore[assignment]
    cells = score_cells(
        *columns,
        n_groups,
        compiled.item_construct,
        compiled.item_points,
        compiled.item_reversed,
        compiled.n_constructs,
        ks,
    )
    bands = compiled.construct_bands
    band = _band(cells.mean, bands)

    indicator = (compiled.construct_category[:, None] == np.arange(compiled.n_categories)).astype(
        np.float64
    )
    published = cells.visible.astype(np.float64)
    count = published @ indicator
    category_mean = _divide(np.where(cells.visible, cells.mean, 0.0) @ indicator, count)
    category_bands = np.full((compiled.n_categories, bands.shape[1]), np.inf)
    category_bands[compiled.construct_category] = bands
    category_band = _band(category_mean, category_bands)
    return InstrumentScores(
        groups,
        compiled,
        ks,
        cells.n,
        cells.mean,
        cells.sd,
        cells.visible,
        band,
        category_mean,
        count.astype(np.int64),
        category_band,
    )


def _band(mean: FloatArray, minimums: FloatArray) -> IntArray:
    """Index of the first band whose minimum the mean reaches (bands run high to low), -1 for
    none or for a withheld mean."""
    hit = np.nan_to_num(mean, nan=-np.inf)[:, :, None] >= minimums[None, :, :]
    return np.where(hit.any(axis=2), hit.argmax(axis=2), -1).astype(np.int64)


def _check_answers(
    answers: InstrumentAnswers, groups: InstrumentGroups, compiled: Compiled
) -> None:
    n_groups, n_items = len(groups), len(compiled.item_construct)
    bad = np.flatnonzero((answers.group < 0) | (answers.group >= n_groups))
    if bad.size:
        i = int(bad[0])
        raise ScoringError(UNKNOWN_GROUP.format(index=i, group=answers.group[i], count=n_groups))
    bad = np.flatnonzero((answers.item < 0) | (answers.item >= n_items))
    if bad.size:
        i = int(bad[0])
        raise ScoringError(UNKNOWN_ITEM.format(index=i, item=answers.item[i], count=n_items))
    if len(compiled.definitions) > 1:
        foreign = compiled.item_instrument[answers.item] != groups.instrument[answers.group]
        bad = np.flatnonzero(foreign)
        if bad.size:
            i = int(bad[0])
            raise ScoringError(ITEM_OF_OTHER_INSTRUMENT.format(index=i, item=answers.item[i]))
    points = compiled.item_points[answers.item]
    if compiled.item_not_applicable.any():
        lowest = np.where(compiled.item_not_applicable[answers.item], 0, 1)
    else:
        lowest = np.ones(1, np.int64)
    bad = np.flatnonzero((answers.value < lowest) | (answers.value > points))
    if bad.size:
        i = int(bad[0])
        na = " (0 = not applicable)" if compiled.item_not_applicable[answers.item[i]] else ""
        raise ScoringError(
            VALUE_OFF_SCALE.format(index=i, value=answers.value[i], points=points[i], na=na)
        )
