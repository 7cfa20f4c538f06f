"""The periodic passes, run by the worker or `manage.py accord_tick`: mark missed commitments,
remind owners of due dates, generate reviews."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from accord.accountability import links
from accord.accountability.models import (
    Commitment,
    CommitmentStatusChange,
    ReviewCadence,
)
from accord.accountability.services._common import (
    Status,
    _audit,
    _email_link,
    _notify_missed,
    _org_name,
    commitment_url,
)
from accord.accountability.services.reviews import reviews_generate
from accord.notifications.services import notify


def mark_missed(*, today: date) -> int:
    """Every open commitment due before ``today`` becomes missed, as of the day after its due
    date. Idempotent: missed commitments are no longer open, so a second run finds nothing."""
    count = 0
    with transaction.atomic():
        overdue = (
            Commitment.objects.select_for_update(of=("self",))
            .filter(status__in=Commitment.OPEN_STATUSES, due_on__lt=today)
            .select_related("partnership", "owner_party__organization", "owner", "created_by")
            .order_by("partnership_id", "due_on", "pk")
        )
        for commitment in overdue:
            previous = commitment.status
            commitment.status = Status.MISSED
            commitment.missed_on = commitment.due_on + timedelta(days=1)
            commitment.save(update_fields=["status", "missed_on", "updated_at"])
            CommitmentStatusChange.objects.create(
                commitment=commitment,
                from_status=previous,
                to_status=Status.MISSED,
                note=f"Due {commitment.due_on:%d %b %Y} and not done.",
                automatic=True,
            )
            _audit(
                commitment,
                actor=None,
                action="accountability.commitment_missed",
                summary=f"“{commitment.title}” by {_org_name(commitment.owner_party)} was due "
                f"{commitment.due_on:%d %b %Y} and not done: marked missed",
                changes={"status": [previous, Status.MISSED]},
            )
            _notify_missed(commitment)
            count += 1
    return count


def remind_due_soon(*, today: date) -> int:
    """Remind each owner once, ``due_soon_days`` before the due date, with a link to update the
    commitment without signing in."""
    from accord.accountability.selectors import settings_for

    count = 0
    with transaction.atomic():
        candidates = (
            Commitment.objects.select_for_update(of=("self",))
            .filter(
                status__in=Commitment.OPEN_STATUSES,
                due_on__gte=today,
                due_on__lte=today + timedelta(days=60),
                due_soon_notified_on__isnull=True,
                owner__isnull=False,
            )
            .select_related("partnership", "owner")
        )
        windows: dict[int, int] = {}
        for commitment in candidates:
            if commitment.partnership_id not in windows:
                windows[commitment.partnership_id] = settings_for(
                    commitment.partnership
                ).due_soon_days
            if (commitment.due_on - today).days > windows[commitment.partnership_id]:
                continue
            commitment.due_soon_notified_on = today
            commitment.save(update_fields=["due_soon_notified_on"])
            days = (commitment.due_on - today).days
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            notify(
                recipients=[commitment.owner],
                kind="accountability.commitment_due_soon",
                summary=f"Due {when}: “{commitment.title}” ({commitment.partnership.name}).",
                partnership=commitment.partnership,
                url=commitment_url(commitment),
                email=False,
            )
            _email_link(
                user=commitment.owner,
                subject=f"[Accord] Due {when}: {commitment.title}",
                body=f"“{commitment.title}” ({commitment.partnership.name}) is due "
                f"{commitment.due_on:%d %b %Y}.\n\nUpdate its status or add evidence without "
                f"signing in (the link works once and expires in {links.MAX_AGE_DAYS} days):",
                path=links.commitment_update_path(commitment, commitment.owner),
            )
            count += 1
    return count


def schedule_reviews(*, today: date) -> int:
    created = 0
    with transaction.atomic():
        for cadence in ReviewCadence.objects.filter(
            ended_on__isnull=True
        ) | ReviewCadence.objects.filter(ended_on__gte=today):
            created += reviews_generate(cadence=cadence, today=today)
    return created
