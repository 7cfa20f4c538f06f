"""The decision-rights page's matrix, joint bodies and headline, kept as HTML per state.

Rendering the matrix and reading the proposals' decision times cost most of the page; both are
a pure function of: the partnership's live and archived domains, its joint bodies and their
members, its proposals (which the viewer sees depends on the viewer's organization: internal
proposals are its own only), its parties' organizations (a domain's decider is named by its
owner's organization), whether the viewer may manage (the Change/Rename column) and the
language. The key names each (rows fingerprinted by ``accord.fingerprint``: every service
that writes them saves ``updated_at`` or adds or deletes rows; joint body members, which have
no stamp, are replaced by delete and insert, so new ids). Nothing here reads the clock: the
open count and the median days to decide come from stored stamps only. The forms (add a
domain), the CSRF token and the actions stay outside, rendered per request.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from accord import fingerprint as fp
from accord.governance import selectors
from accord.governance.models import DecisionDomain, JointBody, JointBodyMember, Proposal
from accord.kept import Memory
from accord.partnerships import kept_parts
from accord.partnerships.access import user_organization
from accord.partnerships.models import Partnership

PREFIX = "governance-matrix:v1:"
memory = Memory(512)
STAMPED = (*fp.ROWS, "MAX(t.updated_at)")


def _key(partnership: Partnership, org_id: int | None, can_manage: bool) -> str:
    p = [partnership.pk]
    members = (
        f"{JointBodyMember._meta.db_table} t JOIN {JointBody._meta.db_table} b ON b.id = t.body_id"
    )
    state = fp.read(
        fp.part(DecisionDomain._meta.db_table + " t", "t.partnership_id = %s", p, STAMPED),
        fp.part(JointBody._meta.db_table + " t", "t.partnership_id = %s", p, STAMPED),
        fp.part(members, "b.partnership_id = %s", p, fp.ROWS),
        fp.part(Proposal._meta.db_table + " t", "t.partnership_id = %s", p, STAMPED),
        kept_parts.parties(partnership.pk),
    )
    inputs = (partnership.pk, org_id, can_manage, translation.get_language(), state)
    return PREFIX + hashlib.sha256(repr(inputs).encode()).hexdigest()


def sections(viewer: Any, partnership: Partnership, can_manage: bool) -> dict[str, SafeString]:
    """The headline, the matrix and the joint bodies as HTML: kept, or drawn and kept."""
    org = user_organization(viewer)
    key = _key(partnership, org.pk if org is not None else None, can_manage)
    kept: dict[str, SafeString] | None = memory.get(key)
    if kept is not None:
        return kept
    summary = selectors.proposal_summary(partnership=partnership, viewer=viewer)
    ctx = {
        "partnership": partnership,
        "can_manage": can_manage,
        "domains": list(selectors.domains(partnership=partnership)),
        "bodies": list(selectors.joint_body_sizes(partnership=partnership)),
        "open_count": summary.open_count,
        "cycle": summary,
        "modes": _modes(),
    }
    kept = {
        name: SafeString(render_to_string(f"governance/_matrix_{name}.html", ctx))
        for name in ("meta", "table", "bodies")
    }
    kept["matrix"] = kept.pop("table")
    memory.set(key, kept)
    return kept


def _modes() -> list[tuple[str, str]]:
    from accord.governance.models import MODE_HELP, Mode

    return [(m.label, MODE_HELP[m]) for m in Mode]
