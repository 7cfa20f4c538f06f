import math
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain.economics import (
    AMOUNT_NEGATIVE,
    AMOUNT_NOT_A_NUMBER,
    ARRAY_SHAPE,
    BASE_RATE_NOT_ONE,
    CONTRIBUTION_MADE_IN_FUTURE,
    CURRENCY_CODE_INVALID,
    DRIVERS_PER_PARTY,
    EXEC_HOUR,
    FTE_MONTH,
    HOSTAGES_BALANCED_FROM,
    PARTNERSHIP_INDEX_OUT_OF_RANGE,
    PARTY_INDEX_OUT_OF_RANGE,
    PARTY_LISTED_TWICE,
    PARTY_NOT_IN_PARTNERSHIP,
    PERIOD_ENDS_BEFORE_IT_STARTS,
    PLANNED_DATE_MISSING,
    RATE_NOT_POSITIVE,
    REALIZED_VALUE_IN_FUTURE,
    RECOVERABILITY_OUT_OF_RANGE,
    SPECIFICITY_OUT_OF_RANGE,
    UNIT_DOES_NOT_FIT_KIND,
    UNIT_NOT_IN_RATE_TABLE,
    UNIT_UNKNOWN,
    EconomicIndices,
    EconomicsError,
    FieldError,
    InvestmentEntry,
    InvestmentKind,
    PartnershipLedger,
    PortfolioLedgers,
    RateTable,
    ValueEntry,
    ValueSource,
    ValueStatus,
    economic_indices,
    economic_signals,
    explain_partnership,
    format_money,
    hostage_words,
    pack_portfolio,
    validate_investment_entry,
    validate_value_entry,
)

# Dyadic rates keep base-currency amounts exact in float64, so the reference loop and the
# vectorized pass agree bit for bit where ties matter (drivers, bottleneck).
RATES = RateTable(
    "EUR",
    {
        "USD": Decimal("0.875"),
        "GBP": Decimal("1.125"),
        FTE_MONTH: Decimal(12000),
        EXEC_HOUR: Decimal(400),
    },
)
START = date(2024, 1, 1)
AS_OF = date(2024, 9, 1)
NAMES = ("Acme", "Beta Pharma", "Cygnus", "Delta Labs")
UNIT_BY_KIND = {InvestmentKind.HUMAN: FTE_MONTH, InvestmentKind.ATTENTIONAL: EXEC_HOUR}
AMOUNT_BY_UNIT = {FTE_MONTH: 200, EXEC_HOUR: 500}


@st.composite
def ledgers(draw: st.DrawFn) -> PartnershipLedger:
    parties = NAMES[: draw(st.integers(1, len(NAMES)))]
    day = st.integers(0, 365).map(lambda days: START + timedelta(days))
    values = []
    for _ in range(draw(st.integers(0, 8))):
        period_start = draw(day)
        values.append(
            ValueEntry(
                source=draw(st.sampled_from(ValueSource)),
                beneficiary=draw(st.sampled_from(parties)),
                amount=Decimal(draw(st.integers(0, 5_000_000))),
                currency=draw(st.sampled_from(["EUR", "USD", "GBP"])),
                status=draw(st.sampled_from(ValueStatus)),
                period_start=period_start,
                period_end=period_start + timedelta(90),
            )
        )
    investments = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(InvestmentKind))
        unit = UNIT_BY_KIND.get(kind) or draw(st.sampled_from(["EUR", "USD", "GBP"]))
        planned = draw(day)
        late = draw(st.none() | st.integers(-30, 150))
        investments.append(
            InvestmentEntry(
                contributor=draw(st.sampled_from(parties)),
                kind=kind,
                amount=Decimal(draw(st.integers(0, AMOUNT_BY_UNIT.get(unit, 5_000_000)))),
                unit=unit,
                planned_on=planned,
                actual_on=None if late is None else planned + timedelta(late),
                specificity=draw(st.decimals(0, 1, places=2)),
                recoverability=draw(st.decimals(0, 1, places=2)),
            )
        )
    return PartnershipLedger(parties, RATES, tuple(values), tuple(investments))


