"""Meeting dates of a cadence (plain date arithmetic), checked as properties."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from accord.accountability.schedule import occurrences

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
frequency = st.sampled_from(["daily", "weekly", "monthly", "quarterly"])


@given(frequency, days, days, st.integers(min_value=0, max_value=400))
def test_meetings_fall_inside_the_range_in_order_and_never_before_the_start(f, start, first, span):
    last = first + timedelta(days=span)
    found = list(occurrences(f, start, first=first, last=last))
    assert found == sorted(set(found))
    assert all(max(first, start) <= d <= last for d in found)
    if f == "daily":
        assert all(d.weekday() < 5 for d in found)
    if f == "weekly":
        assert all((d - start).days % 7 == 0 for d in found)
    if f in ("monthly", "quarterly"):
        step = 1 if f == "monthly" else 3
        assert all(((d.year - start.year) * 12 + d.month - start.month) % step == 0 for d in found)
        assert all(d.day == start.day or d.day < start.day for d in found)


@given(frequency, days, st.integers(min_value=0, max_value=200))
def test_splitting_a_range_in_two_finds_the_same_meetings(f, start, cut):
    first, last = start, start + timedelta(days=400)
    middle = first + timedelta(days=cut)
    whole = list(occurrences(f, start, first=first, last=last))
    parts = list(occurrences(f, start, first=first, last=middle)) + list(
        occurrences(f, start, first=middle + timedelta(days=1), last=last)
    )
    assert whole == parts


def test_nothing_after_the_cadence_ends():
    found = list(
        occurrences(
            "weekly",
            date(2026, 1, 5),
            first=date(2026, 1, 1),
            last=date(2026, 3, 1),
            ended_on=date(2026, 1, 20),
        )
    )
    assert found == [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19)]
