"""Economics of a partnership: value and investment ledgers and the indices computed from them.

DESIGN.md "Economics": proportionality (benefit share ÷ investment share), imbalance, timing
slippage and bottlenecks, mutual hostages. Two ways in:

- plain entries (`ValueEntry`, `InvestmentEntry`) that forms and imports check one row at a time
  with `validate_value_entry` / `validate_investment_entry`, packed by `pack_portfolio`;
- flat arrays (`PortfolioLedgers`) that a selector builds straight from database rows, so that
  one call of `economic_indices` or `economic_signals` scores a whole portfolio (Principle 6).

Amounts are converted with the partnership's own `RateTable`, never a network look-up, so a
recomputation gives the same figures. Indices are shares and ratios, so they are computed in
float64; money is only shown rounded (`format_money`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
DateArray = npt.NDArray[np.datetime64]

FTE_MONTH = "FTE_MONTH"
EXEC_HOUR = "EXEC_HOUR"
DRIVERS_PER_PARTY = 3
# Each 30 days of amount-weighted average lateness halves the timing signal.
TIMING_HALF_LIFE_DAYS = 30.0
# Hostages count as balanced when the least exposed party stands to lose at least 80 % of what
# the most exposed one would.
HOSTAGES_BALANCED_FROM = 0.8

AMOUNT_NOT_A_NUMBER = "Amount must be a finite number."
AMOUNT_NEGATIVE = (
    "Amount must be zero or more: ledgers record benefits and contributions; "
    "correct a wrong entry by editing it."
)
CURRENCY_CODE_INVALID = "Currency must be an ISO 4217 code: three capital letters such as EUR."
UNIT_UNKNOWN = "Unit must be an ISO 4217 currency code, FTE_MONTH or EXEC_HOUR."
UNIT_NOT_IN_RATE_TABLE = "The partnership's rate table has no rate for this unit; add one first."
UNIT_DOES_NOT_FIT_KIND = (
    "Financial and technological investment is counted in a currency, "
    "human investment in FTE_MONTH, attentional investment in EXEC_HOUR."
)
RATE_NOT_POSITIVE = "A rate must be a positive finite number."
BASE_RATE_NOT_ONE = "The base currency's rate must be 1."
SPECIFICITY_OUT_OF_RANGE = "Specificity is a share between 0 and 1."
RECOVERABILITY_OUT_OF_RANGE = "Recoverability is a share between 0 and 1."
PARTY_NOT_IN_PARTNERSHIP = "This party is not a party of the partnership."
PARTY_LISTED_TWICE = "A party is listed twice in the same partnership."
PERIOD_ENDS_BEFORE_IT_STARTS = "The period must not end before it starts."
REALIZED_VALUE_IN_FUTURE = "Realized value cannot come from a period that has not started yet."
CONTRIBUTION_MADE_IN_FUTURE = "A contribution cannot have been made on a date still to come."
PLANNED_DATE_MISSING = "Every contribution needs a planned date."
ARRAY_SHAPE = "Ledger arrays are flat, with one element per entry (or per party)."
PARTY_INDEX_OUT_OF_RANGE = "A party index points outside the party table."
PARTNERSHIP_INDEX_OUT_OF_RANGE = "A partnership index is outside 0 … n_partnerships − 1."

_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


class EconomicsError(ValueError):
    """Bad economic input. `message` is one of the module's constants (tests and the API match on
    it); `detail` names the offending value so a person can find it."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(f"{message} ({detail})" if detail else message)
        self.message = message
        self.detail = detail


class ValueSource(enum.StrEnum):
    COMPLEMENTARY_CAPABILITIES = "complementary_capabilities"
    SCALE = "scale"
    RISK_SHARING = "risk_sharing"
    NETWORK_EFFECTS = "network_effects"
    KNOWLEDGE_EXCHANGE = "knowledge_exchange"


class ValueStatus(enum.StrEnum):
    EXPECTED = "expected"
    REALIZED = "realized"


class InvestmentKind(enum.StrEnum):
    FINANCIAL = "financial"
    HUMAN = "human"
    TECHNOLOGICAL = "technological"
    ATTENTIONAL = "attentional"


