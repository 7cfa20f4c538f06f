"""Decision rights: who decides what, in which mode, and whether a decision may be taken now.

The recommender turns each party's scores for a decision domain into a proposed mode and owner,
with the rule that fired and its reasoning in words, so people can see why and override it. The
rules are one vectorized function over a (rows × parties × criteria) array, so one call covers
every domain of a whole portfolio; :func:`recommend` is that function applied to one domain.

:func:`may_decide` is the server-side gate that keeps each decision inside its mode, and
:func:`cycle_time_stats` measures how long decisions take from proposal to outcome.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

import numpy as np
from numpy.typing import NDArray

SCORE_MIN = 0.0
SCORE_MAX = 5.0

SCORE_OUT_OF_RANGE = "Each score must be a number from 0 to 5."
TOO_FEW_PARTIES = "A decision domain needs at least two parties."
DUPLICATE_PARTY = "Each party may appear only once in a decision domain."
SCORES_SHAPE = (
    "Scores must have shape (rows, parties, 4): expertise, resources, risk exposure and "
    "strategic importance."
)
MASK_SHAPE = "The party mask must have shape (rows, parties), matching the scores."
FLAGS_SHAPE = "The operational and joint-team flags must have one value per row."
STAKE_THRESHOLDS_ORDER = "Stake thresholds must satisfy 0 ≤ low_stake < high_stake ≤ 5."
MARGINS_ORDER = "Capability margins must satisfy 0 < lead_margin ≤ dominance_margin ≤ 5."
OWNER_REQUIRED = (
    "Independent and consultative decisions need an owner party among the partnership's parties."
)
STANCES_OUTSIDE_PARTIES = (
    "Answers, approvals and objections must come from the partnership's parties."
)
APPROVED_AND_OBJECTED = "A party cannot both approve and object to the same proposal."
QUORUM_INVALID = "A delegated decision needs a quorum of at least one vote."
VOTES_NEGATIVE = "Vote counts cannot be negative."
NAIVE_DATETIME = (
    "Times must be timezone-aware, so that parties in different time zones agree on deadlines."
)
CYCLE_ROWS_SHAPE = "Cycle-time inputs must be one-dimensional arrays of equal length."
CYCLE_INDEX_OUT_OF_RANGE = "Domain and party indices must lie within n_domains and n_parties."
CYCLE_PROPOSED_MISSING = "Every decision needs a finite proposal time."
CYCLE_DECIDED_BEFORE_PROPOSED = "A decision cannot be decided before it was proposed."

# Reasons returned by may_decide: the allowed ones first, then the blocking ones.
DECIDE_OWNER = "The owner party decides; the other parties are notified."
DECIDE_ALL_ANSWERED = "Every other party has given its input."
DECIDE_WINDOW_PASSED = "The consultation window has passed."
DECIDE_ALL_APPROVED = "Every party's approver has approved and nobody objects."
DECIDE_QUORUM_MAJORITY = "The joint body has voted with a quorum and a majority in favour."
DECIDE_NOT_A_PARTY = "Only people from the partnership's parties may decide."
DECIDE_NOT_OWNER = "Only the owner party may decide in this mode."
DECIDE_AWAITING_INPUT = "Waiting for input from other parties until the consultation window ends."
DECIDE_OBJECTION = "A party objects; the objection blocks a consensus decision."
DECIDE_AWAITING_APPROVAL = "Waiting for every party's approver to approve."
DECIDE_NOT_ON_JOINT_BODY = "Only members of the joint body may record a delegated decision."
DECIDE_NO_QUORUM = "The joint body's votes have not reached its quorum."
DECIDE_NO_MAJORITY = "The joint body's votes in favour do not outnumber those against."

SECONDS_PER_DAY = 86_400.0


class DecisionRightsError(ValueError):
    """Raised for input that the decision-rights rules cannot judge."""


class DecisionMode(StrEnum):
    """How a domain's decisions are taken; values are what the database stores."""

    INDEPENDENT = "independent"
    CONSULTATIVE = "consultative"
    CONSENSUS = "consensus"
    DELEGATED = "delegated"


class Criterion(IntEnum):
    """Position of each criterion on the last axis of the batch score array."""

    EXPERTISE = 0
    RESOURCES = 1
    RISK_EXPOSURE = 2
    STRATEGIC_IMPORTANCE = 3