portfolios = st.lists(ledgers(), min_size=1, max_size=5)
# The invariance properties need fewer examples than the reference comparison to stay quick.
invariance = settings(max_examples=50)


Entries = list[tuple[int, str, float]]  # (global entry index, party, amount in base currency)


def by_party(entries: Entries, party: str) -> float:
    return sum(amount for _, owner, amount in entries if owner == party)


def reference_proportionality(
    parties: list[str], value: Entries, investment: Entries
) -> tuple[list[float], float]:
    value_total = sum(amount for *_, amount in value)
    investment_total = sum(amount for *_, amount in investment)
    if value_total <= 0 or investment_total <= 0:
        return [math.nan] * len(parties), math.nan
    ratios, gap = [], 0.0
    for party in parties:
        value_share = by_party(value, party) / value_total
        investment_share = by_party(investment, party) / investment_total
        if investment_share > 0:
            ratios.append(value_share / investment_share)
        else:
            ratios.append(math.inf if value_share > 0 else math.nan)
        gap += abs(value_share - investment_share)
    return ratios, min(gap / 2, 1.0)


def reference_drivers(parties: list[str], entries: Entries) -> list[list[int]]:
    top = []
    for party in parties:
        mine = sorted((-amount, i) for i, owner, amount in entries if owner == party and amount > 0)
        chosen = [i for _, i in mine[:DRIVERS_PER_PARTY]]
        top.append(chosen + [-1] * (DRIVERS_PER_PARTY - len(chosen)))
    return top


def reference_one(
    ledger: PartnershipLedger, as_of: date, offsets: tuple[int, int, int]
) -> dict[str, Any]:
    """One partnership's indices the slow, obvious way, one entry at a time. `offsets` are the
    global numbers of its first party, value entry and investment entry."""
    party_offset, value_offset, investment_offset = offsets
    parties = list(ledger.parties)

    def rate(unit: str) -> float:
        return float(ledger.rates.rate(unit))

    value = [
        (value_offset + i, e.beneficiary, float(e.amount) * rate(e.currency), e.status)
        for i, e in enumerate(ledger.values)
    ]
    realized = [(i, p, a) for i, p, a, s in value if s is ValueStatus.REALIZED]
    expected = [(i, p, a) for i, p, a, s in value if s is ValueStatus.EXPECTED]
    committed = [
        (investment_offset + i, e.contributor, float(e.amount) * rate(e.unit))
        for i, e in enumerate(ledger.investments)
    ]
    is_made = [e.actual_on is not None and e.actual_on <= as_of for e in ledger.investments]
    made = [entry for entry, was_made in zip(committed, is_made, strict=True) if was_made]

    slip = []
    for e, was_made in zip(ledger.investments, is_made, strict=True):
        if was_made:
            assert e.actual_on is not None
            slip.append(float((e.actual_on - e.planned_on).days))
        elif e.planned_on < as_of:
            slip.append(float((as_of - e.planned_on).days))
        else:
            slip.append(math.nan)
    entry_hostage = [
        amount * float(e.specificity) * (1 - float(e.recoverability)) if was_made else 0.0
        for (_, _, amount), e, was_made in zip(committed, ledger.investments, is_made, strict=True)
    ]
    hostage = [
        sum(h for h, e in zip(entry_hostage, ledger.investments, strict=True) if e.contributor == p)
        for p in parties
    ]
    measured = [
        (p, amount, s)
        for (_, p, amount), s in zip(committed, slip, strict=True)
        if not math.isnan(s)
    ]
    mean_slip, total_slip, late_amount, late_value_days = [], [], [], []
    for party in parties:
        mine = [s for p, _, s in measured if p == party]
        total_slip.append(sum(mine))
        mean_slip.append(sum(mine) / len(mine) if mine else math.nan)
        late_amount.append(sum(a for p, a, s in measured if p == party and s > 0))
        late_value_days.append(sum(a * max(s, 0) for p, a, s in measured if p == party))
    measured_amount = sum(a for _, a, _ in measured)
    worst = max(range(len(parties)), key=lambda i: (late_value_days[i], -i))
    if not made:
        balance = math.nan
    elif max(hostage) > 0:
        balance = min(hostage) / max(hostage)
    else:
        balance = 1.0
    realized_ratio, realized_imbalance = reference_proportionality(parties, realized, made)
    expected_ratio, expected_imbalance = reference_proportionality(parties, expected, committed)
    return {
        "realized_value": [by_party(realized, p) for p in parties],
        "expected_value": [by_party(expected, p) for p in parties],
        "invested": [by_party(made, p) for p in parties],
        "committed": [by_party(committed, p) for p in parties],
        "realized_ratio": realized_ratio,
        "expected_ratio": expected_ratio,
        "hostage": hostage,
        "mean_slip_days": mean_slip,
        "total_slip_days": total_slip,
        "late_amount": late_amount,
        "late_value_days": late_value_days,
        "realized_drivers": reference_drivers(parties, realized),
        "expected_drivers": reference_drivers(parties, expected),
        "invested_drivers": reference_drivers(parties, made),
        "committed_drivers": reference_drivers(parties, committed),
        "slip_days": slip,
        "entry_hostage": entry_hostage,
        "realized_imbalance": [realized_imbalance],
        "expected_imbalance": [expected_imbalance],
        "hostage_balance": [balance],
        "mean_lateness_days": [
            sum(a * max(s, 0) for _, a, s in measured) / measured_amount
            if measured_amount > 0
            else math.nan
        ],
        "bottleneck": [party_offset + worst if late_value_days[worst] > 0 else -1],
    }


