from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.performance import parsing

DAYS = st.dates(date(1900, 1, 1), date(2199, 12, 31))


@given(DAYS)
def test_every_spelling_of_a_period_names_its_first_day(day):
    assert parsing.parse_period(day.isoformat()) == day
    assert parsing.parse_period(f"{day:%Y-%m}") == day.replace(day=1)
    quarter = (day.month - 1) // 3 + 1
    assert parsing.parse_period(f"{day.year}-Q{quarter}") == date(day.year, 3 * quarter - 2, 1)


@given(st.text(max_size=12))
def test_any_other_text_is_a_period_error_with_a_reason(text):
    try:
        parsed = parsing.parse_period(text)
    except ValueError as error:
        reason = str(error)
        assert reason.startswith(("'", "The period"))
        return
    assert 1900 <= parsed.year <= 2199


@given(st.floats(-1e14, 1e14, allow_nan=False))
def test_numbers_read_back_exactly(number):
    assert parsing.parse_value(repr(number)) == number


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1,5", "1e15", "abc", ""])
def test_ambiguous_or_non_finite_values_are_refused(text):
    with pytest.raises(ValueError):
        parsing.parse_value(text)


def test_thousands_separators_are_read():
    assert parsing.parse_value("1,234,567.5") == 1234567.5


@given(st.lists(st.tuples(st.integers(1, 50), DAYS), max_size=60))
def test_period_seen_reports_exactly_the_repeats(pairs):
    seen = parsing.PeriodSeen()
    first = set()
    for pair in pairs:
        assert seen.add(*pair) == (pair not in first)
        first.add(pair)
