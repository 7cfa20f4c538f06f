"""Portfolio-wide scoring: answers grouped into cells, withheld below the anonymity threshold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.domain.trust._common import (
    ALPHA_MIN_N,
    ALPHA_WARNING,
    DEFAULT_K,
    DUPLICATE_ANSWER,
    DUPLICATE_GROUP,
    K_TOO_LOW,
    MIN_K,
    MIXED_SCALES_IN_GROUP,
    NO_ITEMS,
    RESPONSE_IN_TWO_GROUPS,
    SCALE_POINTS,
    SELF_RATING,
    SPREAD_FACTOR,
    UNEQUAL_GROUP_K,
    UNKNOWN_GROUP,
    UNKNOWN_ITEM,
    VALUE_OFF_SCALE,
    BoolArray,
    FloatArray,
    IntArray,
    TrustError,
    _columns,
    _divide,
    _row_codes,
    _sums,
)
from accord.domain.trust.instrument import FORMS, Item, TrustForm


def _dense_codes(values: IntArray) -> tuple[IntArray, int]:
    """Codes 0..m-1 for arbitrary ids, in id order; linear time when ids are dense, as database
    keys are."""
    if values.size == 0:
        return np.zeros(0, np.int64), 0
    low = int(values.min())
    span = int(values.max()) - low + 1
    if span <= 4 * values.size:
        offset = values - low
        present = np.zeros(span, bool)
        present[offset] = True
        code_of = np.cumsum(present) - 1
        return code_of[offset], int(code_of[-1]) + 1
    uniques, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int64), len(uniques)


def _first_repeat(keys: IntArray) -> int | None:
    """Index of the first element that occurs more than once, linear when keys are dense."""
    if keys.size == 0:
        return None
    low = int(keys.min())
    span = int(keys.max()) - low + 1
    if span <= 4 * keys.size:
        offset = keys - low
        repeated = np.bincount(offset, minlength=span)[offset] > 1
    else:
        ordered = np.sort(keys)
        repeated = np.isin(keys, ordered[1:][ordered[1:] == ordered[:-1]])
    hits = np.flatnonzero(repeated)
    return int(hits[0]) if hits.size else None


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
    form_indicator = (item_form[:, None] == np.arange(n_forms)).astype(np.float64)
    k = _anonymity_thresholds(groups.partnership, thresholds, group_k)

    _check_answer_references(answers, n_groups, n_items, item_points)
    respondent, n_respondents = _dense_codes(answers.response)
    respondent_group = np.zeros(n_respondents, np.int64)
    respondent_group[respondent] = answers.group
    strays = np.flatnonzero(respondent_group[respondent] != answers.group)
    if strays.size:
        raise TrustError(RESPONSE_IN_TWO_GROUPS.format(response=answers.response[strays[0]]))
    # Keys are built in place: at portfolio scale every temporary is tens of megabytes.
    respondent_item = respondent * n_items
    respondent_item += answers.item
    twice = _first_repeat(respondent_item)
    if twice is not None:
        raise TrustError(
            DUPLICATE_ANSWER.format(response=answers.response[twice], item=answers.item[twice])
        )

    # Scored value of every (item, raw value) pair, looked up once per answer.
    raw = np.arange(max(SCALE_POINTS) + 1)
    scored = np.where(item_reversed[:, None], reverse(raw, item_points[:, None]), raw)
    lookup = answers.item * len(raw)
    lookup += answers.value
    value = scored.astype(np.float64).ravel()[lookup]
    group_item = answers.group * n_items
    group_item += answers.item
    used = np.bincount(group_item, minlength=n_groups * n_items).reshape(n_groups, n_items) > 0
    _check_group_scales(used, item_points, item_form)
    form_items = (used @ form_indicator).astype(np.int64)

    # Per respondent and form: sum and count of the items answered.
    respondent_form = respondent * n_forms
    respondent_form += item_form[answers.item]
    size = n_respondents * n_forms
    total = _sums(respondent_form, value, size).reshape(n_respondents, n_forms)
    answered_items = np.bincount(respondent_form, minlength=size).reshape(n_respondents, n_forms)
    answered = answered_items > 0
    score = _divide(total, answered_items.astype(np.float64))
    complete = answered & (answered_items == form_items[respondent_group])

    # Per group and form over respondents: n, mean, sd (ddof=1).
    cell = (respondent_group[:, None] * n_forms + np.arange(n_forms)).ravel()
    cells = n_groups * n_forms
    n = np.bincount(cell[answered.ravel()], minlength=cells).reshape(n_groups, n_forms)
    mean, sd = _mean_sd(cell, np.where(answered, score, 0.0).ravel(), answered.ravel(), n, cells)

    # Cronbach's alpha over complete respondents, m items: m/(m-1) · (1 - Σ var(item) / var(total)).
    n_complete = np.bincount(cell[complete.ravel()], minlength=cells).reshape(n_groups, n_forms)
    in_alpha = np.where(complete.ravel()[respondent_form], value, 0.0)
    item_counts = n_complete[:, item_form]
    item_variance = np.nan_to_num(_variance(group_item, in_alpha, item_counts)) @ form_indicator
    total_variance = np.nan_to_num(_variance(cell, np.where(complete, total, 0.0), n_complete))
    visible = n >= k[:, None]
    spread_visible = n >= spread_floor(k)[:, None]
    enough = n_complete >= np.maximum(spread_floor(k), ALPHA_MIN_N)[:, None]
    computable = spread_visible & enough & (form_items >= 2) & (total_variance > 0)
    ratio = _divide(form_items.astype(np.float64), form_items - 1.0)
    alpha = np.where(computable, ratio * (1.0 - _divide(item_variance, total_variance)), np.nan)

    mean = np.where(visible, mean, np.nan)
    sd = np.where(spread_visible, sd, np.nan)
    n = np.where(visible, n, 0).astype(np.int64)
    _readonly(k, visible, n, mean, sd, alpha, spread_visible)
    return TrustScores(groups, k, visible, n, mean, sd, alpha, spread_visible)


def spread_floor(k: ArrayLike) -> IntArray:
    """Fewest respondents whose spread may be shown: 2k. Below it a mean and n are shown alone,
    because an sd, a distribution or an alpha over so few people tells each answer."""
    return np.asarray(k, np.int64) * SPREAD_FACTOR


def _variance(keys: IntArray, values: ArrayLike, counts: IntArray) -> FloatArray:
    """Grouped sample variance of integer data, from sums that float64 holds exactly (below a
    million respondents per group), so constant groups give exactly zero. Rows outside the
    sample must be zero, so they add nothing; ``counts`` says how many rows are in."""
    x = np.asarray(values, np.float64).ravel()
    n = counts.ravel().astype(np.float64)
    total, squares = _sums(keys, x, n.size), _sums(keys, x * x, n.size)
    return _divide(n * squares - total * total, n * (n - 1)).reshape(counts.shape)


def _mean_sd(
    keys: IntArray, values: FloatArray, mask: BoolArray, counts: IntArray, size: int
) -> tuple[FloatArray, FloatArray]:
    """Grouped mean and sample sd (two-pass, so constant groups give exactly zero)."""
    flat_counts = counts.ravel().astype(np.float64)
    mean = _divide(_sums(keys, values, size), flat_counts)
    deviation = np.where(mask, values - np.nan_to_num(mean)[keys], 0.0)
    sd = np.sqrt(_divide(_sums(keys, deviation**2, size), flat_counts - 1))
    return mean.reshape(counts.shape), sd.reshape(counts.shape)


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