class Rule(StrEnum):
    """The recommender rule that fired; stored beside the recommendation so it explains itself."""

    DELEGATED_OPERATIONAL = "delegated_operational"
    CONSENSUS_HIGH_STAKES = "consensus_high_stakes"
    CONSENSUS_NO_CLEAR_LEAD = "consensus_no_clear_lead"
    INDEPENDENT_DOMINANT = "independent_dominant"
    CONSULTATIVE_OTHERS_AT_STAKE = "consultative_others_at_stake"
    CONSULTATIVE_LEAD_NOT_DOMINANT = "consultative_lead_not_dominant"


RULES: tuple[Rule, ...] = tuple(Rule)
"""Rule codes in the batch output index this tuple."""

RULE_MODE: dict[Rule, DecisionMode] = {
    Rule.DELEGATED_OPERATIONAL: DecisionMode.DELEGATED,
    Rule.CONSENSUS_HIGH_STAKES: DecisionMode.CONSENSUS,
    Rule.CONSENSUS_NO_CLEAR_LEAD: DecisionMode.CONSENSUS,
    Rule.INDEPENDENT_DOMINANT: DecisionMode.INDEPENDENT,
    Rule.CONSULTATIVE_OTHERS_AT_STAKE: DecisionMode.CONSULTATIVE,
    Rule.CONSULTATIVE_LEAD_NOT_DOMINANT: DecisionMode.CONSULTATIVE,
}

_RULE_CODE = {rule: code for code, rule in enumerate(RULES)}
_RULE_OWNED_BY_LEADER = np.array(
    [RULE_MODE[rule] in (DecisionMode.INDEPENDENT, DecisionMode.CONSULTATIVE) for rule in RULES]
)


@dataclass(frozen=True)
class DomainTemplate:
    """A decision domain offered when a partnership sets up its decision-rights matrix."""

    key: str
    label: str
    description: str


STARTER_DOMAINS: tuple[DomainTemplate, ...] = (
    DomainTemplate(
        "research_direction",
        "Research direction",
        "Which scientific or technical questions the partnership pursues and which it drops.",
    ),
    DomainTemplate(
        "development_strategy",
        "Development strategy",
        "How candidates or products move from research to launch: stages, trials, go/no-go.",
    ),
    DomainTemplate(
        "commercialization",
        "Commercialization",
        "Markets, pricing, channels and launch timing for what the partnership produces.",
    ),
    DomainTemplate(
        "budget",
        "Budget",
        "The joint budget, its allocation between workstreams and changes during the year.",
    ),
    DomainTemplate(
        "staffing",
        "Staffing",
        "Who each party assigns to the partnership and how joint teams are composed.",
    ),
    DomainTemplate(
        "ip",
        "Intellectual property",
        "Filing, ownership, licensing and enforcement of inventions made in the partnership.",
    ),
    DomainTemplate(
        "communications",
        "Communications",
        "Press releases, publications and what each party says about the partnership.",
    ),
)


@dataclass(frozen=True)
class RecommenderConfig:
    """Thresholds of the recommender, on the 0–5 score scale.

    A party's *capability* is the mean of its expertise and resources; its *stake* is the larger
    of its risk exposure and strategic importance (high on either is enough to care).
    """

    lead_margin: float = 1.0
    """A party *clearly leads* when its capability exceeds every other party's by this much."""
    dominance_margin: float = 2.0
    """A party *dominates* when it leads every other party by this much on expertise and on
    resources separately."""
    low_stake: float = 2.0
    """Other parties have *little at stake* when none has a stake above this."""
    high_stake: float = 4.0
    """Stakes are *high and balanced* when every party's stake is at least this."""

    def __post_init__(self) -> None:
        if not SCORE_MIN <= self.low_stake < self.high_stake <= SCORE_MAX:
            raise DecisionRightsError(STAKE_THRESHOLDS_ORDER)
        if not 0 < self.lead_margin <= self.dominance_margin <= SCORE_MAX:
            raise DecisionRightsError(MARGINS_ORDER)


@dataclass(frozen=True)
class PartyScores:
    """One party's 0–5 scores for one decision domain."""

    name: str
    expertise: float
    resources: float
    risk_exposure: float
    strategic_importance: float

    def as_row(self) -> tuple[float, float, float, float]:
        """The scores in :class:`Criterion` order."""
        return (self.expertise, self.resources, self.risk_exposure, self.strategic_importance)


@dataclass(frozen=True)
class DomainAssessment:
    """Everything the recommender needs about one decision domain of one partnership."""

    domain: str
    parties: tuple[PartyScores, ...]
    frequent_operational_choices: bool = False
    has_joint_team: bool = False


