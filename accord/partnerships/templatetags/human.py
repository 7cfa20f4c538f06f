"""`{{ value|human_value }}` and `{{ key|human_key }}`: recorded values as a person reads them.

The audit trail stores values exactly as JSON (a datetime becomes
"2026-12-13 11:33:11.004598+00:00"); pages show "13 Dec 2026, 11:33" in the site's time zone,
"13 Dec 2026" for a date, "yes"/"no", "—" for nothing. The API and exports keep the exact values.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
EMPTY = "—"


def human_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def human_datetime(moment: datetime) -> str:
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{human_date(moment)}, {moment:%H:%M}"


def _text(value: str) -> str:
    if _DATE.match(value):
        return human_date(date.fromisoformat(value))
    if _DATETIME.match(value):
        return human_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
    return value


@register.filter
def human_value(value: Any) -> str:
    """One recorded value for people: dates and times, booleans, numbers, lists, nothing."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return human_datetime(value)
    if isinstance(value, date):
        return human_date(value)
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list | tuple):
        return ", ".join(human_value(v) for v in value) or EMPTY
    if isinstance(value, dict):
        return "; ".join(f"{human_key(k)}: {human_value(v)}" for k, v in value.items()) or EMPTY
    return str(value)


@register.filter
def human_key(key: Any) -> str:
    """A field name for people: "due_on" → "Due on"."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@register.filter
def change_pair(value: Any) -> tuple[Any, Any] | None:
    """A recorded change is stored as [before, after] (a first value of None reads as a plain
    two-item list, as the page always showed it); anything else is a single value."""
    if isinstance(value, list | tuple) and len(value) == 2 and value[0] is not None:
        return value[0], value[1]
    return None
