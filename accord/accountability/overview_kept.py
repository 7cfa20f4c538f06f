"""The accountability overview's summary sections, kept as HTML per the state they show.

The counts by status, "Needs escalation?", on-time delivery and oversight balance cost most of
the overview (every commitment's dates for the on-time rates, the misses judged for escalation,
the monitoring requests of a quarter). They are a pure function of:

- the partnership's commitments (all of them, whatever their visibility: a superset of what the
  viewer sees, so another party's internal edit only costs a recomputation), its review
  actions, its monitoring requests — each fingerprinted by count, highest id and latest
  ``updated_at``. Every write path stamps ``updated_at`` (``save()`` with ``auto_now``, or
  ``update_fields`` naming it: the missed pass and escalation); the due-soon pass saves only
  ``due_soon_notified_on``, which no kept section shows; deletes lower the count or the id sum;
  nothing imports these tables in bulk;
- its parties (count, highest id, latest ``joined_at``) and their organizations' names (a
  length sum: no service renames an organization; this is a guard, not an exact fingerprint);
- its accountability settings (the two windows themselves, and ``updated_at``);
- the viewer's organization (internal commitments and actions differ per organization; a
  reader of the partnership sees joint records plus its own organization's internal ones, see
  ``record_reader_filter``), today's date in the active time zone (overdue, the quarters and
  the oversight window move with it), the language;

all read in one query. A changed input is a new key; nothing is invalidated by hand. The
sections hold no form, no CSRF token, no message and no person's name (names depend on the
viewer's people lens): the due-soon list and the next reviews are rendered fresh per request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from accord.accountability.models import (
    AccountabilitySettings,
    Commitment,
    MonitoringRequest,
    ReviewAction,
)
from accord.kept import Memory
from accord.partnerships.models import Organization, Partnership, Party

PREFIX = "acc-overview:v1:"
TEMPLATE = "accountability/_overview_summary.html"

kept = Memory(512)


def _stamped(model: Any) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    # Quoted identifiers from the models; the partnership is a parameter.
    return f"(SELECT COUNT(*), MAX(id), SUM(id), MAX(updated_at) FROM {table} WHERE partnership_id = %s)"  # noqa: S608, E501


def fingerprint(partnership: Partnership) -> tuple[Any, ...]:
    """Every stored input of the summary sections (see the module's docstring), one query."""
    q = connection.ops.quote_name
    party, org = q(Party._meta.db_table), q(Organization._meta.db_table)
    settings = q(AccountabilitySettings._meta.db_table)
    sql = (  # quoted identifiers from the models; the partnership is a parameter
        "SELECT * FROM "  # noqa: S608
        f"{_stamped(Commitment)} c, {_stamped(ReviewAction)} a, "
        f"{_stamped(MonitoringRequest)} m, "
        f"(SELECT COUNT(*), MAX(p.id), MAX(p.joined_at), SUM(LENGTH(o.name)) FROM {party} p "
        f"JOIN {org} o ON o.id = p.organization_id WHERE p.partnership_id = %s) p, "
        "(SELECT MAX(action_overdue_window_days), MAX(repeat_miss_window_days), "
        f"MAX(updated_at) FROM {settings} WHERE partnership_id = %s) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [partnership.pk] * 5)
        row = cursor.fetchone()
    return tuple(str(v) for v in row)


def summary_html(
    *,
    partnership: Partnership,
    viewer_org_id: int | None,
    today: date,
    context: Callable[[], dict[str, Any]],
) -> SafeString:
    """The summary sections' HTML for this state, computed (``context()``) and kept on a miss."""
    state = (
        partnership.pk,
        viewer_org_id,
        today.isoformat(),
        translation.get_language(),
        fingerprint(partnership),
    )
    key = PREFIX + hashlib.sha256(repr(state).encode()).hexdigest()
    html = kept.get(key)
    if html is None:
        html = render_to_string(TEMPLATE, {"partnership": partnership, **context()})
        kept.set(key, html)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there
