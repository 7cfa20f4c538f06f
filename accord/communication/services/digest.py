"""The daily digest preference."""

from __future__ import annotations

from typing import Any

from accord.communication.models import (
    DigestPreference,
)


def digest_set(*, user: Any, daily_digest: bool) -> DigestPreference:
    pref, _ = DigestPreference.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest}
    )
    return pref
