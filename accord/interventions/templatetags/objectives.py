"""The objectives card on the partnership overview: each objective with its derived status.

A tag, so the overview needs one line in its template and no change to its view. For a reader
the card's HTML is kept with the rows it is drawn from (accord/interventions/kept_objectives.py):
it shows nothing else — no form, no token, nothing of the request."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from accord.interventions import kept_objectives, selectors
from accord.partnerships.access import Need, can

register = template.Library()
TEMPLATE = "interventions/_objectives_card.html"


@register.simple_tag(takes_context=True)
def objectives_card(context: Any, partnership: Any) -> str:
    """The card's HTML (``render_to_string`` returns it marked safe; kept as it is)."""
    user = context["request"].user
    # The overview has already asked; other pages may not have.
    readable = context.get("can_read")
    if readable is None:
        readable = can(user, partnership, Need.READ)
    if not readable:
        return render_to_string(TEMPLATE, _card(partnership, [], readable=False))
    rows, state = selectors.objective_rows_state(partnership=partnership, viewer=user)
    card = _card(partnership, rows, readable=True)
    if state is None:
        return render_to_string(TEMPLATE, card)
    return kept_objectives.kept(state, "card", lambda: render_to_string(TEMPLATE, card))


def _card(partnership: Any, rows: list[Any], *, readable: bool) -> dict[str, Any]:
    return {
        "partnership": partnership,
        "rows": rows,
        "readable": readable,
        "rule": selectors.STATUS_RULE,
    }
