"""The daily e-mail digest: once a day, each person who has not turned it off gets one e-mail
listing what waits on them (the home page's "needs me" list, from the same selector) and the
notifications they have not read, with a signed link to unsubscribe. A day with neither sends
nothing.

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
from django.db.models import Q
from django.urls import reverse

from accord.accountability import links
from accord.communication.models import DigestPreference
from accord.notifications.models import Notification
from accord.partnerships.models import Participant
from accord.partnerships.needs_me import Item, needs_for
from accord.partnerships.periodic import periodic_pass

MIN_GAP = timedelta(hours=20)
MAX_ITEMS = 30


def unsubscribe_path(user: Any) -> str:
    token = links.make_token(links.DIGEST_UNSUBSCRIBE, user.pk, user)
    return reverse("digest_unsubscribe", kwargs={"token": token})


def _needs_lines(needs: list[Item]) -> list[str]:
    lines = [f"Needs you ({len(needs)}):"]
    for need in needs[:MAX_ITEMS]:
        when = ""
        if need.due is not None:
            word = "was due" if need.overdue else "by"
            when = f" ({word} {need.due.day} {need.due:%b %Y})"
        lines.append(
            f"• {need.label}: {need.title} — {need.partnership}{when} — "
            f"{settings.SITE_URL}{need.url}"
        )
    if len(needs) > MAX_ITEMS:
        lines.append(f"… and {len(needs) - MAX_ITEMS} more: {settings.SITE_URL}/partnerships/")
    return [*lines, ""]


def _body(user: Any, items: list[Notification], needs: list[Item] | None = None) -> str:
    lines = [f"Good morning {user.get_full_name() or user.get_username()},", ""]
    if needs:
        lines += _needs_lines(needs)
    if items:
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
    taking_part = Participant.objects.values("user_id")
    users = (
        get_user_model()
        .objects.filter(Q(pk__in=unread) | Q(pk__in=taking_part), is_active=True)
        .exclude(email="")
        .select_related("membership__organization")
    )
    messages = []
    for user in users:
        pref = prefs.get(user.pk)
        if pref is not None and not pref.daily_digest:
            continue
        if pref is not None and pref.last_sent_at and now - pref.last_sent_at < MIN_GAP:
            continue
        since = pref.last_sent_at if pref and pref.last_sent_at else now - timedelta(days=1)
        items = [n for n in unread.get(user.pk, []) if n.created_at > since]
        needs = needs_for(user, now=now)
        if not items and not needs:
            continue
        body = _body(user, items, needs)
        messages.append(("[Accord] Your daily digest", body, None, [user.email]))
        DigestPreference.objects.update_or_create(user=user, defaults={"last_sent_at": now})
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return len(messages)


@periodic_pass("communication.digest")
def digest_pass(now: datetime) -> str:
    sent = digest_send(now)
    return f"{sent} daily digest(s) sent" if sent else "no digest was due"
