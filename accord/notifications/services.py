from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from accord.notifications.models import Notification


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    summary: str,
    partnership: Any = None,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Record a notification per person and e-mail them once the transaction commits.

    Call inside the transaction of the change it announces, so a rolled-back change notifies no
    one.
    """
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, partnership=partnership, kind=kind, summary=summary, url=url
            )
            for user in people.values()
        ]
    )
    if email and people:
        link = f"\n\n{settings.SITE_URL}{url}" if url else ""
        messages = [
            (f"[Accord] {summary[:120]}", f"{summary}{link}\n", None, [user.email])
            for user in people.values()
            if user.email
        ]
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return created


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
