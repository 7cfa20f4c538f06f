"""The objectives card on the partnership overview: each objective with its derived status.

An inclusion tag, so the overview needs one line in its template and no change to its view."""

from __future__ import annotations

from typing import Any

from django import template

from accord.interventions import selectors
from accord.partnerships.access import Need, can

register = template.Library()


@register.inclusion_tag("interventions/_objectives_card.html", takes_context=True)
def objectives_card(context: dict[str, Any], partnership: Any) -> dict[str, Any]:
    user = context["request"].user
    # The overview has already asked; other pages may not have.
    readable = context.get("can_read")
    if readable is None:
        readable = can(user, partnership, Need.READ)
    rows = selectors.objective_rows(partnership=partnership, viewer=user) if readable else []
    return {
        "partnership": partnership,
        "rows": rows,
        "readable": readable,
        "rule": selectors.STATUS_RULE,
    }
