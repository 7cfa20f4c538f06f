"""Helpers shared by the conflict services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.conflicts import selectors
from accord.conflicts.models import Issue
from accord.conflicts.services.messages import (
    ISSUE_CLOSED,
    ISSUE_CLOSED_MEANWHILE,
    NOT_A_MANAGER,
)
from accord.notifications.services import notify
from accord.partnerships.access import Need, can, user_organization
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership, Visibility
from accord.partnerships.stale import StaleStateError


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _issue_url(issue: Issue) -> str:
    return reverse(
        "conflicts:issue_detail", kwargs={"pk": issue.partnership_id, "issue_id": issue.pk}
    )


def _audit(issue: Issue, *, actor: Any, action: str, summary: str, changes: dict) -> None:
    internal = issue.visibility == Visibility.INTERNAL
    record_event(
        partnership=issue.partnership,
        actor=actor,
        action=action,
        summary=summary,
        target=issue,
        changes=changes,
        owner_org=issue.owner_org,
        visibility=Visibility.INTERNAL if internal else Visibility.JOINT,
    )


RESPOND_KINDS = ("conflicts.raised", "conflicts.escalated")


def _notify_issue(
    issue: Issue, recipients: Iterable[int], *, kind: str, summary: str, exclude: Any = None
) -> None:
    ids = set(recipients)
    owners = set(ids)
    if issue.created_by_id:
        ids.add(issue.created_by_id)
    if exclude is not None:
        ids.discard(exclude.pk)
    if issue.visibility == Visibility.INTERNAL:
        people = [u for u in selectors.people_for(ids) if _in_org(u, issue.owner_org_id)]
    else:
        people = selectors.people_for(ids)
    if kind in RESPOND_KINDS:
        # The tier's owners are asked to respond: each gets a signed single-use link.
        from accord.communication.action_links import conflict_response_path

        for person in [u for u in people if u.pk in owners]:
            notify(
                recipients=[person],
                kind=kind,
                summary=summary,
                partnership=issue.partnership,
                url=conflict_response_path(issue, person),
            )
        people = [u for u in people if u.pk not in owners]
    notify(
        recipients=people,
        kind=kind,
        summary=summary,
        partnership=issue.partnership,
        url=_issue_url(issue),
    )


def _in_org(user: Any, org_id: int) -> bool:
    org = user_organization(user)
    return org is not None and org.pk == org_id


def _clean_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _lock(issue: Issue) -> Issue:
    """Re-read the issue under a row lock so two people (or a person and the worker) acting at
    once end in one state."""
    locked = Issue.objects.select_for_update().select_related("partnership", "owner_org")
    return locked.get(pk=issue.pk)


def _lock_open(issue: Issue) -> Issue:
    """`_lock`, refusing a closed issue: as stale (409) if the person still saw it open — it
    was resolved or withdrawn meanwhile — and as a plain rejection if they saw it closed."""
    seen_open = issue.is_open
    locked = _lock(issue)
    if not locked.is_open:
        if seen_open:
            raise StaleStateError(ISSUE_CLOSED_MEANWHILE)
        raise ValidationError(ISSUE_CLOSED)
    return locked


def _require_manager(user: Any, partnership: Partnership) -> None:
    if not can(user, partnership, Need.MANAGE):
        raise ValidationError(NOT_A_MANAGER)
