"""The communication overview's notice record and thread list, kept as HTML per state.

Reading a year of change notices, scoring them per party and drawing the list cost most of the
page (the thread form is drawn per request). What the two sections show is a pure function of:
the partnership's change notices and threads (internal ones only for their own organization:
the viewer's organization is in the key), its parties and their organizations' names, its
agreed notice period, today's date in the active time zone (the record covers the 365 days up
to today), the time zone and the language (dates, labels). The open concerns' count, shown in
the header, is read by the same fingerprint query.

Notices and threads are only created, or saved whole or with ``updated_at`` in update_fields
(answering a notice); acknowledgements are not shown here. Concerns close with
``update_fields=["closed_at"]`` and no stamp, so their open count is itself a figure of the
fingerprint. No importer or QuerySet.update writes these tables.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from accord import fingerprint as fp
from accord.communication import selectors
from accord.communication.models import ChangeNotice, Concern, Thread
from accord.kept import Memory
from accord.partnerships.access import user_organization
from accord.partnerships.models import Organization, Partnership, Party

PREFIX = "communication-overview:v1:"
memory = Memory(512)
STAMPED = (*fp.ROWS, "MAX(t.updated_at)")
ORGS = ("SUM(o.id)", "SUM(LENGTH(o.name))")  # organizations have no stamp
OPEN = "SUM(CASE WHEN t.closed_at IS NULL THEN 1 ELSE 0 END)"

# What the list shows of each thread (the messages and files are on the thread's page).
_LISTED = (
    "title",
    "kind",
    "visibility",
    "created_at",
    "meeting_on",
    "owner_org__name",
    "partnership_id",
)


def _state(partnership: Partnership) -> tuple:
    """The rows' part of the key, in one query; its first figure is the open concerns' count."""
    p = [partnership.pk]
    orgs = f"JOIN {Organization._meta.db_table} o ON o.id = t."
    return fp.read(
        fp.part(Concern._meta.db_table + " t", "t.partnership_id = %s", p, (OPEN,)),
        fp.part(
            f"{Thread._meta.db_table} t {orgs}owner_org_id",
            "t.partnership_id = %s",
            p,
            (*STAMPED, *ORGS),
        ),
        fp.part(ChangeNotice._meta.db_table + " t", "t.partnership_id = %s", p, STAMPED),
        fp.part(
            f"{Party._meta.db_table} t {orgs}organization_id",
            "t.partnership_id = %s",
            p,
            (*fp.ROWS, *ORGS),
        ),
    )


def sections(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    """The notice record and the threads as HTML, and the open concerns' count: kept, or drawn
    and kept."""
    viewer = request.user
    org = user_organization(viewer)
    state = _state(partnership)
    inputs = (
        partnership.pk,
        org.pk if org is not None else None,
        partnership.notice_lead_days,
        timezone.localdate().isoformat(),
        timezone.get_current_timezone_name(),
        translation.get_language(),
        state,
    )
    key = PREFIX + hashlib.sha256(repr(inputs).encode()).hexdigest()
    kept: dict[str, Any] | None = memory.get(key)
    if kept is not None:
        return kept
    ctx = {
        "partnership": partnership,
        "threads": selectors.threads_for(partnership=partnership, viewer=viewer)
        .select_related("owner_org")
        .only(*_LISTED),
        "record": selectors.notice_record(partnership=partnership, viewer=viewer),
    }
    kept = {
        name: SafeString(render_to_string(f"communication/_overview_{name}.html", ctx))
        for name in ("record", "threads")
    }
    kept["open_concerns"] = int(float(state[0])) if state[0] != "None" else 0
    memory.set(key, kept)
    return kept
