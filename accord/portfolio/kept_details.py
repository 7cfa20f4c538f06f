"""A portfolio page's details (stored health, active alerts, last joint activity, partners), kept
per state of the rows they are read from.

Reading them is four queries whose composition cost more than the rest of the page; a page read
again in the same state reads one fingerprint instead. The fingerprint, over the page's
partnerships only: their latest health scores (each scoring pass deletes and re-creates them:
new ids and a new ``computed_at``; the values shown are summed too, weighted by id), their
alerts (a state change moves the sum of id × length of the state: "open", "acknowledged",
"resolved" and "cleared" differ in length; a new alert is a new id), the latest joint audit
event's time (the value shown; the chain is append-only) and their parties with the
organizations' names. Plus the viewer's organization (it is left out of the partners) and the
page's ids in order. See accord/kept.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from accord import fingerprint as fp
from accord.domain.health import GROUPS
from accord.health.models import Alert, HealthScore
from accord.kept import Memory
from accord.partnerships.audit import INTERNAL, AuditEvent
from accord.partnerships.models import Organization, Party

PREFIX = "portfolio-details:v1:"
memory = Memory(512)
# What a row shows of a score, weighted by row (a value edited in place, or two swapped).
SHOWN = tuple(
    f"SUM(COALESCE(t.{column}, -1000) * t.id)"
    for column in ("overall", "trend", *(str(g) for g in GROUPS))
)
Reader = Callable[..., dict[int, dict[str, Any]]]
ORGS = (*fp.ROWS, "SUM(o.id)", "SUM(LENGTH(o.name))", "SUM(t.id * o.id)")


def key(ids: list[int], viewer_org_id: int | None) -> str:
    marks = ", ".join(["%s"] * len(ids))
    within = f"t.partnership_id IN ({marks})"
    parties = (
        f"{Party._meta.db_table} t JOIN {Organization._meta.db_table} o ON o.id = t.organization_id"
    )
    state = fp.read(
        fp.part(
            f"{HealthScore._meta.db_table} t",
            f"{within} AND t.latest = %s",
            [*ids, True],
            (*fp.ROWS, "MAX(t.computed_at)", "MAX(t.period_start)", *SHOWN),
        ),
        fp.part(
            f"{Alert._meta.db_table} t", within, ids, (*fp.ROWS, "SUM(t.id * LENGTH(t.state))")
        ),
        fp.part(
            f"{AuditEvent._meta.db_table} t",
            f"{within} AND t.visibility <> %s",
            [*ids, INTERNAL],
            ("COUNT(*)", "MAX(t.created_at)"),
        ),
        fp.part(parties, within, ids, ORGS),
    )
    return PREFIX + hashlib.sha256(repr((ids, viewer_org_id, state)).encode()).hexdigest()


def kept_details(
    ids: list[int], *, viewer_org_id: int | None, read: Reader
) -> dict[int, dict[str, Any]]:
    """``read(ids, viewer_org_id=…)`` (``selectors.details``): kept, or read and kept."""
    if not ids:
        return {}
    state = key(ids, viewer_org_id)
    found: dict[int, dict[str, Any]] | None = memory.get(state)
    if found is None:
        found = read(ids, viewer_org_id=viewer_org_id)
        memory.set(state, found)
    return found