def reference(ledgers: list[PartnershipLedger], as_of: date) -> dict[str, list[Any]]:
    """The per-partnership loop, concatenated like the portfolio's arrays."""
    out: dict[str, list[Any]] = {}
    offsets = (0, 0, 0)
    for ledger in ledgers:
        for name, figures in reference_one(ledger, as_of, offsets).items():
            out.setdefault(name, []).extend(figures)
        offsets = (
            offsets[0] + len(ledger.parties),
            offsets[1] + len(ledger.values),
            offsets[2] + len(ledger.investments),
        )
    return out


FIELDS = [name for name in EconomicIndices.__dataclass_fields__ if name != "party_partnership"]


@given(portfolios)
def test_vectorized_indices_equal_a_per_partnership_reference_loop(
    ledgers: list[PartnershipLedger],
) -> None:
    indices = economic_indices(pack_portfolio(ledgers), as_of=AS_OF)
    expected = reference(ledgers, AS_OF)
    for name in FIELDS:
        actual = getattr(indices, name)
        wanted = np.array(expected[name], dtype=actual.dtype).reshape(actual.shape)
        np.testing.assert_allclose(actual, wanted, rtol=1e-9, atol=1e-6, err_msg=name)


def assert_same_proportionality(a: EconomicIndices, b: EconomicIndices) -> None:
    for name in ("realized_ratio", "expected_ratio", "realized_imbalance", "expected_imbalance"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-9, err_msg=name)


@invariance
@given(portfolios, st.floats(1e-3, 1e3))
def test_proportionality_is_unchanged_when_every_amount_is_scaled(
    ledgers: list[PartnershipLedger], factor: float
) -> None:
    arrays = pack_portfolio(ledgers)
    scaled = replace(
        arrays,
        value_amount=arrays.value_amount * factor,
        investment_amount=arrays.investment_amount * factor,
    )
    assert_same_proportionality(
        economic_indices(arrays, as_of=AS_OF), economic_indices(scaled, as_of=AS_OF)
    )


