"""Answering without a portal: pages opened from a signed, expiring, single-purpose link.

No sign-in: the link is the credential, and it grants exactly one thing — updating one commitment,
or answering one monitoring request — once. Tampered links and links for another purpose give a
400 page, expired or used ones a 410, and an object outside the URL's partnership a 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accord.accountability import links, services
from accord.accountability.forms import AnswerForm, LinkUpdateForm
from accord.accountability.models import Commitment, MonitoringRequest


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "accountability/link_refused.html", {"message": message}, status=status)


def _grant(request: HttpRequest, purpose: str, token: str) -> links.LinkGrant | HttpResponse:
    try:
        grant = links.read_token(purpose, token)
    except links.LinkError as error:
        return _refuse(request, error.message, error.status)
    if services.link_is_used(token):
        return _refuse(request, services.LINK_USED, 410)
    return grant


@require_http_methods(["GET", "POST"])
def link_commitment(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    grant = _grant(request, links.COMMITMENT_UPDATE, token)
    if isinstance(grant, HttpResponse):
        return grant
    commitment = (
        Commitment.objects.filter(pk=grant.object_id, partnership_id=pk)
        .select_related("partnership", "owner_party__organization")
        .first()
    )
    if commitment is None:
        raise Http404
    form = LinkUpdateForm(request.POST or None, request.FILES or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_update_via_link(
                token=token, commitment=commitment, holder=grant.holder, **form.cleaned_data
            )
        except ValidationError as error:
            if services.LINK_USED in error.messages or services.LINK_HOLDER_GONE in error.messages:
                return _refuse(request, " ".join(error.messages), 410)
            form.add_error(None, error)
        else:
            commitment.refresh_from_db()
            return render(
                request, "accountability/link_done.html", _context(commitment, grant.holder)
            )
    return render(
        request,
        "accountability/link_commitment.html",
        {**_context(commitment, grant.holder), "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def link_monitoring(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    grant = _grant(request, links.MONITORING_ANSWER, token)
    if isinstance(grant, HttpResponse):
        return grant
    item = (
        MonitoringRequest.objects.filter(pk=grant.object_id, partnership_id=pk)
        .select_related("commitment__partnership", "requesting_party__organization")
        .first()
    )
    if item is None:
        raise Http404
    if item.answered_at is not None:
        return _refuse(request, services.MONITORING_ANSWERED, 410)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_answer_via_link(
                token=token, request=item, holder=grant.holder, **form.cleaned_data
            )
        except ValidationError as error:
            if services.LINK_USED in error.messages or services.LINK_HOLDER_GONE in error.messages:
                return _refuse(request, " ".join(error.messages), 410)
            form.add_error(None, error)
        else:
            return render(
                request,
                "accountability/link_done.html",
                {**_context(item.commitment, grant.holder), "answered": item},
            )
    return render(
        request,
        "accountability/link_monitoring.html",
        {**_context(item.commitment, grant.holder), "item": item, "form": form},
        status=400 if form.errors else 200,
    )


def _context(commitment: Commitment, holder: Any) -> dict[str, Any]:
    return {
        "commitment": commitment,
        "holder": holder,
        "max_age_days": links.MAX_AGE_DAYS,
    }
