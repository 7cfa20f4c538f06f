"""The scorecard tab's summary cards and metric table, kept as HTML per state.

Scoring every metric, naming the reviews that looked at each and rendering the table cost most
of the page. What they show is a function of: the partnership's metrics (their definitions and
owners), the metrics' observations, the reviews that looked at them (titles and dates) and the
links, the joint review actions and their cadences (loop closure), the parties' organization
names, the viewer's organization (internal metrics and reviews are their owner's only; the tab
is for those who read the partnership's records, so that is the whole perspective), whether the
viewer may contribute or manage (the "Create an action" and "Adopt" buttons), the category
filter, today (the latest value up to today, staleness and loop closure windows) and the
language. The key names each. Rows are fingerprinted by ``accord.fingerprint``: every service
saves ``updated_at`` on metrics, reviews, actions and cadences; observations have no stamp or
id, so their count, latest period and sums of values, plain and weighted by metric and by
period (an upsert in place, or two values swapped between months or metrics, moves them); the
review ↔ metric links are rewritten by ``set()``, so new ids. See accord/kept.py.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from accord import fingerprint as fp
from accord.accountability.models import Review, ReviewAction, ReviewCadence
from accord.kept import Memory
from accord.partnerships import kept_parts
from accord.partnerships.access import user_organization
from accord.partnerships.models import Partnership
from accord.performance import selectors
from accord.performance.models import Category, Metric, Observation

PREFIX = "performance-scorecard:v1:"
memory = Memory(512)
STAMPED = (*fp.ROWS, "MAX(t.updated_at)")
PERIOD_NUMBER = "CAST(REPLACE(CAST(t.period AS TEXT), '-', '') AS INTEGER)"
VALUES = (
    "COUNT(*)",
    "MAX(t.period)",
    "SUM(t.value)",
    "SUM(t.value * t.value)",
    "SUM(t.value * t.metric_id)",
    f"SUM(t.value * {PERIOD_NUMBER})",
)


def _key(partnership: Partnership, org_id: int | None, inputs: tuple[Any, ...]) -> str:
    p = [partnership.pk]
    metrics = Metric._meta.db_table
    values = f"{Observation._meta.db_table} t JOIN {metrics} m ON m.id = t.metric_id"
    through = Review.metrics_reviewed.through._meta.db_table
    links = f"{through} t JOIN {Review._meta.db_table} r ON r.id = t.review_id"
    state = fp.read(
        fp.part(f"{metrics} t", "t.partnership_id = %s", p, STAMPED),
        fp.part(values, "m.partnership_id = %s", p, VALUES),
        fp.part(f"{Review._meta.db_table} t", "t.partnership_id = %s", p, STAMPED),
        fp.part(links, "r.partnership_id = %s", p, (*fp.ROWS, "SUM(t.review_id * t.metric_id)")),
        fp.part(f"{ReviewAction._meta.db_table} t", "t.partnership_id = %s", p, STAMPED),
        fp.part(f"{ReviewCadence._meta.db_table} t", "t.partnership_id = %s", p, STAMPED),
        kept_parts.parties(partnership.pk),
    )
    full = (partnership.pk, org_id, inputs, translation.get_language(), state)
    return PREFIX + hashlib.sha256(repr(full).encode()).hexdigest()


def sections(
    viewer: Any,
    partnership: Partnership,
    *,
    category: str,
    can_contribute: bool,
    can_manage: bool,
) -> dict[str, SafeString]:
    """The summary cards ("summary") and the metric table ("scores") as HTML: kept, or drawn
    and kept."""
    today = timezone.localdate()
    org = user_organization(viewer)
    inputs = (category, can_contribute, can_manage, today.isoformat())
    key = _key(partnership, org.pk if org is not None else None, inputs)
    kept: dict[str, SafeString] | None = memory.get(key)
    if kept is not None:
        return kept
    whole = selectors.scorecard(partnership=partnership, viewer=viewer, today=today)
    # A metric's row does not depend on the others: the category's rows are the whole card's.
    rows = [r for r in whole.rows if not category or r.metric.category == category]
    reviewed = selectors.reviews_per_metric(partnership=partnership, viewer=viewer)
    for row in rows:
        row.reviewed = reviewed.get(row.metric.pk)
    context = {
        "partnership": partnership,
        "rows": rows,
        "whole": whole,
        "category": category,
        "categories": Category.choices,
        "closure": selectors.loop_closure_rows(partnership=partnership, today=today),
        "can_contribute": can_contribute,
        "can_manage": can_manage,
    }
    kept = {
        name: SafeString(render_to_string(f"performance/_overview_{name}.html", context))
        for name in ("summary", "scores")
    }
    memory.set(key, kept)
    return kept
