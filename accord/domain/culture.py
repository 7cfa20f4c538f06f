"""Cultural fit between parties: six bipolar dimensions, each party's view of itself and of the
others, and a stated classification of every difference as aligned, complementary or friction.

Differences are not faults in themselves: on some dimensions a second way of working adds
something the partnership lacks, as long as the parties read each other accurately. The
classification says which case applies and why, and the catalog suggests practices that bridge
friction or put a complementary difference to use. Ratings are survey answers, so a profile (the
mean of one party's raters about one party) is used only when at least *k* people gave it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.domain.trust import DEFAULT_K, MIN_K
from accord.domain.trust.engine import score_cells

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

SCALE = (1, 7)

NOT_A_COLUMN = "{name} must be a one-dimensional column of integers."
UNEQUAL_COLUMNS = "Rating columns must have the same length, got {lengths}."
UNKNOWN_DIMENSION = "Rating {index} names dimension {dimension}; there are {count} dimensions."
VALUE_OFF_SCALE = "Rating {index} has value {value}, outside 1–7."
PARTY_IN_TWO_PARTNERSHIPS = "Party {party} appears in partnerships {first} and {second}."
RESPONDENT_IN_TWO_PARTIES = "Respondent {respondent} rates on behalf of two parties."
K_TOO_LOW = "Partnership {partnership} asks for k = {k}; the anonymity threshold is never below 3."
BAD_RULES = "Culture rules need 0 ≤ aligned ≤ complementary ≤ 6 and 0 ≤ gap ≤ 6, got {rules}."
NO_READINGS = "No culture readings for partnership {partnership}: it needs two rated parties."


class CultureError(ValueError):
    """Bad input to a culture computation; the message names the input and the rule it breaks."""


class Dimension(StrEnum):
    RISK_TOLERANCE = "risk_tolerance"
    TIME_ORIENTATION = "time_orientation"
    FORMALITY = "formality"
    DECISION_MAKING = "decision_making"
    COMMUNICATION = "communication"
    INNOVATION = "innovation"


class Fit(StrEnum):
    ALIGNED = "aligned"
    COMPLEMENTARY = "complementary"
    FRICTION = "friction"


# Index order is the order of concern, which the monotonicity of ``classify`` relies on.
FITS: tuple[Fit, ...] = (Fit.ALIGNED, Fit.COMPLEMENTARY, Fit.FRICTION)
UNCLASSIFIED = -1


@dataclass(frozen=True, slots=True)
class DimensionSpec:
    """A bipolar dimension: what 1 and 7 mean, and whether a difference can add value."""

    dimension: Dimension
    label: str
    low_pole: str
    high_pole: str
    low_anchor: str
    high_anchor: str
    difference_adds_value: bool
    why: str


DIMENSIONS: tuple[DimensionSpec, ...] = (
    DimensionSpec(
        Dimension.RISK_TOLERANCE,
        "risk tolerance",
        "cautious",
        "bold",
        "Cautious: commits only to what has been proven and guards against every downside.",
        "Bold: backs uncertain bets early and accepts some losses as the price of upside.",
        True,
        "a cautious and a bold partner can split safe delivery from ventures",
    ),
    DimensionSpec(
        Dimension.TIME_ORIENTATION,
        "time orientation",
        "near-term",
        "long-term",
        "Near-term: judges work by this quarter's results and wants quick wins.",
        "Long-term: invests for results years away and accepts slow early progress.",
        False,
        "partners on different horizons disagree about whether the partnership is succeeding",
    ),
    DimensionSpec(
        Dimension.FORMALITY,
        "formality",
        "informal",
        "formal",
        "Informal: settles things in conversation, keeps paperwork light, trusts people over"
        " procedure.",
        "Formal: puts agreements in writing and runs work through set procedures and sign-offs.",
        False,
        "one side's lightness reads as carelessness to the other, and its paperwork as distrust",
    ),
    DimensionSpec(
        Dimension.DECISION_MAKING,
        "decision-making style",
        "top-down",
        "consensus-seeking",
        "Top-down: a few senior people decide quickly and the rest carry it out.",
        "Consensus: decisions wait until everyone affected has been heard and agrees.",
        False,
        "joint decisions stall when one side decides in a meeting and the other consults for weeks",
    ),
    DimensionSpec(
        Dimension.COMMUNICATION,
        "communication norms",
        "direct",
        "indirect",
        "Direct: names problems plainly and at once, in so many words.",
        "Indirect: raises concerns tactfully, often in private, and expects them to be read"
        " between the lines.",
        False,
        "bad news gets missed by one side or taken as an affront by the other",
    ),
    DimensionSpec(
        Dimension.INNOVATION,
        "innovation approach",
        "incremental",
        "exploratory",
        "Incremental: improves what exists in careful, planned steps.",
        "Exploratory: tries many new ideas, expects most to fail and learns from them.",
        True,
        "an exploring partner finds options and an improving one makes them work",
    ),
)


@dataclass(frozen=True, slots=True)
class Practice:
    """A bridging practice, suggested for the fit it addresses."""

    title: str
    description: str
    fit: Fit


BRIDGING_PRACTICES: dict[Dimension, tuple[Practice, ...]] = {
    Dimension.RISK_TOLERANCE: (
        Practice(
            "Agreed risk envelope",
            "Write down, per workstream, the largest loss each party accepts and who decides"
            " when a bet would exceed it.",
            Fit.FRICTION,
        ),
        Practice(
            "Stage-gated commitments",
            "Release money in stages tied to evidence, so the cautious party sees proof before"
            " each larger step.",
            Fit.FRICTION,
        ),
        Practice(
            "Split portfolio",
            "Let the bolder party lead a small venture track while the cautious one runs core"
            " delivery, and review both together each quarter.",
            Fit.COMPLEMENTARY,
        ),
    ),
    Dimension.TIME_ORIENTATION: (
        Practice(
            "Two-horizon scorecard",
            "Track near-term milestones and long-term outcomes side by side, so each party sees"
            " progress on its own horizon.",
            Fit.FRICTION,
        ),
        Practice(
            "Early wins in the plan",
            "Schedule a few visible results in the first months to carry the long-term work"
            " through both parties' budget reviews.",
            Fit.FRICTION,
        ),
    ),
    Dimension.FORMALITY: (
        Practice(
            "Minimum written record",
            "Agree which decisions must be written down and signed off, and leave everything"
            " else to conversation.",
            Fit.FRICTION,
        ),
        Practice(
            "Paired contacts",
            "Pair a process owner from the more formal party with a counterpart from the other,"
            " to translate between the two ways of working.",
            Fit.FRICTION,
        ),
    ),
    Dimension.DECISION_MAKING: (
        Practice(
            "Decision calendar",
            "Publish upcoming joint decisions with the consultation time each party needs, so"
            " neither is surprised by the other's pace.",
            Fit.FRICTION,
        ),
        Practice(
            "Delegated authority",
            "Give the joint team authority to decide within agreed limits, so routine matters"
            " wait for neither hierarchy.",
            Fit.FRICTION,
        ),
    ),
    Dimension.COMMUNICATION: (
        Practice(
            "Explicit escalation signals",
            "Agree words or colours that mean 'this is a serious concern', whatever each side's"
            " habit of speech.",
            Fit.FRICTION,
        ),
        Practice(
            "Private check-ins",
            "Hold regular one-to-one talks between counterparts where concerns can be raised"
            " without an audience.",
            Fit.FRICTION,
        ),
    ),
    Dimension.INNOVATION: (
        Practice(
            "Shared definition of done",
            "Agree when an experiment ends and when an idea moves into planned, step-by-step"
            " development.",
            Fit.FRICTION,
        ),
        Practice(
            "Explore–exploit handover",
            "Let the exploratory party prototype and hand promising results to the incremental"
            " party to make them dependable.",
            Fit.COMPLEMENTARY,
        ),
        Practice(
            "Joint idea review",
            "Review new ideas together each quarter, so both approaches shape what is pursued.",
            Fit.COMPLEMENTARY,
        ),
    ),
}


@dataclass(frozen=True, slots=True)
class CultureRules:
    """Thresholds of the classification, in scale points on 1–7.

    Aligned: self-ratings at most ``aligned_max_distance`` apart. Complementary: further apart
    but at most ``complementary_max_distance``, on a dimension where difference adds value, with
    each party's view of the other within ``understood_max_gap`` of that party's self-rating.
    Friction: every other difference."""

    aligned_max_distance: float = 1.0
    complementary_max_distance: float = 3.0
    understood_max_gap: float = 1.0

    def __post_init__(self) -> None:
        if not (
            0 <= self.aligned_max_distance <= self.complementary_max_distance <= 6
            and 0 <= self.understood_max_gap <= 6
        ):
            raise CultureError(BAD_RULES.format(rules=self))

    def describe(self) -> tuple[str, ...]:
        """The rules as sentences, for the method section of a report."""
        adding = " and ".join(d.label for d in DIMENSIONS if d.difference_adds_value)
        return (
            f"Aligned: the parties' self-ratings are at most {self.aligned_max_distance:.1f}"
            " points apart.",
            f"Complementary: more than {self.aligned_max_distance:.1f} and at most"
            f" {self.complementary_max_distance:.1f} points apart on a dimension where difference"
            f" adds value ({adding}), with each party seeing the other within"
            f" {self.understood_max_gap:.1f} points of how the other sees itself.",
            "Friction: any other difference: on a dimension where difference hurts, wider than"
            f" {self.complementary_max_distance:.1f} points, or misread by more than"
            f" {self.understood_max_gap:.1f} points.",
            "Profiles are the mean of a party's raters, used only when at least k people rated.",
        )


def classify(
    distance: ArrayLike,
    perception_gap: ArrayLike,
    difference_adds_value: ArrayLike,
    rules: CultureRules,
) -> IntArray:
    """Index into FITS per element, UNCLASSIFIED where an input the rule needs is NaN.

    ``perception_gap`` is the larger of the two parties' misreadings (view of the other minus
    the other's self-rating, in absolute value); it only decides between complementary and
    friction, so it may be NaN wherever the distance settles the case."""
    d = np.asarray(distance, np.float64)
    gap = np.asarray(perception_gap, np.float64)
    adds = np.asarray(difference_adds_value, bool)
    in_band = adds & (d > rules.aligned_max_distance) & (d <= rules.complementary_max_distance)
    fit = np.where(d <= rules.aligned_max_distance, 0, 2)
    fit = np.where(in_band, np.where(gap <= rules.understood_max_gap, 1, 2), fit)
    unknown = np.isnan(d) | (in_band & np.isnan(gap))
    return np.where(unknown, UNCLASSIFIED, fit).astype(np.int64)


@dataclass(frozen=True, eq=False)
class Ratings:
    """One row per rating: who rated (respondent id, the party they speak for), in which
    partnership, which party they rated (their own for a self-rating), the dimension's position
    in DIMENSIONS, and the value on 1–7."""

    respondent: IntArray
    partnership: IntArray
    rater: IntArray
    rated: IntArray
    dimension: IntArray
    value: IntArray

    def __post_init__(self) -> None:
        names = ("respondent", "partnership", "rater", "rated", "dimension", "value")
        for name in names:
            column = np.asarray(getattr(self, name))
            if column.ndim != 1 or (column.size and column.dtype.kind not in "iu"):
                raise CultureError(NOT_A_COLUMN.format(name=name))
            column = column.astype(np.int64)
            column.flags.writeable = False
            object.__setattr__(self, name, column)
        lengths = [len(getattr(self, name)) for name in names]
        if len(set(lengths)) > 1:
            raise CultureError(UNEQUAL_COLUMNS.format(lengths=lengths))


@dataclass(frozen=True, slots=True)
class Reading:
    """One dimension for one pair of parties (party_a < party_b). Profile means are None when
    fewer than k people gave them; gaps are a view of the other minus the other's self-rating,
    positive when the viewer places the other nearer the dimension's high pole."""

    partnership: int
    party_a: int
    party_b: int
    dimension: Dimension
    self_a: float | None
    self_b: float | None
    a_sees_b: float | None
    b_sees_a: float | None
    distance: float | None
    gap_a_about_b: float | None
    gap_b_about_a: float | None
    fit: Fit | None
    explanation: str


