"""Writes for conflict resolution. Each validates, saves, records its audit event and notifies
the people concerned in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accord.conflicts import selectors
from accord.conflicts.catalog import DEFAULT_PRINCIPLES
from accord.conflicts.models import (
    TIER_ORDER,
    Comment,
    ConflictType,
    ExitPlan,
    ExitStep,
    Issue,
    Principle,
    TierChange,
    TierKey,
    TierOwner,
)
from accord.notifications.services import notify
from accord.partnerships import services as partnership_services
from accord.partnerships.access import Need, can, user_organization
from accord.partnerships.audit import record_event
from accord.partnerships.models import Participant, Partnership, Visibility

NOT_A_CONTRIBUTOR = (
    "Only sponsors, alliance managers, team members and party admins of this partnership can "
    "raise an issue."
)
TITLE_REQUIRED = "Give the issue a short title."
TITLE_TOO_LONG = "Keep the title under 200 characters."
DESCRIPTION_REQUIRED = "Describe what happened and what you need."
BAD_CONFLICT_TYPE = "Choose a conflict type from the list: {choices}."
BAD_VISIBILITY = "Visibility must be 'joint' (all parties) or 'internal' (your organization)."
PARTNERSHIP_CLOSED = "This partnership is dissolved; no new issues can be raised."
SOURCE_UNSAVED = "The record an issue comes from must be saved first."
SOURCE_OTHER_PARTNERSHIP = "The record an issue comes from belongs to another partnership."
ISSUE_CLOSED = "This issue is already closed."
NOT_A_STEERER = "Only the current tier's owners or an alliance manager can do this."
NOT_AN_ESCALATOR = (
    "Only the current tier's owners, an alliance manager or the person who raised the issue can "
    "escalate it."
)
NOT_A_COMMENTER = "Observers can read the issue but not comment on it."
TOP_OF_LADDER = "The issue is at the exit procedure, the top of the ladder."
REASON_REQUIRED = "Say why the issue needs the next tier."
COMMENT_REQUIRED = "Write a comment."
BAD_COMMENT_KIND = "A comment is either a comment or a proposed resolution."
RESOLUTION_REQUIRED = "Write the resolution both sides agreed."
PRINCIPLE_REQUIRED = "Choose the principle that applied."
PRINCIPLE_OTHER_PARTNERSHIP = "That principle belongs to another partnership."
NOT_WITHDRAWER = "Only the person who raised the issue or an alliance manager can withdraw it."
NOT_A_MANAGER = "Only alliance managers and party admins can change this."
OWNER_NOT_ON_SIDE = (
    "{name} is not a participant from {org} who can act in this partnership (observers only read)."
)
ORG_NOT_A_PARTY = "That organization is not a party to this partnership."
OWN_SIDE_ONLY = "Each party chooses its own tier owners."
BAD_TIER = "Choose a tier of the ladder."
PRINCIPLE_TITLE_REQUIRED = "Give the principle a title."
PRINCIPLE_TEXT_REQUIRED = "Write the principle's text."
PRINCIPLE_DUPLICATE = "There is already a principle with this title for this conflict type."
BAD_PRINCIPLE_TYPE = "Choose a conflict type (or 'Any type') for the principle."
EXIT_PLAN_EXISTS = "This partnership already has an exit plan."
EXIT_REASON_REQUIRED = "Say why the partnership is being wound down."
EXIT_NOT_ALLOWED_STATUS = "A dissolved partnership cannot start an exit plan."
STEP_TITLE_REQUIRED = "Give the step a title."
BAD_AREA = "Choose what the step covers: {choices}."
STEP_OWNER_NOT_PARTICIPANT = "A step's owner must take part in this partnership."
STEPS_NOT_DONE = "{n} step(s) of the exit plan are not done yet."
PLAN_COMPLETED = "The exit plan is already completed."

DEFAULT_EXIT_STEPS: list[tuple[str, str, str, int]] = [
    (
        ExitStep.Area.ASSETS,
        "Inventory and divide joint assets",
        "List equipment, materials and facilities held jointly; agree who keeps, buys out or "
        "disposes of each.",
        30,
    ),
    (
        ExitStep.Area.IP,
        "Allocate intellectual property and licences",
        "Confirm background IP returns to its owner; decide ownership and licences for joint "
        "results and pending filings.",
        45,
    ),
    (
        ExitStep.Area.DATA,
        "Return, archive or delete shared data",
        "Agree for each shared data set whether it is returned, archived for the retention "
        "period, or deleted, and confirm it in writing.",
        45,
    ),
    (
        ExitStep.Area.INVESTMENTS,
        "Settle recoverable investments",
        "Value each party's recoverable investments and agree how they are recovered or "
        "compensated.",
        60,
    ),
    (
        ExitStep.Area.WIND_DOWN,
        "Complete or hand over open commitments",
        "Decide for each open commitment whether it is finished, handed over or cancelled, and "
        "by when.",
        60,
    ),
    (
        ExitStep.Area.COMMUNICATION,
        "Tell stakeholders together",
        "Agree one message and timing for staff, customers, investors and regulators, and who "
        "delivers it on each side.",
        21,
    ),
]


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


def _notify_issue(
    issue: Issue, recipients: Iterable[int], *, kind: str, summary: str, exclude: Any = None
) -> None:
    ids = set(recipients)
    if issue.created_by_id:
        ids.add(issue.created_by_id)
    if exclude is not None:
        ids.discard(exclude.pk)
    if issue.visibility == Visibility.INTERNAL:
        people = [u for u in selectors.people_for(ids) if _in_org(u, issue.owner_org_id)]
    else:
        people = selectors.people_for(ids)
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


def _lock(issue: Issue) -> Issue:
    """Re-read the issue under a row lock so two people (or a person and the worker) acting at
    once end in one state."""
    locked = Issue.objects.select_for_update().select_related("partnership", "owner_org")
    return locked.get(pk=issue.pk)


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
def issue_escalate(*, issue: Issue, user: Any, note: str) -> Issue:
    """Escalate by hand to the next tier, with a reason."""
    issue = _lock(issue)
    if not issue.is_open:
        raise ValidationError(ISSUE_CLOSED)
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


@transaction.atomic
def principles_seed(*, partnership: Partnership) -> list[Principle]:
    """Give the partnership its own editable copy of the default catalog (once)."""
    existing = list(Principle.objects.filter(partnership=partnership))
    if existing:
        return existing
    return Principle.objects.bulk_create(
        [
            Principle(
                partnership=partnership,
                conflict_type=p.conflict_type,
                title=p.title,
                text=p.text,
                position=i,
            )
            for i, p in enumerate(DEFAULT_PRINCIPLES)
        ]
    )


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
    issue = _lock(issue)
    resolution = _clean_text(resolution)
    errors = {}
    if principle is None:
        errors["principle"] = PRINCIPLE_REQUIRED
    if not resolution:
        errors["resolution"] = RESOLUTION_REQUIRED
    if errors:
        raise ValidationError(errors)
    if not issue.is_open:
        raise ValidationError(ISSUE_CLOSED)
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
    issue = _lock(issue)
    if not issue.is_open:
        raise ValidationError(ISSUE_CLOSED)
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


# --- ladder configuration ----------------------------------------------------------------------


def _require_manager(user: Any, partnership: Partnership) -> None:
    if not can(user, partnership, Need.MANAGE):
        raise ValidationError(NOT_A_MANAGER)


@transaction.atomic
def tier_owners_set(
    *, partnership: Partnership, user: Any, tier: str, organization: Any, users: Iterable[Any]
) -> list[TierOwner]:
    """Set who owns one tier for one party. An empty list returns that side to the default
    from participant roles. Each party's managers choose their own side's owners."""
    _require_manager(user, partnership)
    if tier not in TierKey.values:
        raise ValidationError({"tier": BAD_TIER})
    if not partnership.parties.filter(organization=organization).exists():
        raise ValidationError(ORG_NOT_A_PARTY)
    own = user_organization(user)
    if own is None or own.pk != organization.pk:
        raise ValidationError(OWN_SIDE_ONLY)
    people = list(users)
    allowed = set(
        Participant.objects.filter(partnership=partnership, organization=organization)
        .exclude(role__in=[Participant.Role.FACILITATOR, Participant.Role.OBSERVER])
        .values_list("user_id", flat=True)
    )
    for person in people:
        if person.pk not in allowed:
            raise ValidationError(OWNER_NOT_ON_SIDE.format(name=_name(person), org=organization))
    before = sorted(
        TierOwner.objects.filter(
            partnership=partnership, tier=tier, organization=organization
        ).values_list("user_id", flat=True)
    )
    TierOwner.objects.filter(partnership=partnership, tier=tier, organization=organization).delete()
    rows = TierOwner.objects.bulk_create(
        [
            TierOwner(partnership=partnership, tier=tier, organization=organization, user=person)
            for person in people
        ]
    )
    names = ", ".join(_name(p) for p in people) or "the default from participant roles"
    record_event(
        partnership=partnership,
        actor=user,
        action="conflicts.tier_owners",
        summary=f"{_name(user)} set {organization}'s owners of "
        f"{TierKey(tier).label.lower()}: {names}",
        target=partnership,
        changes={"tier": tier, "users": [before, sorted(p.pk for p in people)]},
    )
    return rows


def ladder_windows_set(*, partnership: Partnership, user: Any, windows: dict[str, int]) -> None:
    """The windows live on the partnership's settings; change them through its service."""
    _require_manager(user, partnership)
    partnership_services.partnership_update(
        user=user, partnership=partnership, escalation_windows=dict(windows)
    )


