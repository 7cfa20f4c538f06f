"""Monitoring requests: asking the other party for a status check or evidence, and answering."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.accountability import links
from accord.accountability.models import (
    Commitment,
    MonitoringRequest,
)
from accord.accountability.services._common import (
    ANSWER_REQUIRED,
    NO_ORGANIZATION,
    _alliance_managers,
    _audit,
    _email_link,
    _name,
    commitment_url,
)
from accord.notifications.services import notify
from accord.partnerships.models import Visibility

MONITORING_OWN_COMMITMENT = "Monitoring requests go to the other party, not your own."
MONITORING_INTERNAL = "An internal commitment cannot be the subject of a monitoring request."
MONITORING_KIND = "Choose a status check or an evidence request."
MONITORING_ANSWERED = "This request has already been answered."


@transaction.atomic
def monitoring_request_create(
    *, commitment: Commitment, user: Any, kind: str, question: str = ""
) -> MonitoringRequest:
    from accord.accountability.rules import party_of

    if kind not in MonitoringRequest.Kind.values:
        raise ValidationError({"kind": MONITORING_KIND})
    if commitment.visibility != Visibility.JOINT:
        raise ValidationError(MONITORING_INTERNAL)
    party = party_of(user, commitment.partnership)
    if party is None:
        raise ValidationError(NO_ORGANIZATION)
    if party.pk == commitment.owner_party_id:
        raise ValidationError(MONITORING_OWN_COMMITMENT)
    request = MonitoringRequest.objects.create(
        partnership=commitment.partnership,
        owner_org=party.organization,
        visibility=Visibility.JOINT,
        created_by=user,
        commitment=commitment,
        kind=kind,
        requesting_party=party,
        question=question.strip(),
        requested_on=timezone.localdate(),
    )
    label = MonitoringRequest.Kind(kind).label.lower()
    _audit(
        commitment,
        actor=user,
        action="accountability.monitoring_request",
        summary=f"{_name(user)} ({party.organization.name}) sent a {label} about "
        f"“{commitment.title}”",
        target=request,
    )
    recipients = [commitment.owner] if commitment.owner else []
    recipients += _alliance_managers(commitment.partnership, commitment.owner_party)
    notify(
        recipients=recipients,
        kind="accountability.monitoring_request",
        summary=f"{party.organization.name} asks for a {label} on “{commitment.title}”.",
        partnership=commitment.partnership,
        url=commitment_url(commitment),
    )
    if commitment.owner is not None:
        _email_link(
            user=commitment.owner,
            subject=f"[Accord] {party.organization.name} asks: {commitment.title}",
            body=f"{party.organization.name} sent a {label} about “{commitment.title}”"
            + (f":\n\n{request.question}" if request.question else ".")
            + "\n\nAnswer without signing in (the link works once and expires in "
            f"{links.MAX_AGE_DAYS} days):",
            path=links.monitoring_answer_path(request, commitment.owner),
        )
    return request


@transaction.atomic
def monitoring_request_answer(
    *, request: MonitoringRequest, user: Any, answer: str, via_link: bool = False
) -> MonitoringRequest:
    request = MonitoringRequest.objects.select_for_update().get(pk=request.pk)
    if request.answered_at is not None:
        raise ValidationError(MONITORING_ANSWERED)
    if not answer.strip():
        raise ValidationError({"answer": ANSWER_REQUIRED})
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.answered_by = user
    request.save()
    _audit(
        request.commitment,
        actor=user,
        action="accountability.monitoring_answer",
        summary=f"{_name(user)} answered the {request.get_kind_display().lower()} about "
        f"“{request.commitment.title}”" + (" from an e-mailed link" if via_link else ""),
        target=request,
    )
    if request.created_by is not None:
        notify(
            recipients=[request.created_by],
            kind="accountability.monitoring_answered",
            summary=f"{_name(user)} answered your {request.get_kind_display().lower()} on "
            f"“{request.commitment.title}”.",
            partnership=request.partnership,
            url=commitment_url(request.commitment),
        )
    return request