@dataclass(frozen=True, slots=True)
class CultureAssessment:
    rules: CultureRules
    readings: tuple[Reading, ...]


def _first_conflict(keys: IntArray, values: IntArray) -> int | None:
    """Index of a row whose key was seen before with a different value, or None."""
    codes = np.unique(keys, return_inverse=True)[1]
    first = np.zeros(codes.max(initial=-1) + 1, np.int64)
    first[codes[::-1]] = values[::-1]
    conflicts = np.flatnonzero(first[codes] != values)
    return int(conflicts[0]) if conflicts.size else None


def _check(ratings: Ratings) -> None:
    n_dims = len(DIMENSIONS)
    bad = np.flatnonzero((ratings.dimension < 0) | (ratings.dimension >= n_dims))
    if bad.size:
        i = int(bad[0])
        raise CultureError(
            UNKNOWN_DIMENSION.format(index=i, dimension=ratings.dimension[i], count=n_dims)
        )
    bad = np.flatnonzero((ratings.value < SCALE[0]) | (ratings.value > SCALE[1]))
    if bad.size:
        i = int(bad[0])
        raise CultureError(VALUE_OFF_SCALE.format(index=i, value=ratings.value[i]))
    party = np.concatenate((ratings.rater, ratings.rated))
    partnership = np.concatenate((ratings.partnership, ratings.partnership))
    clash = _first_conflict(party, partnership)
    if clash is not None:
        first, second = sorted((partnership[np.argmax(party == party[clash])], partnership[clash]))
        raise CultureError(
            PARTY_IN_TWO_PARTNERSHIPS.format(party=party[clash], first=first, second=second)
        )
    clash = _first_conflict(ratings.respondent, ratings.rater)
    if clash is not None:
        raise CultureError(RESPONDENT_IN_TWO_PARTIES.format(respondent=ratings.respondent[clash]))