@invariance
@given(portfolios, st.data())
def test_proportionality_is_unchanged_when_amounts_are_recorded_in_other_currencies(
    ledgers: list[PartnershipLedger], data: st.DataObject
) -> None:
    currency = st.sampled_from(["EUR", "USD", "GBP"])

    def convert(amount: Decimal, unit: str) -> tuple[Decimal, str]:
        if unit in (FTE_MONTH, EXEC_HOUR):
            return amount, unit
        to = data.draw(currency)
        return RATES.convert(amount, unit, to), to

    converted = []
    for ledger in ledgers:
        values = []
        for entry in ledger.values:
            amount, unit = convert(entry.amount, entry.currency)
            values.append(replace(entry, amount=amount, currency=unit))
        investments = []
        for investment in ledger.investments:
            amount, unit = convert(investment.amount, investment.unit)
            investments.append(replace(investment, amount=amount, unit=unit))
        converted.append(replace(ledger, values=tuple(values), investments=tuple(investments)))
    assert_same_proportionality(
        economic_indices(pack_portfolio(ledgers), as_of=AS_OF),
        economic_indices(pack_portfolio(converted), as_of=AS_OF),
    )


@invariance
@given(portfolios)
def test_proportionality_is_unchanged_when_the_base_currency_changes(
    ledgers: list[PartnershipLedger],
) -> None:
    usd = RATES.rate("USD")
    in_dollars = RateTable("USD", {unit: rate / usd for unit, rate in RATES.rates.items()})
    rebased = [replace(ledger, rates=in_dollars) for ledger in ledgers]
    assert_same_proportionality(
        economic_indices(pack_portfolio(ledgers), as_of=AS_OF),
        economic_indices(pack_portfolio(rebased), as_of=AS_OF),
    )


@invariance
@given(portfolios)
def test_hostages_are_non_negative_and_at_most_the_amount(
    ledgers: list[PartnershipLedger],
) -> None:
    arrays = pack_portfolio(ledgers)
    indices = economic_indices(arrays, as_of=AS_OF)
    assert arrays.investment_rate is not None
    amount = arrays.investment_amount * arrays.investment_rate
    assert (indices.entry_hostage >= 0).all()
    assert (indices.entry_hostage <= amount).all()
    assert (indices.hostage >= 0).all()
    assert (indices.hostage <= indices.invested * (1 + 1e-12)).all()


@invariance
@given(portfolios)
def test_signals_are_between_0_and_1_or_missing(ledgers: list[PartnershipLedger]) -> None:
    signals = economic_signals(pack_portfolio(ledgers), as_of=AS_OF)
    for name in (
        "realized_proportionality",
        "expected_proportionality",
        "hostage_balance",
        "timing",
    ):
        signal = getattr(signals, name)
        assert signal.shape == (len(ledgers),)
        present = signal[~np.isnan(signal)]
        assert ((present >= 0) & (present <= 1)).all(), name


@st.composite
def parties_and_losses(draw: st.DrawFn) -> tuple[list[str], list[float]]:
    names = draw(st.permutations(NAMES))[: draw(st.integers(2, len(NAMES)))]
    losses = draw(st.lists(st.floats(0, 1e10), min_size=len(names), max_size=len(names)))
    return names, losses


@given(parties_and_losses())
def test_the_words_for_hostages_name_the_exposed_party(
    case: tuple[list[str], list[float]],
) -> None:
    names, losses = case
    words = hostage_words(names, losses, "EUR")
    most = losses.index(max(losses))
    if max(losses) > 0 and min(losses) / max(losses) < HOSTAGES_BALANCED_FROM:
        least = len(losses) - 1 - losses[::-1].index(min(losses))  # ties: the last one named
        assert words.startswith(f"{names[least]} could walk away losing ")
        assert words.endswith(f": {names[most]} is exposed.")
    else:
        assert "is exposed" not in words


