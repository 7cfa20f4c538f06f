"""Numbers as people read them on the incentive pages."""

from __future__ import annotations

import math
from typing import Any

from django import template

register = template.Library()


@register.filter
def delta(value: float | None) -> str:
    """δ and δ*: two decimals; ∞ when no shadow of the future can deter withholding."""
    if value is None:
        return "—"
    return "∞" if math.isinf(value) else f"{value:.2f}"


@register.filter
def pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


@register.filter
def payoff(value: float | None) -> str:
    """Payoffs as people write them: 5, 2.5, -1, 125,000."""
    if value is None:
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@register.filter
def at(sequence: Any, index: int) -> Any:
    """sequence[index] in a template (first/second party of a pair)."""
    return sequence[index]


@register.filter
def mean2(pair: tuple[float, float]) -> float:
    return (pair[0] + pair[1]) / 2


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.simple_tag
def term(key: str) -> str:
    """The plain sentence for a technical term (accord.incentives.glossary)."""
    from accord.incentives.glossary import TERMS

    return TERMS[key]


@register.filter
def strategy_help(strategy: Any) -> str:
    from accord.incentives.glossary import strategy_help as explain

    return explain(strategy)
