"""The Formation tab's progress table and checklist, kept as HTML per state.

Once the facts are read in plain SQL (two queries, under a millisecond), the rest of the tab's
own time is building the checklist in words and rendering it. Both are a pure function of the
records the facts were read from (``selectors.Records``: the facts, each party's organization
and its name), the partnership (its id in the links, its status in the headline), the viewer's
organization (the "you" row), whether the viewer may manage (the settings link goes to the edit
form or to the settings page) and the language. The key names each; the records themselves are
read on every request, so nothing a fingerprint might miss (a round whose closing time has just
passed, a cadence that ended today) can go stale. No form or CSRF token is kept. See
accord/kept.py.
"""

from __future__ import annotations

import hashlib

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from accord.formation import selectors
from accord.kept import Memory
from accord.partnerships.models import Partnership

PREFIX = "formation-playbook:v1:"
memory = Memory(512)


def _key(
    partnership: Partnership, read: selectors.Records, org_id: int | None, can_manage: bool
) -> str:
    # repr is exact for these ints, strings and booleans: different state, different key (an
    # equal state written in another order would only be a miss, never a wrong hit).
    inputs = (
        partnership.pk,
        partnership.status,
        org_id,
        can_manage,
        translation.get_language(),
        read,
    )
    return PREFIX + hashlib.sha256(repr(inputs).encode()).hexdigest()


def playbook_html(
    partnership: Partnership, *, viewer_org_id: int | None, can_manage: bool
) -> SafeString:
    """The progress table and the checklist as HTML: kept, or drawn and kept."""
    read = selectors.records(partnership)
    key = _key(partnership, read, viewer_org_id, can_manage)
    kept: SafeString | None = memory.get(key)
    if kept is not None:
        return kept
    book = selectors.playbook(
        partnership, viewer_org_id=viewer_org_id, can_manage=can_manage, read=read
    )
    context = {"partnership": partnership, "book": book}
    kept = SafeString(render_to_string("formation/_playbook.html", context))
    memory.set(key, kept)
    return kept
