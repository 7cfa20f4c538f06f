from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.api.models import PersonalAccessToken
from accord.partnerships.models import hash_secret, new_secret

TOKEN_DAYS_OUT_OF_RANGE = "A token lives between 1 and {max} days."
TOKEN_ALREADY_REVOKED = "This token was already revoked."


@transaction.atomic
def token_create(*, user: Any, name: str, days: int) -> tuple[PersonalAccessToken, str]:
    if not 1 <= days <= settings.ACCORD_TOKEN_MAX_DAYS:
        raise ValidationError(TOKEN_DAYS_OUT_OF_RANGE.format(max=settings.ACCORD_TOKEN_MAX_DAYS))
    raw = new_secret("acc")
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name.strip() or "API token",
        prefix=raw[:12],
        token_hash=hash_secret(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken) -> PersonalAccessToken:
    if token.revoked_at is not None:
        raise ValidationError(TOKEN_ALREADY_REVOKED)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def token_user(raw: str) -> Any:
    """The user behind a live token, or None. Expired and revoked tokens authenticate no one."""
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(token_hash=hash_secret(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
