"""The survey engine every questionnaire is scored by: answers grouped into cells of (group,
construct), a respondent's construct score the mean of the items they answered on it, cells
withheld below their group's k, spread (sd, alpha) only from 2k. The trust forms, the culture
dimensions and any organization's own constructs are constructs alike (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.domain.trust._common import (
    ALPHA_MIN_N,
    DUPLICATE_ANSWER,
    RESPONSE_IN_TWO_GROUPS,
    SPREAD_FACTOR,
    BoolArray,
    FloatArray,
    IntArray,
    TrustError,
    _divide,
    _sums,
)


def dense_codes(values: IntArray) -> tuple[IntArray, int]:
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


def first_repeat(keys: IntArray) -> int | None:
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


def spread_floor(k: IntArray) -> IntArray:
    """Fewest respondents whose spread may be shown: 2k. Below it a mean and n are shown alone,
    because an sd, a distribution or an alpha over so few people tells each answer."""
    return np.asarray(k, np.int64) * SPREAD_FACTOR


@dataclass(frozen=True, eq=False)
class CellScores:
    """Per (group, construct), shape (groups, constructs). Withheld cells hold NaN and n = 0."""

    visible: BoolArray
    n: IntArray
    mean: FloatArray
    sd: FloatArray
    alpha: FloatArray
    spread_visible: BoolArray


def score_cells(
    response: IntArray,
    group: IntArray,
    item: IntArray,
    value: IntArray,
    n_groups: int,
    item_construct: IntArray,
    item_points: IntArray,
    item_reversed: BoolArray,
    n_constructs: int,
    k: IntArray,
) -> CellScores:
    """Score every (group, construct) cell in one pass.

    Preconditions (the callers check them, with their own messages): every answer's group and
    item exist and its value is on the item's scale 1..points; a group's answers on one
    construct share a scale. ``k`` gives each group's anonymity threshold."""
    n_items = len(item_construct)
    construct_indicator = (item_construct[:, None] == np.arange(n_constructs)).astype(np.float64)
    respondent, n_respondents = dense_codes(response)
    respondent_group = np.zeros(n_respondents, np.int64)
    respondent_group[respondent] = group
    strays = np.flatnonzero(respondent_group[respondent] != group)
    if strays.size:
        raise TrustError(RESPONSE_IN_TWO_GROUPS.format(response=response[strays[0]]))
    # Keys are built in place: at portfolio scale every temporary is tens of megabytes.
    respondent_item = respondent * n_items
    respondent_item += item
    twice = first_repeat(respondent_item)
    if twice is not None:
        raise TrustError(DUPLICATE_ANSWER.format(response=response[twice], item=item[twice]))

    # Scored value of every (item, raw value) pair, looked up once per answer.
    raw = np.arange(int(item_points.max(initial=1)) + 1)
    scored = np.where(item_reversed[:, None], item_points[:, None] + 1 - raw, raw)
    lookup = item * len(raw)
    lookup += value
    scored_value = scored.astype(np.float64).ravel()[lookup]
    group_item = group * n_items
    group_item += item
    used = np.bincount(group_item, minlength=n_groups * n_items).reshape(n_groups, n_items) > 0
    construct_items = (used @ construct_indicator).astype(np.int64)

    # Per respondent and construct: sum and count of the items answered.
    respondent_construct = respondent * n_constructs
    respondent_construct += item_construct[item]
    size = n_respondents * n_constructs
    total = _sums(respondent_construct, scored_value, size).reshape(n_respondents, n_constructs)
    answered_items = np.bincount(respondent_construct, minlength=size).reshape(
        n_respondents, n_constructs
    )
    answered = answered_items > 0
    score = _divide(total, answered_items.astype(np.float64))
    complete = answered & (answered_items == construct_items[respondent_group])

    # Per group and construct over respondents: n, mean, sd (ddof=1).
    cell = (respondent_group[:, None] * n_constructs + np.arange(n_constructs)).ravel()
    cells = n_groups * n_constructs
    n = np.bincount(cell[answered.ravel()], minlength=cells).reshape(n_groups, n_constructs)
    mean, sd = _mean_sd(cell, np.where(answered, score, 0.0).ravel(), answered.ravel(), n, cells)

    # Cronbach's alpha over complete respondents, m items: m/(m-1) · (1 - Σ var(item) / var(total)).
    n_complete = np.bincount(cell[complete.ravel()], minlength=cells).reshape(
        n_groups, n_constructs
    )
    in_alpha = np.where(complete.ravel()[respondent_construct], scored_value, 0.0)
    item_counts = n_complete[:, item_construct]
    item_variance = (
        np.nan_to_num(_variance(group_item, in_alpha, item_counts)) @ construct_indicator
    )
    total_variance = np.nan_to_num(_variance(cell, np.where(complete, total, 0.0), n_complete))
    visible = n >= k[:, None]
    spread_visible = n >= spread_floor(k)[:, None]
    enough = n_complete >= np.maximum(spread_floor(k), ALPHA_MIN_N)[:, None]
    computable = spread_visible & enough & (construct_items >= 2) & (total_variance > 0)
    ratio = _divide(construct_items.astype(np.float64), construct_items - 1.0)
    alpha = np.where(computable, ratio * (1.0 - _divide(item_variance, total_variance)), np.nan)

    mean = np.where(visible, mean, np.nan)
    sd = np.where(spread_visible, sd, np.nan)
    n = np.where(visible, n, 0).astype(np.int64)
    for array in (visible, n, mean, sd, alpha, spread_visible):
        array.flags.writeable = False
    return CellScores(visible, n, mean, sd, alpha, spread_visible)


def _variance(keys: IntArray, values: FloatArray, counts: IntArray) -> FloatArray:
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
