"""Proposals: list, new, detail with stances, input, decision and withdrawal."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from accord.governance import selectors, services
from accord.governance.forms import (
    AnswerForm,
    DecideForm,
    ProposalForm,
    RequestInputForm,
    StanceForm,
)
from accord.governance.models import Mode, Proposal, Stance
from accord.governance.rules import is_approver, user_party
from accord.governance.views.common import context, get_proposal
from accord.partnerships.access import Need, access_partnership, can
from accord.partnerships.models import Partnership
from accord.partnerships.stale import StaleStateError

FILTERS = {
    "open": {"closed_at__isnull": True},
    "decided": {"decided_at__isnull": False},
    "withdrawn": {"withdrawn_at__isnull": False},
    "all": {},
}

# The conflicts app's types that a disagreement in each starter domain most often is.
CONFLICT_TYPE_OF_DOMAIN = {
    "research_direction": "scope",
    "development_strategy": "scope",
    "commercialization": "commercial",
    "budget": "resources",
    "staffing": "resources",
    "ip": "ip",
    "communications": "relationship",
}


@login_required
def proposal_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    state = request.GET.get("state", "open")
    if state not in FILTERS:
        state = "open"
    rows = selectors.proposals(partnership=partnership, viewer=request.user).filter(
        **FILTERS[state]
    )
    domain_id = request.GET.get("domain", "")
    if domain_id.isdigit():
        rows = rows.filter(domain_id=int(domain_id))
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    for proposal in page:
        proposal.state_label = selectors.proposal_state_label(proposal)
    return render(
        request,
        "governance/proposals.html",
        context(
            request,
            partnership,
            "proposals",
            page=page,
            state=state,
            states=list(FILTERS),
            domain_id=domain_id,
            domains=selectors.domains(partnership=partnership),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    gov = selectors.governance_settings(partnership=partnership)
    initial: dict[str, Any] = {"consultation_days": gov.consultation_days if gov else 7}
    if request.GET.get("domain", "").isdigit():
        initial["domain"] = int(request.GET["domain"])
    form = ProposalForm(request.POST or None, partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                partnership=partnership, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Proposed “{proposal.title}”.")
            return redirect(
                "governance:proposal_detail", pk=partnership.pk, proposal_id=proposal.pk
            )
    return render(
        request,
        "governance/proposal_form.html",
        context(
            request,
            partnership,
            "proposals",
            form=form,
            domains=selectors.domains(partnership=partnership),
        ),
    )


def _conflict_url(partnership: Partnership, proposal: Proposal, stance: Stance) -> str:
    try:
        base = reverse("conflicts:issue_new", kwargs={"pk": partnership.pk})
    except NoReverseMatch:
        return ""
    query = urlencode(
        {
            "title": f"Objection to “{proposal.title}”"[:200],
            "description": f"{stance.party.organization.name} objects to the proposal "
            f"“{proposal.title}” in {proposal.domain.label} (consensus): {stance.reason}",
            "conflict_type": CONFLICT_TYPE_OF_DOMAIN.get(proposal.domain.key, "other"),
        }
    )
    return f"{base}?{query}"


def _detail(request: HttpRequest, partnership: Partnership, proposal: Proposal, **forms: Any):
    user = request.user
    party = user_party(user, partnership)
    contributor = can(user, partnership, Need.CONTRIBUTE)
    view = selectors.stances_for(proposal=proposal, viewer=user)
    my_stance = next((s for s in view.shown if s.user_id == user.pk), None)
    ctx = context(
        request,
        partnership,
        "proposals",
        proposal=proposal,
        state_label=selectors.proposal_state_label(proposal),
        stances=view,
        progress=selectors.party_progress(proposal=proposal, viewer=user),
        approvers=selectors.approvers_of(proposal=proposal, viewer=request.user),
        my_party=party,
        my_stance=my_stance,
        input_requests=list(
            proposal.input_requests.select_related("party__organization", "answered_by")
        ),
        outcome=getattr(proposal, "outcome", None) if proposal.decided_at else None,
        body_members=[
            m.participant
            for m in proposal.joint_body.memberships.select_related(
                "participant__user", "participant__organization"
            )
        ]
        if proposal.joint_body
        else [],
    )
    ctx["conflict_links"] = [
        (s, _conflict_url(partnership, proposal, s))
        for s in view.shown
        if s.choice == Stance.Choice.OBJECT and proposal.is_open and contributor
    ]
    if proposal.is_open and contributor and party is not None:
        check = services.decision_check(proposal, user=user)
        ctx["check"] = check
        approver = is_approver(user, party)
        on_body = services._on_body(user, proposal)
        ctx["can_stance"] = (proposal.mode == Mode.CONSENSUS and approver) or (
            proposal.mode == Mode.DELEGATED and on_body
        )
        ctx["can_decide"] = check.allowed and (
            (proposal.mode == Mode.DELEGATED and on_body)
            or (proposal.mode != Mode.DELEGATED and approver)
        )
        asked = {r.party_id for r in ctx["input_requests"]}
        other_parties = {p.pk for p in partnership.parties.all()} - {proposal.owner_party_id}
        ctx["can_request_input"] = (
            proposal.mode == Mode.CONSULTATIVE
            and party.pk == proposal.owner_party_id
            and bool(other_parties - asked)
        )
        ctx["my_request"] = next((r for r in ctx["input_requests"] if r.party_id == party.pk), None)
        ctx["can_withdraw"] = proposal.created_by_id == user.pk or (
            party.pk == proposal.proposer_party_id and approver
        )
        ctx["stance_form"] = forms.get("stance_form") or StanceForm(
            initial={"choice": my_stance.choice, "reason": my_stance.reason} if my_stance else None
        )
        ctx["answer_form"] = forms.get("answer_form") or AnswerForm(
            initial={"answer": ctx["my_request"].answer} if ctx["my_request"] else None
        )
        ctx["decide_form"] = forms.get("decide_form") or DecideForm()
        gov = ctx["gov"]
        ctx["request_form"] = RequestInputForm(
            initial={"days": gov.consultation_days if gov else 7}
        )
    ctx["error"] = forms.get("error")
    return ctx


@login_required
def proposal_detail(request: HttpRequest, pk: int, proposal_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    proposal = get_proposal(request, partnership, proposal_id)
    return render(
        request, "governance/proposal_detail.html", _detail(request, partnership, proposal)
    )


def _after(
    request: HttpRequest, partnership: Partnership, proposal_id: int, **forms: Any
) -> HttpResponse:
    """Re-render the decision panel for htmx, the page when a form has errors, else redirect."""
    proposal = get_proposal(request, partnership, proposal_id)
    failed = any(f is not None and not isinstance(f, str) and f.errors for f in forms.values())
    if request.htmx:
        ctx = _detail(request, partnership, proposal, **forms)
        return render(request, "governance/proposal_detail.html#decision", ctx)
    if failed or forms.get("error"):
        ctx = _detail(request, partnership, proposal, **forms)
        return render(request, "governance/proposal_detail.html", ctx)
    return redirect("governance:proposal_detail", pk=partnership.pk, proposal_id=proposal.pk)


@login_required
@require_POST
def proposal_stance(request: HttpRequest, pk: int, proposal_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    proposal = get_proposal(request, partnership, proposal_id)
    form = StanceForm(request.POST)
    if form.is_valid():
        try:
            services.stance_set(proposal=proposal, user=request.user, **form.cleaned_data)
        except StaleStateError as error:
            # The proposal closed meanwhile: its page no longer has a stance form to show
            # the error in, so it goes above the page.
            messages.error(request, error.messages[0])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your stance is recorded.")
    return _after(request, partnership, proposal.pk, stance_form=form)


@login_required
@require_POST
def proposal_request_input(request: HttpRequest, pk: int, proposal_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    proposal = get_proposal(request, partnership, proposal_id)
    form = RequestInputForm(request.POST)
    error = ""
    if not form.is_valid():
        error = "The consultation window must be between 1 and 90 days."
    else:
        try:
            count = services.proposal_request_input(
                proposal=proposal, user=request.user, days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"Asked {count} other party/parties for input.")
    return _after(request, partnership, proposal.pk, error=error)


@login_required
@require_POST
def proposal_answer(request: HttpRequest, pk: int, proposal_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    proposal = get_proposal(request, partnership, proposal_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.input_answer(
                proposal=proposal, user=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your party's input is recorded.")
    return _after(request, partnership, proposal.pk, answer_form=form)


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int, proposal_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    proposal = get_proposal(request, partnership, proposal_id)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_decide(proposal=proposal, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Decision recorded; every party has been notified.")
    return _after(request, partnership, proposal.pk, decide_form=form)


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, pk: int, proposal_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    proposal = get_proposal(request, partnership, proposal_id)
    error = ""
    try:
        services.proposal_withdraw(proposal=proposal, user=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    else:
        messages.success(request, "Proposal withdrawn.")
    return _after(request, partnership, proposal.pk, error=error)


@login_required
def decision_speed(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    from accord.governance.charts import cycle_charts

    table = selectors.cycle_times(partnership=partnership, viewer=request.user)
    return render(
        request,
        "governance/decision_speed.html",
        context(request, partnership, "speed", table=table, charts=cycle_charts(table)),
    )
