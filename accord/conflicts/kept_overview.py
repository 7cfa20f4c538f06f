"""The conflicts overview's signals, ladder and issue list, kept as HTML per state.

Reading the issues (with their climbs) twice and drawing them cost most of the page. What the
three sections show is a pure function of: the partnership's issues and their tier changes
(which ones the viewer sees depends on the viewer's organization, for internal issues, and on
whether the viewer reads or only facilitates: a facilitator sees joint issues that reached
facilitation, i.e. a tier change), the issues' owner organizations and raisers (names), the
partnership's escalation windows (deadlines and the ladder), the state filter, the language and
the time zone (dates), and, when the partnership restricts participant lists, who takes part
with which organization and who facilitates (how raisers are named, ``PeopleLens``).

Every service that changes an issue saves it with ``updated_at`` (raise, comment, escalate by
hand or by the escalation pass, resolve, withdraw); tier changes are only inserted. Nothing is
computed from the clock: "moves up on" is the tier entry plus the window, and the escalation
pass writes when a window passes. The exit-procedure notice, the raise button and the
facilitator note stay per request.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from accord import fingerprint as fp
from accord.conflicts import selectors
from accord.conflicts.models import Issue, TierChange
from accord.conflicts.signals import signals_for_viewer
from accord.kept import Memory
from accord.partnerships.access import Need, can, participant_role, user_organization
from accord.partnerships.models import (
    Membership,
    Organization,
    Participant,
    Partnership,
    Party,
)

STATES = [("open", "Open"), ("resolved", "Resolved"), ("withdrawn", "Withdrawn"), ("all", "All")]
PREFIX = "conflicts-overview:v1:"
memory = Memory(512)
STAMPED = (*fp.ROWS, "MAX(t.updated_at)")
FACILITATORS = "SUM(CASE WHEN t.role = %s THEN t.id ELSE 0 END)"
NAMES = ("SUM(o.id)", "SUM(LENGTH(o.name))", "SUM(LENGTH(u.first_name) + LENGTH(u.last_name))")


def _state(partnership: Partnership) -> tuple:
    """The rows' part of the key, in one query (see the module's docstring)."""
    p, users = [partnership.pk], get_user_model()._meta.db_table
    issues = (
        f"{Issue._meta.db_table} t JOIN {Organization._meta.db_table} o ON o.id = t.owner_org_id"
        f" LEFT JOIN {users} u ON u.id = t.created_by_id"
    )
    climbs = f"{TierChange._meta.db_table} t JOIN {Issue._meta.db_table} i ON i.id = t.issue_id"
    parts = [
        fp.part(issues, "t.partnership_id = %s", p, (*STAMPED, *NAMES)),
        fp.part(climbs, "i.partnership_id = %s", p, fp.ROWS),
    ]
    if partnership.restrict_participant_lists:  # the lens names only some people
        people = f"{Participant._meta.db_table} t JOIN {users} u ON u.id = t.user_id"
        members = f"{Membership._meta.db_table} t JOIN {users} u ON u.id = t.user_id"
        parties = f"t.organization_id IN (SELECT organization_id FROM {Party._meta.db_table} "  # noqa: S608
        figures = (
            *fp.ROWS,
            "SUM(t.organization_id)",
            "SUM(LENGTH(u.first_name) + LENGTH(u.last_name))",
        )
        parts += [
            fp.part(people, "t.partnership_id = %s", p, figures),
            fp.part(
                people,
                "t.partnership_id = %s",
                [Participant.Role.FACILITATOR.value, *p],
                (FACILITATORS,),
            ),
            fp.part(members, parties + "WHERE partnership_id = %s)", p, figures),
        ]
    return fp.read(*parts)


def sections(request: HttpRequest, partnership: Partnership, state: str) -> dict[str, SafeString]:
    """The signals with the ladder, and the issue list in ``state``, as HTML: kept, or drawn
    and kept."""
    viewer = request.user
    org = user_organization(viewer)
    reads = can(viewer, partnership, Need.READ)
    inputs = (
        partnership.pk,
        org.pk if org is not None else None,
        reads or participant_role(viewer, partnership),
        sorted(partnership.escalation_windows.items()),
        partnership.restrict_participant_lists,
        state,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        _state(partnership),
    )
    key = PREFIX + hashlib.sha256(repr(inputs).encode()).hexdigest()
    kept: dict[str, SafeString] | None = memory.get(key)
    if kept is not None:
        return kept
    visible = selectors.issues_for(partnership=partnership, viewer=viewer)
    rows = list(
        selectors.issue_rows(
            partnership=partnership,
            viewer=viewer,
            state="" if state == "all" else state,
            issues=visible,
        )[:200]
    )
    for issue in rows:
        issue.deadline = selectors.tier_deadline(issue, partnership)
    tiers = selectors.ladder_steps(partnership=partnership)  # the page shows no owners
    signals = signals_for_viewer(partnership=partnership, viewer=viewer, issues=visible)
    ctx = {
        "request": request,  # {% person %}: the viewer's lens, a function of the key
        "partnership": partnership,
        "rows": rows,
        "state": state,
        "states": STATES,
        "signals": signals,
        "tiers": [(t, signals.open_by_tier[t.order - 1]) for t in tiers],
    }
    kept = {
        name: SafeString(render_to_string(f"conflicts/_overview_{name}.html", ctx))
        for name in ("signals", "issues")
    }
    memory.set(key, kept)
    return kept
