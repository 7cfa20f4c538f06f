"""The indices page's body (figures, drivers, charts, slips), kept as HTML per ledger state.

Computing the indices reads every entry of both ledgers, runs the domain, reads the driving
entries as records, draws two charts and renders ~1,500 template values: most of the page's
time. The body is a pure function of what the key below names, so it is kept in a process-local
``accord.kept.Memory`` and a changed input is simply a new key; nothing is invalidated by hand.

The key, read in one query (one row per party, the aggregates as uncorrelated sub-selects):

* the parties: id and organization name (names are shown; organizations have no change stamp);
* the ledger settings: base currency and change stamp;
* the rate table: count, highest id, latest stamp, Σ per_unit, Σ id × per_unit, archived count
  (changing the base re-expresses rates with ``bulk_update`` that stamps nothing: the sums see it);
* each ledger, over every entry of the partnership, whoever owns it (another organization's
  internal entry changes everyone's key, never anyone's figures): count, highest id, latest
  ``updated_at``, Σ amount, Σ id × amount, Σ id × party, Σ id × owner, the ids of internal and
  of realized/made entries summed, Σ length of the description. Every write goes through
  ``save()`` (``updated_at`` is ``auto_now``) or the importer, whose ``bulk_update`` sets
  ``updated_at`` too; deleting changes the count;
* the viewer's organization (id and name, shown in the scope line): internal entries count only
  for their owner, so one organization's body is never served to another; whether the viewer may
  contribute (the empty state offers buttons);
* the day shown (``as_of``) and today (slippage, "not made", "Back to today"), the language.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import connection
from django.utils.translation import get_language

from accord.kept import Memory

MAX_ENTRIES = 512
PREFIX = "economics-indices:v1:"

cache = Memory(MAX_ENTRIES)


def _ledger(table: str, party: str, done: str, label: str, extra: str) -> str:
    """The aggregates of one ledger in one scan of its rows (see the module docstring)."""
    return f"""(SELECT COUNT(*) n, MAX(id) top, MAX(updated_at) stamp, SUM(amount) amount,
        SUM(id * amount) a, SUM(id * {party}) b, SUM(id * owner_org_id) c,
        SUM(CASE WHEN visibility = 'internal' THEN id ELSE 0 END) d,
        SUM(CASE WHEN {done} THEN id ELSE 0 END) e,
        SUM(LENGTH(description)) f, SUM(id * LENGTH({label})) g, SUM(id * {extra}) h
        FROM {table} WHERE partnership_id = %s)"""  # noqa: S608 (constants; values are parameters)


_VALUES = _ledger(
    "economics_valueentry", "beneficiary_id", "status = 'realized'", "source", "LENGTH(currency)"
)
_INVESTMENTS = _ledger(
    "economics_investmententry",
    "contributor_id",
    "actual_on IS NOT NULL",
    "kind",
    "(specificity + 2 * recoverability + LENGTH(unit))",
)
_RATES = """(SELECT COUNT(*) n, MAX(id) top, MAX(updated_at) stamp, SUM(per_unit) total,
    SUM(id * per_unit) a, SUM(CASE WHEN archived_at IS NULL THEN 0 ELSE id END) b
    FROM economics_rate WHERE partnership_id = %s)"""
_SETTINGS = """(SELECT MAX(base_currency) base, MAX(updated_at) stamp
    FROM economics_ledgersettings WHERE partnership_id = %s)"""
# One row per party; each derived table is a single row of aggregates, read in one scan.
# Built from the constants above only; the values are parameters.
_FINGERPRINT = (
    "SELECT p.id, o.name, v.*, i.*, r.*, s.*"  # noqa: S608
    f" FROM {_VALUES} v CROSS JOIN {_INVESTMENTS} i CROSS JOIN {_RATES} r"
    f" CROSS JOIN {_SETTINGS} s CROSS JOIN partnerships_party p"
    " JOIN partnerships_organization o ON o.id = p.organization_id"
    " WHERE p.partnership_id = %s ORDER BY p.id"
)
_PARAMS = 5


def key(
    *,
    partnership_id: int,
    organization: Any,
    can_contribute: bool,
    as_of: date,
    today: date,
) -> str | None:
    """The body's key, or None when the partnership has no parties (nothing worth keeping)."""
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT, [partnership_id] * _PARAMS)
        rows = cursor.fetchall()
    if not rows:
        return None
    state = (
        partnership_id,
        [tuple(str(v) for v in row) for row in rows],
        (organization.pk, organization.name) if organization is not None else None,
        can_contribute,
        as_of.isoformat(),
        today.isoformat(),
        get_language(),
    )
    return PREFIX + hashlib.sha256(repr(state).encode()).hexdigest()
