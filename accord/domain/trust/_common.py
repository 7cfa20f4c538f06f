"""Shared pieces of the trust computations: array types, thresholds, messages, the error,
and the column helpers that group flat arrays."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

PARTNER = "{partner}"
SCALE_POINTS = (5, 7)
MIN_K = 3
DEFAULT_K = 3
ALPHA_MIN_N = 5
SPREAD_FACTOR = 2  # spread (sd, alpha, distributions) only from SPREAD_FACTOR · k respondents
ALPHA_WARNING = 0.7
ASYMMETRY_FLAG = 1.0

SCALE_NOT_ALLOWED = "Item {key}: a scale must have 5 or 7 points, not {points}."
ITEM_WITHOUT_PARTNER = "Item {key}: the wording must name the rated party as {placeholder}."
DUPLICATE_ITEM_KEY = "Instrument {key} v{version} lists item {item} twice."
FORM_WITHOUT_ITEMS = "Instrument {key} v{version} has no item for the {form} form."
MIXED_SCALES_IN_INSTRUMENT = "Instrument {key} v{version} puts {form} items on different scales."
NO_ITEMS = "The item table is empty."
UNEQUAL_GROUP_K = "group_k gives {given} thresholds for {groups} groups."
NOT_A_COLUMN = "{name} must be a one-dimensional column, got {ndim} dimensions."
NOT_INTEGERS = "{name} must hold integers, got {dtype}."
UNEQUAL_COLUMNS = "Columns {names} must have the same length, got {lengths}."
SELF_RATING = "Group {index}: party {party} rates itself; trust is asked about another party."
DUPLICATE_GROUP = "Groups {first} and {second} share partnership, round, rater and rated party."
UNKNOWN_GROUP = "Answer {index} refers to group {group}; there are {count} groups."
UNKNOWN_ITEM = "Answer {index} refers to item {item}; the item table has {count} items."
VALUE_OFF_SCALE = "Answer {index} has value {value}, outside the item's scale 1–{points}."
RESPONSE_IN_TWO_GROUPS = "Response {response} answers in two groups; a response belongs to one."
DUPLICATE_ANSWER = "Response {response} answers item {item} twice."
MIXED_SCALES_IN_GROUP = (
    "Group {group} has {form} answers on different scales; they cannot be mixed."
)
K_TOO_LOW = "Partnership {partnership} asks for k = {k}; the anonymity threshold is never below 3."
BAD_FLAG_THRESHOLD = "The asymmetry threshold must be positive, got {value}."
OUT_OF_RANGE = "{owner}.{name} = {value} is outside {bounds}."


class TrustError(ValueError):
    """Bad input to a trust computation; the message names the input and the rule it breaks."""


def _column(name: str, values: ArrayLike) -> IntArray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise TrustError(NOT_A_COLUMN.format(name=name, ndim=array.ndim))
    if array.size and array.dtype.kind not in "iu":
        raise TrustError(NOT_INTEGERS.format(name=name, dtype=array.dtype))
    column = array.astype(np.int64)
    column.flags.writeable = False
    return column


def _columns(owner: Any, names: Sequence[str]) -> None:
    """Coerce a frozen dataclass's columns to read-only int64 and check they line up."""
    for name in names:
        object.__setattr__(owner, name, _column(name, getattr(owner, name)))
    lengths = [len(getattr(owner, name)) for name in names]
    if len(set(lengths)) > 1:
        raise TrustError(UNEQUAL_COLUMNS.format(names=", ".join(names), lengths=lengths))


def _row_codes(columns: Sequence[IntArray]) -> tuple[IntArray, IntArray]:
    """Dense code per row (equal rows share one) and the index of each code's first row."""
    size = len(columns[0])
    if size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort(tuple(reversed(columns)))
    starts = np.zeros(size, bool)
    starts[0] = True
    for column in columns:
        ordered = column[order]
        starts[1:] |= ordered[1:] != ordered[:-1]
    codes = np.empty(size, np.int64)
    codes[order] = np.cumsum(starts) - 1
    return codes, order[starts].astype(np.int64)


def _sums(keys: IntArray, weights: ArrayLike, size: int) -> FloatArray:
    sums = np.bincount(keys, weights=np.asarray(weights, np.float64), minlength=size)
    return sums.astype(np.float64, copy=False)


def _divide(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out