# Kinds not listed here are counted in a currency.
_KIND_UNIT = {InvestmentKind.HUMAN: FTE_MONTH, InvestmentKind.ATTENTIONAL: EXEC_HOUR}


def is_currency_code(unit: str) -> bool:
    """ISO 4217 format only; membership is decided by the partnership's rate table."""
    return _CURRENCY_CODE.fullmatch(unit) is not None


@dataclass(frozen=True)
class RateTable:
    """Value of one unit in the partnership's base currency, e.g. EUR=1, USD=0.92,
    FTE_MONTH=12000, EXEC_HOUR=400. Kept with the partnership so conversions are reproducible;
    the base currency gets rate 1 if it is not listed."""

    base: str
    rates: Mapping[str, Decimal] = field(hash=False)  # compared, but a mapping cannot be hashed

    def __post_init__(self) -> None:
        if not is_currency_code(self.base):
            raise EconomicsError(CURRENCY_CODE_INVALID, self.base)
        rates = dict(self.rates)
        for unit, rate in rates.items():
            if not (is_currency_code(unit) or unit in (FTE_MONTH, EXEC_HOUR)):
                raise EconomicsError(UNIT_UNKNOWN, unit)
            if not (rate.is_finite() and rate > 0):
                raise EconomicsError(RATE_NOT_POSITIVE, f"{unit}={rate}")
        if rates.setdefault(self.base, Decimal(1)) != 1:
            raise EconomicsError(BASE_RATE_NOT_ONE, f"{self.base}={rates[self.base]}")
        object.__setattr__(self, "rates", MappingProxyType(rates))

    def rate(self, unit: str) -> Decimal:
        try:
            return self.rates[unit]
        except KeyError:
            raise EconomicsError(UNIT_NOT_IN_RATE_TABLE, unit) from None

    def convert(self, amount: Decimal, unit: str, to: str | None = None) -> Decimal:
        """`amount` of `unit` expressed in `to` (the base currency by default)."""
        in_base = amount * self.rate(unit)
        return in_base if to is None else in_base / self.rate(to)

    def vector(self, units: Iterable[str]) -> FloatArray:
        """Per-entry rates for `PortfolioLedgers`, one per unit given."""
        return np.array([float(self.rate(unit)) for unit in units], dtype=np.float64)


@dataclass(frozen=True)
class ValueEntry:
    """A benefit one party draws from the partnership. Constructed without checks so that an
    import can report every problem of a row at once: see `validate_value_entry`."""

    source: ValueSource
    beneficiary: str
    amount: Decimal
    currency: str
    status: ValueStatus
    period_start: date
    period_end: date


@dataclass(frozen=True)
class InvestmentEntry:
    """A contribution of one party; `actual_on` is None until it is made. Specificity is the share
    usable only in this partnership, recoverability the share recovered if it dissolves.
    Unchecked on construction: see `validate_investment_entry`."""

    contributor: str
    kind: InvestmentKind
    amount: Decimal
    unit: str
    planned_on: date
    actual_on: date | None
    specificity: Decimal
    recoverability: Decimal


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of an entry; `message` is one of the module's constants."""

    field: str
    message: str


def validate_value_entry(
    entry: ValueEntry, *, parties: Collection[str], rates: RateTable, today: date
) -> tuple[FieldError, ...]:
    """Every problem of the entry, empty when it may be saved."""
    errors = [
        *_amount_errors(entry.amount),
        *_unit_errors("currency", entry.currency, None, rates),
        *_party_errors("beneficiary", entry.beneficiary, parties),
    ]
    if entry.period_end < entry.period_start:
        errors.append(FieldError("period_end", PERIOD_ENDS_BEFORE_IT_STARTS))
    if entry.status is ValueStatus.REALIZED and entry.period_start > today:
        errors.append(FieldError("status", REALIZED_VALUE_IN_FUTURE))
    return tuple(errors)