def test_it_explains_a_lopsided_partnership_in_words() -> None:
    ledger = PartnershipLedger(
        ("Acme", "Beta"),
        RATES,
        (
            value("Acme", 1_000_000, ValueStatus.REALIZED),
            value("Beta", 3_000_000, ValueStatus.REALIZED),
            value("Acme", 6_000_000, ValueStatus.EXPECTED),
            value("Beta", 6_000_000, ValueStatus.EXPECTED),
        ),
        (
            investment("Acme", 3_000_000, "EUR", late_days=0, specificity="0.5", recovers="0"),
            investment("Beta", 100, FTE_MONTH, late_days=60, specificity="0.5", recovers="0.5"),
            investment("Beta", 200, EXEC_HOUR, late_days=None, specificity="1", recovers="0"),
        ),
    )
    signals = economic_signals(pack_portfolio([ledger]), as_of=AS_OF)
    indices = signals.indices
    # Made: Acme €3M, Beta 100 FTE-months = €1.2M; the executive hours are planned only.
    np.testing.assert_allclose(indices.invested, [3_000_000, 1_200_000])
    np.testing.assert_allclose(indices.realized_ratio, [0.25 / (3 / 4.2), 0.75 / (1.2 / 4.2)])
    np.testing.assert_allclose(indices.realized_imbalance, [0.75 - 1.2 / 4.2])
    np.testing.assert_allclose(indices.hostage, [1_500_000, 300_000])
    np.testing.assert_allclose(signals.hostage_balance, [0.2])
    assert indices.bottleneck.tolist() == [1]
    assert indices.committed_drivers[1].tolist() == [1, 2, -1]
    assert indices.invested_drivers[1].tolist() == [1, -1, -1]

    explanation = explain_partnership(indices, 0, ["Acme", "Beta"], "EUR")
    assert explanation.realized == (
        "Of the realized value, Acme receives 25% for putting in 71% (0.35×); "
        "Beta receives 75% for putting in 29% (2.62×). 46% of it would have to change hands "
        "for every party to receive in proportion to its share of the investment made."
    )
    assert explanation.expected.startswith(
        "Of the expected value, Acme receives 50% for putting in 70% (0.71×); "
    )
    assert explanation.hostages == (
        "Beta could walk away losing €300k, Acme would lose €1.5M: Acme is exposed."
    )
    assert explanation.timing == (
        "Beta holds the partnership up: €1.3M of its contributions are late, by 68 days on average."
    )


def value(party: str, amount: int, status: ValueStatus) -> ValueEntry:
    return ValueEntry(
        ValueSource.COMPLEMENTARY_CAPABILITIES,
        party,
        Decimal(amount),
        "EUR",
        status,
        START,
        START + timedelta(90),
    )


def investment(
    party: str,
    amount: int,
    unit: str,
    *,
    late_days: int | None,
    specificity: str,
    recovers: str,
) -> InvestmentEntry:
    kind = {FTE_MONTH: InvestmentKind.HUMAN, EXEC_HOUR: InvestmentKind.ATTENTIONAL}
    planned = date(2024, 3, 1)
    return InvestmentEntry(
        party,
        kind.get(unit, InvestmentKind.FINANCIAL),
        Decimal(amount),
        unit,
        planned,
        None if late_days is None else planned + timedelta(late_days),
        Decimal(specificity),
        Decimal(recovers),
    )


def one_contribution(late_days: int) -> PortfolioLedgers:
    return pack_portfolio(
        [
            PartnershipLedger(
                ("Acme", "Beta"),
                RATES,
                (),
                (
                    investment(
                        "Acme", 1000, "EUR", late_days=late_days, specificity="0", recovers="0"
                    ),
                ),
            )
        ]
    )


@pytest.mark.parametrize(("late_days", "timing"), [(-10, 1.0), (0, 1.0), (30, 0.5), (60, 0.25)])
def test_timing_halves_with_each_month_of_lateness(late_days: int, timing: float) -> None:
    signals = economic_signals(one_contribution(late_days), as_of=AS_OF)
    np.testing.assert_allclose(signals.timing, [timing])


