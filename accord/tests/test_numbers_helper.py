"""The number reader the leak checks rely on: it finds values a person reads and ignores the
digits inside clocks, dates, versions and ids."""

from decimal import Decimal

import pytest

from accord.testing.numbers import decimals_in, shows_value


@pytest.mark.parametrize(
    "text",
    [
        "Updated 11:32:11.004598",
        "2026-12-06T11:32:11.004598+00:00",
        "version 21.00.3",
        '<a href="/rounds/11.003/">',
        "total 1,001.00 EUR",
        "hash a1.00b",
    ],
)
def test_clocks_ids_and_groups_do_not_read_as_one(text):
    assert not shows_value(text, 1)


@pytest.mark.parametrize(
    "text",
    ["<td>1.00</td>", "mean 1.00, sd 0.50", "1.000", "(1.0)", "score: 1.00.", "1.00\n"],
)
def test_a_value_a_person_reads_is_found(text):
    assert shows_value(text, 1)


def test_numbers_come_back_in_order_as_written():
    assert decimals_in("α 0.81; mean 4.25 at 10:03:55.1 on 2026-12-06") == [
        Decimal("0.81"),
        Decimal("4.25"),
    ]


def test_a_minimum_of_places_tells_a_mean_from_a_rule():
    text = "Aligned: at most 1.0 points apart. Mean 2.00."
    assert not shows_value(text, 1, min_places=2)
    assert shows_value(text, 1)
    assert shows_value(text, 2, min_places=2)