def validate_investment_entry(
    entry: InvestmentEntry, *, parties: Collection[str], rates: RateTable, today: date
) -> tuple[FieldError, ...]:
    """Every problem of the entry, empty when it may be saved. An actual date before the planned
    one is fine (delivered early); only a future actual date is wrong."""
    errors = [
        *_amount_errors(entry.amount),
        *_unit_errors("unit", entry.unit, _KIND_UNIT.get(entry.kind), rates),
        *_party_errors("contributor", entry.contributor, parties),
    ]
    if not _is_share(entry.specificity):
        errors.append(FieldError("specificity", SPECIFICITY_OUT_OF_RANGE))
    if not _is_share(entry.recoverability):
        errors.append(FieldError("recoverability", RECOVERABILITY_OUT_OF_RANGE))
    if entry.actual_on is not None and entry.actual_on > today:
        errors.append(FieldError("actual_on", CONTRIBUTION_MADE_IN_FUTURE))
    return tuple(errors)


def _amount_errors(amount: Decimal) -> list[FieldError]:
    if not amount.is_finite():
        return [FieldError("amount", AMOUNT_NOT_A_NUMBER)]
    if amount < 0:
        return [FieldError("amount", AMOUNT_NEGATIVE)]
    return []


def _unit_errors(field: str, unit: str, required: str | None, rates: RateTable) -> list[FieldError]:
    """`required` is the unit a kind demands, None when any currency will do."""
    if required is None and not is_currency_code(unit):
        return [FieldError(field, CURRENCY_CODE_INVALID)]
    if required is not None and unit != required:
        return [FieldError(field, UNIT_DOES_NOT_FIT_KIND)]
    if unit not in rates.rates:
        return [FieldError(field, UNIT_NOT_IN_RATE_TABLE)]
    return []


def _party_errors(field: str, party: str, parties: Collection[str]) -> list[FieldError]:
    return [] if party in parties else [FieldError(field, PARTY_NOT_IN_PARTNERSHIP)]


def _is_share(value: Decimal) -> bool:
    return value.is_finite() and 0 <= value <= 1


@dataclass(frozen=True)
class PartnershipLedger:
    """One partnership's parties, rate table and both ledgers, as plain entries."""

    parties: tuple[str, ...]
    rates: RateTable
    values: tuple[ValueEntry, ...]
    investments: tuple[InvestmentEntry, ...]


@dataclass(frozen=True, eq=False)
class PortfolioLedgers:
    """A whole portfolio's ledgers as flat arrays: the input of `economic_indices`.

    Parties are numbered 0 … P−1 across the portfolio; `party_partnership[p]` is the partnership
    (0 … n_partnerships−1) of party p, so every party counts, even one without entries. Each
    entry names its party by that global number; its partnership follows from the party and so
    can never disagree with it. Amounts are in the entry's unit and multiplied in-call by the
    per-entry `*_rate` (value of one unit in the partnership's base currency); leave a rate out
    when the amounts are already in base currency. Dates are datetime64[D]; NaT as actual date
    means not made yet. Arrays are coerced to their dtypes and checked on construction.
    """

    n_partnerships: int
    party_partnership: IntArray
    value_party: IntArray
    value_amount: FloatArray
    value_realized: BoolArray
    investment_party: IntArray
    investment_amount: FloatArray
    investment_planned: DateArray
    investment_actual: DateArray
    investment_specificity: FloatArray
    investment_recoverability: FloatArray
    value_rate: FloatArray | None = None
    investment_rate: FloatArray | None = None

    def __post_init__(self) -> None:
        self._coerce("party_partnership", np.intp, None)
        if self.n_partnerships < 0 or not _within(self.party_partnership, self.n_partnerships):
            raise EconomicsError(PARTNERSHIP_INDEX_OUT_OF_RANGE)
        self._coerce("value_party", np.intp, None)
        self._coerce("investment_party", np.intp, None)
        n_values, n_investments = self.value_party.size, self.investment_party.size
        for name, party in (
            ("value_party", self.value_party),
            ("investment_party", self.investment_party),
        ):
            if not _within(party, self.party_partnership.size):
                raise EconomicsError(PARTY_INDEX_OUT_OF_RANGE, name)
        self._coerce("value_realized", np.bool_, n_values)
        self._coerce("investment_planned", "datetime64[D]", n_investments)
        self._coerce("investment_actual", "datetime64[D]", n_investments)
        if np.isnat(self.investment_planned).any():
            raise EconomicsError(PLANNED_DATE_MISSING)
        self._coerce("value_amount", np.float64, n_values)
        self._coerce("investment_amount", np.float64, n_investments)
        for name, amount in (
            ("value_amount", self.value_amount),
            ("investment_amount", self.investment_amount),
        ):
            if not np.isfinite(amount).all():
                raise EconomicsError(AMOUNT_NOT_A_NUMBER, name)
            if (amount < 0).any():
                raise EconomicsError(AMOUNT_NEGATIVE, name)
        for name, size in (("value_rate", n_values), ("investment_rate", n_investments)):
            if getattr(self, name) is not None:
                self._coerce(name, np.float64, size)
                rate: FloatArray = getattr(self, name)
                if not (np.isfinite(rate) & (rate > 0)).all():
                    raise EconomicsError(RATE_NOT_POSITIVE, name)
        self._coerce("investment_specificity", np.float64, n_investments)
        self._coerce("investment_recoverability", np.float64, n_investments)
        for name, share, message in (
            ("investment_specificity", self.investment_specificity, SPECIFICITY_OUT_OF_RANGE),
            (
                "investment_recoverability",
                self.investment_recoverability,
                RECOVERABILITY_OUT_OF_RANGE,
            ),
        ):
            if not ((share >= 0) & (share <= 1)).all():
                raise EconomicsError(message, name)

    def _coerce(self, name: str, dtype: npt.DTypeLike, size: int | None) -> None:
        """Replace the field by a flat array of `dtype`, of `size` elements when given."""
        array = np.asarray(getattr(self, name), dtype=dtype)
        if array.ndim != 1 or (size is not None and array.size != size):
            raise EconomicsError(ARRAY_SHAPE, name)
        object.__setattr__(self, name, array)


