"""Reads for conflict resolution. Each takes its scope explicitly."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet

from accord.conflicts.catalog import DEFAULT_PRINCIPLES
from accord.conflicts.models import (
    TIER_ORDER,
    ExitPlan,
    Issue,
    Principle,
    TierChange,
    TierKey,
    TierOwner,
)
from accord.partnerships.access import (
    Need,
    can,
    participant_role,
    user_organization,
)
from accord.partnerships.models import Participant, Partnership, Visibility

Role = Participant.Role

# Who owns a tier on each side when that side has configured no one, in order of preference:
# the first role that has someone on that side wins.
DEFAULT_TIER_ROLES: dict[str, list[list[str]]] = {
    TierKey.OPERATIONAL_LEADS: [[Role.MEMBER], [Role.ALLIANCE_MANAGER]],
    TierKey.ALLIANCE_MANAGERS: [[Role.ALLIANCE_MANAGER]],
    TierKey.EXECUTIVE_SPONSORS: [[Role.SPONSOR], [Role.ALLIANCE_MANAGER]],
    TierKey.NEUTRAL_FACILITATION: [[Role.ALLIANCE_MANAGER]],
    TierKey.EXIT_PROCEDURE: [[Role.SPONSOR, Role.ALLIANCE_MANAGER]],
}
# Issues a neutral facilitator sees: joint ones that reached the tier they run.
FACILITATED_TIERS = [TierKey.NEUTRAL_FACILITATION, TierKey.EXIT_PROCEDURE]


def person_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class TierSide:
    """The owners of one tier for one organization (a party, or the neutral facilitators)."""

    organization_id: int
    organization: str
    people: list[tuple[int, str]]
    configured: bool  # False when the default from participant roles applies
    neutral: bool = False


@dataclass(frozen=True)
class Tier:
    order: int
    key: str
    label: str
    window_days: int | None
    owners: list[tuple[str, list[str]]]
    sides: list[TierSide] = field(default_factory=list)

    def owner_ids(self, organization_id: int | None = None) -> set[int]:
        """Owners' user ids; with an organization, only that side's (for internal issues)."""
        return {
            uid
            for side in self.sides
            if organization_id is None or side.organization_id == organization_id
            for uid, _ in side.people
        }


def ladder(*, partnership: Partnership, viewer: Any = None) -> list[Tier]:
    """The partnership's ladder, bottom up, with each tier's owners on each side.

    Windows come from `partnership.escalation_windows`; the exit procedure has none. With a
    viewer and a partnership that keeps participant lists per party, other parties' owners are
    shown by organization only."""
    parties = list(partnership.parties.select_related("organization"))
    participants = list(
        partnership.participants.select_related("user", "organization").order_by(
            "user__last_name", "user__first_name", "pk"
        )
    )
    configured: dict[tuple[str, int], list[Any]] = {}
    for row in (
        TierOwner.objects.filter(partnership=partnership)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    ):
        configured.setdefault((row.tier, row.organization_id), []).append(row.user)
    hide_others_of = None
    if viewer is not None and partnership.restrict_participant_lists:
        org = user_organization(viewer)
        hide_others_of = org.pk if org else -1

    tiers = []
    for order, key in enumerate(TIER_ORDER, start=1):
        sides = []
        for party in parties:
            org_id = party.organization_id
            people = configured.get((key, org_id))
            is_configured = people is not None
            if people is None:
                people = []
                for roles in DEFAULT_TIER_ROLES[key]:
                    people = [
                        p.user
                        for p in participants
                        if p.organization_id == org_id and p.role in roles
                    ]
                    if people:
                        break
            sides.append(
                TierSide(
                    organization_id=org_id,
                    organization=party.organization.name,
                    people=[(u.pk, person_name(u)) for u in people],
                    configured=is_configured,
                )
            )
        if key == TierKey.NEUTRAL_FACILITATION:
            by_org: dict[int, TierSide] = {}
            for p in participants:
                if p.role == Role.FACILITATOR:
                    side = by_org.setdefault(
                        p.organization_id,
                        TierSide(p.organization_id, p.organization.name, [], False, neutral=True),
                    )
                    side.people.append((p.user_id, person_name(p.user)))
            sides.extend(by_org.values())
        tiers.append(
            Tier(
                order=order,
                key=key,
                label=str(TierKey(key).label),
                window_days=window_days(partnership, key),
                owners=[
                    (
                        side.organization,
                        [name for _, name in side.people]
                        if hide_others_of is None
                        or side.neutral
                        or side.organization_id == hide_others_of
                        else [],
                    )
                    for side in sides
                ],
                sides=sides,
            )
        )
    return tiers


def ladder_steps(*, partnership: Partnership) -> list[Tier]:
    """The ladder's tiers, bottom up, with their windows but without owners: what a page that
    shows no owners needs, read from the partnership alone (no query)."""
    return [
        Tier(
            order=order,
            key=key,
            label=str(TierKey(key).label),
            window_days=window_days(partnership, key),
            owners=[],
        )
        for order, key in enumerate(TIER_ORDER, start=1)
    ]


def tier_of(tiers: list[Tier], key: str) -> Tier:
    return next(t for t in tiers if t.key == key)


def next_tier_key(key: str) -> str | None:
    index = TIER_ORDER.index(key)
    return TIER_ORDER[index + 1] if index + 1 < len(TIER_ORDER) else None


def window_days(partnership: Partnership, key: str) -> int | None:
    value = partnership.escalation_windows.get(key) if key != TierKey.EXIT_PROCEDURE else None
    return int(value) if value is not None else None


def tier_deadline(issue: Issue, partnership: Partnership | None = None) -> datetime | None:
    """When the issue's current window passes; None at the exit procedure or once closed."""
    days = window_days(partnership or issue.partnership, issue.tier)
    if days is None or not issue.is_open:
        return None
    return issue.tier_entered_at + timedelta(days=days)


