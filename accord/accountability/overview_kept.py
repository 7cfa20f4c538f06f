"""The accountability overview's sections, kept as HTML per the state they show.

The counts by status, "Needs escalation?", on-time delivery and oversight balance cost most of
the overview (every commitment's dates for the on-time rates, the misses judged for escalation,
the monitoring requests of a quarter); the lists below them (due in two weeks, next reviews,
overdue actions) cost a query each. Both are a pure function of:

- the partnership's commitments (all of them, whatever their visibility: a superset of what the
  viewer sees, so another party's internal edit only costs a recomputation), its review
  actions, its monitoring requests and its reviews — each fingerprinted by count, highest id, id
  sum and latest ``updated_at``. Every write path stamps ``updated_at`` (``save()`` with
  ``auto_now``, or ``update_fields`` naming it: the missed pass and escalation), except two:
  the due-soon pass saves only ``due_soon_notified_on``, which no section shows, and ending a
  cadence cancels its future reviews with ``QuerySet.update(status=...)``, which the id sum of
  scheduled reviews sees. Deletes lower the count or the id sum; nothing imports these tables;
- the next scheduled review's time from now on (a review drops out of "next reviews" when it
  starts: that moves this minimum, hence the key);
- its parties (count, highest id, latest ``joined_at``) and their organizations' names (a
  length sum: no service renames an organization; this is a guard, not an exact fingerprint);
- its accountability settings (the two windows themselves, and ``updated_at``);
- the viewer's organization (internal commitments, reviews and actions differ per
  organization; a reader of the partnership sees joint records plus its own organization's
  internal ones, see ``record_reader_filter``), whether the viewer manages the partnership (an
  empty review list offers a cadence), today's date in the active time zone (due soon, overdue,
  the quarters and the oversight window move with it), that time zone (review times are
  shown in it), the language;

all read in one query. A changed input is a new key; nothing is invalidated by hand. The
sections hold no form, no CSRF token and no message. People are named in the due-soon list:
by their names (set when they join; no path edits them) unless the partnership restricts
participant lists — then names go through the viewer's people lens, and the lists are rendered
per request instead of kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from accord.accountability.models import (
    AccountabilitySettings,
    Commitment,
    MonitoringRequest,
    Review,
    ReviewAction,
)
from accord.kept import Memory
from accord.partnerships.models import Organization, Partnership, Party

PREFIX = "acc-overview:v2:"
SUMMARY = "accountability/_overview_summary.html"
LISTS = "accountability/_overview_lists.html"

kept = Memory(512)


def _stamped(model: Any) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    # Quoted identifiers from the models; the partnership is a parameter.
    return f"(SELECT COUNT(*), MAX(id), SUM(id), MAX(updated_at) FROM {table} WHERE partnership_id = %s)"  # noqa: S608, E501


def fingerprint(partnership: Partnership, now: datetime) -> tuple[Any, ...]:
    """Every stored input of the kept sections (see the module's docstring), one query."""
    q = connection.ops.quote_name
    party, org = q(Party._meta.db_table), q(Organization._meta.db_table)
    settings, review = q(AccountabilitySettings._meta.db_table), q(Review._meta.db_table)
    sql = (  # quoted identifiers from the models; the partnership is a parameter
        "SELECT * FROM "  # noqa: S608
        f"{_stamped(Commitment)} c, {_stamped(ReviewAction)} a, "
        f"{_stamped(MonitoringRequest)} m, "
        f"(SELECT COUNT(*), MAX(p.id), MAX(p.joined_at), SUM(LENGTH(o.name)) FROM {party} p "
        f"JOIN {org} o ON o.id = p.organization_id WHERE p.partnership_id = %s) p, "
        "(SELECT MAX(action_overdue_window_days), MAX(repeat_miss_window_days), "
        f"MAX(updated_at) FROM {settings} WHERE partnership_id = %s) s, "
        "(SELECT COUNT(*), MAX(id), SUM(id), MAX(updated_at), "
        "SUM(CASE WHEN status = %s THEN id ELSE 0 END), "
        "MIN(CASE WHEN status = %s AND scheduled_at >= %s THEN scheduled_at END) "
        f"FROM {review} WHERE partnership_id = %s) r"
    )
    pk, scheduled = partnership.pk, Review.Status.SCHEDULED
    with connection.cursor() as cursor:
        next_from = connection.ops.adapt_datetimefield_value(now)  # as the column stores it
        cursor.execute(sql, [pk] * 5 + [scheduled, scheduled, next_from, pk])
        row = cursor.fetchone()
    return tuple(str(v) for v in row)


def kept_sections(
    *,
    partnership: Partnership,
    viewer_org_id: int | None,
    can_manage: bool,
    today: date,
    now: datetime,
    summary: Callable[[], dict[str, Any]],
    lists: Callable[[], dict[str, Any]],
) -> tuple[SafeString, SafeString | None]:
    """The summary sections' HTML and, unless the partnership restricts participant lists (then
    people are named through the viewer's lens: the caller renders the lists per request), the
    lists' HTML, for this state; computed (``summary()``, ``lists()``) and kept on a miss."""
    restricted = bool(partnership.restrict_participant_lists)
    state = (
        partnership.pk,
        viewer_org_id,
        can_manage,
        restricted,
        today.isoformat(),
        timezone.get_current_timezone_name(),  # times are shown in it
        translation.get_language(),
        fingerprint(partnership, now),
    )
    key = PREFIX + hashlib.sha256(repr(state).encode()).hexdigest()
    html = kept.get(key)
    if html is None:
        base = {"partnership": partnership, "can_manage": can_manage}
        html = (
            render_to_string(SUMMARY, {**base, **summary()}),
            None if restricted else render_to_string(LISTS, {**base, **lists()}),
        )
        kept.set(key, html)
    # Rendered by our own templates, which escape what they show.
    return mark_safe(html[0]), None if html[1] is None else mark_safe(html[1])  # noqa: S308