def _within(index: IntArray, size: int) -> bool:
    return index.size == 0 or bool(index.min() >= 0 and index.max() < size)


def pack_portfolio(ledgers: Sequence[PartnershipLedger]) -> PortfolioLedgers:
    """Flat arrays from plain ledgers. Parties are numbered in order (the first ledger's parties
    first) and entries keep their order, so value entry i of the result is the i-th value entry
    across the ledgers. For small portfolios and tests; the portfolio batch builds the arrays
    straight from rows. Raises on unknown parties or units; run the validators first for
    row-level messages."""
    party_partnership: list[int] = []
    value_party: list[int] = []
    value_amount: list[float] = []
    value_rate: list[float] = []
    value_realized: list[bool] = []
    investment_party: list[int] = []
    investment_amount: list[float] = []
    investment_rate: list[float] = []
    planned: list[date] = []
    actual: list[date | None] = []
    specificity: list[float] = []
    recoverability: list[float] = []
    for partnership, ledger in enumerate(ledgers):
        number = {party: len(party_partnership) + i for i, party in enumerate(ledger.parties)}
        if len(number) != len(ledger.parties):
            raise EconomicsError(PARTY_LISTED_TWICE, f"partnership {partnership}")
        party_partnership.extend([partnership] * len(number))
        for value in ledger.values:
            value_party.append(_party_number(number, value.beneficiary))
            value_amount.append(float(value.amount))
            value_rate.append(float(ledger.rates.rate(value.currency)))
            value_realized.append(value.status is ValueStatus.REALIZED)
        for investment in ledger.investments:
            investment_party.append(_party_number(number, investment.contributor))
            investment_amount.append(float(investment.amount))
            investment_rate.append(float(ledger.rates.rate(investment.unit)))
            planned.append(investment.planned_on)
            actual.append(investment.actual_on)
            specificity.append(float(investment.specificity))
            recoverability.append(float(investment.recoverability))
    return PortfolioLedgers(
        n_partnerships=len(ledgers),
        party_partnership=np.array(party_partnership, dtype=np.intp),
        value_party=np.array(value_party, dtype=np.intp),
        value_amount=np.array(value_amount, dtype=np.float64),
        value_rate=np.array(value_rate, dtype=np.float64),
        value_realized=np.array(value_realized, dtype=np.bool_),
        investment_party=np.array(investment_party, dtype=np.intp),
        investment_amount=np.array(investment_amount, dtype=np.float64),
        investment_rate=np.array(investment_rate, dtype=np.float64),
        investment_planned=np.array(planned, dtype="datetime64[D]"),
        investment_actual=np.array(actual, dtype="datetime64[D]"),
        investment_specificity=np.array(specificity, dtype=np.float64),
        investment_recoverability=np.array(recoverability, dtype=np.float64),
    )