def test_a_contribution_made_on_the_as_of_date_counts_as_made() -> None:
    indices = economic_indices(one_contribution(10), as_of=date(2024, 3, 11))
    assert indices.invested.tolist() == [1000.0, 0.0]
    assert indices.slip_days.tolist() == [10.0]


def test_a_contribution_not_made_counts_as_late_from_its_planned_date() -> None:
    arrays = one_contribution(0)
    unmade = replace(arrays, investment_actual=np.array(["NaT"], dtype="datetime64[D]"))
    indices = economic_indices(unmade, as_of=date(2024, 3, 31))
    assert indices.slip_days.tolist() == [30.0]
    assert indices.hostage.tolist() == [0.0, 0.0]
    assert math.isnan(indices.hostage_balance[0])


def test_a_partnership_without_entries_has_no_signals_yet() -> None:
    bare = PartnershipLedger(("Acme", "Beta"), RATES, (), ())
    signals = economic_signals(pack_portfolio([bare]), as_of=AS_OF)
    for signal in (signals.realized_proportionality, signals.hostage_balance, signals.timing):
        assert math.isnan(signal[0])
    assert signals.indices.bottleneck.tolist() == [-1]
    assert explain_partnership(signals.indices, 0, ["Acme", "Beta"], "EUR").timing == (
        "No contribution of any value is late."
    )


def test_an_empty_portfolio_scores_nothing() -> None:
    signals = economic_signals(pack_portfolio([]), as_of=AS_OF)
    assert signals.timing.shape == (0,)
    assert signals.indices.realized_drivers.shape == (0, DRIVERS_PER_PARTY)


@pytest.mark.parametrize(
    ("losses", "words"),
    [
        (
            [3_100_000, 400_000],
            "Beta could walk away losing €400k, Acme would lose €3.1M: Acme is exposed.",
        ),
        (
            [0, 3_100_000, 1_000_000],
            "Acme could walk away losing nothing, Beta would lose €3.1M, Cygnus €1M: "
            "Beta is exposed.",
        ),
        (
            [3_000_000, 2_800_000],
            "Hostages are balanced: if the partnership dissolved, Acme would lose €3M, Beta €2.8M.",
        ),
        (
            [0, 0],
            "No party has unrecoverable specific investment at stake: "
            "any party could walk away without a sunk loss.",
        ),
    ],
)
def test_hostage_words(losses: list[float], words: str) -> None:
    assert hostage_words(["Acme", "Beta", "Cygnus"][: len(losses)], losses, "EUR") == words


@pytest.mark.parametrize(
    ("amount", "currency", "words"),
    [
        (0, "EUR", "€0"),
        (950, "EUR", "€950"),
        (999.6, "EUR", "€1k"),
        (4_500, "USD", "$4.5k"),
        (400_000, "EUR", "€400k"),
        (999_600, "EUR", "€1M"),
        (3_140_000, "GBP", "£3.1M"),
        (Decimal("1200000000"), "CHF", "CHF 1.2bn"),
        (-2_500_000, "EUR", "-€2.5M"),
    ],
)
def test_it_formats_money_for_reading(amount: float | Decimal, currency: str, words: str) -> None:
    assert format_money(amount, currency) == words


