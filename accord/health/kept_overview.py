"""The health tab's score sections and history chart, kept as HTML per state.

Reading the latest score, a year of weekly rows, the weights and the parties, and rendering
them, cost most of the tab. What they show is a function of: the partnership's health scores
(every scoring pass deletes and re-creates its rows, so new ids and a new ``computed_at``), its
health settings (the weights; saved with ``updated_at``), its parties and their organizations'
names, the viewer's organization (the "you" badge), the weeks of history asked for and the
language. The key names each, fingerprinted by ``accord.fingerprint``. Alerts are read per
request: they change state without a scoring pass. See accord/kept.py.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from accord import fingerprint as fp
from accord.charts import line_chart, period_label
from accord.domain.health import GROUPS
from accord.health import selectors
from accord.health.models import HealthScore, HealthSettings
from accord.kept import Memory
from accord.partnerships import kept_parts
from accord.partnerships.access import user_organization
from accord.partnerships.models import Partnership

PREFIX = "health-overview:v1:"
HISTORY_CHOICES = (13, 52, 156)
memory = Memory(512)


def _key(partnership: Partnership, inputs: tuple[Any, ...]) -> str:
    p = [partnership.pk]
    state = fp.read(
        fp.part(
            f"{HealthScore._meta.db_table} t",
            "t.partnership_id = %s",
            p,
            (*fp.ROWS, "MAX(t.computed_at)"),
        ),
        fp.part(
            f"{HealthSettings._meta.db_table} t",
            "t.partnership_id = %s",
            p,
            (*fp.ROWS, "MAX(t.updated_at)"),
        ),
        kept_parts.parties(partnership.pk),
    )
    full = (partnership.pk, inputs, translation.get_language(), state)
    return PREFIX + hashlib.sha256(repr(full).encode()).hexdigest()


def history_context(partnership: Partnership, weeks: int) -> dict[str, Any]:
    """The weekly history chart of the last ``weeks`` weeks (also the htmx partial's)."""
    rows = selectors.history(partnership, weeks)
    chart = None
    if rows:
        chart = line_chart(
            "Health by week",
            [period_label(r.period_start, "weekly", year=len(rows) > 52) for r in rows],
            {
                "Overall": [r.overall for r in rows],
                "Trust": [r.trust for r in rows],
                "Behaviour": [r.behaviour for r in rows],
            },
            alt=f"Overall, trust and behaviour scores over the last {len(rows)} weeks.",
            y_range=(0, 100),
            height=300,
        )
    return {"partnership": partnership, "chart": chart, "weeks": weeks, "choices": HISTORY_CHOICES}


def sections(viewer: Any, partnership: Partnership, *, weeks: int) -> dict[str, SafeString]:
    """The score sections ("score") and the history chart ("history"): kept, or drawn and
    kept."""
    org = user_organization(viewer)
    key = _key(partnership, (org.pk if org is not None else None, weeks))
    kept: dict[str, SafeString] | None = memory.get(key)
    if kept is not None:
        return kept
    score = selectors.latest(partnership)
    names, mine = selectors.party_names_and_mine(viewer, partnership)
    subscores = [
        (str(g), selectors.GROUP_LABELS[g], getattr(score, str(g)) if score else None, w)
        for g, w in zip(GROUPS, selectors.weights(partnership).values(), strict=True)
    ]
    own = []
    if score:
        for party_id, view in score.own_views.items():
            own.append(
                {
                    "party": int(party_id),
                    "name": names.get(int(party_id), ""),
                    "mine": int(party_id) == mine,
                    **view,
                }
            )
        own.sort(key=lambda v: not v["mine"])
    context = {
        "partnership": partnership,
        "score": score,
        "subscores": subscores,
        "state_words": selectors.STATE_WORDS.get(score.state, "") if score else "",
        "own": own,
    }
    kept = {
        "score": SafeString(render_to_string("health/_score.html", context)),
        "history": SafeString(
            render_to_string("health/_history.html", history_context(partnership, weeks))
        ),
    }
    memory.set(key, kept)
    return kept
