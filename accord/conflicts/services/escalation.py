"""Moving issues up the escalation ladder, by hand and when a tier's window runs out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.conflicts import selectors
from accord.conflicts.models import (
    Issue,
    TierChange,
    TierKey,
)
from accord.conflicts.services._common import (
    _audit,
    _clean_text,
    _lock_open,
    _name,
    _notify_issue,
)
from accord.conflicts.services.messages import (
    NOT_AN_ESCALATOR,
    REASON_REQUIRED,
    TIER_MOVED,
    TOP_OF_LADDER,
)
from accord.partnerships.stale import expect


def _move_up(issue: Issue, *, now: datetime, reason: str, by: Any, note: str = "") -> Issue:
    """Move a locked, open issue one tier up. Caller holds the row lock."""
    next_key = selectors.next_tier_key(issue.tier)
    if next_key is None:
        raise ValidationError(TOP_OF_LADDER)
    from_key = issue.tier
    issue.tier = next_key
    issue.tier_entered_at = now
    issue.save(update_fields=["tier", "tier_entered_at", "updated_at"])
    TierChange.objects.create(
        issue=issue, from_tier=from_key, to_tier=next_key, reason=reason, by=by, at=now, note=note
    )
    label = TierKey(next_key).label
    if reason == TierChange.Reason.WINDOW_PASSED:
        days = selectors.window_days(issue.partnership, from_key)
        why = f"its {days}-day window with the {TierKey(from_key).label.lower()} passed"
    else:
        why = f"{_name(by)} escalated it" + (f": {note}" if note else "")
    _audit(
        issue,
        actor=by,
        action="conflicts.issue_escalate",
        summary=f"“{issue.title}” moved to {label.lower()} — {why}",
        changes={"tier": [from_key, next_key], "reason": reason},
    )
    tiers = selectors.ladder(partnership=issue.partnership)
    if next_key == TierKey.EXIT_PROCEDURE:
        summary = (
            f"“{issue.title}” reached the exit procedure in {issue.partnership.name}: "
            "decide whether to start the exit plan"
        )
    else:
        summary = f"“{issue.title}” is now with the {label.lower()} ({why})"
    _notify_issue(
        issue,
        selectors.current_owner_ids(issue, tiers),
        kind="conflicts.escalated",
        summary=summary,
        exclude=by,
    )
    return issue


@transaction.atomic
def issue_escalate(
    *, issue: Issue, user: Any, note: str, expected_tier: str | None = None
) -> Issue:
    """Escalate by hand from the tier the person saw (`expected_tier`, else the tier of the
    `issue` they passed in, read before the lock) to the next one. Two people escalating at
    once move the issue one tier: the second finds it moved on and gets a StaleStateError."""
    expected = expected_tier or issue.tier
    issue = _lock_open(issue)
    expect(issue.tier, expected, TIER_MOVED.format(tier=TierKey(issue.tier).label.lower()))
    if issue.tier == TierKey.EXIT_PROCEDURE:
        raise ValidationError(TOP_OF_LADDER)
    note = _clean_text(note)
    if not note:
        raise ValidationError({"note": REASON_REQUIRED})
    tiers = selectors.ladder(partnership=issue.partnership)
    if not selectors.can_escalate(user, issue, tiers):
        raise ValidationError(NOT_AN_ESCALATOR)
    return _move_up(issue, now=timezone.now(), reason=TierChange.Reason.MANUAL, by=user, note=note)


def escalate_due(now: datetime) -> int:
    """Move every open issue whose tier window has passed up one tier; return how many moved.

    Each issue is handled in its own transaction under a row lock and re-checked there, so two
    passes running at once, or a pass racing a resolution, move an issue at most once: the
    second finds its `tier_entered_at` already reset to this pass's time."""
    import numpy as np

    from accord.domain.conflicts import escalation_due

    rows = list(
        Issue.objects.filter(resolved_at__isnull=True, withdrawn_at__isnull=True)
        .exclude(tier=TierKey.EXIT_PROCEDURE)
        .values_list("pk", "tier", "tier_entered_at", "partnership__escalation_windows")
    )
    if not rows:
        return 0
    entered = np.array([r[2].timestamp() for r in rows], dtype=np.float64)
    windows = np.array(
        [float(r[3].get(r[1])) if r[3].get(r[1]) is not None else np.nan for r in rows],
        dtype=np.float64,
    )
    due = escalation_due(entered, windows, now.timestamp())
    moved = 0
    for (pk, *_), is_due in zip(rows, due.tolist(), strict=True):
        if is_due and _escalate_one(pk, now):
            moved += 1
    return moved


@transaction.atomic
def _escalate_one(pk: int, now: datetime) -> bool:
    issue = Issue.objects.select_for_update().select_related("partnership", "owner_org").get(pk=pk)
    deadline = selectors.tier_deadline(issue)
    if deadline is None or deadline > now:
        return False
    _move_up(issue, now=now, reason=TierChange.Reason.WINDOW_PASSED, by=None)
    return True