VALID_VALUE = value("Acme", 1000, ValueStatus.REALIZED)
VALID_INVESTMENT = investment("Acme", 1000, "EUR", late_days=0, specificity="0.5", recovers="0.5")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount": Decimal(-1)}, "amount", AMOUNT_NEGATIVE),
        ({"amount": Decimal("NaN")}, "amount", AMOUNT_NOT_A_NUMBER),
        ({"currency": "eur"}, "currency", CURRENCY_CODE_INVALID),
        ({"currency": "EURO"}, "currency", CURRENCY_CODE_INVALID),
        ({"currency": FTE_MONTH}, "currency", CURRENCY_CODE_INVALID),
        ({"currency": "CHF"}, "currency", UNIT_NOT_IN_RATE_TABLE),
        ({"beneficiary": "Zeta"}, "beneficiary", PARTY_NOT_IN_PARTNERSHIP),
        ({"period_end": START - timedelta(1)}, "period_end", PERIOD_ENDS_BEFORE_IT_STARTS),
        ({"period_start": AS_OF + timedelta(1)}, "status", REALIZED_VALUE_IN_FUTURE),
    ],
)
def test_it_rejects_a_bad_value_entry(change: dict[str, Any], field: str, message: str) -> None:
    errors = validate_value_entry(
        replace(VALID_VALUE, **change), parties=("Acme", "Beta"), rates=RATES, today=AS_OF
    )
    assert FieldError(field, message) in errors


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount": Decimal(-5)}, "amount", AMOUNT_NEGATIVE),
        ({"amount": Decimal("Infinity")}, "amount", AMOUNT_NOT_A_NUMBER),
        ({"unit": "€"}, "unit", CURRENCY_CODE_INVALID),
        ({"unit": "JPY"}, "unit", UNIT_NOT_IN_RATE_TABLE),
        ({"kind": InvestmentKind.HUMAN}, "unit", UNIT_DOES_NOT_FIT_KIND),
        ({"kind": InvestmentKind.ATTENTIONAL, "unit": FTE_MONTH}, "unit", UNIT_DOES_NOT_FIT_KIND),
        ({"contributor": "Zeta"}, "contributor", PARTY_NOT_IN_PARTNERSHIP),
        ({"specificity": Decimal("1.01")}, "specificity", SPECIFICITY_OUT_OF_RANGE),
        ({"specificity": Decimal("NaN")}, "specificity", SPECIFICITY_OUT_OF_RANGE),
        ({"recoverability": Decimal("-0.1")}, "recoverability", RECOVERABILITY_OUT_OF_RANGE),
        ({"actual_on": AS_OF + timedelta(1)}, "actual_on", CONTRIBUTION_MADE_IN_FUTURE),
    ],
)
def test_it_rejects_a_bad_investment_entry(
    change: dict[str, Any], field: str, message: str
) -> None:
    errors = validate_investment_entry(
        replace(VALID_INVESTMENT, **change), parties=("Acme", "Beta"), rates=RATES, today=AS_OF
    )
    assert FieldError(field, message) in errors


def test_it_accepts_valid_entries_and_reports_every_problem_of_a_row_at_once() -> None:
    rules = {"parties": ("Acme",), "rates": RATES, "today": AS_OF}
    assert validate_value_entry(VALID_VALUE, **rules) == ()
    assert validate_investment_entry(VALID_INVESTMENT, **rules) == ()
    early = replace(VALID_INVESTMENT, actual_on=VALID_INVESTMENT.planned_on - timedelta(9))
    assert validate_investment_entry(early, **rules) == ()
    bad = replace(VALID_INVESTMENT, amount=Decimal(-1), specificity=Decimal(2), unit="XXX")
    assert validate_investment_entry(bad, **rules) == (
        FieldError("amount", AMOUNT_NEGATIVE),
        FieldError("unit", UNIT_NOT_IN_RATE_TABLE),
        FieldError("specificity", SPECIFICITY_OUT_OF_RANGE),
    )


@pytest.mark.parametrize(
    ("base", "rates", "message"),
    [
        ("euro", {}, CURRENCY_CODE_INVALID),
        ("EUR", {"HOURS": Decimal(1)}, UNIT_UNKNOWN),
        ("EUR", {"USD": Decimal(0)}, RATE_NOT_POSITIVE),
        ("EUR", {"USD": Decimal("NaN")}, RATE_NOT_POSITIVE),
        ("EUR", {"EUR": Decimal(2)}, BASE_RATE_NOT_ONE),
    ],
)
def test_a_rate_table_rejects_bad_rates(base: str, rates: dict[str, Decimal], message: str) -> None:
    with pytest.raises(EconomicsError) as caught:
        RateTable(base, rates)
    assert caught.value.message == message