# --- principles --------------------------------------------------------------------------------


def _validate_principle(conflict_type: str, title: str, text: str) -> dict[str, str]:
    errors = {}
    if conflict_type not in [Principle.ANY, *ConflictType.values]:
        errors["conflict_type"] = BAD_PRINCIPLE_TYPE
    if not title:
        errors["title"] = PRINCIPLE_TITLE_REQUIRED
    elif len(title) > 200:
        errors["title"] = TITLE_TOO_LONG
    if not text:
        errors["text"] = PRINCIPLE_TEXT_REQUIRED
    return errors


@transaction.atomic
def principle_save(
    *,
    partnership: Partnership,
    user: Any,
    conflict_type: str,
    title: str,
    text: str,
    principle: Principle | None = None,
) -> Principle:
    """Add a principle, or change one (`principle`). The first edit copies the catalog."""
    _require_manager(user, partnership)
    title, text = _clean_text(title), _clean_text(text)
    errors = _validate_principle(conflict_type, title, text)
    if errors:
        raise ValidationError(errors)
    principles_seed(partnership=partnership)
    if principle is not None and principle.partnership_id != partnership.pk:
        raise ValidationError(PRINCIPLE_OTHER_PARTNERSHIP)
    clash = Principle.objects.filter(
        partnership=partnership, conflict_type=conflict_type, title=title
    )
    if principle is not None:
        clash = clash.exclude(pk=principle.pk)
    if clash.exists():
        raise ValidationError({"title": PRINCIPLE_DUPLICATE})
    if principle is None:
        last = Principle.objects.filter(partnership=partnership).order_by("-position").first()
        principle = Principle(partnership=partnership, position=(last.position + 1) if last else 0)
        action, verb = "conflicts.principle_add", "added"
        before: dict[str, Any] = {}
    else:
        action, verb = "conflicts.principle_change", "changed"
        before = {"title": principle.title, "text": principle.text}
    principle.conflict_type, principle.title, principle.text = conflict_type, title, text
    principle.save()
    record_event(
        partnership=partnership,
        actor=user,
        action=action,
        summary=f"{_name(user)} {verb} the principle “{title}”",
        target=principle,
        changes={"before": before, "after": {"title": title, "text": text}},
    )
    return principle


