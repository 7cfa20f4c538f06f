"""Pages opened from signed single-action links: answer a consultation, take a consensus stance.

No sign-in: the link is the credential and grants that one action, once. A tampered link or one
for another purpose gives 400, an expired or used one 410, an object outside the URL's
partnership 404. The governance rules still apply to the holder (e.g. only an authorized approver
may approve); a refusal is shown on the page and leaves the link unused.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accord.accountability import links
from accord.accountability.services import link_is_used
from accord.communication.action_links import LINK_USED, redeem
from accord.conflicts import services as conflicts
from accord.conflicts.models import Issue
from accord.governance import services as governance
from accord.governance.models import Proposal


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "accountability/link_refused.html", {"message": message}, status=status)


def _open(request: HttpRequest, pk: int, purpose: str, token: str) -> Any:
    try:
        grant = links.read_token(purpose, token)
    except links.LinkError as error:
        return _refuse(request, error.message, error.status)
    if link_is_used(token):
        return _refuse(request, LINK_USED, 410)
    proposal = (
        Proposal.objects.filter(pk=grant.object_id, partnership_id=pk)
        .select_related("partnership", "domain", "owner_party__organization")
        .first()
    )
    if proposal is None:
        raise Http404
    return grant, proposal


def _act(request: HttpRequest, token: str, purpose: str, action: Any) -> str:
    """Run the action and redeem the link together; the error message, or "" when done."""
    try:
        with transaction.atomic():
            redeem(token, purpose)
            action()
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


@require_http_methods(["GET", "POST"])
def link_consultation(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    opened = _open(request, pk, links.CONSULTATION_ANSWER, token)
    if isinstance(opened, HttpResponse):
        return opened
    grant, proposal = opened
    error, done = "", False
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        error = _act(
            request,
            token,
            links.CONSULTATION_ANSWER,
            lambda: governance.input_answer(proposal=proposal, user=grant.holder, answer=answer),
        )
        if error == LINK_USED:
            return _refuse(request, LINK_USED, 410)
        done = not error
    return render(
        request,
        "communication/link_consultation.html",
        {"proposal": proposal, "holder": grant.holder, "error": error, "done": done},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def link_stance(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    opened = _open(request, pk, links.CONSENSUS_STANCE, token)
    if isinstance(opened, HttpResponse):
        return opened
    grant, proposal = opened
    error, done = "", False
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        if choice not in ("approve", "object"):
            error = "Choose approve or object."
        else:
            reason = request.POST.get("reason", "")
            error = _act(
                request,
                token,
                links.CONSENSUS_STANCE,
                lambda: governance.stance_set(
                    proposal=proposal, user=grant.holder, choice=choice, reason=reason
                ),
            )
        if error == LINK_USED:
            return _refuse(request, LINK_USED, 410)
        done = not error
    return render(
        request,
        "communication/link_stance.html",
        {"proposal": proposal, "holder": grant.holder, "error": error, "done": done},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def link_conflict(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """Respond to an issue at your tier: one comment, under the ladder's rules for the holder."""
    try:
        grant = links.read_token(links.CONFLICT_RESPONSE, token)
    except links.LinkError as exc:
        return _refuse(request, exc.message, exc.status)
    if link_is_used(token):
        return _refuse(request, LINK_USED, 410)
    issue = Issue.objects.filter(pk=grant.object_id, partnership_id=pk).first()
    if issue is None:
        raise Http404
    error, done = "", False
    if request.method == "POST":
        body = request.POST.get("body", "")
        error = _act(
            request,
            token,
            links.CONFLICT_RESPONSE,
            lambda: conflicts.issue_comment(issue=issue, user=grant.holder, body=body),
        )
        if error == LINK_USED:
            return _refuse(request, LINK_USED, 410)
        done = not error
    return render(
        request,
        "communication/link_conflict.html",
        {"issue": issue, "holder": grant.holder, "error": error, "done": done},
        status=400 if error else 200,
    )
