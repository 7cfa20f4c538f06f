"""Governance API: decision cycle times and the charter."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status

from accord.governance import selectors, services
from accord.governance.api._common import BASE, Id
from accord.governance.api._router import router
from accord.governance.charter import charter_markdown
from accord.governance.views.charter import current_charter
from accord.partnerships.access import Need, access_partnership


class CycleCellOut(Schema):
    party_id: int
    median_days: float | None
    decisions: int


class CycleRowOut(Schema):
    domain_id: int
    domain: str
    median_days: float | None
    mean_days: float | None
    decisions: int
    by_party: list[CycleCellOut]


class CycleOut(Schema):
    median_days: float | None
    mean_days: float | None
    decisions: int
    open: int
    domains: list[CycleRowOut]
    by_party: list[CycleCellOut]


class SignoffOut(Schema):
    organization: str
    signed_by: str
    signed_on: str
    current_version: bool


class CharterOut(Schema):
    version: str
    markdown: str
    signoffs: list[SignoffOut]


class SignoffCreatedOut(Schema):
    party_id: int
    charter_hash: str
    signed_at: datetime


@router.get(
    f"{BASE}/cycle-times", response=CycleOut, operation_id="accord_governance_api_cycle_times"
)
def cycle_times(request: HttpRequest, partnership_id: int = Id) -> Any:
    """Days from proposal to decision: per domain, per proposing party, and overall."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    table = selectors.cycle_times(partnership=partnership, viewer=request.user)
    party_ids = [p.pk for p in table.parties]
    return {
        "median_days": table.overall[0],
        "mean_days": table.overall[1],
        "decisions": table.overall[2],
        "open": table.open_count,
        "domains": [
            {
                "domain_id": r["domain"].pk,
                "domain": r["domain"].label,
                "median_days": r["median"],
                "mean_days": r["mean"],
                "decisions": r["count"],
                "by_party": [
                    {"party_id": pid, "median_days": median, "decisions": n}
                    for pid, (median, n) in zip(party_ids, r["cells"], strict=True)
                ],
            }
            for r in table.rows
        ],
        "by_party": [
            {"party_id": pid, "median_days": median, "decisions": n}
            for pid, (median, n) in zip(party_ids, table.party_totals, strict=True)
        ],
    }


@router.get(
    f"{BASE}/charter", response=CharterOut, operation_id="accord_governance_api_get_charter"
)
def get_charter(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    doc, digest = current_charter(partnership)
    return {
        "version": digest,
        "markdown": charter_markdown(doc),
        "signoffs": [
            {"organization": o, "signed_by": who, "signed_on": when, "current_version": current}
            for o, who, when, current in doc.signoffs
        ],
    }


@router.post(
    f"{BASE}/charter/sign-offs",
    response={201: SignoffCreatedOut},
    operation_id="accord_governance_api_sign_charter",
)
def sign_charter(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    return Status(201, services.charter_sign(partnership=partnership, user=request.user))
