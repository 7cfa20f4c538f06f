"""Whether a missed commitment or an overdue review action may be escalated, and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from accord.accountability.models import (
    Commitment,
    ReviewAction,
)
from accord.accountability.selectors._common import settings_for
from accord.partnerships.models import Visibility


def escalation_basis(
    *, commitment: Commitment, today: date | None = None, window: int | None = None
) -> str | None:
    """Why a commitment may be escalated into the conflict ladder, or None.

    "Missed twice" means either (1) it is a re-plan of a missed commitment and was missed again,
    or (2) its owner party missed another commitment on the same workstream whose due date lies
    within the partnership's repeat-miss window (90 days, a quarter, by default). Only records at
    least as visible as this one are looked at, so the sentence never names a record someone
    cannot see. ``window`` is the partnership's repeat-miss window when the caller has read it
    already. A page judging many commitments calls :func:`escalation_bases` instead.
    """
    return escalation_bases(commitments=[commitment], window=window).get(commitment.pk)


def escalation_bases(
    *, commitments: Sequence[Commitment], window: int | None = None
) -> dict[int, str]:
    """:func:`escalation_basis` for many commitments of one partnership in one query (the
    earlier misses on their workstreams are read together), keyed by commitment pk; commitments
    that may not be escalated are left out."""
    bases: dict[int, str] = {}
    second_miss: list[Commitment] = []
    for commitment in commitments:
        if commitment.status != Commitment.Status.MISSED or commitment.escalated_at is not None:
            continue
        previous = commitment.replanned_from
        if previous is not None and previous.was_on_time() is False:
            party = commitment.owner_party.organization.name
            bases[commitment.pk] = (
                f"Missed, re-planned and missed again: {party} first committed to "
                f"“{previous.title}” for {previous.due_on:%d %b %Y}, re-planned it to "
                f"{commitment.due_on:%d %b %Y}, and missed that date too."
            )
        elif commitment.workstream:
            second_miss.append(commitment)
    if not second_miss:
        return bases
    partnership_ids = {c.partnership_id for c in second_miss}
    if len(partnership_ids) != 1:
        raise ValueError("escalation_bases judges the commitments of one partnership at a time")
    if window is None:
        window = settings_for(second_miss[0].partnership).repeat_miss_window_days
    span = timedelta(days=window)
    # Every miss that could be the earlier one, with its workstream folded by the database the
    # way ``workstream__iexact`` folds it; matched per commitment below.
    streams = Q()
    for workstream in {c.workstream for c in second_miss}:
        streams |= Q(workstream__iexact=workstream)
    candidates = list(
        Commitment.objects.filter(
            streams,
            partnership_id=partnership_ids.pop(),
            owner_party_id__in={c.owner_party_id for c in second_miss},
            status=Commitment.Status.MISSED,
            due_on__gte=min(c.due_on for c in second_miss) - span,
            due_on__lte=max(c.due_on for c in second_miss) + span,
        )
        .annotate(stream=Upper("workstream"))
        .only("pk", "title", "due_on", "owner_party_id", "owner_org_id", "visibility")
        .order_by("-due_on", "-pk")
    )
    # A saved miss is among the candidates itself, folded the same way.
    folded = {o.pk: o.stream for o in candidates}  # type: ignore[attr-defined]
    for commitment in second_miss:
        other = next(
            (
                o
                for o in candidates
                if o.pk != commitment.pk
                and o.pk != commitment.replanned_from_id  # the miss it re-plans: judged above
                and o.owner_party_id == commitment.owner_party_id
                and o.stream == folded.get(commitment.pk, commitment.workstream.upper())  # type: ignore[attr-defined]
                and commitment.due_on - span <= o.due_on <= commitment.due_on + span
                and (
                    o.visibility == Visibility.JOINT
                    or (
                        commitment.visibility != Visibility.JOINT
                        and o.owner_org_id == commitment.owner_org_id
                    )
                )
            ),
            None,
        )
        if other is None:
            continue
        party = commitment.owner_party.organization.name
        bases[commitment.pk] = (
            f"Second miss by {party} on the “{commitment.workstream}” workstream within {window} "
            f"days: “{other.title}” (due {other.due_on:%d %b %Y}) and “{commitment.title}” "
            f"(due {commitment.due_on:%d %b %Y})."
        )
    return bases


def action_overdue_days(action: ReviewAction, today: date | None = None) -> int:
    if action.done_on is not None:
        return 0
    return max(0, ((today or timezone.localdate()) - action.due_on).days)


def action_escalable(action: ReviewAction, window: int, today: date | None = None) -> bool:
    return action.escalated_at is None and action_overdue_days(action, today) > window
