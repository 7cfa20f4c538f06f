"""Signed, expiring, single-purpose links for answering without signing in (DESIGN: "Answering
without a portal").

A token names one object and the person it was sent to, signed with Django's TimestampSigner under
a salt per purpose: a token for one purpose fails the signature check for every other. It expires
after MAX_AGE_DAYS, and the service records its hash when it is used, so it works once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

COMMITMENT_UPDATE = "commitment-update"
MONITORING_ANSWER = "monitoring-answer"
NOTICE_ACKNOWLEDGE = "notice-acknowledge"  # accord.communication: acknowledge a change notice
DIGEST_UNSUBSCRIBE = "digest-unsubscribe"  # accord.communication: stop the daily digest
CONSULTATION_ANSWER = "consultation-answer"  # governance: give a party's input, once
CONSENSUS_STANCE = "consensus-stance"  # governance: approve or object to a consensus, once
CONFLICT_RESPONSE = "conflict-response"  # conflicts: respond to an issue at your tier, once
INTERVENTION_LISTS = "intervention-lists"  # interventions: submit your party's lists, once
PURPOSES = (
    COMMITMENT_UPDATE,
    MONITORING_ANSWER,
    NOTICE_ACKNOWLEDGE,
    DIGEST_UNSUBSCRIBE,
    CONSULTATION_ANSWER,
    CONSENSUS_STANCE,
    CONFLICT_RESPONSE,
    INTERVENTION_LISTS,
)
MAX_AGE_DAYS = 7

LINK_TAMPERED = "This link is not valid: it may have been cut short or changed in the e-mail."
LINK_EXPIRED = (
    f"This link has expired (links last {MAX_AGE_DAYS} days). Ask for a new one, or sign in."
)


class LinkError(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class LinkGrant:
    purpose: str
    object_id: int
    holder: Any


def _signer(purpose: str) -> signing.TimestampSigner:
    if purpose not in PURPOSES:
        raise ValueError(f"Unknown link purpose {purpose!r}")
    return signing.TimestampSigner(salt=f"accord.accountability.link.{purpose}")


def make_token(purpose: str, object_id: int, holder: Any) -> str:
    payload = {"o": object_id, "u": holder.pk, "n": secrets.token_urlsafe(9)}
    return _signer(purpose).sign_object(payload)


def read_token(purpose: str, token: str) -> LinkGrant:
    """The grant a token carries, or LinkError: 400 when tampered or for another purpose, 410
    when expired or its holder is no longer active."""
    try:
        payload = _signer(purpose).unsign_object(token, max_age=timedelta(days=MAX_AGE_DAYS))
    except signing.SignatureExpired:
        raise LinkError(LINK_EXPIRED, 410) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkError(LINK_TAMPERED, 400) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("o"), int):
        raise LinkError(LINK_TAMPERED, 400)
    holder = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first()
    if holder is None:
        raise LinkError(LINK_EXPIRED, 410)
    return LinkGrant(purpose, payload["o"], holder)


def commitment_update_path(commitment: Any, holder: Any) -> str:
    token = make_token(COMMITMENT_UPDATE, commitment.pk, holder)
    return reverse(
        "accountability:link_commitment", kwargs={"pk": commitment.partnership_id, "token": token}
    )


def monitoring_answer_path(request: Any, holder: Any) -> str:
    token = make_token(MONITORING_ANSWER, request.pk, holder)
    return reverse(
        "accountability:link_monitoring", kwargs={"pk": request.partnership_id, "token": token}
    )
