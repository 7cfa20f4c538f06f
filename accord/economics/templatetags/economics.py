"""Numbers as people read them on the economics pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from accord.domain.economics import format_money

register = template.Library()
MISSING = "—"


@register.filter
def money(amount: float | Decimal | None, currency: str) -> str:
    """€3.1M; "—" for a missing figure."""
    return MISSING if amount is None else format_money(amount, currency)


@register.filter
def share(value: float | None) -> str:
    return MISSING if value is None else f"{value:.0%}"


@register.filter
def ratio(value: float | None) -> str:
    if value is None:
        return MISSING
    if value == float("inf"):
        return "∞"
    return f"{value:.2f}×"


@register.filter
def days(value: float | None) -> str:
    if value is None:
        return MISSING
    whole = round(value)
    if whole == 0:
        return "on time"
    return f"{whole} days late" if whole > 0 else f"{-whole} days early"


@register.filter
def amount(value: Decimal) -> str:
    """An amount as entered, without trailing zeros and with thousands separators."""
    text = f"{value.normalize():,f}"
    return text


@register.filter
def ratio_class(value: float | None) -> str:
    """RAG for a proportionality ratio: within ±25 % of 1 green, within ±50 % amber."""
    if value is None:
        return ""
    if 0.8 <= value <= 1.25:
        return "rag-green"
    if 0.5 <= value <= 2.0:
        return "rag-amber"
    return "rag-red"
