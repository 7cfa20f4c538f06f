"""The exit procedure: the plan, its steps and its completion."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accord.conflicts.models import (
    ExitPlan,
    ExitStep,
    Issue,
)
from accord.conflicts.services._common import _clean_text, _name, _require_manager
from accord.conflicts.services.messages import (
    BAD_AREA,
    EXIT_NOT_ALLOWED_STATUS,
    EXIT_PLAN_EXISTS,
    EXIT_REASON_REQUIRED,
    PLAN_COMPLETED,
    STEP_OWNER_NOT_PARTICIPANT,
    STEP_TITLE_REQUIRED,
    STEPS_NOT_DONE,
    TITLE_TOO_LONG,
)
from accord.notifications.services import notify
from accord.partnerships import services as partnership_services
from accord.partnerships.audit import record_event
from accord.partnerships.models import Participant, Partnership

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
