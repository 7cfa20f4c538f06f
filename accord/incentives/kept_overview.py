"""The incentives tab's pair sections, kept as HTML per state.

Analysing each pair's models (equilibria, δ*, the shadow of the future) and rendering the
sections with their plain-words glossary cost most of the page. What they show is a function
of: the partnership's incentive models (payoffs, horizon, cadence, name, version, visibility),
its parties and their organizations' names, the partnership's end date (a horizon read from it),
today (the days left shrink), the viewer's organization (internal scenarios are its own only;
the tab is for those who read the partnership's records, so that is the whole perspective),
whether the viewer may contribute or manage (the buttons) and the language. The key names each;
the models' rows are fingerprinted by ``accord.fingerprint`` (every service saves
``updated_at``). See accord/kept.py.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from accord import fingerprint as fp
from accord.domain import games
from accord.incentives import selectors
from accord.incentives.models import IncentiveModel
from accord.kept import Memory
from accord.partnerships import kept_parts
from accord.partnerships.access import user_organization
from accord.partnerships.models import Partnership

PREFIX = "incentives-overview:v1:"
memory = Memory(512)
STAMPED = (*fp.ROWS, "MAX(t.updated_at)")


def _key(partnership: Partnership, inputs: tuple[Any, ...]) -> str:
    p = [partnership.pk]
    state = fp.read(
        fp.part(f"{IncentiveModel._meta.db_table} t", "t.partnership_id = %s", p, STAMPED),
        kept_parts.parties(partnership.pk),
    )
    full = (partnership.pk, partnership.end_date, inputs, translation.get_language(), state)
    return PREFIX + hashlib.sha256(repr(full).encode()).hexdigest()


def pairs_html(
    viewer: Any, partnership: Partnership, *, can_contribute: bool, can_manage: bool
) -> SafeString:
    """Every pair's section: kept, or analysed, drawn and kept."""
    today = timezone.localdate()
    org = user_organization(viewer)
    inputs = (org.pk if org is not None else None, can_contribute, can_manage, today.isoformat())
    key = _key(partnership, inputs)
    kept: SafeString | None = memory.get(key)
    if kept is not None:
        return kept
    rows = selectors.pair_rows(partnership=partnership, viewer=viewer)
    summaries = {}
    for row in rows:
        for model in [row.joint, *row.scenarios]:
            if model is not None:
                span = selectors.horizon(model, today=today)
                summaries[model.pk] = games.analyse_incentives(
                    selectors.stage_game(model), shadow=span.shadow
                )
    context = {
        "partnership": partnership,
        "rows": rows,
        "summaries": summaries,
        "can_manage": can_manage,
        "can_contribute": can_contribute,
    }
    kept = SafeString(render_to_string("incentives/_pairs.html", context))
    memory.set(key, kept)
    return kept
