"""Portfolio-wide scoring: answers grouped into cells, withheld below the anonymity threshold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.domain.trust._common import (
    ALPHA_WARNING,
    DEFAULT_K,
    DUPLICATE_GROUP,
    K_TOO_LOW,
    MIN_K,
    MIXED_SCALES_IN_GROUP,
    NO_ITEMS,
    SCALE_POINTS,
    SELF_RATING,
    UNEQUAL_GROUP_K,
    UNKNOWN_GROUP,
    UNKNOWN_ITEM,
    VALUE_OFF_SCALE,
    BoolArray,
    FloatArray,
    IntArray,
    TrustError,
    _columns,
    _row_codes,
)
from accord.domain.trust.engine import score_cells
from accord.domain.trust.instrument import FORMS, Item, TrustForm


def reverse(values: ArrayLike, scale_points: ArrayLike) -> IntArray:
    """Mirror answers on their scale (1 ↔ points), for items worded against the construct."""
    return np.asarray(scale_points, np.int64) + 1 - np.asarray(values, np.int64)


@dataclass(frozen=True, eq=False)
class Groups:
    """One row per (partnership, round, rater party, rated party): the only grouping for which
    trust aggregates exist. ``round`` is the round's ordinal in the partnership (1, 2, …) so that
    trends can order by it; the other columns are database ids."""

    partnership: IntArray
    round: IntArray
    rater: IntArray
    rated: IntArray

    def __post_init__(self) -> None:
        _columns(self, ("partnership", "round", "rater", "rated"))
        selfish = np.flatnonzero(self.rater == self.rated)
        if selfish.size:
            index = int(selfish[0])
            raise TrustError(SELF_RATING.format(index=index, party=int(self.rater[index])))
        codes, first = _row_codes((self.partnership, self.round, self.rater, self.rated))
        if len(first) < len(codes):
            clash = np.flatnonzero(first[codes] != np.arange(len(codes)))[0]
            raise TrustError(DUPLICATE_GROUP.format(first=int(first[codes[clash]]), second=clash))

    def __len__(self) -> int:
        return len(self.partnership)


@dataclass(frozen=True, eq=False)
class Answers:
    """One row per answer: which response (one person's questionnaire about one rated party in
    one round) gave it, its row in ``Groups``, its position in the item table, the raw value."""

    response: IntArray
    group: IntArray
    item: IntArray
    value: IntArray

    def __post_init__(self) -> None:
        _columns(self, ("response", "group", "item", "value"))

    def __len__(self) -> int:
        return len(self.response)


def _anonymity_thresholds(
    partnership: IntArray, thresholds: Mapping[int, int] | None, group_k: ArrayLike | None
) -> IntArray:
    """k for each group row: the row's own k where ``group_k`` gives one (the k a round
    promised), else its partnership's (DEFAULT_K unless set); refuses any k below the floor."""
    given = dict(thresholds or {})
    for key, k in given.items():
        if k < MIN_K:
            raise TrustError(K_TOO_LOW.format(partnership=key, k=k))
    if group_k is not None:
        per_row = np.asarray(group_k, np.int64)
        if per_row.shape != partnership.shape:
            raise TrustError(
                UNEQUAL_GROUP_K.format(given=per_row.shape[0], groups=partnership.shape[0])
            )
        low = np.flatnonzero(per_row < MIN_K)
        if low.size:
            i = int(low[0])
            raise TrustError(K_TOO_LOW.format(partnership=int(partnership[i]), k=int(per_row[i])))
        return per_row.copy()
    ids, inverse = np.unique(partnership, return_inverse=True)
    ks = np.array([given.get(int(key), DEFAULT_K) for key in ids], np.int64)
    return ks[inverse].astype(np.int64)


def _readonly(*arrays: NDArray[Any]) -> None:
    for array in arrays:
        array.flags.writeable = False


@dataclass(frozen=True, slots=True)
class Cell:
    partnership: int
    round: int
    rater: int
    rated: int
    form: TrustForm


@dataclass(frozen=True, slots=True)
class Aggregate:
    """A published cell: at least k respondents. ``sd`` and ``alpha`` describe the spread of
    the answers, so they are None below 2k respondents (``spread_shown`` False): with few
    people, "sd 0.00 · n 3" would tell every reader what each of them answered."""

    cell: Cell
    n: int
    mean: float
    sd: float | None
    alpha: float | None
    spread_shown: bool = True

    @property
    def low_consistency(self) -> bool:
        """The form's items disagree too much for the mean to read as one attitude."""
        return self.alpha is not None and self.alpha < ALPHA_WARNING


@dataclass(frozen=True, slots=True)
class BelowThreshold:
    """A withheld cell: fewer than k respondents (or none); nothing else about it is told."""

    cell: Cell
    k: int