def _party_number(number: Mapping[str, int], party: str) -> int:
    try:
        return number[party]
    except KeyError:
        raise EconomicsError(PARTY_NOT_IN_PARTNERSHIP, party) from None


@dataclass(frozen=True, eq=False)
class EconomicIndices:
    """The economic indices of a portfolio. Money is in each partnership's base currency.

    Per party (aligned with `party_partnership`):
      realized_value, expected_value — value received;
      invested — investment made by `as_of`; committed — all investment, made or planned;
      realized_ratio — share of realized value ÷ share of investment made; expected_ratio —
        share of expected value ÷ share of investment committed. 1 is proportional; inf means
        value with nothing put in; NaN for a party with neither, and for every party when the
        partnership has no such value or no such investment;
      hostage — unrecoverable specific investment made:
        Σ amount × specificity × (1 − recoverability);
      mean_slip_days, total_slip_days — over the party's measurable contributions (see slip_days);
      late_amount — amount of its late contributions; late_value_days — Σ amount × days late;
      *_drivers — (P, k) indices of the entries that weigh most in each party's figure, largest
        first, −1 where there are fewer: realized/expected into the value arrays, invested
        (made only)/committed (all) into the investment arrays.
    Per investment entry:
      slip_days — actual − planned once made (negative is early); for one not made by `as_of`
        and overdue, the lateness so far (as_of − planned); NaN while it is not yet due;
      entry_hostage — the entry's share of `hostage` (0 until made).
    Per partnership:
      realized_imbalance, expected_imbalance — ½ Σ_parties |value share − investment share|: the
        share of the value that would have to change hands for every party to receive in
        proportion to what it put in. 0 is proportional, 1 means all value goes to parties that
        put nothing in. Chosen over max/min ratio (unbounded, undefined when a party gets
        nothing) and over a Gini of the ratios (lets a party with a tiny stake dominate): it is
        bounded, weighs parties by their stake and reads as money. NaN without value or
        investment;
      hostage_balance — least ÷ most exposed party's hostage: 1 balanced, 0 when one party could
        walk away at no cost; 1 when contributions were made but none is specific and sunk; NaN
        before any contribution is made;
      mean_lateness_days — amount-weighted mean of max(slip, 0) over measurable contributions;
      bottleneck — the party with the most late value-days, whose late contributions hold the
        others up; −1 when nothing of value is late.
    """

    party_partnership: IntArray
    realized_value: FloatArray
    expected_value: FloatArray
    invested: FloatArray
    committed: FloatArray
    realized_ratio: FloatArray
    expected_ratio: FloatArray
    hostage: FloatArray
    mean_slip_days: FloatArray
    total_slip_days: FloatArray
    late_amount: FloatArray
    late_value_days: FloatArray
    realized_drivers: IntArray
    expected_drivers: IntArray
    invested_drivers: IntArray
    committed_drivers: IntArray
    slip_days: FloatArray
    entry_hostage: FloatArray
    realized_imbalance: FloatArray
    expected_imbalance: FloatArray
    hostage_balance: FloatArray
    mean_lateness_days: FloatArray
    bottleneck: IntArray

    def parties_of(self, partnership: int) -> IntArray:
        """Global numbers of the partnership's parties, in ascending order."""
        return np.flatnonzero(self.party_partnership == partnership)


