from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from accord.governance import selectors
from accord.governance.models import DecisionDomain, JointBody, Proposal
from accord.partnerships.access import NOT_FOUND, Need, can
from accord.partnerships.models import Partnership


def context(request: HttpRequest, partnership: Partnership, section: str, **extra: Any) -> dict:
    """What every governance page needs: the partnership, its settings, the viewer's powers."""
    return {
        "partnership": partnership,
        "gov": selectors.governance_settings(partnership=partnership),
        "section": section,
        "can_manage": can(request.user, partnership, Need.MANAGE),
        "can_contribute": can(request.user, partnership, Need.CONTRIBUTE),
        **extra,
    }


def get_domain(partnership: Partnership, domain_id: int) -> DecisionDomain:
    domain = selectors.domains(partnership=partnership).filter(pk=domain_id).first()
    if domain is None:
        raise Http404(NOT_FOUND)
    return domain


def get_body(partnership: Partnership, body_id: int) -> JointBody:
    body = selectors.joint_bodies(partnership=partnership).filter(pk=body_id).first()
    if body is None:
        raise Http404(NOT_FOUND)
    return body


def get_proposal(request: HttpRequest, partnership: Partnership, proposal_id: int) -> Proposal:
    found = (
        selectors.proposals(partnership=partnership, viewer=request.user)
        .filter(pk=proposal_id)
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found
