"""Trust between parties: the survey instrument, portfolio-wide scoring, trends, asymmetry,
and the development stage judged from evidence.

Scoring takes flat arrays with one element per answer and groups them with ``np.bincount``, so a
worker scores every round of every partnership in a portfolio in one call. Individual answers are
private (DESIGN.md, principle 1): aggregates exist only for the fixed grouping (rater party →
rated party, form, round), a cell answered by fewer than *k* people is withheld entirely, and
everything offered beyond the cells (roll-ups, trends, asymmetry) is computed from the published
cells alone, so no combination of queries can recover a withheld cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
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
ALPHA_WARNING = 0.7
ASYMMETRY_FLAG = 1.0

SCALE_NOT_ALLOWED = "Item {key}: a scale must have 5 or 7 points, not {points}."
ITEM_WITHOUT_PARTNER = "Item {key}: the wording must name the rated party as {placeholder}."
DUPLICATE_ITEM_KEY = "Instrument {key} v{version} lists item {item} twice."
FORM_WITHOUT_ITEMS = "Instrument {key} v{version} has no item for the {form} form."
MIXED_SCALES_IN_INSTRUMENT = "Instrument {key} v{version} puts {form} items on different scales."
NO_ITEMS = "The item table is empty."
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


class TrustForm(StrEnum):
    COMPETENCE = "competence"
    CONTRACTUAL = "contractual"
    GOODWILL = "goodwill"


FORMS: tuple[TrustForm, ...] = tuple(TrustForm)


@dataclass(frozen=True, slots=True)
class Item:
    """One Likert statement about the rated party; ``{partner}`` is filled in by the UI."""

    key: str
    text: str
    form: TrustForm
    reverse: bool = False
    scale_points: int = 7

    def __post_init__(self) -> None:
        if self.scale_points not in SCALE_POINTS:
            raise TrustError(SCALE_NOT_ALLOWED.format(key=self.key, points=self.scale_points))
        if PARTNER not in self.text:
            raise TrustError(ITEM_WITHOUT_PARTNER.format(key=self.key, placeholder=PARTNER))


@dataclass(frozen=True, slots=True)
class Instrument:
    """A versioned set of items; answers keep pointing at the version they were given on."""

    key: str
    version: int
    items: tuple[Item, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for item in self.items:
            if item.key in seen:
                raise TrustError(
                    DUPLICATE_ITEM_KEY.format(key=self.key, version=self.version, item=item.key)
                )
            seen.add(item.key)
        for form in FORMS:
            points = {item.scale_points for item in self.items if item.form is form}
            if not points:
                raise TrustError(
                    FORM_WITHOUT_ITEMS.format(key=self.key, version=self.version, form=form)
                )
            if len(points) > 1:
                raise TrustError(
                    MIXED_SCALES_IN_INSTRUMENT.format(key=self.key, version=self.version, form=form)
                )


DEFAULT_TRUST_INSTRUMENT = Instrument(
    key="accord-trust",
    version=1,
    items=(
        Item(
            "competence.delivers",
            "{partner} delivers what it promises, on time and to the agreed standard.",
            TrustForm.COMPETENCE,
        ),
        Item(
            "competence.skills",
            "{partner} has the skills and know-how this partnership needs from it.",
            TrustForm.COMPETENCE,
        ),
        Item(
            "competence.solves_problems",
            "When a hard problem comes up in its part of the work, {partner} solves it.",
            TrustForm.COMPETENCE,
        ),
        Item(
            "competence.rework",
            "We often have to check or redo work that {partner} hands over to us.",
            TrustForm.COMPETENCE,
            reverse=True,
        ),
        Item(
            "contractual.keeps_agreements",
            "{partner} keeps to what we agreed, whether in the contract or in a meeting.",
            TrustForm.CONTRACTUAL,
        ),
        Item(
            "contractual.decision_rights",
            "{partner} respects the decision rights we set up together.",
            TrustForm.CONTRACTUAL,
        ),
        Item(
            "contractual.costly_terms",
            "{partner} honours agreed terms even after they have become costly for it.",
            TrustForm.CONTRACTUAL,
        ),
        Item(
            "contractual.reinterprets",
            "{partner} reads our agreements in whatever way suits it at the moment.",
            TrustForm.CONTRACTUAL,
            reverse=True,
        ),
        Item(
            "goodwill.early_warning",
            "{partner} would warn us early about a change that affects us.",
            TrustForm.GOODWILL,
        ),
        Item(
            "goodwill.beyond_contract",
            "{partner} does more for the partnership than the agreement requires.",
            TrustForm.GOODWILL,
        ),
        Item(
            "goodwill.our_interests",
            "{partner} weighs our interests when it makes decisions of its own.",
            TrustForm.GOODWILL,
        ),
        Item(
            "goodwill.exploits",
            "{partner} would take advantage of us if it got the chance.",
            TrustForm.GOODWILL,
            reverse=True,
        ),
    ),
)


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


def _sums(keys: IntArray, weights: ArrayLike, size: int) -> FloatArray:
    sums = np.bincount(keys, weights=np.asarray(weights, np.float64), minlength=size)
    return sums.astype(np.float64, copy=False)


def _divide(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


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


def _anonymity_thresholds(partnership: IntArray, thresholds: Mapping[int, int] | None) -> IntArray:
    """k for each row's partnership (DEFAULT_K unless set); refuses any k below the floor."""
    given = dict(thresholds or {})
    for key, k in given.items():
        if k < MIN_K:
            raise TrustError(K_TOO_LOW.format(partnership=key, k=k))
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
    """A published cell: at least k respondents."""

    cell: Cell
    n: int
    mean: float
    sd: float
    alpha: float | None

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

    Withheld cells hold NaN and n = 0: their values never leave ``score_trust``. ``alpha`` is
    NaN where it is not computed: fewer complete answers than ALPHA_MIN_N or k (alpha is an
    aggregate too), one item, or no variance in the totals."""

    groups: Groups
    k: IntArray
    visible: BoolArray
    n: IntArray
    mean: FloatArray
    sd: FloatArray
    alpha: FloatArray

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
            strict=True,
        )
        out: list[Aggregate | BelowThreshold] = []
        for partnership, round_, rater, rated, k, visible, n, mean, sd, alpha in rows:
            for f, form in enumerate(FORMS):
                cell = Cell(partnership, round_, rater, rated, form)
                if visible[f]:
                    a = alpha[f]
                    out.append(Aggregate(cell, n[f], mean[f], sd[f], None if a != a else a))
                else:
                    out.append(BelowThreshold(cell, k))
        return tuple(out)


def score_trust(
    answers: Answers,
    groups: Groups,
    items: Sequence[Item],
    thresholds: Mapping[int, int] | None = None,
) -> TrustScores:
    """Score every group in one pass.

    ``items`` is the item table that ``answers.item`` indexes; it may join several instrument
    versions, as long as a group's answers on one form share a scale. A respondent's score on a
    form is the mean of the items they answered on it; alpha uses the respondents who answered
    every item of the form that anyone in their group answered. ``thresholds`` maps partnership
    id to k (DEFAULT_K when absent)."""
    if not items:
        raise TrustError(NO_ITEMS)
    n_groups, n_items, n_forms = len(groups), len(items), len(FORMS)
    item_form = np.array([FORMS.index(item.form) for item in items], np.int64)
    item_points = np.array([item.scale_points for item in items], np.int64)
    item_reversed = np.array([item.reverse for item in items], bool)
    form_indicator = (item_form[:, None] == np.arange(n_forms)).astype(np.float64)
    k = _anonymity_thresholds(groups.partnership, thresholds)

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
    enough = n_complete >= np.maximum(k, ALPHA_MIN_N)[:, None]
    computable = visible & enough & (form_items >= 2) & (total_variance > 0)
    ratio = _divide(form_items.astype(np.float64), form_items - 1.0)
    alpha = np.where(computable, ratio * (1.0 - _divide(item_variance, total_variance)), np.nan)

    mean = np.where(visible, mean, np.nan)
    sd = np.where(visible, sd, np.nan)
    n = np.where(visible, n, 0).astype(np.int64)
    _readonly(k, visible, n, mean, sd, alpha)
    return TrustScores(groups, k, visible, n, mean, sd, alpha)


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


@dataclass(frozen=True, slots=True)
class Rollup:
    """How all rater parties together see one party: respondents pooled across the cells."""

    partnership: int
    round: int
    rated: int
    form: TrustForm
    raters: tuple[int, ...]
    n: int
    mean: float
    sd: float


@dataclass(frozen=True, slots=True)
class RollupWithheld:
    """At least one constituent cell is withheld, so the total would expose it by subtraction."""

    partnership: int
    round: int
    rated: int
    form: TrustForm
    raters: tuple[int, ...]


def rated_rollups(scores: TrustScores) -> tuple[Rollup | RollupWithheld, ...]:
    """Pooled view of each party by every other party (partnerships of three or more parties).

    Built from the published cells only and offered only when every constituent cell is
    published; with a withheld constituent, total minus the visible cells would reveal it."""
    g = scores.groups
    codes, first = _row_codes((g.partnership, g.round, g.rated))
    size = len(first)
    rater_count = np.bincount(codes, minlength=size)
    order = np.argsort(codes, kind="stable")
    raters = np.split(g.rater[order], np.cumsum(rater_count)[:-1])
    n = scores.n.astype(np.float64)
    mean = np.nan_to_num(scores.mean)
    sd = np.nan_to_num(scores.sd)
    out: list[Rollup | RollupWithheld] = []
    stats = []
    for f in range(len(FORMS)):
        withheld = np.bincount(codes, weights=~scores.visible[:, f], minlength=size) > 0
        total_n = _sums(codes, n[:, f], size)
        pooled = _divide(_sums(codes, n[:, f] * mean[:, f], size), total_n)
        spread = (n[:, f] - 1) * sd[:, f] ** 2 + n[:, f] * (mean[:, f] - pooled[codes]) ** 2
        pooled_sd = np.sqrt(_divide(_sums(codes, spread, size), total_n - 1))
        stats.append((withheld, total_n, pooled, pooled_sd))
    for code in np.flatnonzero(rater_count >= 2).tolist():
        row = int(first[code])
        key = (int(g.partnership[row]), int(g.round[row]), int(g.rated[row]))
        rater_ids = tuple(sorted(raters[code].tolist()))
        for form, (withheld, total_n, pooled, pooled_sd) in zip(FORMS, stats, strict=True):
            if withheld[code]:
                out.append(RollupWithheld(*key, form, rater_ids))
            else:
                out.append(
                    Rollup(
                        *key,
                        form,
                        rater_ids,
                        int(total_n[code]),
                        float(pooled[code]),
                        float(pooled_sd[code]),
                    )
                )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Trend:
    """One direction's trust on one form across the rounds in which it was published."""

    partnership: int
    rater: int
    rated: int
    form: TrustForm
    rounds: tuple[int, ...]
    means: tuple[float, ...]
    change: float | None
    slope: float | None