@dataclass(frozen=True, eq=False)
class TrustScores:
    """Scores per group row and form, in ``FORMS`` order, shape (groups, forms).

    Withheld cells hold NaN and n = 0: their values never leave ``score_trust``. ``sd`` is NaN
    unless ``spread_visible`` (n ≥ 2k, see ``spread_floor``). ``alpha`` is NaN where it is not
    computed: spread not visible (alpha reveals how alike the answers were), fewer complete
    answers than ALPHA_MIN_N or 2k, one item, or no variance in the totals."""

    groups: Groups
    k: IntArray
    visible: BoolArray
    n: IntArray
    mean: FloatArray
    sd: FloatArray
    alpha: FloatArray
    spread_visible: BoolArray

    def aggregates(self) -> tuple[Aggregate | BelowThreshold, ...]:
        """One record per cell, for storage and display."""
        g = self.groups
        rows = zip(
            g.partnership.tolist(),
            g.round.tolist(),
            g.rater.tolist(),
            g.rated.tolist(),
            self.k.tolist(),
            self.visible.tolist(),
            self.n.tolist(),
            self.mean.tolist(),
            self.sd.tolist(),
            self.alpha.tolist(),
            self.spread_visible.tolist(),
            strict=True,
        )
        out: list[Aggregate | BelowThreshold] = []
        for partnership, round_, rater, rated, k, visible, n, mean, sd, alpha, spread in rows:
            for f, form in enumerate(FORMS):
                cell = Cell(partnership, round_, rater, rated, form)
                if visible[f]:
                    a, s = alpha[f], sd[f]
                    out.append(
                        Aggregate(
                            cell,
                            n[f],
                            mean[f],
                            s if spread[f] else None,
                            None if a != a or not spread[f] else a,
                            spread[f],
                        )
                    )
                else:
                    out.append(BelowThreshold(cell, k))
        return tuple(out)


def score_trust(
    answers: Answers,
    groups: Groups,
    items: Sequence[Item],
    thresholds: Mapping[int, int] | None = None,
    group_k: ArrayLike | None = None,
) -> TrustScores:
    """Score every group in one pass.

    ``items`` is the item table that ``answers.item`` indexes; it may join several instrument
    versions, as long as a group's answers on one form share a scale. A respondent's score on a
    form is the mean of the items they answered on it; alpha uses the respondents who answered
    every item of the form that anyone in their group answered. ``thresholds`` maps partnership
    id to k (DEFAULT_K when absent); ``group_k``, one k per group row, replaces it — the k each
    round promised its respondents. Spread (sd, alpha) is kept only for n ≥ 2k."""
    if not items:
        raise TrustError(NO_ITEMS)
    n_groups, n_items, n_forms = len(groups), len(items), len(FORMS)
    item_form = np.array([FORMS.index(item.form) for item in items], np.int64)
    item_points = np.array([item.scale_points for item in items], np.int64)
    item_reversed = np.array([item.reverse for item in items], bool)
    k = _anonymity_thresholds(groups.partnership, thresholds, group_k)

    _check_answer_references(answers, n_groups, n_items, item_points)
    group_item = answers.group * n_items
    group_item += answers.item
    used = np.bincount(group_item, minlength=n_groups * n_items).reshape(n_groups, n_items) > 0
    _check_group_scales(used, item_points, item_form)
    del group_item, used
    cells = score_cells(
        answers.response,
        answers.group,
        answers.item,
        answers.value,
        n_groups,
        item_form,
        item_points,
        item_reversed,
        n_forms,
        k,
    )
    k.flags.writeable = False
    return TrustScores(
        groups,
        k,
        cells.visible,
        cells.n,
        cells.mean,
        cells.sd,
        cells.alpha,
        cells.spread_visible,
    )


def _check_answer_references(
    answers: Answers, n_groups: int, n_items: int, item_points: IntArray
) -> None:
    bad = np.flatnonzero((answers.group < 0) | (answers.group >= n_groups))
    if bad.size:
        i = int(bad[0])
        raise TrustError(UNKNOWN_GROUP.format(index=i, group=answers.group[i], count=n_groups))
    bad = np.flatnonzero((answers.item < 0) | (answers.item >= n_items))
    if bad.size:
        i = int(bad[0])
        raise TrustError(UNKNOWN_ITEM.format(index=i, item=answers.item[i], count=n_items))
    points = item_points[answers.item]
    bad = np.flatnonzero((answers.value < 1) | (answers.value > points))
    if bad.size:
        i = int(bad[0])
        raise TrustError(VALUE_OFF_SCALE.format(index=i, value=answers.value[i], points=points[i]))


def _check_group_scales(used: BoolArray, item_points: IntArray, item_form: IntArray) -> None:
    for f, form in enumerate(FORMS):
        on_form = item_form == f
        used_here = used[:, on_form]
        points = item_points[on_form]
        highest = np.where(used_here, points, 0).max(axis=1, initial=0)
        lowest = np.where(used_here, points, highest[:, None]).min(
            axis=1, initial=max(SCALE_POINTS)
        )
        mixed = np.flatnonzero((highest > 0) & (lowest != highest))
        if mixed.size:
            raise TrustError(MIXED_SCALES_IN_GROUP.format(group=int(mixed[0]), form=form))
