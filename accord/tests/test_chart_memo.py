"""Charts are drawn once per distinct set of arguments: the same numbers give the same chart
without drawing again, and any changed argument draws a new one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accord import charts


@pytest.fixture
def draws(monkeypatch):
    """Count pygal renders, with an empty memo."""
    monkeypatch.setattr(charts, "_memo", type(charts._memo)())
    count = {"n": 0}
    real = charts._render

    def counting(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "_render", counting)
    return count


def line(values, **kwargs):
    return charts.line_chart(
        "On time", ["Q1 2026", "Q2 2026"], {"On time": values}, alt="x", **kwargs
    )


def test_the_same_chart_is_drawn_once(draws):
    first = line([0.5, 0.75])
    again = line([0.5, 0.75])
    assert again == first
    assert draws["n"] == 1


def test_a_changed_number_or_option_draws_a_new_chart(draws):
    first = line([0.5, 0.75])
    changed = line([0.5, 0.8])
    thresholds = line([0.5, 0.75], reference_lines={"Target": 0.9})
    assert draws["n"] == 3
    assert changed.series != first.series
    assert thresholds.series != first.series


def test_equal_numbers_of_another_type_are_another_chart(draws):
    line([1.5, 2.0])
    line([Decimal("1.50"), Decimal("2.0")])
    assert draws["n"] == 2


def test_the_memo_keeps_only_the_most_recent_charts(draws, monkeypatch):
    monkeypatch.setattr(charts, "MEMO_SIZE", 2)
    line([0.1, 0.2])
    line([0.3, 0.4])
    line([0.5, 0.6])
    line([0.1, 0.2])  # dropped as the least recently used: drawn again
    assert draws["n"] == 4
    assert len(charts._memo) == 2
