"""Issues: raising, commenting, resolving and withdrawing."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from accord.conflicts import selectors
from accord.conflicts.models import (
    Comment,
    ConflictType,
    Issue,
    Principle,
    TierKey,
)
from accord.conflicts.services._common import (
    _audit,
    _clean_text,
    _lock,
    _lock_open,
    _name,
    _notify_issue,
)
from accord.conflicts.services.messages import (
    BAD_COMMENT_KIND,
    BAD_CONFLICT_TYPE,
    BAD_VISIBILITY,
    COMMENT_REQUIRED,
    DESCRIPTION_REQUIRED,
    ISSUE_CLOSED,
    NOT_A_COMMENTER,
    NOT_A_CONTRIBUTOR,
    NOT_A_STEERER,
    NOT_WITHDRAWER,
    PARTNERSHIP_CLOSED,
    PRINCIPLE_OTHER_PARTNERSHIP,
    PRINCIPLE_REQUIRED,
    RESOLUTION_REQUIRED,
    SOURCE_OTHER_PARTNERSHIP,
    SOURCE_UNSAVED,
    TITLE_REQUIRED,
    TITLE_TOO_LONG,
)
from accord.conflicts.services.principles import principles_seed
from accord.partnerships.access import Need, can, user_organization
from accord.partnerships.models import Partnership, Visibility


@transaction.atomic
def issue_raise(
    *,
    partnership: Partnership,
    user: Any,
    title: str,
    description: str,
    conflict_type: str,
    visibility: str = Visibility.JOINT,
    source: models.Model | None = None,
) -> Issue:
    """Raise an issue at the first tier of the partnership's ladder and tell that tier's owners.

    `source` is any saved record the issue comes from (a proposal, a commitment); it is stored as
    a generic reference so the issue links back to it."""
    errors: dict[str, str] = {}
    title, description = _clean_text(title), _clean_text(description)
    if not title:
        errors["title"] = TITLE_REQUIRED
    elif len(title) > 200:
        errors["title"] = TITLE_TOO_LONG
    if not description:
        errors["description"] = DESCRIPTION_REQUIRED
    if conflict_type not in ConflictType.values:
        errors["conflict_type"] = BAD_CONFLICT_TYPE.format(choices=", ".join(ConflictType.values))
    if visibility not in Visibility.values:
        errors["visibility"] = BAD_VISIBILITY
    if source is not None:
        if getattr(source, "pk", None) is None:
            errors["source"] = SOURCE_UNSAVED
        elif getattr(source, "partnership_id", partnership.pk) != partnership.pk:
            errors["source"] = SOURCE_OTHER_PARTNERSHIP
    if errors:
        raise ValidationError(errors)
    org = user_organization(user)
    if org is None or not can(user, partnership, Need.CONTRIBUTE):
        raise ValidationError(NOT_A_CONTRIBUTOR)
    if partnership.status == Partnership.Status.DISSOLVED:
        raise ValidationError(PARTNERSHIP_CLOSED)
    principles_seed(partnership=partnership)
    now = timezone.now()
    issue = Issue.objects.create(
        partnership=partnership,
        owner_org=org,
        visibility=visibility,
        created_by=user,
        created_at=now,
        title=title,
        description=description,
        conflict_type=conflict_type,
        tier=TierKey.OPERATIONAL_LEADS,
        tier_entered_at=now,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=str(source.pk) if source is not None else "",
    )
    _audit(
        issue,
        actor=user,
        action="conflicts.issue_raise",
        summary=f"{_name(user)} raised the {issue.get_conflict_type_display().lower()} issue "
        f"“{title}” with the operational leads",
        changes={"conflict_type": conflict_type, "visibility": visibility, "tier": issue.tier},
    )
    tiers = selectors.ladder(partnership=partnership)
    _notify_issue(
        issue,
        selectors.current_owner_ids(issue, tiers),
        kind="conflicts.raised",
        summary=f"New issue for the operational leads: “{title}” ({partnership.name})",
        exclude=user,
    )
    return issue


@transaction.atomic
def issue_comment(
    *, issue: Issue, user: Any, body: str, kind: str = Comment.Kind.COMMENT
) -> Comment:
    issue = _lock(issue)
    body = _clean_text(body)
    if kind not in Comment.Kind.values:
        raise ValidationError({"kind": BAD_COMMENT_KIND})
    if not body:
        raise ValidationError({"body": COMMENT_REQUIRED})
    if not issue.is_open:
        raise ValidationError(ISSUE_CLOSED)
    tiers = selectors.ladder(partnership=issue.partnership)
    if kind == Comment.Kind.PROPOSAL and not selectors.can_steer(user, issue, tiers):
        raise ValidationError(NOT_A_STEERER)
    if not selectors.can_comment(user, issue, tiers):
        raise ValidationError(NOT_A_COMMENTER)
    org = user_organization(user)
    comment = Comment.objects.create(
        issue=issue, author=user, organization=org, kind=kind, body=body, tier=issue.tier
    )
    issue.save(update_fields=["updated_at"])
    verb = "proposed a resolution to" if kind == Comment.Kind.PROPOSAL else "commented on"
    _audit(
        issue,
        actor=user,
        action=f"conflicts.issue_{kind}",
        summary=f"{_name(user)} {verb} “{issue.title}”",
        changes={"comment": comment.pk},
    )
    _notify_issue(
        issue,
        selectors.current_owner_ids(issue, tiers),
        kind=f"conflicts.{kind}",
        summary=f"{_name(user)} {verb} “{issue.title}”",
        exclude=user,
    )
    return comment


def _principle_from(partnership: Partnership, principle: Any) -> Principle | None:
    """Resolve a stored principle, or the partnership's copy of a catalog one, by title."""
    if principle is None:
        return None
    if isinstance(principle, Principle):
        if principle.partnership_id != partnership.pk:
            raise ValidationError({"principle": PRINCIPLE_OTHER_PARTNERSHIP})
        return principle
    rows = principles_seed(partnership=partnership)
    match = next(
        (
            p
            for p in rows
            if p.title == principle.title and p.conflict_type == principle.conflict_type
        ),
        None,
    )
    if match is None:
        raise ValidationError({"principle": PRINCIPLE_REQUIRED})
    return match


