"""The overview's sections, kept as HTML per state of everything they show.

The overview read four tables through the ORM (parties, participants, pending invitations,
recent audit events) and the objectives card's state on every request; building those queries
and their rows cost most of the page. What its sections show is a function of:

- the partnership's own fields (already read, with the viewer's role, by ``access_partnership``:
  taken as they are);
- its parties and their organizations' names, with the dates they joined;
- its participants: role, organization's name and the person's names;
- when participant lists are restricted, the members of the party organizations too (the
  people lens hides other organizations' people in the participant list and recent activity);
- the audit events the viewer reads (joint ones, and their organization's internal ones — the
  events are append-only, so their count and ids say which); only for readers;
- the pending invitations, read with the clock (expiry writes nothing); only for managers;
- the objectives card's own state (``accord.interventions.kept_objectives``) and today;
- the viewer's organization, whether they may read and manage, the language and time zone.

Names and dates change without a stamp, so those rows are read in full, not summed; all of it
in one query. Pending invitations carry a withdraw form with a CSRF token: they are kept as
rows and drawn per request outside the kept HTML. Nothing is invalidated by hand: a change is
a new key. See accord/kept.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from accord.interventions import kept_objectives
from accord.kept import Memory
from accord.partnerships import selectors
from accord.partnerships.access import (
    lens_audit_events,
    people_lens,
    user_organization,
    visible_participants,
)
from accord.partnerships.audit import AuditEvent
from accord.partnerships.models import Invitation, Partnership

PREFIX = "partnership-overview:v1:"
memory = Memory(512)
SECTIONS = ("head", "parties", "objectives", "people")
RECENT = 8  # events in "Recent activity"

# Rows in kept_objectives' shape (t, a, b, c, d), so both are read in one query.
PARTIES = """
SELECT 'pa' AS t, t.id AS a, t.organization_id AS b, NULL AS c,
       CAST(t.joined_at AS TEXT) || '|' || o.name AS d
  FROM partnerships_party t JOIN partnerships_organization o ON o.id = t.organization_id
 WHERE t.partnership_id = %s"""
PARTICIPANTS = """
SELECT 'pt', t.id, t.user_id, t.organization_id,
       t.role || '|' || u.first_name || '|' || u.last_name || '|' || u.username || '|' || o.name
  FROM partnerships_participant t JOIN {user} u ON u.id = t.user_id
  JOIN partnerships_organization o ON o.id = t.organization_id
 WHERE t.partnership_id = %s"""
PARTY_MEMBERS = """
SELECT 'pm', t.id, t.user_id, t.organization_id,
       u.first_name || '|' || u.last_name || '|' || u.username || '|' || o.name
  FROM partnerships_membership t JOIN {user} u ON u.id = t.user_id
  JOIN partnerships_organization o ON o.id = t.organization_id
 WHERE t.organization_id IN (SELECT organization_id FROM partnerships_party
                              WHERE partnership_id = %s)"""
EVENTS = """
SELECT 'ae', COUNT(*), MAX(t.id), SUM(t.id), NULL FROM partnerships_auditevent t
 WHERE t.partnership_id = %s AND (t.visibility = 'joint' OR t.owner_org_id = %s)"""
INVITATIONS = """
SELECT 'iv', t.id, t.organization_id, NULL,
       t.kind || '|' || t.email || '|' || t.organization_name || '|' || t.participant_role
       || '|' || CAST(t.expires_at AS TEXT) || '|' || COALESCE(o.name, '')
  FROM partnerships_invitation t LEFT JOIN partnerships_organization o ON o.id = t.organization_id
 WHERE t.partnership_id = %s AND t.accepted_at IS NULL AND t.revoked_at IS NULL
   AND t.expires_at > %s"""


@dataclass(frozen=True)
class Overview:
    """The kept sections' HTML, and the pending invitations drawn around them per request."""

    sections: dict[str, SafeString]
    invitations: list[Invitation]


def overview(
    request: HttpRequest, partnership: Partnership, *, can_read: bool, can_manage: bool
) -> Overview:
    """The overview's sections for the request's viewer: kept, or drawn and kept."""
    org = user_organization(request.user)
    org_id = org.pk if org is not None else None
    key = _key(partnership, org_id, can_read=can_read, can_manage=can_manage)
    found: Overview | None = memory.get(key)
    if found is None:
        found = _draw(request, partnership, can_read=can_read, can_manage=can_manage)
        memory.set(key, found)
    return found


def _key(partnership: Partnership, org_id: int | None, *, can_read: bool, can_manage: bool) -> str:
    pk, user = partnership.pk, get_user_model()._meta.db_table
    parts = [kept_objectives.STATE_PARTS, PARTIES, PARTICIPANTS.format(user=user)]
    params: list[Any] = [pk] * kept_objectives.STATE_PARAMS + [pk, pk]
    if partnership.restrict_participant_lists:
        parts.append(PARTY_MEMBERS.format(user=user))
        params.append(pk)
    if can_read:
        parts.append(EVENTS)
        params += [pk, org_id]
    if can_manage:
        parts.append(INVITATIONS)
        params += [pk, connection.ops.adapt_datetimefield_value(timezone.now())]
    # The parts are this module's and kept_objectives' constants; values are parameters.
    sql = f"SELECT * FROM ({' UNION ALL '.join(parts)}) state ORDER BY t, a, b"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        state = cursor.fetchall()
    fields = tuple(getattr(partnership, f.attname) for f in Partnership._meta.concrete_fields)
    perspective = (
        org_id,
        can_read,
        can_manage,
        timezone.localdate().isoformat(),
        timezone.get_current_timezone_name(),
        translation.get_language(),
    )
    return PREFIX + hashlib.sha256(repr((fields, perspective, state)).encode()).hexdigest()


def _draw(
    request: HttpRequest, partnership: Partnership, *, can_read: bool, can_manage: bool
) -> Overview:
    viewer = request.user
    recent: list[AuditEvent] = []
    if can_read:
        events = AuditEvent.objects.visible_to(viewer).filter(partnership=partnership)
        recent = lens_audit_events(people_lens(viewer, partnership), events[:RECENT])
    invitations: list[Invitation] = []
    if can_manage:
        invitations = list(selectors.pending_invitations(partnership=partnership))
    context = {
        # No request context processors: the sections show nothing of the request but its
        # viewer (the `person` tag and the objectives card read `request.user`).
        "request": request,
        "partnership": partnership,
        "parties": list(selectors.party_rows(partnership=partnership)),
        "participants": list(visible_participants(viewer, partnership)),
        "can_manage": can_manage,
        "can_read": can_read,
        "recent": recent,
        "invitations": invitations,
    }
    sections = {
        name: SafeString(render_to_string(f"partnerships/_overview_{name}.html", context))
        for name in SECTIONS
    }
    return Overview(sections=sections, invitations=invitations)
