"""The exit procedure: a dissolution plan with tracked steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accord.conflicts import selectors, services
from accord.conflicts.forms import ExitStartForm, ExitStepForm, ExitStepUpdateForm
from accord.conflicts.models import ExitPlan, ExitStep, Issue
from accord.conflicts.views.issues import _form_error
from accord.partnerships.access import Need, access_partnership, can
from accord.partnerships.models import Participant, Partnership


def _candidates(partnership: Partnership) -> list[tuple[int, str]]:
    rows = (
        Participant.objects.filter(partnership=partnership)
        .exclude(role=Participant.Role.OBSERVER)
        .select_related("user", "organization")
        .order_by("organization__name", "user__last_name")
    )
    return [(p.user_id, f"{selectors.person_name(p.user)} ({p.organization.name})") for p in rows]


def _context(request: HttpRequest, partnership: Partnership, **extra: Any) -> dict[str, Any]:
    plan = selectors.exit_plan(partnership=partnership)
    can_manage = can(request.user, partnership, Need.MANAGE)
    candidates = _candidates(partnership)
    steps = []
    done = 0
    today = timezone.localdate()
    if plan is not None:
        for step in plan.steps.select_related("owner", "done_by"):
            done += step.is_done
            steps.append(
                {
                    "step": step,
                    "overdue": not step.is_done and step.due_on is not None and step.due_on < today,
                    "form": ExitStepUpdateForm(
                        initial={
                            "owner": step.owner_id,
                            "due_on": step.due_on,
                            "done": step.is_done,
                        },
                        candidates=candidates,
                        auto_id=f"id_step{step.pk}_%s",
                    )
                    if can_manage
                    else None,
                    "may_tick": not can_manage and step.owner_id == request.user.pk,
                }
            )
    issue_id = request.GET.get("issue", "")
    context = {
        "partnership": partnership,
        "plan": plan,
        "steps": steps,
        "done": done,
        "total": len(steps),
        "percent": round(100 * done / len(steps)) if steps else 0,
        "can_manage": can_manage,
        "start_form": ExitStartForm(initial={"issue": issue_id if issue_id.isdigit() else None}),
        "step_form": ExitStepForm(candidates=candidates),
        "areas": ExitStep.Area.choices,
    }
    context.update(extra)
    return context


@login_required
def exit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.VIEW)
    return render(request, "conflicts/exit_plan.html", _context(request, partnership))


@login_required
@require_POST
def exit_start(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    form = ExitStartForm(request.POST)
    if form.is_valid():
        issue = None
        if form.cleaned_data["issue"]:
            issue = selectors.issue_get(
                partnership=partnership, viewer=request.user, issue_id=form.cleaned_data["issue"]
            )
        try:
            services.exit_plan_start(
                partnership=partnership,
                user=request.user,
                reason=form.cleaned_data["reason"],
                issue=issue,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Exit plan started. The partnership is now dissolving.")
            return redirect("conflicts:exit_plan", pk=partnership.pk)
    context = _context(request, partnership, start_form=form)
    return render(request, "conflicts/exit_plan.html", context, status=400)


def _plan_or_404(partnership: Partnership) -> ExitPlan:
    plan = selectors.exit_plan(partnership=partnership)
    if plan is None:
        raise Http404
    return plan


@login_required
@require_POST
def exit_step_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    plan = _plan_or_404(partnership)
    form = ExitStepForm(request.POST, candidates=_candidates(partnership))
    if form.is_valid():
        data = dict(form.cleaned_data)
        owner = Participant.objects.filter(
            partnership=partnership, user_id=data.pop("owner")
        ).first()
        try:
            services.exit_step_add(
                plan=plan, user=request.user, owner=owner.user if owner else None, **data
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Step added.")
            return redirect("conflicts:exit_plan", pk=partnership.pk)
    context = _context(request, partnership, step_form=form)
    return render(request, "conflicts/exit_plan.html", context, status=400)


@login_required
@require_POST
def exit_step_update(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    """Managers change owner, due date and done; a step's owner may only tick it done."""
    partnership = access_partnership(request.user, pk, Need.VIEW)
    plan = _plan_or_404(partnership)
    step = plan.steps.filter(pk=step_id).first()
    if step is None:
        raise Http404
    manager = can(request.user, partnership, Need.MANAGE)
    if not manager and step.owner_id != request.user.pk:
        raise Http404
    form = ExitStepUpdateForm(request.POST, candidates=_candidates(partnership))
    if not form.is_valid():
        messages.error(request, "Check the step's owner and date.")
        return redirect("conflicts:exit_plan", pk=partnership.pk)
    data = form.cleaned_data
    kwargs: dict[str, Any] = {"done": data["done"]}
    if manager:
        owner = Participant.objects.filter(partnership=partnership, user_id=data["owner"]).first()
        kwargs.update(owner=owner.user if owner else None, due_on=data["due_on"])
    try:
        services.exit_step_update(step=step, user=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Step “{step.title}” saved.")
    return redirect("conflicts:exit_plan", pk=partnership.pk)


@login_required
@require_POST
def exit_complete(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    plan = _plan_or_404(partnership)
    try:
        services.exit_plan_complete(plan=plan, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Exit plan completed. The partnership is dissolved.")
    return redirect("conflicts:exit_plan", pk=partnership.pk)


__all__ = ["Issue"]