@dataclass(frozen=True, slots=True)
class _Profiles:
    """Per (rater party, rated party, dimension), keyed ``(rater * parties + rated) * dims +
    dimension`` in ascending order: the mean over people and whether at least k gave it."""

    key: IntArray
    mean: FloatArray
    published: BoolArray


def _profiles(
    ratings: Ratings, rater: IntArray, rated: IntArray, n_parties: int, k: IntArray
) -> _Profiles:
    """Profiles scored by the shared survey engine (``accord.domain.trust.engine``), as every
    questionnaire is: a response is one person's ratings of one party, a group one (rater party,
    rated party), a construct one dimension. A questionnaire may carry several statements per
    dimension, and the engine averages each person's statements on a dimension first, so a
    person counts once towards k and weighs once in the profile. Ratings carry no statement id,
    so a person's n-th rating of a party on a dimension stands for item n of that dimension.

    ``rater`` and ``rated`` are party codes per rating; ``k`` is each party's threshold."""
    n_dims = len(DIMENSIONS)
    _, response = np.unique(ratings.respondent * n_parties + rated, return_inverse=True)
    response = response.reshape(-1).astype(np.int64)
    pairs, group = np.unique(rater * n_parties + rated, return_inverse=True)
    group = group.reshape(-1).astype(np.int64)
    # Rank of each rating among its person's ratings of that party on that dimension.
    _, statement = np.unique(response * n_dims + ratings.dimension, return_inverse=True)
    statement = statement.reshape(-1)
    order = np.argsort(statement, kind="stable")
    first = np.searchsorted(statement[order], statement[order])
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order)) - first
    per_dimension = int(rank.max(initial=0)) + 1
    cells = score_cells(
        response,
        group,
        ratings.dimension * per_dimension + rank,
        ratings.value,
        len(pairs),
        np.repeat(np.arange(n_dims, dtype=np.int64), per_dimension),
        np.full(n_dims * per_dimension, SCALE[1], np.int64),
        np.zeros(n_dims * per_dimension, bool),
        n_dims,
        k[pairs // n_parties],
    )
    return _Profiles(
        key=(pairs[:, None] * n_dims + np.arange(n_dims)).ravel().astype(np.int64),
        mean=cells.mean.ravel(),
        published=cells.visible.ravel(),
    )


def assess_culture(
    ratings: Ratings,
    thresholds: Mapping[int, int] | None = None,
    rules: CultureRules | None = None,
    party_names: Mapping[int, str] | None = None,
) -> CultureAssessment:
    """Read every dimension for every pair of parties in every partnership, in one pass.

    A party's profile of a party is the mean over its raters; ``thresholds`` maps partnership
    id to k (DEFAULT_K when absent). ``party_names`` words the explanations (``party 12``
    otherwise). Readings come ordered by partnership, pair and dimension."""
    rules = rules or CultureRules()
    _check(ratings)
    given = dict(thresholds or {})
    for key, k in given.items():
        if k < MIN_K:
            raise CultureError(K_TOO_LOW.format(partnership=key, k=k))
    if len(ratings.value) == 0:
        return CultureAssessment(rules, ())
    n_dims = len(DIMENSIONS)

    # Parties, coded in (partnership, id) order so each partnership's parties are contiguous.
    # A party belongs to one partnership (checked above), so its ids alone are unique keys.
    ids, first = np.unique(np.concatenate((ratings.rater, ratings.rated)), return_index=True)
    of = np.concatenate((ratings.partnership, ratings.partnership))[first]
    order = np.lexsort((ids, of))
    party_partnership, party_id = of[order], ids[order]
    n_parties = len(party_id)
    by_id = np.argsort(party_id)
    rater = by_id[np.searchsorted(party_id[by_id], ratings.rater)]
    rated = by_id[np.searchsorted(party_id[by_id], ratings.rated)]
    partnerships, party_k_index = np.unique(party_partnership, return_inverse=True)
    ks = np.array([given.get(int(p), DEFAULT_K) for p in partnerships], np.int64)
    party_k = ks[party_k_index.reshape(-1)]

    # Profiles: mean per (rater party, rated party, dimension) over people (each person's own
    # mean first), kept only from k people up.
    scored = _profiles(ratings, rater, rated, n_parties, party_k)
    profiles, mean, published = scored.key, scored.mean, scored.published

    # Pairs a < b within each partnership, each with every dimension.
    later = np.searchsorted(party_partnership, party_partnership, side="right")
    partners = later - np.arange(n_parties) - 1
    a = np.repeat(np.arange(n_parties), partners)
    offsets = np.arange(len(a)) - np.repeat(np.cumsum(partners) - partners, partners)
    b = a + 1 + offsets
    a, b = np.repeat(a, n_dims), np.repeat(b, n_dims)
    dims = np.tile(np.arange(n_dims), len(a) // n_dims)

    def profile(viewer: IntArray, viewed: IntArray) -> FloatArray:
        wanted = (viewer * n_parties + viewed) * n_dims + dims
        at = np.minimum(np.searchsorted(profiles, wanted), len(profiles) - 1)
        return np.where((profiles[at] == wanted) & published[at], mean[at], np.nan)

    self_a, self_b = profile(a, a), profile(b, b)
    a_sees_b, b_sees_a = profile(a, b), profile(b, a)
    distance = np.abs(self_a - self_b)
    gap_ab, gap_ba = a_sees_b - self_b, b_sees_a - self_a
    misread = np.fmax(np.abs(gap_ab), np.abs(gap_ba))
    settled = ~np.isnan(gap_ab) & ~np.isnan(gap_ba) | (misread > rules.understood_max_gap)
    adds = np.array([d.difference_adds_value for d in DIMENSIONS])[dims]
    fits = classify(distance, np.where(settled, misread, np.nan), adds, rules)

    names = dict(party_names or {})
    readings = []
    columns = (a, b, dims, self_a, self_b, a_sees_b, b_sees_a, distance, gap_ab, gap_ba, fits)
    for row in zip(*(c.tolist() for c in columns), strict=True):
        pa, pb, d, sa, sb, ab, ba, dist, gab, gba, fit = row
        reading = Reading(
            partnership=int(party_partnership[pa]),
            party_a=int(party_id[pa]),
            party_b=int(party_id[pb]),
            dimension=DIMENSIONS[d].dimension,
            self_a=_known(sa),
            self_b=_known(sb),
            a_sees_b=_known(ab),
            b_sees_a=_known(ba),
            distance=_known(dist),
            gap_a_about_b=_known(gab),
            gap_b_about_a=_known(gba),
            fit=None if fit == UNCLASSIFIED else FITS[fit],
            explanation="",
        )
        explanation = _explain(reading, DIMENSIONS[d], rules, names, int(party_k[pa]))
        readings.append(replace(reading, explanation=explanation))
    return CultureAssessment(rules, tuple(readings))


def _known(value: float) -> float | None:
    return None if value != value else value


def _explain(
    r: Reading, spec: DimensionSpec, rules: CultureRules, names: Mapping[int, str], k: int
) -> str:
    a, b = names.get(r.party_a, f"party {r.party_a}"), names.get(r.party_b, f"party {r.party_b}")
    if r.self_a is None or r.self_b is None or r.distance is None:
        missing = " and ".join(n for n, s in ((a, r.self_a), (b, r.self_b)) if s is None)
        return (
            f"Not classified yet: the self-rating of {missing} on {spec.label} is missing or"
            f" comes from fewer than {k} people."
        )
    apart = (
        f"{a} rates itself {r.self_a:.1f} and {b} {r.self_b:.1f} on {spec.label},"
        f" {r.distance:.1f} apart"
    )
    misreadings = [
        (viewer, viewed, gap)
        for viewer, viewed, gap in ((a, b, r.gap_a_about_b), (b, a, r.gap_b_about_a))
        if gap is not None and abs(gap) > rules.understood_max_gap
    ]
    misread = "; ".join(
        f"{viewer} places {viewed} {abs(gap):.1f} points closer to"
        f" {spec.high_pole if gap > 0 else spec.low_pole} than {viewed} places itself"
        for viewer, viewed, gap in misreadings
    )
    if r.fit is Fit.ALIGNED:
        note = f" Yet {misread}: worth talking through." if misread else ""
        return f"Aligned: {apart} (aligned up to {rules.aligned_max_distance:.1f}).{note}"
    if not spec.difference_adds_value:
        return f"Friction: {apart}, on a dimension where difference hurts: {spec.why}."
    if r.distance > rules.complementary_max_distance:
        return (
            f"Friction: {apart}, wider than the {rules.complementary_max_distance:.1f} points"
            " across which this difference still adds value."
        )
    if r.fit is Fit.COMPLEMENTARY:
        return (
            f"Complementary: {apart}, where difference adds value ({spec.why}), and each sees"
            f" the other within {rules.understood_max_gap:.1f} of how the other sees itself."
        )
    if r.fit is Fit.FRICTION:
        return f"Friction: {apart}, and the difference is misread: {misread}."
    return (
        f"Not classified yet: {apart}, where difference can add value if the parties read each"
        f" other accurately, and how they see each other is missing or comes from fewer than"
        f" {k} people."
    )


@dataclass(frozen=True, slots=True)
class ReportSection:
    dimension: Dimension
    label: str
    low_anchor: str
    high_anchor: str
    reading: Reading
    practices: tuple[Practice, ...]


@dataclass(frozen=True, slots=True)
class PairReport:
    party_a: int
    party_b: int
    summary: str
    sections: tuple[ReportSection, ...]


@dataclass(frozen=True, slots=True)
class DueDiligenceReport:
    """Content of the cultural due-diligence report; the web layer renders it."""

    partnership: int
    method: tuple[str, ...]
    pairs: tuple[PairReport, ...]


def due_diligence_report(
    assessment: CultureAssessment,
    partnership: int,
    catalog: Mapping[Dimension, tuple[Practice, ...]] = BRIDGING_PRACTICES,
) -> DueDiligenceReport:
    """Per pair of parties and dimension: anchors, profiles, distance, gaps, fit, explanation,
    and the catalog's practices for that fit (none for an aligned or unclassified reading)."""
    readings = [r for r in assessment.readings if r.partnership == partnership]
    if not readings:
        raise CultureError(NO_READINGS.format(partnership=partnership))
    specs = {spec.dimension: spec for spec in DIMENSIONS}
    pairs: dict[tuple[int, int], list[ReportSection]] = {}
    for reading in readings:
        spec = specs[reading.dimension]
        practices = tuple(
            p
            for p in catalog.get(reading.dimension, ())
            if reading.fit is not None and p.fit is reading.fit
        )
        section = ReportSection(
            spec.dimension, spec.label, spec.low_anchor, spec.high_anchor, reading, practices
        )
        pairs.setdefault((reading.party_a, reading.party_b), []).append(section)
    return DueDiligenceReport(
        partnership,
        assessment.rules.describe(),
        tuple(
            PairReport(a, b, _summary(sections), tuple(sections))
            for (a, b), sections in pairs.items()
        ),
    )


def _summary(sections: list[ReportSection]) -> str:
    parts = []
    for fit in (Fit.FRICTION, Fit.COMPLEMENTARY, Fit.ALIGNED, None):
        labels = [s.label for s in sections if s.reading.fit is fit]
        if labels:
            heading = "not classified yet" if fit is None else str(fit)
            parts.append(f"{heading.capitalize()}: {', '.join(labels)}.")
    return " ".join(parts)