def economic_indices(
    ledgers: PortfolioLedgers, *, as_of: date, drivers: int = DRIVERS_PER_PARTY
) -> EconomicIndices:
    """All indices of the portfolio in one vectorized pass. `as_of` decides which contributions
    are made (actual date on or before it) and how late the overdue ones are, so a past date
    reproduces the indices as they stood then."""
    n_parties = ledgers.party_partnership.size
    n = ledgers.n_partnerships
    party_partnership = ledgers.party_partnership
    value = _in_base(ledgers.value_amount, ledgers.value_rate)
    investment = _in_base(ledgers.investment_amount, ledgers.investment_rate)
    value_party = ledgers.value_party
    investment_party = ledgers.investment_party
    realized = ledgers.value_realized

    today = np.datetime64(as_of, "D")
    actual = ledgers.investment_actual
    made = actual <= today  # NaT compares False: not made
    investment_made = np.where(made, investment, 0.0)

    realized_value = _sum_by(value_party, np.where(realized, value, 0.0), n_parties)
    expected_value = _sum_by(value_party, np.where(realized, 0.0, value), n_parties)
    invested = _sum_by(investment_party, investment_made, n_parties)
    committed = _sum_by(investment_party, investment, n_parties)
    realized_ratio, realized_imbalance = _proportionality(
        realized_value, invested, party_partnership, n
    )
    expected_ratio, expected_imbalance = _proportionality(
        expected_value, committed, party_partnership, n
    )

    specificity = ledgers.investment_specificity
    recoverability = ledgers.investment_recoverability
    entry_hostage = investment_made * specificity * (1.0 - recoverability)
    hostage = _sum_by(investment_party, entry_hostage, n_parties)
    most = np.zeros(n)
    np.maximum.at(most, party_partnership, hostage)
    least = np.full(n, np.inf)
    np.minimum.at(least, party_partnership, hostage)
    with np.errstate(divide="ignore", invalid="ignore"):
        hostage_balance = np.where(most > 0, least / most, 1.0)
    entry_partnership = party_partnership[investment_party]
    any_made = _sum_by(entry_partnership, made.astype(np.float64), n) > 0
    hostage_balance = np.where(any_made, hostage_balance, np.nan)

    one_day = np.timedelta64(1, "D")
    slip_so_far = (np.where(made, actual, today) - ledgers.investment_planned) / one_day
    measurable = made | (slip_so_far > 0)
    slip_days = np.where(measurable, slip_so_far, np.nan)
    measured_slip = np.where(measurable, slip_so_far, 0.0)
    lateness = np.maximum(measured_slip, 0.0)
    measured_count = _sum_by(investment_party, measurable.astype(np.float64), n_parties)
    total_slip_days = _sum_by(investment_party, measured_slip, n_parties)
    late_amount = _sum_by(investment_party, np.where(lateness > 0, investment, 0.0), n_parties)
    late_value_days = _sum_by(investment_party, investment * lateness, n_parties)
    measured_amount = _sum_by(entry_partnership, np.where(measurable, investment, 0.0), n)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_slip_days = np.where(measured_count > 0, total_slip_days / measured_count, np.nan)
        mean_lateness_days = np.where(
            measured_amount > 0,
            _sum_by(entry_partnership, investment * lateness, n) / measured_amount,
            np.nan,
        )

    return EconomicIndices(
        party_partnership=party_partnership,
        realized_value=realized_value,
        expected_value=expected_value,
        invested=invested,
        committed=committed,
        realized_ratio=realized_ratio,
        expected_ratio=expected_ratio,
        hostage=hostage,
        mean_slip_days=mean_slip_days,
        total_slip_days=total_slip_days,
        late_amount=late_amount,
        late_value_days=late_value_days,
        realized_drivers=_top(value_party, value, realized, n_parties, drivers),
        expected_drivers=_top(value_party, value, ~realized, n_parties, drivers),
        invested_drivers=_top(investment_party, investment, made, n_parties, drivers),
        committed_drivers=_top(investment_party, investment, None, n_parties, drivers),
        slip_days=slip_days,
        entry_hostage=entry_hostage,
        realized_imbalance=realized_imbalance,
        expected_imbalance=expected_imbalance,
        hostage_balance=hostage_balance,
        mean_lateness_days=mean_lateness_days,
        # The party with the most late value-days: parties are the "entries" of partnerships.
        bottleneck=_top(party_partnership, late_value_days, None, n, 1)[:, 0],
    )


def _in_base(amount: FloatArray, rate: FloatArray | None) -> FloatArray:
    return amount if rate is None else amount * rate


def _sum_by(group: IntArray, weights: FloatArray, size: int) -> FloatArray:
    # bincount returns int64 for empty input; the indices always want float64.
    return np.bincount(group, weights=weights, minlength=size).astype(np.float64, copy=False)