def trends(scores: TrustScores) -> tuple[Trend, ...]:
    """Per (rater → rated, form): published means by round, the change since the previous
    published round and the least-squares slope per round; withheld rounds are gaps, not
    zeros, and directions never published are left out."""
    g = scores.groups
    direction, first = _row_codes((g.partnership, g.rater, g.rated))
    n_forms = len(FORMS)
    rows, forms = np.nonzero(scores.visible)
    series = direction[rows] * n_forms + forms
    x = g.round[rows].astype(np.float64)
    y = scores.mean[rows, forms]
    order = np.lexsort((x, series))
    series, x, y = series[order], x[order], y[order]
    size = len(first) * n_forms
    count = np.bincount(series, minlength=size).astype(np.float64)
    sx, sy = _sums(series, x, size), _sums(series, y, size)
    sxx, sxy = _sums(series, x * x, size), _sums(series, x * y, size)
    slope = _divide(count * sxy - sx * sy, np.where(count >= 2, count * sxx - sx * sx, 0.0))
    ends = np.cumsum(count[count > 0]).astype(np.int64)
    out: list[Trend] = []
    for key, end in zip(np.flatnonzero(count > 0).tolist(), ends.tolist(), strict=True):
        start = end - int(count[key])
        row = int(first[key // n_forms])
        means = tuple(y[start:end].tolist())
        out.append(
            Trend(
                partnership=int(g.partnership[row]),
                rater=int(g.rater[row]),
                rated=int(g.rated[row]),
                form=FORMS[key % n_forms],
                rounds=tuple(int(r) for r in x[start:end]),
                means=means,
                change=means[-1] - means[-2] if len(means) >= 2 else None,
                slope=float(slope[key]) if len(means) >= 2 else None,
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Asymmetry:
    """A's trust in B against B's trust in A on one form in one round (party_a < party_b)."""

    partnership: int
    round: int
    form: TrustForm
    party_a: int
    party_b: int
    a_in_b: float
    b_in_a: float
    gap: float
    flagged: bool


def asymmetries(scores: TrustScores, threshold: float = ASYMMETRY_FLAG) -> tuple[Asymmetry, ...]:
    """Gap a_in_b − b_in_a wherever both directions are published; flagged when |gap| exceeds
    ``threshold`` scale points, since one-sided trust invites exploitation or resentment."""
    if not threshold > 0:
        raise TrustError(BAD_FLAG_THRESHOLD.format(value=threshold))
    g = scores.groups
    low, high = np.minimum(g.rater, g.rated), np.maximum(g.rater, g.rated)
    pair, _ = _row_codes((g.partnership, g.round, low, high))
    forward = np.full(pair.max(initial=-1) + 1, -1, np.int64)
    backward = forward.copy()
    rows = np.arange(len(g), dtype=np.int64)
    forward[pair[g.rater == low]] = rows[g.rater == low]
    backward[pair[g.rater == high]] = rows[g.rater == high]
    both = np.flatnonzero((forward >= 0) & (backward >= 0))
    ab, ba = forward[both], backward[both]
    out: list[Asymmetry] = []
    for f, form in enumerate(FORMS):
        shown = scores.visible[ab, f] & scores.visible[ba, f]
        for a_row, b_row in zip(ab[shown].tolist(), ba[shown].tolist(), strict=True):
            a_in_b, b_in_a = float(scores.mean[a_row, f]), float(scores.mean[b_row, f])
            gap = a_in_b - b_in_a
            out.append(
                Asymmetry(
                    partnership=int(g.partnership[a_row]),
                    round=int(g.round[a_row]),
                    form=form,
                    party_a=int(g.rater[a_row]),
                    party_b=int(g.rated[a_row]),
                    a_in_b=a_in_b,
                    b_in_a=b_in_a,
                    gap=gap,
                    flagged=abs(gap) > threshold,
                )
            )
    return tuple(out)


class Stage(StrEnum):
    ASSESSMENT = "assessment"
    VERIFICATION = "verification"
    REINFORCEMENT = "reinforcement"
    EXPANSION = "expansion"
    INSTITUTIONALIZATION = "institutionalization"


STAGES: tuple[Stage, ...] = tuple(Stage)


class StageRule(StrEnum):
    SMALL_EXCHANGES = "small_exchanges"
    COMPETENCE_TRUST = "competence_trust"
    ON_TIME_RECORD = "on_time_record"
    REGULAR_COMMUNICATION = "regular_communication"
    CONTRACTUAL_TRUST = "contractual_trust"
    SCOPE_GROWTH = "scope_growth"
    GOODWILL_TRUST = "goodwill_trust"
    PEOPLE_PER_PARTY = "people_per_party"
    UNITS_PER_PARTY = "units_per_party"
    STAFF_CHANGE = "staff_change"


class RuleStatus(StrEnum):
    HOLDS = "holds"
    FAILS = "fails"
    NO_EVIDENCE = "no evidence yet"


def _check_range(owner: object, name: str, low: float, high: float) -> None:
    value = getattr(owner, name)
    if value is not None and not low <= value <= high:
        raise TrustError(
            OUT_OF_RANGE.format(
                owner=type(owner).__name__, name=name, value=value, bounds=f"[{low}, {high}]"
            )
        )


@dataclass(frozen=True)
class StageRules:
    """Thresholds of the stage rules. Trust levels are on the 1–7 scale; rates are shares."""

    min_small_exchanges: int = 2
    min_competence_trust: float = 4.0
    min_on_time_rate: float = 0.8
    min_on_time_periods: int = 3
    max_communication_gap_days: int = 30
    min_contractual_trust: float = 4.5
    min_scope_growth: float = 0.1
    min_goodwill_trust: float = 5.0
    min_people_per_party: int = 3
    min_units_per_party: int = 2
    max_trust_drop_after_staff_change: float = 0.5

    def __post_init__(self) -> None:
        for name in ("min_competence_trust", "min_contractual_trust", "min_goodwill_trust"):
            _check_range(self, name, 1, 7)
        _check_range(self, "min_on_time_rate", 0, 1)
        _check_range(self, "max_trust_drop_after_staff_change", 0, 6)
        _check_range(self, "min_scope_growth", -1, np.inf)
        for name in ("min_small_exchanges", "max_communication_gap_days"):
            _check_range(self, name, 0, np.inf)
        for name in ("min_on_time_periods", "min_people_per_party", "min_units_per_party"):
            _check_range(self, name, 1, np.inf)


@dataclass(frozen=True)
class Evidence:
    """What is known about one partnership; None means the source has nothing yet.

    Trust levels are the lowest published mean across directions in the latest round, mapped
    onto 1–7 (a 5-point mean m becomes 1 + (m − 1) · 6/4). ``on_time_rates`` holds, per review
    period from oldest to newest, the lowest party's share of due commitments met on time.
    ``scope_growth`` is the relative growth of joint scope over the last year (0.25 = 25 %).
    People and units count, for the party with fewest, those who work with the other parties.
    ``trust_drop_after_staff_change`` is the largest fall in trust from the round before to the
    round after a sponsor or alliance manager left; None until someone has left."""

    completed_small_exchanges: int | None = None
    competence_trust: float | None = None
    contractual_trust: float | None = None
    goodwill_trust: float | None = None
    on_time_rates: tuple[float, ...] | None = None
    longest_communication_gap_days: int | None = None
    scope_growth: float | None = None
    fewest_people_per_party: int | None = None
    fewest_units_per_party: int | None = None
    trust_drop_after_staff_change: float | None = None

    def __post_init__(self) -> None:
        for name in ("competence_trust", "contractual_trust", "goodwill_trust"):
            _check_range(self, name, 1, 7)
        for name in (
            "completed_small_exchanges",
            "longest_communication_gap_days",
            "fewest_people_per_party",
            "fewest_units_per_party",
        ):
            _check_range(self, name, 0, np.inf)
        _check_range(self, "scope_growth", -1, np.inf)
        _check_range(self, "trust_drop_after_staff_change", -6, 6)
        for rate in self.on_time_rates or ():
            if not 0 <= rate <= 1:
                raise TrustError(
                    OUT_OF_RANGE.format(
                        owner="Evidence", name="on_time_rates", value=rate, bounds="[0, 1]"
                    )
                )


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: StageRule
    stage: Stage
    status: RuleStatus
    explanation: str


@dataclass(frozen=True, slots=True)
class StageJudgement:
    """The stage reached, every rule's verdict, and the unmet rules of the next stage."""

    stage: Stage
    rules: tuple[RuleResult, ...]
    next_stage: Stage | None
    missing: tuple[RuleResult, ...]


def _verdict(
    rule: StageRule, stage: Stage, holds: bool | None, observed: str, requirement: str
) -> RuleResult:
    status = {True: RuleStatus.HOLDS, False: RuleStatus.FAILS, None: RuleStatus.NO_EVIDENCE}
    return RuleResult(rule, stage, status[holds], f"{observed}; {stage} needs {requirement}.")


def _at_least(value: float | None, minimum: float) -> bool | None:
    return None if value is None else value >= minimum


def _at_most(value: float | None, maximum: float) -> bool | None:
    return None if value is None else value <= maximum


def _trust_rule(
    rule: StageRule, stage: Stage, form: TrustForm, level: float | None, minimum: float
) -> RuleResult:
    observed = (
        f"No published {form} trust result yet"
        if level is None
        else f"The lowest {form} trust between the parties is {level:.1f} of 7"
    )
    return _verdict(rule, stage, _at_least(level, minimum), observed, f"at least {minimum:.1f}")


def _on_time_rule(rates: tuple[float, ...] | None, rules: StageRules) -> RuleResult:
    periods, minimum = rules.min_on_time_periods, rules.min_on_time_rate
    requirement = f"{periods} periods in a row with at least {minimum:.0%} delivered on time"
    if not rates:
        return _verdict(
            StageRule.ON_TIME_RECORD,
            Stage.REINFORCEMENT,
            None,
            "No commitments have come due yet",
            requirement,
        )
    recent = rates[-periods:]
    shown = ", ".join(f"{rate:.0%}" for rate in recent)
    holds = len(recent) == periods and min(recent) >= minimum
    return _verdict(
        StageRule.ON_TIME_RECORD,
        Stage.REINFORCEMENT,
        holds,
        f"On-time delivery in the last {len(recent)} of {len(rates)} periods: {shown}",
        requirement,
    )


def _stage_rules(e: Evidence, r: StageRules) -> tuple[RuleResult, ...]:
    def counted(value: int | None, noun: str, none: str) -> str:
        return none if value is None else f"{value} {noun}"

    return (
        _verdict(
            StageRule.SMALL_EXCHANGES,
            Stage.VERIFICATION,
            _at_least(e.completed_small_exchanges, r.min_small_exchanges),
            counted(
                e.completed_small_exchanges,
                "small exchanges completed",
                "No small exchange has been recorded yet",
            ),
            f"at least {r.min_small_exchanges} completed",
        ),
        _trust_rule(
            StageRule.COMPETENCE_TRUST,
            Stage.VERIFICATION,
            TrustForm.COMPETENCE,
            e.competence_trust,
            r.min_competence_trust,
        ),
        _on_time_rule(e.on_time_rates, r),
        _verdict(
            StageRule.REGULAR_COMMUNICATION,
            Stage.REINFORCEMENT,
            _at_most(e.longest_communication_gap_days, r.max_communication_gap_days),
            counted(
                e.longest_communication_gap_days,
                "days was the longest silence between the parties",
                "No communication has been recorded yet",
            ),
            f"no silence longer than {r.max_communication_gap_days} days",
        ),
        _trust_rule(
            StageRule.CONTRACTUAL_TRUST,
            Stage.REINFORCEMENT,
            TrustForm.CONTRACTUAL,
            e.contractual_trust,
            r.min_contractual_trust,
        ),
        _verdict(
            StageRule.SCOPE_GROWTH,
            Stage.EXPANSION,
            _at_least(e.scope_growth, r.min_scope_growth),
            "No scope history yet"
            if e.scope_growth is None
            else f"Joint scope changed by {e.scope_growth:+.0%} over the last year",
            f"growth of at least {r.min_scope_growth:.0%}",
        ),
        _trust_rule(
            StageRule.GOODWILL_TRUST,
            Stage.EXPANSION,
            TrustForm.GOODWILL,
            e.goodwill_trust,
            r.min_goodwill_trust,
        ),
        _verdict(
            StageRule.PEOPLE_PER_PARTY,
            Stage.INSTITUTIONALIZATION,
            _at_least(e.fewest_people_per_party, r.min_people_per_party),
            counted(
                e.fewest_people_per_party,
                "people carry the relationship in the party with fewest",
                "No record yet of who works across the parties",
            ),
            f"at least {r.min_people_per_party} in each party",
        ),
        _verdict(
            StageRule.UNITS_PER_PARTY,
            Stage.INSTITUTIONALIZATION,
            _at_least(e.fewest_units_per_party, r.min_units_per_party),
            counted(
                e.fewest_units_per_party,
                "units are involved in the party with fewest",
                "No record yet of which units take part",
            ),
            f"at least {r.min_units_per_party} units in each party",
        ),
        _verdict(
            StageRule.STAFF_CHANGE,
            Stage.INSTITUTIONALIZATION,
            _at_most(e.trust_drop_after_staff_change, r.max_trust_drop_after_staff_change),
            "No sponsor or alliance manager has left yet, so survival of a change is untested"
            if e.trust_drop_after_staff_change is None
            else f"Trust fell by {e.trust_drop_after_staff_change:.1f} points"
            " after a sponsor or alliance manager left",
            f"a fall of no more than {r.max_trust_drop_after_staff_change:.1f} points",
        ),
    )


def judge_stage(evidence: Evidence, rules: StageRules | None = None) -> StageJudgement:
    """Highest stage whose rules, and those of every earlier stage, all hold; assessment has no
    rules and is where every partnership starts. Missing evidence never counts as holding."""
    results = _stage_rules(evidence, rules or StageRules())
    reached = Stage.ASSESSMENT
    for stage in STAGES[1:]:
        if any(r.status is not RuleStatus.HOLDS for r in results if r.stage is stage):
            break
        reached = stage
    position = STAGES.index(reached)
    next_stage = STAGES[position + 1] if position + 1 < len(STAGES) else None
    missing = tuple(
        r for r in results if r.stage is next_stage and r.status is not RuleStatus.HOLDS
    )
    return StageJudgement(reached, results, next_stage, missing)
