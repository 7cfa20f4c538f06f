"""Signed one-use links: updating a commitment or answering a monitoring request by email link."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from accord.accountability import links
from accord.accountability.models import (
    Commitment,
    LinkRedemption,
    MonitoringRequest,
)
from accord.accountability.services._common import (
    ANSWER_REQUIRED,
    EVIDENCE_EMPTY,
    _audit,
    _email_link,
    _name,
)
from accord.accountability.services.commitments import (
    commitment_add_evidence,
    commitment_set_status,
)
from accord.accountability.services.monitoring import monitoring_request_answer

LINK_USED = "This link has already been used. Ask for a new one, or sign in."
LINK_HOLDER_GONE = "This link's holder no longer answers for this item. Sign in instead."


OWN_COMMITMENT = "You own this commitment: update it here instead of e-mailing yourself a link."


@transaction.atomic
def commitment_send_update_link(*, commitment: Commitment, user: Any) -> str:
    """E-mail the owner a link to update this commitment without signing in; returns the path."""
    if commitment.owner is None:
        raise ValidationError({"owner": "This commitment has no owner to send a link to."})
    if commitment.owner_id == getattr(user, "pk", None):
        raise ValidationError({"owner": OWN_COMMITMENT})
    path = links.commitment_update_path(commitment, commitment.owner)
    _email_link(
        user=commitment.owner,
        subject=f"[Accord] Update: {commitment.title}",
        body=f"{_name(user)} asks for an update on “{commitment.title}” "
        f"({commitment.partnership.name}), due {commitment.due_on:%d %b %Y}.\n\n"
        "Update its status or add evidence without signing in (the link works once and "
        f"expires in {links.MAX_AGE_DAYS} days):",
        path=path,
    )
    _audit(
        commitment,
        actor=user,
        action="accountability.update_link_sent",
        summary=f"{_name(user)} e-mailed {_name(commitment.owner)} a link to update "
        f"“{commitment.title}”",
    )
    return path


def _redeem(token: str, purpose: str) -> None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    try:
        with transaction.atomic():
            LinkRedemption.objects.create(token_hash=digest, purpose=purpose)
    except IntegrityError:
        raise ValidationError(LINK_USED) from None


def link_is_used(token: str) -> bool:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return LinkRedemption.objects.filter(token_hash=digest).exists()


@transaction.atomic
def commitment_update_via_link(
    *,
    token: str,
    commitment: Commitment,
    holder: Any,
    status: str = "",
    note: str = "",
    url: str = "",
    file: UploadedFile | None = None,
) -> Commitment:
    """What a signed link allows: one status change and/or one piece of evidence, once, by the
    owner it was sent to (who must still own the commitment)."""
    if commitment.owner_id != holder.pk:
        raise ValidationError(LINK_HOLDER_GONE)
    if not status and not (note.strip() or url.strip() or file):
        raise ValidationError(EVIDENCE_EMPTY)
    _redeem(token, links.COMMITMENT_UPDATE)
    if status and status != commitment.status:
        commitment = commitment_set_status(
            commitment=commitment, user=holder, status=status, note=note, via_link=True
        )
    if url.strip() or file or (note.strip() and not status):
        commitment_add_evidence(
            commitment=commitment, user=holder, note=note, url=url, file=file, via_link=True
        )
    return commitment


@transaction.atomic
def monitoring_answer_via_link(
    *, token: str, request: MonitoringRequest, holder: Any, answer: str
) -> MonitoringRequest:
    if request.commitment.owner_id != holder.pk:
        raise ValidationError(LINK_HOLDER_GONE)
    if not answer.strip():
        raise ValidationError({"answer": ANSWER_REQUIRED})
    _redeem(token, links.MONITORING_ANSWER)
    return monitoring_request_answer(request=request, user=holder, answer=answer, via_link=True)
