"""Objective rows, and the HTML drawn from them, kept per state of everything they read.

``objective_rows`` reads four tables and scores the linked metrics' lights on every request
(the overview card and the objectives tab both ask). What it returns is a function of:

- the partnership's objectives (ids, titles, scope, owner, visibility, description), their
  metric and commitment links, the linked metrics (thresholds, category, direction, name),
  the linked commitments (title, status, due date) and the metrics' observations;
- the viewer's organization (internal records are shown to their owner only) — the rows are
  kept only for those who read the partnership's records, so that is the whole perspective;
- today (an open commitment past its due date is overdue; observations after today are not
  counted).

``key`` reads one aggregate row per table, restricted to this partnership: count, highest id
and sum of ids (a create or delete changes them), the latest ``updated_at`` (every save through
the services, including ``save(update_fields=…)`` in the accountability passes, names it), a
status checksum for commitments, link ids (``set()`` writes new through rows), and for the
stampless observations their count, latest period and sums of values, also weighted by metric
and by period (imports upsert values in place; two values swapped between months or metrics
change the weighted sums). The owning parties' organization names are read as they are. Any change
through the app is a new key; nothing is invalidated by hand. See accord/kept.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.db import connection
from django.utils import translation

from accord.kept import Memory
from accord.partnerships.access import user_organization
from accord.partnerships.models import Partnership

PREFIX = "objectives:v1:"
cache = Memory(512)
T = TypeVar("T")

# One row per table (and per party), columns (t, a, b, c, d); the overview reads these together
# with its own rows in one query (accord/partnerships/kept_overview.py).
STATE_PARTS = """
SELECT 'o' AS t, COUNT(*) AS a, MAX(id) AS b, SUM(id) AS c, CAST(MAX(updated_at) AS TEXT) AS d
  FROM interventions_objective WHERE partnership_id = %s
UNION ALL
SELECT 'om', COUNT(*), MAX(l.id), SUM(l.id), CAST(SUM(l.metric_id) AS TEXT)
  FROM interventions_objective_metrics l
  JOIN interventions_objective o ON o.id = l.objective_id WHERE o.partnership_id = %s
UNION ALL
SELECT 'oc', COUNT(*), MAX(l.id), SUM(l.id), CAST(SUM(l.commitment_id) AS TEXT)
  FROM interventions_objective_commitments l
  JOIN interventions_objective o ON o.id = l.objective_id WHERE o.partnership_id = %s
UNION ALL
SELECT 'm', COUNT(*), MAX(id), SUM(id), CAST(MAX(updated_at) AS TEXT)
  FROM performance_metric WHERE partnership_id = %s
UNION ALL
SELECT 'c', COUNT(*), MAX(id), SUM(id * LENGTH(status)), CAST(MAX(updated_at) AS TEXT)
  FROM accountability_commitment WHERE partnership_id = %s
UNION ALL
SELECT 'v', COUNT(*), NULL, NULL,
  CAST(MAX(v.period) AS TEXT) || ' ' || CAST(SUM(v.value) AS TEXT) || ' '
  || CAST(SUM(v.value * v.value) AS TEXT) || ' '
  || CAST(SUM(v.value * v.metric_id) AS TEXT) || ' '
  || CAST(SUM(v.value * CAST(REPLACE(CAST(v.period AS TEXT), '-', '') AS INTEGER)) AS TEXT)
  FROM performance_observation v
  JOIN performance_metric m ON m.id = v.metric_id WHERE m.partnership_id = %s
UNION ALL
SELECT 'p', p.id, p.organization_id, NULL, g.name
  FROM partnerships_party p
  JOIN partnerships_organization g ON g.id = p.organization_id WHERE p.partnership_id = %s
"""
STATE_PARAMS = 7  # the partnership's id, once per part
STATE_SQL = f"SELECT * FROM ({STATE_PARTS}) state ORDER BY t, a, b"  # noqa: S608


def key(partnership: Partnership, viewer: Any, today: date) -> str:
    """The state the rows of ``partnership`` for ``viewer`` on ``today`` depend on; one query.
    Only for a viewer who reads the partnership's records (see the module docstring)."""
    organization = user_organization(viewer)
    with connection.cursor() as cursor:
        cursor.execute(STATE_SQL, [partnership.pk] * STATE_PARAMS)
        state = cursor.fetchall()
    perspective = (partnership.pk, organization.pk if organization else None, today.isoformat())
    return PREFIX + hashlib.sha256(repr((perspective, state)).encode()).hexdigest()


def kept(state: str, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` kept under ``state`` (a key from ``key``) and ``name``, which must name
    every other input of ``compute`` (the language is added here)."""
    full = f"{state}:{name}:{translation.get_language()}"
    found: tuple[T] | None = cache.get(full)  # a tuple, so None is a value too
    if found is None:
        found = (compute(),)
        cache.set(full, found)
    return found[0]