@dataclass(frozen=True)
class Recommendation:
    """A proposed mode and owner; ``owner_index`` indexes the assessment's parties.

    ``owner_index`` is None when no single party owns the domain: all parties together for
    consensus, the joint body for delegated.
    """

    domain: str
    mode: DecisionMode
    owner_index: int | None
    rule: Rule
    reasoning: str


@dataclass(frozen=True, eq=False)
class RecommendationBatch:
    """Vectorized recommendations, one entry per row; ``owner`` is -1 for no single owner.

    The figures behind each rule are kept so that each row can be explained in words.
    """

    mode: NDArray[np.str_]
    rule: NDArray[np.int64]
    owner: NDArray[np.int64]
    leader: NDArray[np.int64]
    capability_margin: NDArray[np.float64]
    expertise_lead: NDArray[np.float64]
    resources_lead: NDArray[np.float64]
    other_stake_max: NDArray[np.float64]
    stake_min: NDArray[np.float64]


def is_valid_score(value: float) -> bool:
    """Whether a value may be stored as a 0–5 score; forms validate with it too."""
    return math.isfinite(value) and SCORE_MIN <= value <= SCORE_MAX


def _capability(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    cap: NDArray[np.float64] = (
        scores[..., Criterion.EXPERTISE] + scores[..., Criterion.RESOURCES]
    ) / 2.0
    return cap


def _stake(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    stake: NDArray[np.float64] = np.maximum(
        scores[..., Criterion.RISK_EXPOSURE], scores[..., Criterion.STRATEGIC_IMPORTANCE]
    )
    return stake


def _lead_over_others(
    values: NDArray[np.float64], leader_mask: NDArray[np.bool_], other_mask: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """How far the leader's value exceeds the best other party's value, per row."""
    leader_value = np.where(leader_mask, values, -np.inf).max(axis=1)
    best_other = np.where(other_mask, values, -np.inf).max(axis=1)
    lead: NDArray[np.float64] = leader_value - best_other
    return lead


def recommend_batch(
    scores: NDArray[np.float64],
    party_mask: NDArray[np.bool_],
    frequent_operational_choices: NDArray[np.bool_],
    has_joint_team: NDArray[np.bool_],
    config: RecommenderConfig | None = None,
) -> RecommendationBatch:
    """Recommend a mode and owner for every (partnership, domain) row at once.

    ``scores`` has shape (rows, parties, 4) in :class:`Criterion` order; rows with fewer parties
    are padded and ``party_mask`` (rows, parties) marks the real ones (padding is ignored, so it
    may hold NaN). The rules, first match wins:

    1. frequent operational choices and a joint team → delegated to the joint body;
    2. every party's stake ≥ ``high_stake`` → consensus;
    3. no party clearly leads on capability (margin < ``lead_margin``) → consensus, because no
       party has a claim to decide for the others;
    4. the leader dominates expertise and resources and no other party's stake exceeds
       ``low_stake`` → independent, owned by the leader;
    5. otherwise → consultative, owned by the leader (the others are at stake, or the leader
       leads without dominating).

    Raising any party's stake can only move a row towards consensus, never away from it.
    """
    config = config or RecommenderConfig()
    scores = np.asarray(scores, dtype=np.float64)
    mask = np.asarray(party_mask, dtype=np.bool_)
    frequent = np.asarray(frequent_operational_choices, dtype=np.bool_)
    joint_team = np.asarray(has_joint_team, dtype=np.bool_)
    if scores.ndim != 3 or scores.shape[2] != len(Criterion):
        raise DecisionRightsError(SCORES_SHAPE)
    rows = scores.shape[0]
    if mask.shape != scores.shape[:2]:
        raise DecisionRightsError(MASK_SHAPE)
    if frequent.shape != (rows,) or joint_team.shape != (rows,):
        raise DecisionRightsError(FLAGS_SHAPE)
    if np.any(mask.sum(axis=1) < 2):
        raise DecisionRightsError(TOO_FEW_PARTIES)
    real = scores[mask]
    if not np.all((real >= SCORE_MIN) & (real <= SCORE_MAX)):  # NaN fails both comparisons
        raise DecisionRightsError(SCORE_OUT_OF_RANGE)

    capability = _capability(scores)
    stake = _stake(scores)
    leader = np.argmax(np.where(mask, capability, -np.inf), axis=1)
    leader_mask = np.zeros_like(mask)
    leader_mask[np.arange(rows), leader] = True
    other_mask = mask & ~leader_mask

    capability_margin = _lead_over_others(capability, leader_mask, other_mask)
    expertise_lead = _lead_over_others(scores[..., Criterion.EXPERTISE], leader_mask, other_mask)
    resources_lead = _lead_over_others(scores[..., Criterion.RESOURCES], leader_mask, other_mask)
    other_stake_max = np.where(other_mask, stake, -np.inf).max(axis=1)
    stake_min = np.where(mask, stake, np.inf).min(axis=1)

    delegated = frequent & joint_team
    all_high = stake_min >= config.high_stake
    no_clear_lead = capability_margin < config.lead_margin
    dominates = np.minimum(expertise_lead, resources_lead) >= config.dominance_margin
    others_low = other_stake_max <= config.low_stake
    rule = np.select(
        [delegated, all_high, no_clear_lead, dominates & others_low, ~others_low],
        [
            _RULE_CODE[Rule.DELEGATED_OPERATIONAL],
            _RULE_CODE[Rule.CONSENSUS_HIGH_STAKES],
            _RULE_CODE[Rule.CONSENSUS_NO_CLEAR_LEAD],
            _RULE_CODE[Rule.INDEPENDENT_DOMINANT],
            _RULE_CODE[Rule.CONSULTATIVE_OTHERS_AT_STAKE],
        ],
        default=_RULE_CODE[Rule.CONSULTATIVE_LEAD_NOT_DOMINANT],
    ).astype(np.int64)
    modes = np.array([RULE_MODE[r].value for r in RULES], dtype=np.str_)
    owner = np.where(_RULE_OWNED_BY_LEADER[rule], leader, -1).astype(np.int64)
    return RecommendationBatch(
        mode=modes[rule],
        rule=rule,
        owner=owner,
        leader=leader.astype(np.int64),
        capability_margin=capability_margin,
        expertise_lead=expertise_lead,
        resources_lead=resources_lead,
        other_stake_max=other_stake_max,
        stake_min=stake_min,
    )


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _reasoning(
    assessment: DomainAssessment, rule: Rule, batch: RecommendationBatch, config: RecommenderConfig
) -> str:
    """Put the rule that fired, and the figures it compared, into a sentence."""
    names = [p.name for p in assessment.parties]
    leader = names[int(batch.leader[0])]
    margin = _fmt(float(batch.capability_margin[0]))
    other_stake = _fmt(float(batch.other_stake_max[0]))
    stake_min = _fmt(float(batch.stake_min[0]))
    if rule is Rule.DELEGATED_OPERATIONAL:
        return (
            f"Choices in {assessment.domain} are frequent and operational and a joint team "
            "exists, so the joint body decides within its mandate (delegated)."
        )
    if rule is Rule.CONSENSUS_HIGH_STAKES:
        return (
            f"Every party has a high stake in {assessment.domain} (lowest {stake_min}, "
            f"threshold {_fmt(config.high_stake)}), so every party must approve (consensus)."
        )
    if rule is Rule.CONSENSUS_NO_CLEAR_LEAD:
        return (
            f"No party clearly leads on expertise and resources in {assessment.domain} "
            f"(best lead {margin}, less than {_fmt(config.lead_margin)}), so no party has a claim "
            "to decide for the others and they decide together (consensus)."
        )
    if rule is Rule.INDEPENDENT_DOMINANT:
        return (
            f"{leader} dominates expertise and resources in {assessment.domain} (leads by at "
            f"least {_fmt(config.dominance_margin)} on each) and no other party has much at "
            f"stake (highest {other_stake}, at most {_fmt(config.low_stake)}), so {leader} "
            "decides and informs the others (independent)."
        )
    if rule is Rule.CONSULTATIVE_OTHERS_AT_STAKE:
        others = [p for i, p in enumerate(assessment.parties) if i != int(batch.leader[0])]
        most_at_stake = max(others, key=lambda p: max(p.risk_exposure, p.strategic_importance))
        return (
            f"{leader} clearly leads on expertise and resources in {assessment.domain} (by "
            f"{margin}), but {most_at_stake.name} has a stake of {other_stake} (risk exposure "
            f"or strategic importance above {_fmt(config.low_stake)}), so {leader} decides "
            "after consulting the others (consultative)."
        )
    return (
        f"{leader} clearly leads on expertise and resources in {assessment.domain} (by {margin}) "
        f"without dominating both by {_fmt(config.dominance_margin)}, so {leader} decides after "
        "consulting the others (consultative)."
    )


def recommend(
    assessment: DomainAssessment, config: RecommenderConfig | None = None
) -> Recommendation:
    """Recommend a mode and owner for one domain, with reasoning; see :func:`recommend_batch`."""
    config = config or RecommenderConfig()
    if len(assessment.parties) < 2:
        raise DecisionRightsError(TOO_FEW_PARTIES)
    if len({p.name for p in assessment.parties}) != len(assessment.parties):
        raise DecisionRightsError(DUPLICATE_PARTY)
    if not all(is_valid_score(s) for p in assessment.parties for s in p.as_row()):
        raise DecisionRightsError(SCORE_OUT_OF_RANGE)
    scores = np.array([[p.as_row() for p in assessment.parties]], dtype=np.float64)
    batch = recommend_batch(
        scores,
        np.ones(scores.shape[:2], dtype=np.bool_),
        np.array([assessment.frequent_operational_choices]),
        np.array([assessment.has_joint_team]),
        config,
    )
    rule = RULES[int(batch.rule[0])]
    owner = int(batch.owner[0])
    return Recommendation(
        domain=assessment.domain,
        mode=RULE_MODE[rule],
        owner_index=owner if owner >= 0 else None,
        rule=rule,
        reasoning=_reasoning(assessment, rule, batch, config),
    )


@dataclass(frozen=True)
class DecisionState:
    """What the server knows about a proposal when someone tries to decide it.

    Parties are identified by any integer id (the Django layer uses Party primary keys). Only
    the fields of the proposal's mode matter: ``owner_party`` for independent and consultative;
    ``answered`` and ``consultation_closes_at`` (None: no window, wait for every answer) for
    consultative; ``approved`` and ``objected`` (by each party's authorized approver) for
    consensus; ``quorum`` and the vote counts for delegated.
    """

    mode: DecisionMode
    parties: frozenset[int]
    owner_party: int | None = None
    answered: frozenset[int] = frozenset()
    approved: frozenset[int] = frozenset()
    objected: frozenset[int] = frozenset()
    consultation_closes_at: datetime | None = None
    quorum: int = 0
    votes_for: int = 0
    votes_against: int = 0


@dataclass(frozen=True)
class DecisionCheck:
    """Whether the decision may be taken now, why, and which parties it is waiting for."""

    allowed: bool
    reason: str
    waiting_for: frozenset[int] = frozenset()


def _validate_state(state: DecisionState, now: datetime) -> None:
    if len(state.parties) < 2:
        raise DecisionRightsError(TOO_FEW_PARTIES)
    if not (state.answered | state.approved | state.objected) <= state.parties:
        raise DecisionRightsError(STANCES_OUTSIDE_PARTIES)
    if state.approved & state.objected:
        raise DecisionRightsError(APPROVED_AND_OBJECTED)
    if state.mode in (DecisionMode.INDEPENDENT, DecisionMode.CONSULTATIVE) and (
        state.owner_party not in state.parties
    ):
        raise DecisionRightsError(OWNER_REQUIRED)
    if state.mode is DecisionMode.DELEGATED and state.quorum < 1:
        raise DecisionRightsError(QUORUM_INVALID)
    if state.votes_for < 0 or state.votes_against < 0:
        raise DecisionRightsError(VOTES_NEGATIVE)
    for moment in (now, state.consultation_closes_at):
        if moment is not None and moment.utcoffset() is None:
            raise DecisionRightsError(NAIVE_DATETIME)


def may_decide(
    state: DecisionState,
    *,
    actor_party: int,
    now: datetime,
    actor_on_joint_body: bool = False,
) -> DecisionCheck:
    """Whether a person of ``actor_party`` may record the decision at ``now``.

    The Django service calls this inside the transaction that records the outcome, so the mode
    is enforced on the server whatever the page showed. ``actor_on_joint_body`` only matters
    for delegated decisions.
    """
    _validate_state(state, now)
    if actor_party not in state.parties:
        return DecisionCheck(False, DECIDE_NOT_A_PARTY)
    if state.mode is DecisionMode.INDEPENDENT:
        if actor_party != state.owner_party:
            return DecisionCheck(False, DECIDE_NOT_OWNER)
        return DecisionCheck(True, DECIDE_OWNER)
    if state.mode is DecisionMode.CONSULTATIVE:
        if actor_party != state.owner_party:
            return DecisionCheck(False, DECIDE_NOT_OWNER)
        waiting = state.parties - {actor_party} - state.answered
        if not waiting:
            return DecisionCheck(True, DECIDE_ALL_ANSWERED)
        closes_at = state.consultation_closes_at
        if closes_at is not None and now >= closes_at:
            return DecisionCheck(True, DECIDE_WINDOW_PASSED, waiting)
        return DecisionCheck(False, DECIDE_AWAITING_INPUT, waiting)
    if state.mode is DecisionMode.CONSENSUS:
        if state.objected:
            return DecisionCheck(False, DECIDE_OBJECTION, state.objected)
        waiting = state.parties - state.approved
        if waiting:
            return DecisionCheck(False, DECIDE_AWAITING_APPROVAL, waiting)
        return DecisionCheck(True, DECIDE_ALL_APPROVED)
    if not actor_on_joint_body:
        return DecisionCheck(False, DECIDE_NOT_ON_JOINT_BODY)
    if state.votes_for + state.votes_against < state.quorum:
        return DecisionCheck(False, DECIDE_NO_QUORUM)
    if state.votes_for <= state.votes_against:
        return DecisionCheck(False, DECIDE_NO_MAJORITY)
    return DecisionCheck(True, DECIDE_QUORUM_MAJORITY)


@dataclass(frozen=True, eq=False)
class CycleTimeStats:
    """Proposal-to-decision times in days, shape (n_domains, n_parties); NaN where count is 0."""

    median_days: NDArray[np.float64]
    mean_days: NDArray[np.float64]
    count: NDArray[np.int64]


def cycle_time_stats(
    domain: Sequence[int] | NDArray[np.int64],
    party: Sequence[int] | NDArray[np.int64],
    proposed_at: Sequence[float] | NDArray[np.float64],
    decided_at: Sequence[float] | NDArray[np.float64],
    *,
    n_domains: int,
    n_parties: int,
) -> CycleTimeStats:
    """Median, mean and count of decision cycle times per (domain, party), in one pass.

    One entry per proposal: domain and party indices, and POSIX timestamps in seconds
    (``datetime.timestamp()``, which is unambiguous across time zones); ``decided_at`` is NaN
    while the proposal is undecided, and undecided proposals are left out rather than counted
    as zero. Pass ``n_parties=1`` and zeros for ``party`` to get per-domain figures.
    """
    domain_idx = np.asarray(domain, dtype=np.int64)
    party_idx = np.asarray(party, dtype=np.int64)
    proposed = np.asarray(proposed_at, dtype=np.float64)
    decided = np.asarray(decided_at, dtype=np.float64)
    shapes = {a.shape for a in (domain_idx, party_idx, proposed, decided)}
    if len(shapes) != 1 or domain_idx.ndim != 1:
        raise DecisionRightsError(CYCLE_ROWS_SHAPE)
    if n_domains < 1 or n_parties < 1:
        raise DecisionRightsError(CYCLE_INDEX_OUT_OF_RANGE)
    in_range = (
        (domain_idx >= 0) & (domain_idx < n_domains) & (party_idx >= 0) & (party_idx < n_parties)
    )
    if not np.all(in_range):
        raise DecisionRightsError(CYCLE_INDEX_OUT_OF_RANGE)
    if not np.all(np.isfinite(proposed)):
        raise DecisionRightsError(CYCLE_PROPOSED_MISSING)
    decided_mask = ~np.isnan(decided)
    if np.any(decided[decided_mask] < proposed[decided_mask]):
        raise DecisionRightsError(CYCLE_DECIDED_BEFORE_PROPOSED)

    days = (decided[decided_mask] - proposed[decided_mask]) / SECONDS_PER_DAY
    group = domain_idx[decided_mask] * n_parties + party_idx[decided_mask]
    n_groups = n_domains * n_parties
    count = np.bincount(group, minlength=n_groups)
    total = np.bincount(group, weights=days, minlength=n_groups)
    mean = np.full(n_groups, np.nan)
    np.divide(total, count, out=mean, where=count > 0)

    order = np.lexsort((days, group))
    sorted_days = days[order]
    start = np.cumsum(count) - count
    has = count > 0
    median = np.full(n_groups, np.nan)
    low = start[has] + (count[has] - 1) // 2
    high = start[has] + count[has] // 2
    median[has] = (sorted_days[low] + sorted_days[high]) / 2.0
    shape = (n_domains, n_parties)
    return CycleTimeStats(
        median_days=median.reshape(shape),
        mean_days=mean.reshape(shape),
        count=count.astype(np.int64).reshape(shape),
    )