@transaction.atomic
def principle_delete(*, partnership: Partnership, user: Any, principle: Principle) -> None:
    """Remove a principle. Issues resolved under it keep its title."""
    _require_manager(user, partnership)
    if principle.partnership_id != partnership.pk:
        raise ValidationError(PRINCIPLE_OTHER_PARTNERSHIP)
    title = principle.title
    record_event(
        partnership=partnership,
        actor=user,
        action="conflicts.principle_delete",
        summary=f"{_name(user)} removed the principle “{title}”",
        target=principle,
        changes={"title": title},
    )
    principle.delete()


# --- exit procedure ----------------------------------------------------------------------------


@transaction.atomic
def exit_plan_start(
    *, partnership: Partnership, user: Any, reason: str, issue: Issue | None = None
) -> ExitPlan:
    """Start the dissolution plan with one step per area and move the partnership to
    "dissolving"."""
    _require_manager(user, partnership)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    reason = _clean_text(reason)
    if not reason:
        raise ValidationError({"reason": EXIT_REASON_REQUIRED})
    if partnership.status == Partnership.Status.DISSOLVED:
        raise ValidationError(EXIT_NOT_ALLOWED_STATUS)
    if ExitPlan.objects.filter(partnership=partnership).exists():
        raise ValidationError(EXIT_PLAN_EXISTS)
    if issue is not None and issue.partnership_id != partnership.pk:
        issue = None
    today = timezone.localdate()
    plan = ExitPlan.objects.create(
        partnership=partnership, issue=issue, reason=reason, started_by=user
    )
    ExitStep.objects.bulk_create(
        [
            ExitStep(
                plan=plan,
                area=area,
                title=title,
                detail=detail,
                due_on=today + timedelta(days=days),
            )
            for area, title, detail, days in DEFAULT_EXIT_STEPS
        ]
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="conflicts.exit_plan_start",
        summary=f"{_name(user)} started the exit procedure: {reason}"[:500],
        target=plan,
        changes={"issue": issue.pk if issue else None},
    )
    partnership_services.partnership_update(
        user=user, partnership=partnership, status=Partnership.Status.DISSOLVING
    )
    people = [p.user for p in partnership.participants.select_related("user")]
    notify(
        recipients=people,
        kind="conflicts.exit_plan",
        summary=f"{_name(user)} started the exit procedure for {partnership.name}",
        partnership=partnership,
        url=reverse("conflicts:exit_plan", kwargs={"pk": partnership.pk}),
    )
    return plan


