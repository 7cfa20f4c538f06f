"""API for the formation playbook: the checklist as the Formation tab shows it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router, Schema

from accord.formation import selectors
from accord.partnerships.access import Need, access_partnership, can, user_organization

router = Router(tags=["formation"])
Id = Path(..., ge=1, le=2**53)


class PartyDoneOut(Schema):
    organization: str
    done: bool


class FormationItemOut(Schema):
    key: str
    label: str
    done: bool
    rule: str
    missing: list[str]
    link: str
    per_party: bool
    parties: list[PartyDoneOut]


class ProgressOut(Schema):
    party: int
    organization: str
    done: int
    total: int


class FormationOut(Schema):
    status: str
    forming: bool
    open_items: int
    progress: list[ProgressOut]
    items: list[FormationItemOut]


@router.get("/partnerships/{partnership_id}/formation", response=FormationOut)
def get_formation(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    org = user_organization(request.user)
    book = selectors.playbook(
        partnership,
        viewer_org_id=org.pk if org else None,
        can_manage=can(request.user, partnership, Need.MANAGE),
    )
    return {
        "status": partnership.status,
        "forming": book.forming,
        "open_items": book.open_count,
        "progress": [
            {"party": p.party, "organization": p.name, "done": p.done, "total": p.total}
            for p in book.progress
        ],
        "items": [
            {
                "key": i.key,
                "label": i.label,
                "done": i.done,
                "rule": i.rule,
                "missing": i.missing,
                "link": i.link,
                "per_party": i.per_party,
                "parties": [{"organization": n, "done": ok} for n, ok in i.parties],
            }
            for i in book.items
        ],
    }