@transaction.atomic
def issue_resolve(*, issue: Issue, user: Any, principle: Any, resolution: str) -> Issue:
    """Close the issue at its current tier, recording the agreed resolution and the principle
    that decided it."""
    issue = _lock_open(issue)
    resolution = _clean_text(resolution)
    errors = {}
    if principle is None:
        errors["principle"] = PRINCIPLE_REQUIRED
    if not resolution:
        errors["resolution"] = RESOLUTION_REQUIRED
    if errors:
        raise ValidationError(errors)
    tiers = selectors.ladder(partnership=issue.partnership)
    if not selectors.can_steer(user, issue, tiers):
        raise ValidationError(NOT_A_STEERER)
    applied = _principle_from(issue.partnership, principle)
    assert applied is not None
    issue.resolved_at = timezone.now()
    issue.resolved_by = user
    issue.principle = applied
    issue.principle_title = applied.title
    issue.resolution = resolution
    issue.save()
    tier_label = TierKey(issue.tier).label.lower()
    _audit(
        issue,
        actor=user,
        action="conflicts.issue_resolve",
        summary=f"{_name(user)} resolved “{issue.title}” with the {tier_label} under the "
        f"principle “{applied.title}”",
        changes={"tier": issue.tier, "principle": applied.title, "resolution": resolution},
    )
    _notify_issue(
        issue,
        selectors.current_owner_ids(issue, tiers),
        kind="conflicts.resolved",
        summary=f"“{issue.title}” was resolved ({applied.title})",
        exclude=user,
    )
    return issue


@transaction.atomic
def issue_withdraw(*, issue: Issue, user: Any) -> Issue:
    """Withdraw an open issue. Racing a resolution (or a second withdrawal), the later one
    finds it closed under the lock and is refused as stale."""
    issue = _lock_open(issue)
    if issue.created_by_id != user.pk and not selectors.is_manager_for(
        user, issue.partnership, issue
    ):
        raise ValidationError(NOT_WITHDRAWER)
    issue.withdrawn_at = timezone.now()
    issue.save(update_fields=["withdrawn_at", "updated_at"])
    _audit(
        issue,
        actor=user,
        action="conflicts.issue_withdraw",
        summary=f"{_name(user)} withdrew “{issue.title}”",
        changes={"tier": issue.tier},
    )
    tiers = selectors.ladder(partnership=issue.partnership)
    _notify_issue(
        issue,
        selectors.current_owner_ids(issue, tiers),
        kind="conflicts.withdrawn",
        summary=f"{_name(user)} withdrew “{issue.title}”",
        exclude=user,
    )
    return issue
