"""The periodic passes, run by the worker or `manage.py accord_tick`: mark missed commitments,
remind owners of due dates, generate reviews."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

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
from accord.partnerships.periodic import for_each_partnership


def mark_missed(*, today: date) -> int:
    """Every open commitment due before ``today`` becomes missed, as of the day after its due
    date — one transaction per partnership, so the pass never holds every partnership's rows at
    once and a failure in one leaves the others done. Idempotent: missed commitments are no
    longer open, so a second run finds nothing."""
    overdue = Commitment.objects.filter(status__in=Commitment.OPEN_STATUSES, due_on__lt=today)
    ids = overdue.order_by().values_list("partnership_id", flat=True).distinct()
    return for_each_partnership(ids, lambda pk: _mark_missed_in(pk, today=today))


def _mark_missed_in(partnership_id: int, *, today: date) -> int:
    """Caller holds a transaction: the status, its history, audit and notices commit together."""
    count = 0
    overdue = (
        Commitment.objects.select_for_update(of=("self",))
        .filter(
            partnership_id=partnership_id,
            status__in=Commitment.OPEN_STATUSES,
            due_on__lt=today,
        )
        .select_related("partnership", "owner_party__organization", "owner", "created_by")
        .order_by("due_on", "pk")
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
    commitment without signing in. One transaction per partnership."""
    candidates = Commitment.objects.filter(
        status__in=Commitment.OPEN_STATUSES,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=60),
        due_soon_notified_on__isnull=True,
        owner__isnull=False,
    )
    ids = candidates.order_by().values_list("partnership_id", flat=True).distinct()
    return for_each_partnership(ids, lambda pk: _remind_in(candidates, pk, today=today))


def _remind_in(candidates: Any, partnership_id: int, *, today: date) -> int:
    """Caller holds a transaction (one per partnership)."""
    from accord.accountability.selectors import settings_for

    count = 0
    candidates = (
        candidates.select_for_update(of=("self",))
        .filter(partnership_id=partnership_id)
        .select_related("partnership", "owner")
    )
    window: int | None = None
    for commitment in candidates:
        if window is None:
            window = settings_for(commitment.partnership).due_soon_days
        if (commitment.due_on - today).days > window:
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
    """Generate the meetings of every live cadence, one transaction per partnership."""
    cadences = ReviewCadence.objects.filter(ended_on__isnull=True) | ReviewCadence.objects.filter(
        ended_on__gte=today
    )
    ids = cadences.order_by().values_list("partnership_id", flat=True).distinct()

    def generate(partnership_id: int) -> int:
        return sum(
            reviews_generate(cadence=cadence, today=today)
            for cadence in cadences.filter(partnership_id=partnership_id).order_by("pk")
        )

    return for_each_partnership(ids, generate)