def test_a_rate_table_converts_and_names_an_unknown_unit() -> None:
    assert RATES.rate("EUR") == 1
    assert RATES.convert(Decimal(10), FTE_MONTH) == 120_000
    assert RATES.convert(Decimal(875), "EUR", "USD") == 1000
    with pytest.raises(EconomicsError) as caught:
        RATES.convert(Decimal(1), "CHF")
    assert caught.value.message == UNIT_NOT_IN_RATE_TABLE
    assert "CHF" in str(caught.value)


def test_packing_rejects_unknown_and_repeated_parties() -> None:
    stranger = PartnershipLedger(("Acme",), RATES, (replace(VALID_VALUE, beneficiary="Zeta"),), ())
    twice = PartnershipLedger(("Acme", "Acme"), RATES, (), ())
    for ledger, message in ((stranger, PARTY_NOT_IN_PARTNERSHIP), (twice, PARTY_LISTED_TWICE)):
        with pytest.raises(EconomicsError) as caught:
            pack_portfolio([ledger])
        assert caught.value.message == message


def flat(**change: Any) -> PortfolioLedgers:
    arrays: dict[str, Any] = {
        "n_partnerships": 1,
        "party_partnership": [0, 0],
        "value_party": [0, 1],
        "value_amount": [10.0, 20.0],
        "value_realized": [True, False],
        "investment_party": [1],
        "investment_amount": [5.0],
        "investment_planned": np.array(["2024-01-01"], dtype="datetime64[D]"),
        "investment_actual": np.array(["NaT"], dtype="datetime64[D]"),
        "investment_specificity": [0.5],
        "investment_recoverability": [0.5],
    }
    return PortfolioLedgers(**(arrays | change))


BAD_ARRAYS: list[tuple[dict[str, Any], str]] = [
    ({"value_amount": [10.0, -1.0]}, AMOUNT_NEGATIVE),
    ({"investment_amount": [math.nan]}, AMOUNT_NOT_A_NUMBER),
    ({"value_amount": [10.0]}, ARRAY_SHAPE),
    ({"investment_specificity": [[0.5]]}, ARRAY_SHAPE),
    ({"investment_specificity": [1.5]}, SPECIFICITY_OUT_OF_RANGE),
    ({"investment_recoverability": [math.nan]}, RECOVERABILITY_OUT_OF_RANGE),
    ({"value_party": [0, 2]}, PARTY_INDEX_OUT_OF_RANGE),
    ({"investment_party": [-1]}, PARTY_INDEX_OUT_OF_RANGE),
    ({"party_partnership": [0, 1]}, PARTNERSHIP_INDEX_OUT_OF_RANGE),
    ({"investment_planned": np.array(["NaT"], dtype="datetime64[D]")}, PLANNED_DATE_MISSING),
    ({"value_rate": [1.0, 0.0]}, RATE_NOT_POSITIVE),
    ({"investment_rate": [1.0, 1.0]}, ARRAY_SHAPE),
]


@pytest.mark.parametrize(("change", "message"), BAD_ARRAYS)
def test_flat_ledgers_reject_bad_arrays(change: dict[str, Any], message: str) -> None:
    with pytest.raises(EconomicsError) as caught:
        flat(**change)
    assert caught.value.message == message


def test_flat_ledgers_take_amounts_already_in_base_currency() -> None:
    with_rates = flat(value_rate=[2.0, 2.0], investment_rate=[2.0])
    doubled = flat(value_amount=[20.0, 40.0], investment_amount=[10.0])

    def compute(arrays: PortfolioLedgers) -> EconomicIndices:
        return economic_indices(arrays, as_of=AS_OF)

    np.testing.assert_array_equal(compute(with_rates).expected_value, [0.0, 40.0])
    np.testing.assert_array_equal(compute(doubled).expected_value, [0.0, 40.0])
    np.testing.assert_array_equal(compute(with_rates).committed, compute(doubled).committed)