def _validate_step(partnership: Partnership, area: Any, title: Any, owner: Any) -> dict[str, str]:
    errors = {}
    if area not in ExitStep.Area.values:
        errors["area"] = BAD_AREA.format(choices=", ".join(ExitStep.Area.values))
    if not title:
        errors["title"] = STEP_TITLE_REQUIRED
    elif len(title) > 200:
        errors["title"] = TITLE_TOO_LONG
    if (
        owner is not None
        and not Participant.objects.filter(partnership=partnership, user=owner).exists()
    ):
        errors["owner"] = STEP_OWNER_NOT_PARTICIPANT
    return errors


def _require_plan_open(plan: ExitPlan) -> None:
    if plan.completed_at is not None:
        raise ValidationError(PLAN_COMPLETED)


@transaction.atomic
def exit_step_add(
    *,
    plan: ExitPlan,
    user: Any,
    area: str,
    title: str,
    detail: str = "",
    owner: Any = None,
    due_on: date | None = None,
) -> ExitStep:
    partnership = plan.partnership
    _require_manager(user, partnership)
    _require_plan_open(plan)
    title = _clean_text(title)
    errors = _validate_step(partnership, area, title, owner)
    if errors:
        raise ValidationError(errors)
    step = ExitStep.objects.create(
        plan=plan, area=area, title=title, detail=_clean_text(detail), owner=owner, due_on=due_on
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="conflicts.exit_step_add",
        summary=f"{_name(user)} added the exit step “{title}”",
        target=step,
        changes={"area": area, "due_on": due_on.isoformat() if due_on else None},
    )
    return step


_UNSET: Any = object()


@transaction.atomic
def exit_step_update(
    *,
    step: ExitStep,
    user: Any,
    owner: Any = _UNSET,
    due_on: Any = _UNSET,
    done: bool | None = None,
) -> ExitStep:
    """Assign an owner, set a due date, or mark done/not done. A step's owner may mark it done;
    the rest needs an alliance manager."""
    step = ExitStep.objects.select_for_update().select_related("plan__partnership").get(pk=step.pk)
    partnership = step.plan.partnership
    _require_plan_open(step.plan)
    only_done = owner is _UNSET and due_on is _UNSET
    if not (only_done and step.owner_id == user.pk):
        _require_manager(user, partnership)
    changes: dict[str, Any] = {}
    if owner is not _UNSET:
        errors = _validate_step(partnership, step.area, step.title, owner)
        if errors:
            raise ValidationError(errors)
        changes["owner"] = [step.owner_id, owner.pk if owner else None]
        step.owner = owner
    if due_on is not _UNSET:
        changes["due_on"] = [
            step.due_on.isoformat() if step.due_on else None,
            due_on.isoformat() if due_on else None,
        ]
        step.due_on = due_on
    if done is not None and done != step.is_done:
        changes["done"] = [step.is_done, done]
        step.done_at = timezone.now() if done else None
        step.done_by = user if done else None
    if not changes:
        return step
    step.save()
    verb = (
        "completed"
        if changes.get("done") == [False, True]
        else "reopened"
        if "done" in changes
        else "updated"
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="conflicts.exit_step_update",
        summary=f"{_name(user)} {verb} the exit step “{step.title}”",
        target=step,
        changes=changes,
    )
    if owner is not _UNSET and owner is not None and owner.pk != user.pk:
        notify(
            recipients=[owner],
            kind="conflicts.exit_step",
            summary=f"You own the exit step “{step.title}” in {partnership.name}",
            partnership=partnership,
            url=reverse("conflicts:exit_plan", kwargs={"pk": partnership.pk}),
        )
    return step


@transaction.atomic
def exit_plan_complete(*, plan: ExitPlan, user: Any) -> ExitPlan:
    """Once every step is done, close the plan and mark the partnership dissolved."""
    partnership = plan.partnership
    _require_manager(user, partnership)
    plan = ExitPlan.objects.select_for_update().get(pk=plan.pk)
    _require_plan_open(plan)
    open_steps = plan.steps.filter(done_at__isnull=True).count()
    if open_steps:
        raise ValidationError(STEPS_NOT_DONE.format(n=open_steps))
    plan.completed_at = timezone.now()
    plan.save(update_fields=["completed_at"])
    record_event(
        partnership=partnership,
        actor=user,
        action="conflicts.exit_plan_complete",
        summary=f"{_name(user)} completed the exit plan",
        target=plan,
        changes={},
    )
    partnership_services.partnership_update(
        user=user, partnership=partnership, status=Partnership.Status.DISSOLVED
    )
    return plan


TIER_KEYS = TIER_ORDER
