"""Numbers as a page shows them, for tests that must not be fooled by clocks or ids.

A substring search for "1.00" also finds it inside "11:32:11.004598" or "id=21.003"; these helpers
read whole decimal numbers instead, so a check passes or fails on the values a person reads."""

from __future__ import annotations

import re
from decimal import Decimal

# A decimal number standing alone: not glued to letters, digits, dots or colons (times, versions,
# ids, hashes), nor the tail of a thousands group ("1,001.00").
_DECIMAL = re.compile(r"(?<![\w.:])(?<!\d,)(-?\d+\.\d+)(?![\w:]|\.\d|,\d{3})")


def decimals_in(text: str) -> list[Decimal]:
    """Every standalone decimal number in the text, in order, as written."""
    return [Decimal(match) for match in _DECIMAL.findall(text)]


def shows_value(text: str, value: float | Decimal, *, min_places: int = 1) -> bool:
    """Whether a person reading the text would see this value written with at least
    `min_places` decimals (a mean shown as "1.00" — not a rule's "1.0 points")."""
    wanted = Decimal(str(value))
    return any(
        number == wanted and -int(number.as_tuple().exponent) >= min_places
        for number in decimals_in(text)
    )
