"""Intervention pages: open one, each party's private lists, the reveal, the merged timeline,
agreed shortfalls, the rebuild plan, recovery, and closing.

Every action is a POST to its own route that calls one service; a refusal re-renders the page
with the message and status 400, so nothing is half-written and the reason is in view.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accord.interventions import selectors, services
from accord.interventions.forms import (
    ContributionForm,
    ItemForm,
    LogicForm,
    OpenForm,
    PlanCommitmentForm,
    PlanForm,
    RoundForm,
)
from accord.interventions.models import Intervention, Item
from accord.interventions.services.interventions import has_facilitator, is_facilitator, party_of
from accord.interventions.views.objectives import apply_error
from accord.partnerships.access import Need, access_partnership, can


def _may_open(user: Any, partnership: Any) -> bool:
    return can(user, partnership, Need.MANAGE) or is_facilitator(user, partnership)


@login_required
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.VIEW)
    if not (can(request.user, partnership, Need.READ) or is_facilitator(request.user, partnership)):
        raise Http404
    form = OpenForm(request.POST or None)
    if request.method == "POST":
        if not _may_open(request.user, partnership):
            raise Http404
        if form.is_valid():
            try:
                intervention = services.intervention_open(
                    partnership=partnership, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                apply_error(form, error)
            else:
                return redirect("interventions:detail", pk=pk, intervention_id=intervention.pk)
    # The list shows dates and state only: the reasons and the plan are on each one's page.
    interventions = list(
        selectors.interventions_of(partnership=partnership).only(
            "partnership_id", "opened_at", "revealed_at", "closed_at"
        )
    )
    return render(
        request,
        "interventions/overview.html",
        {
            "partnership": partnership,
            "interventions": interventions,
            "open": next((i for i in interventions if i.is_open), None),
            "form": form,
            "may_open": _may_open(request.user, partnership),
        },
        status=400 if form.errors else 200,
    )


def _context(request: HttpRequest, intervention: Intervention, **forms: Form) -> dict[str, Any]:
    partnership = intervention.partnership
    user = request.user
    party = party_of(user, partnership)
    submissions = selectors.submissions_visible(intervention=intervention, viewer=user)
    items = list(selectors.items_visible(intervention=intervention, viewer=user))
    mine = next((s for s in submissions if party and s.party_id == party.pk), None)
    contributor = party is not None and can(user, partnership, Need.CONTRIBUTE)
    manager = party is not None and can(user, partnership, Need.MANAGE)
    says_no = [s for s in submissions if s.strategic_logic == "no"]
    revealed = bool(intervention.revealed_at)
    return {
        "partnership": partnership,
        "intervention": intervention,
        "party": party,
        "states": selectors.party_states(intervention=intervention),
        "lists": [
            {"submission": s, "items": [i for i in items if i.submission_id == s.pk]}
            for s in submissions
        ],
        "mine": mine,
        "can_edit": contributor and intervention.is_open and not (mine and mine.submitted_at),
        "contributor": contributor and intervention.is_open,
        "manager": manager and intervention.is_open,
        "facilitated": has_facilitator(partnership),
        "is_facilitator": is_facilitator(user, partnership),
        "may_close": intervention.is_open and _may_open(user, partnership),
        "exit_offered": bool(says_no),
        "timeline": selectors.merged_timeline(intervention=intervention, viewer=user),
        "recovery": selectors.recovery(intervention=intervention, viewer=user)
        if revealed and can(user, partnership, Need.READ)
        else None,
        "plan_commitments": list(intervention.plan_commitments.all()) if revealed else [],
        "plan_complete": services.plan_complete(intervention),
        "logic_form": forms.get("logic_form")
        or LogicForm(initial={"strategic_logic": mine.strategic_logic if mine else None}),
        "item_form": forms.get("item_form") or ItemForm(partnership=partnership),
        "contribution_form": forms.get("contribution_form")
        or ContributionForm(initial={"contribution": mine.contribution if mine else ""}),
        "plan_form": forms.get("plan_form")
        or PlanForm(
            initial={
                "cadence": intervention.plan_cadence,
                "issue_rule": intervention.plan_issue_rule,
            }
        ),
        "commitment_form": forms.get("commitment_form")
        or PlanCommitmentForm(partnership=partnership),
        "round_form": forms.get("round_form") or RoundForm(),
        "error": forms.get("error"),
    }


def _page(request: HttpRequest, intervention: Intervention, status: int = 200, **forms: Any) -> Any:
    return render(
        request,
        "interventions/detail.html",
        _context(request, intervention, **forms),
        status=status,
    )


@login_required
def detail(request: HttpRequest, pk: int, intervention_id: int) -> HttpResponse:
    intervention = selectors.access_intervention(request.user, pk, intervention_id)
    return _page(request, intervention)


def _act(
    request: HttpRequest,
    pk: int,
    intervention_id: int,
    form_name: str,
    form: Form | None,
    action: Callable[[Intervention], Any],
    done: str,
) -> HttpResponse:
    """Validate the form, run the service, redirect back; on refusal re-render with 400."""
    intervention = selectors.access_intervention(request.user, pk, intervention_id)
    if form is not None and not form.is_valid():
        return _page(request, intervention, 400, **{form_name: form})
    try:
        action(intervention)
    except ValidationError as error:
        if form is not None:
            apply_error(form, error)
            return _page(request, intervention, 400, **{form_name: form})
        return _page(request, intervention, 400, error=" ".join(error.messages))
    messages.success(request, done)
    return redirect("interventions:detail", pk=pk, intervention_id=intervention_id)


@login_required
@require_POST
def logic(request: HttpRequest, pk: int, intervention_id: int) -> HttpResponse:
    form = LogicForm(request.POST)
    return _act(
        request,
        pk,
        intervention_id,
        "logic_form",
        form,
        lambda i: services.submission_set_logic(
            intervention=i, user=request.user, strategic_logic=form.cleaned_data["strategic_logic"]
        ),
        "Answer saved privately.",
    )


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int, intervention_id: int) -> HttpResponse:
    intervention = selectors.access_intervention(request.user, pk, intervention_id)
    form = ItemForm(request.POST, partnership=intervention.partnership)
    return _act(
        request,
        pk,
        intervention_id,
        "item_form",
        form,
        lambda i: services.item_add(intervention=i, user=request.user, **form.service_fields()),
        "Added to your private list.",
    )


def _item(intervention: Intervention, user: Any, item_id: int) -> Item:
    item = (
        selectors.items_visible(intervention=intervention, viewer=user).filter(pk=item_id).first()
    )
    if item is None:
        raise Http404
    return item


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, intervention_id: int, item_id: int) -> HttpResponse:
    intervention = selectors.access_intervention(request.user, pk, intervention_id)
    item = _item(intervention, request.user, item_id)
    return _act(
        request,
        pk,
        intervention_id,
        "",
        None,
        lambda i: services.item_remove(item=item, user=request.user),
        "Removed from your private list.",
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int, intervention_id: int) -> HttpResponse:
    return _act(
        request,
        pk,
        intervention_id,
        "",
        None,
        lambda i: services.submission_submit(intervention=i, user=request.user),
        "Your lists are submitted. They stay private until both are revealed together.",
    )


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int, intervention_id: int) -> HttpResponse:
    return _act(
        request,
        pk,
        intervention_id,
        "",
        None,
        lambda i: services.intervention_reveal(intervention=i, user=request.user),
        "Done.",
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int, intervention_id: int, item_id: int) -> HttpResponse:
    intervention = selectors.access_intervention(request.user, pk, intervention_id)
    item = _item(intervention, request.user, item_id)
    return _act(
        request,
        pk,
        intervention_id,
        "",
        None,
        lambda i: services.item_acknowledge(item=item, user=request.user),
        "Marked as an agreed shortfall.",
    )


@login_required
@require_POST
def contribution(request: HttpRequest, pk: int, intervention_id: int) -> HttpResponse:
    form = ContributionForm(request.POST)
    return _act(
        request,
        pk,
        intervention_id,
        "contribution_form",
        form,
        lambda i: services.contribution_save(
            intervention=i, user=request.user, contribution=form.cleaned_data["contribution"]
        ),
        "Your contribution is recorded.",
    )


@login_required
@require_POST
def plan(request: HttpRequest, pk: int, intervention_id: int) -> HttpResponse:
    form = PlanForm(request.POST)
    return _act(
        request,
        pk,
        intervention_id,
        "plan_form",
        form,
        lambda i: services.plan_update(intervention=i, user=request.user, **form.cleaned_data),
        "Plan saved; every party agrees to it again as it now stands.",
    )


@login_required
@require_POST
def plan_commitment(request: HttpRequest, pk: int, intervention_id: int) -> HttpResponse:
    intervention = selectors.access_intervention(request.user, pk, intervention_id)
    form = PlanCommitmentForm(request.POST, partnership=intervention.partnership)
    return _act(
        request,
        pk,
        intervention_id,
        "commitment_form",
        form,
        lambda i: services.plan_commitment_add(
            intervention=i,
            user=request.user,
            title=form.cleaned_data["title"],
            owner_party_id=form.cleaned_data["owner_party"],
            due_on=form.cleaned_data["due_on"],
        ),
        "Commitment added to the plan and to accountability.",
    )


def _at(day: Any, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


@login_required
@require_POST
def plan_round(request: HttpRequest, pk: int, intervention_id: int) -> HttpResponse:
    form = RoundForm(request.POST)
    return _act(
        request,
        pk,
        intervention_id,
        "round_form",
        form,
        lambda i: services.plan_followup_round(
            intervention=i,
            user=request.user,
            opens_at=_at(form.cleaned_data["opens_on"], 8),
            closes_at=_at(form.cleaned_data["closes_on"], 18),
        ),
        "Follow-up trust round scheduled.",
    )


@login_required
@require_POST
def plan_agree(request: HttpRequest, pk: int, intervention_id: int) -> HttpResponse:
    return _act(
        request,
        pk,
        intervention_id,
        "",
        None,
        lambda i: services.plan_agree(intervention=i, user=request.user),
        "Your party agreed to the plan.",
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int, intervention_id: int) -> HttpResponse:
    return _act(
        request,
        pk,
        intervention_id,
        "",
        None,
        lambda i: services.intervention_close(intervention=i, user=request.user),
        "Intervention closed; the partnership is active again.",
    )
