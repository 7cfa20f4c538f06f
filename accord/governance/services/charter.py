"""The governance charter and its sign-offs."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accord.governance.models import CharterSignoff
from accord.governance.rules import is_approver, party_people
from accord.governance.services._common import _actor_name, _require_party, _settings
from accord.governance.services.messages import ALREADY_SIGNED, SIGN_NOT_APPROVER
from accord.notifications.services import notify
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership


def charter_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def charter_sign(*, partnership: Partnership, user: Any) -> CharterSignoff:
    """Sign off the charter as it reads now, for the signer's party."""
    from accord.governance.charter import build_charter, charter_markdown

    party = _require_party(user, partnership)
    if not is_approver(user, party):
        raise ValidationError(SIGN_NOT_APPROVER)
    _settings(partnership)
    digest = charter_hash(charter_markdown(build_charter(partnership=partnership), signoffs=False))
    try:
        with transaction.atomic():
            signoff = CharterSignoff.objects.create(
                partnership=partnership, party=party, signed_by=user, charter_hash=digest
            )
    except IntegrityError:
        raise ValidationError(ALREADY_SIGNED) from None
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.charter_sign",
        summary=f"{_actor_name(user)} signed off the governance charter for "
        f"{party.organization.name} (version {digest[:10]})",
        target=signoff,
        changes={"charter_hash": digest},
    )
    notify(
        recipients=party_people(partnership, exclude=user),
        kind="governance.charter_signed",
        summary=f"{party.organization.name} signed off the governance charter",
        partnership=partnership,
        url=reverse("governance:charter", kwargs={"pk": partnership.pk}),
    )
    return signoff