def _proportionality(
    value: FloatArray, investment: FloatArray, party_partnership: IntArray, n: int
) -> tuple[FloatArray, FloatArray]:
    """Per-party ratio of shares and per-partnership imbalance (see `EconomicIndices`)."""
    value_total = _sum_by(party_partnership, value, n)
    investment_total = _sum_by(party_partnership, investment, n)
    defined = (value_total > 0) & (investment_total > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value_share = value / value_total[party_partnership]
        investment_share = investment / investment_total[party_partnership]
        ratio = value_share / investment_share
    party_defined = defined[party_partnership]
    gap = np.where(party_defined, np.abs(value_share - investment_share), 0.0)
    imbalance = np.minimum(0.5 * _sum_by(party_partnership, gap, n), 1.0)
    return (
        np.where(party_defined, ratio, np.nan),
        np.where(defined, imbalance, np.nan),
    )


def _top(group: IntArray, weight: FloatArray, mask: BoolArray | None, n: int, k: int) -> IntArray:
    """(n, k) indices of the entries with the largest positive weight in each group, largest
    first, ties to the lower index, −1 where a group has fewer. k linear passes, each taking
    every group's maximum: for the small k wanted here, several times faster than a sort."""
    candidate = weight > 0
    if mask is not None:
        candidate &= mask
    index = np.flatnonzero(candidate)
    weight, group = weight[index], group[index]
    top = np.full((n, k), -1, dtype=np.intp)
    none = np.iinfo(np.intp).max
    for rank in range(k):
        best = np.zeros(n)
        np.maximum.at(best, group, weight)
        at_best = weight == best[group]
        first = np.full(n, none, dtype=np.intp)
        np.minimum.at(first, group[at_best], index[at_best])
        found = first != none
        top[found, rank] = first[found]
        rest = index != first[group]
        index, weight, group = index[rest], weight[rest], group[rest]
    return top


@dataclass(frozen=True, eq=False)
class EconomicSignals:
    """Per partnership, in [0, 1], 1 healthy, NaN where there is no evidence yet:

    realized_proportionality = 1 − realized_imbalance, expected_proportionality =
    1 − expected_imbalance (the share of value already going where the investment came from);
    hostage_balance as in `EconomicIndices`; timing = 0.5 ** (mean_lateness_days / 30): on time
    is 1, a month late on average 0.5, two months 0.25. `indices` holds the inputs behind them.
    """

    realized_proportionality: FloatArray
    expected_proportionality: FloatArray
    hostage_balance: FloatArray
    timing: FloatArray
    indices: EconomicIndices


def economic_signals(ledgers: PortfolioLedgers, *, as_of: date) -> EconomicSignals:
    """What the health engine reads from economics, for every partnership at once."""
    indices = economic_indices(ledgers, as_of=as_of)
    return EconomicSignals(
        realized_proportionality=1.0 - indices.realized_imbalance,
        expected_proportionality=1.0 - indices.expected_imbalance,
        hostage_balance=indices.hostage_balance,
        timing=np.power(0.5, indices.mean_lateness_days / TIMING_HALF_LIFE_DAYS),
        indices=indices,
    )


def format_money(amount: float | Decimal, currency: str) -> str:
    """Rounded for reading: €950, €4.5k, €400k, €3.1M, €1.2bn; codes without a common symbol
    come first ("CHF 1.2M")."""
    value = float(amount)
    sign = "-" if value < 0 else ""
    symbol = _SYMBOLS.get(currency, f"{currency} ")
    return f"{sign}{symbol}{_compact(abs(value))}"


def _compact(magnitude: float) -> str:
    if round(magnitude) < 1000:
        return f"{magnitude:.0f}"
    for scale, suffix in ((1e3, "k"), (1e6, "M"), (1e9, "bn")):
        scaled = magnitude / scale
        text = f"{scaled:.1f}" if scaled < 9.95 else f"{scaled:.0f}"
        if float(text) < 1000 or suffix == "bn":
            break
    return text.removesuffix(".0") + suffix


def hostage_words(names: Sequence[str], losses: Sequence[float], currency: str) -> str:
    """Who could walk away cheaply and who is exposed, e.g. "B could walk away losing €400k,
    A would lose €3.1M: A is exposed." `losses` are the parties' hostages, in `names` order."""
    if len(names) != len(losses):
        raise EconomicsError(ARRAY_SHAPE, "names and losses")
    order = sorted(range(len(names)), key=lambda i: (-losses[i], i))
    if not order or losses[order[0]] <= 0:
        return (
            "No party has unrecoverable specific investment at stake: "
            "any party could walk away without a sunk loss."
        )
    most, least = order[0], order[-1]

    def loss(i: int) -> str:
        return format_money(losses[i], currency)

    if most == least:
        return f"If the partnership dissolved, {names[most]} would lose {loss(most)}."
    between = "".join(f", {names[i]} {loss(i)}" for i in order[1:-1])
    if losses[least] / losses[most] >= HOSTAGES_BALANCED_FROM:
        return (
            f"Hostages are balanced: if the partnership dissolved, {names[most]} would lose "
            f"{loss(most)}{between}, {names[least]} {loss(least)}."
        )
    walk_away = loss(least) if losses[least] > 0 else "nothing"
    return (
        f"{names[least]} could walk away losing {walk_away}, {names[most]} would lose "
        f"{loss(most)}{between}: {names[most]} is exposed."
    )


def proportionality_words(
    names: Sequence[str],
    value: Sequence[float],
    investment: Sequence[float],
    imbalance: float,
    *,
    realized: bool,
) -> str:
    """Each party's share of value against its share of investment, and the imbalance as the
    share of value that would have to change hands."""
    what = "realized value" if realized else "expected value"
    put_in = "investment made" if realized else "investment committed"
    value_total, investment_total = sum(value), sum(investment)
    if value_total <= 0:
        return f"No {what} recorded yet."
    if investment_total <= 0:
        return f"No {put_in} yet to weigh the {what} against."
    parts = []
    for name, received, gave in zip(names, value, investment, strict=True):
        value_share, investment_share = received / value_total, gave / investment_total
        gave_words = (
            f"putting in {investment_share:.0%} ({value_share / investment_share:.2f}×)"
            if investment_share > 0
            else "putting in nothing"
        )
        parts.append(f"{name} receives {value_share:.0%} for {gave_words}")
    return (
        f"Of the {what}, {'; '.join(parts)}. {imbalance:.0%} of it would have to change hands "
        f"for every party to receive in proportion to its share of the {put_in}."
    )


def bottleneck_words(
    name: str | None, late_amount: float, late_value_days: float, currency: str
) -> str:
    """Name the party whose late contributions hold the others up, with how much and how late."""
    if name is None or late_amount <= 0:
        return "No contribution of any value is late."
    return (
        f"{name} holds the partnership up: {format_money(late_amount, currency)} of its "
        f"contributions are late, by {late_value_days / late_amount:.0f} days on average."
    )


@dataclass(frozen=True)
class EconomicExplanation:
    """One partnership's indices in words, for its page and the review pack (Principle 3)."""

    realized: str
    expected: str
    hostages: str
    timing: str


def explain_partnership(
    indices: EconomicIndices, partnership: int, party_names: Sequence[str], currency: str
) -> EconomicExplanation:
    """`party_names` follow `indices.parties_of(partnership)`; `currency` is its base currency."""
    parties = indices.parties_of(partnership)
    if len(party_names) != parties.size:
        raise EconomicsError(ARRAY_SHAPE, "party_names")
    bottleneck = int(indices.bottleneck[partnership])

    def of(array: FloatArray) -> list[float]:
        return [float(x) for x in array[parties]]

    timing = (
        bottleneck_words(
            party_names[int(np.searchsorted(parties, bottleneck))],
            float(indices.late_amount[bottleneck]),
            float(indices.late_value_days[bottleneck]),
            currency,
        )
        if bottleneck >= 0
        else bottleneck_words(None, 0.0, 0.0, currency)
    )
    return EconomicExplanation(
        realized=proportionality_words(
            party_names,
            of(indices.realized_value),
            of(indices.invested),
            float(indices.realized_imbalance[partnership]),
            realized=True,
        ),
        expected=proportionality_words(
            party_names,
            of(indices.expected_value),
            of(indices.committed),
            float(indices.expected_imbalance[partnership]),
            realized=False,
        ),
        hostages=hostage_words(party_names, of(indices.hostage), currency),
        timing=timing,
    )
