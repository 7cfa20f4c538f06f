"""The daily e-mail digest: once a day, each person who has not turned it off gets one e-mail
listing the notifications they have not read, with a signed link to unsubscribe.

Run as a periodic pass (``communication.digest``); idempotent — a person is sent at most one
digest per 20 hours, however often the pass runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse

from accord.accountability import links
from accord.communication.models import DigestPreference
from accord.notifications.models import Notification
from accord.partnerships.periodic import periodic_pass

MIN_GAP = timedelta(hours=20)
MAX_ITEMS = 30


def unsubscribe_path(user: Any) -> str:
    token = links.make_token(links.DIGEST_UNSUBSCRIBE, user.pk, user)
    return reverse("digest_unsubscribe", kwargs={"token": token})


def _body(user: Any, items: list[Notification]) -> str:
    lines = [f"Good morning {user.get_full_name() or user.get_username()},", ""]
    lines.append(f"{len(items)} unread notification(s) in Accord:")
    for item in items[:MAX_ITEMS]:
        link = f" — {settings.SITE_URL}{item.url}" if item.url else ""
        lines.append(f"• {item.summary}{link}")
    if len(items) > MAX_ITEMS:
        lines.append(f"… and {len(items) - MAX_ITEMS} more: {settings.SITE_URL}/notifications/")
    lines += [
        "",
        "Stop these daily e-mails (one click, no sign-in):",
        f"{settings.SITE_URL}{unsubscribe_path(user)}",
        f"or change it any time under {settings.SITE_URL}{reverse('digest_settings')}",
    ]
    return "\n".join(lines) + "\n"


@transaction.atomic
def digest_send(now: datetime) -> int:
    """Send today's digests; returns how many people were sent one."""
    prefs = {p.user_id: p for p in DigestPreference.objects.select_for_update()}
    unread: dict[int, list[Notification]] = {}
    for item in Notification.objects.filter(
        read_at__isnull=True, created_at__gt=now - timedelta(days=7), created_at__lte=now
    ).order_by("created_at", "pk"):
        unread.setdefault(item.recipient_id, []).append(item)
    users = get_user_model().objects.filter(pk__in=unread, is_active=True).exclude(email="")
    messages = []
    for user in users:
        pref = prefs.get(user.pk)
        if pref is not None and not pref.daily_digest:
            continue
        if pref is not None and pref.last_sent_at and now - pref.last_sent_at < MIN_GAP:
            continue
        since = pref.last_sent_at if pref and pref.last_sent_at else now - timedelta(days=1)
        items = [n for n in unread[user.pk] if n.created_at > since]
        if not items:
            continue
        messages.append(("[Accord] Your daily digest", _body(user, items), None, [user.email]))
        DigestPreference.objects.update_or_create(user=user, defaults={"last_sent_at": now})
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return len(messages)


@periodic_pass("communication.digest")
def digest_pass(now: datetime) -> str:
    sent = digest_send(now)
    return f"{sent} daily digest(s) sent" if sent else "no digest was due"
