"""Signed single-action links for notifications that ask one thing of one person.

The mechanism is accountability's (accord/accountability/links.py: a TimestampSigner salt per
purpose, 7-day expiry, LinkRedemption for single use); this module only names the paths and
redeems a token inside the transaction of the action it allows, so a failed action leaves the
link usable and a used link cannot act twice.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accord.accountability import links
from accord.accountability.models import LinkRedemption

LINK_USED = "This link has already been used. Ask for a new one, or sign in."


def redeem(token: str, purpose: str) -> None:
    """Mark the token used; call inside the action's transaction."""
    try:
        with transaction.atomic():
            LinkRedemption.objects.create(
                token_hash=hashlib.sha256(token.encode()).hexdigest(), purpose=purpose
            )
    except IntegrityError:
        raise ValidationError(LINK_USED) from None


def consultation_path(proposal: Any, holder: Any) -> str:
    token = links.make_token(links.CONSULTATION_ANSWER, proposal.pk, holder)
    return reverse(
        "communication:link_consultation", kwargs={"pk": proposal.partnership_id, "token": token}
    )


def stance_path(proposal: Any, holder: Any) -> str:
    token = links.make_token(links.CONSENSUS_STANCE, proposal.pk, holder)
    return reverse(
        "communication:link_stance", kwargs={"pk": proposal.partnership_id, "token": token}
    )


def conflict_response_path(issue: Any, holder: Any) -> str:
    token = links.make_token(links.CONFLICT_RESPONSE, issue.pk, holder)
    return reverse(
        "communication:link_conflict", kwargs={"pk": issue.partnership_id, "token": token}
    )
