"""The accountability overview: its sections kept per the state they show (see
accountability/overview_kept.py), computed here on a miss."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accord.accountability import overview_kept, selectors
from accord.accountability.models import Commitment
from accord.accountability.views.commitments import page
from accord.partnerships.access import Need, access_partnership, can


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    today, now, viewer = timezone.localdate(), timezone.now(), request.user

    def lists() -> dict[str, Any]:
        commitments = selectors.commitment_list(partnership=partnership, viewer=viewer)
        return {
            "due_soon": commitments.filter(
                status__in=Commitment.OPEN_STATUSES, due_on__lte=today + timedelta(days=14)
            ).order_by("due_on")[:8],
            "upcoming": selectors.review_list(partnership=partnership, viewer=viewer)
            .filter(status="scheduled", scheduled_at__gte=now)
            .order_by("scheduled_at")[:5],
            "overdue_actions": selectors.action_list(
                partnership=partnership, viewer=viewer, open_only=True
            ).filter(due_on__lt=today)[:8],
        }

    summary, kept_lists = overview_kept.kept_sections(
        partnership=partnership,
        viewer_org_id=selectors.viewer_org_id(viewer),
        can_manage=can(viewer, partnership, Need.MANAGE),
        today=today,
        now=now,
        summary=lambda: _summary_context(partnership, viewer, today),
        lists=lists,
    )
    context = {"lists": kept_lists} if kept_lists is not None else lists()
    return page(
        request, "accountability/overview.html", partnership, "overview", summary=summary, **context
    )


def _summary_context(partnership: Any, viewer: Any, today: Any) -> dict[str, Any]:
    """What the overview's kept summary sections show (see accountability/overview_kept.py)."""
    commitments = selectors.commitment_list(partnership=partnership, viewer=viewer)
    settings = selectors.settings_for(partnership)
    window = settings.action_overdue_window_days
    actions = selectors.action_list(partnership=partnership, viewer=viewer, open_only=True)
    missed = list(
        commitments.filter(status=Commitment.Status.MISSED, escalated_at__isnull=True)
        .select_related("owner_party__organization", "replanned_from")
        .order_by("-due_on")[:20]
    )
    bases = selectors.escalation_bases(commitments=missed, window=settings.repeat_miss_window_days)
    party_list = selectors.parties(partnership)
    return {
        "counts": selectors.status_counts(partnership=partnership, viewer=viewer),
        "on_time": selectors.on_time(partnership=partnership, today=today, party_list=party_list),
        "oversight": selectors.oversight(
            partnership=partnership, today=today, party_list=party_list
        ),
        "escalable": [(c, bases[c.pk]) for c in missed if c.pk in bases],
        "escalable_actions": [
            a
            for a in actions.filter(escalated_at__isnull=True, due_on__lt=today)
            if selectors.action_escalable(a, window, today)
        ],
        "window": window,
    }