@dataclass(frozen=True)
class PrincipleView:
    """A principle from the default catalog, before the partnership has its own copy."""

    conflict_type: str
    title: str
    text: str
    pk: None = None

    def get_conflict_type_display(self) -> str:
        return dict(Principle._meta.get_field("conflict_type").choices or []).get(
            self.conflict_type, self.conflict_type
        )


def principles(*, partnership: Partnership, conflict_type: str | None = None) -> list[Any]:
    """The partnership's principles (its own copy once edited, the default catalog before).

    With a conflict type: the principles for that type followed by those for any type."""
    rows: list[Any] = list(Principle.objects.filter(partnership=partnership))
    if not rows:
        rows = [PrincipleView(*p) for p in DEFAULT_PRINCIPLES]
    if conflict_type is None:
        return rows
    return [p for p in rows if p.conflict_type == conflict_type] + [
        p for p in rows if p.conflict_type == Principle.ANY
    ]


def issues_for(*, partnership: Partnership, viewer: Any) -> QuerySet[Issue]:
    """Issues the viewer may see: joint ones and their own organization's internal ones for
    readers; for a neutral facilitator, only joint issues that reached neutral facilitation."""
    base = Issue.objects.filter(partnership=partnership)
    if can(viewer, partnership, Need.READ):
        return base.filter(pk__in=Issue.objects.visible_to(viewer).values("pk"))
    if participant_role(viewer, partnership) == Role.FACILITATOR:
        reached = TierChange.objects.filter(to_tier__in=FACILITATED_TIERS).values("issue_id")
        return base.filter(visibility=Visibility.JOINT, pk__in=reached)
    return base.none()


def issue_rows(
    *,
    partnership: Partnership,
    viewer: Any,
    state: str = "",
    issues: QuerySet[Issue] | None = None,
) -> QuerySet[Issue]:
    """``issues`` is ``issues_for(partnership, viewer)`` when the caller has it already."""
    if issues is None:
        issues = issues_for(partnership=partnership, viewer=viewer)
    rows = issues.select_related("owner_org", "created_by").annotate(
        escalations=Count("tier_changes")
    )
    if state == Issue.State.OPEN:
        rows = rows.filter(resolved_at__isnull=True, withdrawn_at__isnull=True)
    elif state == Issue.State.RESOLVED:
        rows = rows.filter(resolved_at__isnull=False)
    elif state == Issue.State.WITHDRAWN:
        rows = rows.filter(withdrawn_at__isnull=False)
    return rows


def issue_get(*, partnership: Partnership, viewer: Any, issue_id: Any) -> Issue | None:
    try:
        key = int(issue_id)
    except (TypeError, ValueError, OverflowError):
        return None
    return (
        issues_for(partnership=partnership, viewer=viewer)
        .select_related("owner_org", "created_by", "resolved_by", "principle", "partnership")
        .filter(pk=key)
        .first()
    )


def exit_plan(*, partnership: Partnership) -> ExitPlan | None:
    return (
        ExitPlan.objects.filter(partnership=partnership)
        .select_related("started_by", "issue")
        .first()
    )


def is_manager_for(user: Any, partnership: Partnership, issue: Issue) -> bool:
    """Alliance managers and party admins may act on joint issues, and on their own side's
    internal ones."""
    if not can(user, partnership, Need.MANAGE):
        return False
    if issue.visibility == Visibility.INTERNAL:
        org = user_organization(user)
        return org is not None and org.pk == issue.owner_org_id
    return True


def current_owner_ids(issue: Issue, tiers: list[Tier]) -> set[int]:
    side = issue.owner_org_id if issue.visibility == Visibility.INTERNAL else None
    return tier_of(tiers, issue.tier).owner_ids(side)


def can_steer(user: Any, issue: Issue, tiers: list[Tier]) -> bool:
    """May resolve or propose a resolution: the current tier's owners, or a manager."""
    if not issue.is_open or not getattr(user, "is_authenticated", False):
        return False
    return user.pk in current_owner_ids(issue, tiers) or is_manager_for(
        user, issue.partnership, issue
    )


def can_escalate(user: Any, issue: Issue, tiers: list[Tier]) -> bool:
    """May escalate by hand: whoever may steer, and the person who raised it."""
    if issue.tier == TierKey.EXIT_PROCEDURE:
        return False
    return can_steer(user, issue, tiers) or (issue.is_open and issue.created_by_id == user.pk)


def can_comment(user: Any, issue: Issue, tiers: list[Tier]) -> bool:
    """Anyone who sees the issue and takes part in resolving it — contributors and, once it
    reached them, the neutral facilitators; observers only read."""
    if not issue.is_open:
        return False
    partnership = issue.partnership
    return can(user, partnership, Need.CONTRIBUTE) or can_steer(user, issue, tiers)


def people_for(user_ids: Iterable[int]) -> list[Any]:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(pk__in=set(user_ids)))
