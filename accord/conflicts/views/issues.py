"""Issue pages: the overview, raising an issue, and an issue's detail with its actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accord.conflicts import kept_overview, selectors, services
from accord.conflicts.forms import CommentForm, EscalateForm, IssueForm, ResolveForm
from accord.conflicts.models import ConflictType, Issue, Principle, TierKey
from accord.partnerships.access import Need, access_partnership, can
from accord.partnerships.models import Partnership
from accord.partnerships.stale import StaleStateError

STATES = kept_overview.STATES


def _form_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error)


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.VIEW)
    state = request.GET.get("state", "open")
    if state not in dict(STATES):
        state = "open"
    context = {
        "partnership": partnership,
        "kept": kept_overview.sections(request, partnership, state),
        "can_raise": can(request.user, partnership, Need.CONTRIBUTE),
        "can_manage": can(request.user, partnership, Need.MANAGE),
        "exit_plan": selectors.exit_plan(partnership=partnership),
        "facilitator_only": not can(request.user, partnership, Need.READ),
    }
    template = "conflicts/overview.html#issues" if request.htmx else "conflicts/overview.html"
    return render(request, template, context)


def _principles_context(partnership: Partnership, conflict_type: str) -> dict[str, Any]:
    if conflict_type not in ConflictType.values:
        return {"principles": [], "conflict_type_label": ""}
    return {
        "principles": selectors.principles(partnership=partnership, conflict_type=conflict_type),
        "conflict_type_label": ConflictType(conflict_type).label,
    }


@login_required
@require_http_methods(["GET", "POST"])
def issue_new(request: HttpRequest, pk: int) -> HttpResponse:
    """GET accepts `title`, `description` and `conflict_type` to prefill the form, so another
    page (an objection to a proposal, a missed commitment) can offer "raise a conflict"."""
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    if request.method == "POST":
        form = IssueForm(request.POST)
    else:
        initial = {
            key: request.GET.get(key, "")[:5000]
            for key in ("title", "description", "conflict_type")
            if request.GET.get(key)
        }
        if "title" in initial:
            initial["title"] = initial["title"][:200]
        form = IssueForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_raise(
                partnership=partnership, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Issue raised. The operational leads have been told.")
            return redirect("conflicts:issue_detail", pk=partnership.pk, issue_id=issue.pk)
    conflict_type = form["conflict_type"].value() or ""
    tiers = selectors.ladder(partnership=partnership, viewer=request.user)
    context = {
        "partnership": partnership,
        "form": form,
        "first_tier": tiers[0],
        **_principles_context(partnership, str(conflict_type)),
    }
    return render(request, "conflicts/issue_new.html", context)


@login_required
def principles_for_type(request: HttpRequest, pk: int) -> HttpResponse:
    """The principles shown beside the raise form when the type changes (htmx)."""
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    context = {
        "partnership": partnership,
        **_principles_context(partnership, request.GET.get("conflict_type", "")),
    }
    return render(request, "conflicts/issue_new.html#principles", context)


def _issue_or_404(request: HttpRequest, partnership: Partnership, issue_id: int) -> Issue:
    issue = selectors.issue_get(partnership=partnership, viewer=request.user, issue_id=issue_id)
    if issue is None:
        raise Http404
    return issue


def _detail_context(request: HttpRequest, partnership: Partnership, issue: Issue) -> dict:
    tiers = selectors.ladder(partnership=partnership, viewer=request.user)
    changes = list(issue.tier_changes.select_related("by"))
    reached = {c.to_tier for c in changes} | {TierKey.OPERATIONAL_LEADS}
    entered = {TierKey.OPERATIONAL_LEADS: issue.created_at}
    for change in changes:
        entered[change.to_tier] = change.at
    steps = []
    for tier in tiers:
        status = (
            "current"
            if tier.key == issue.tier and issue.is_open
            else "resolved"
            if tier.key == issue.tier
            else "passed"
            if tier.key in reached
            else "ahead"
        )
        if issue.visibility == "internal":
            owners = [o for o in tier.owners if o[0] == issue.owner_org.name]
        else:
            owners = tier.owners
        steps.append(
            {"tier": tier, "status": status, "entered": entered.get(tier.key), "owners": owners}
        )
    events: list[dict[str, Any]] = [{"at": issue.created_at, "kind": "raised"}]
    events += [{"at": c.at, "kind": "tier", "change": c} for c in changes] + [
        {"at": c.created_at, "kind": "comment", "comment": c}
        for c in issue.comments.select_related("author", "organization")
    ]
    if issue.resolved_at:
        events.append({"at": issue.resolved_at, "kind": "resolved"})
    if issue.withdrawn_at:
        events.append({"at": issue.withdrawn_at, "kind": "withdrawn"})
    events.sort(key=lambda e: e["at"])
    can_steer = selectors.can_steer(request.user, issue, tiers)
    stored = Principle.objects.filter(partnership=partnership)
    relevant = stored.filter(conflict_type__in=[issue.conflict_type, Principle.ANY])
    source = None
    if issue.source_type_id:
        try:
            source = issue.source
        except Exception:  # the source's model was removed: keep the issue readable
            source = None
    return {
        "partnership": partnership,
        "issue": issue,
        "steps": steps,
        "events": events,
        "deadline": selectors.tier_deadline(issue, partnership),
        "window_days": selectors.window_days(partnership, issue.tier),
        "can_steer": can_steer,
        "can_escalate": selectors.can_escalate(request.user, issue, tiers),
        "can_comment": selectors.can_comment(request.user, issue, tiers),
        "can_withdraw": issue.is_open
        and (
            issue.created_by_id == request.user.pk
            or selectors.is_manager_for(request.user, partnership, issue)
        ),
        "comment_form": CommentForm(),
        "resolve_form": ResolveForm(principles=relevant),
        "escalate_form": EscalateForm(initial={"expected_tier": issue.tier}),
        "principles": selectors.principles(
            partnership=partnership, conflict_type=issue.conflict_type
        ),
        "source": source,
        "source_url": getattr(source, "get_absolute_url", lambda: "")() if source else "",
        "at_exit": issue.is_open and issue.tier == TierKey.EXIT_PROCEDURE,
        "can_manage": can(request.user, partnership, Need.MANAGE),
        "exit_plan": selectors.exit_plan(partnership=partnership),
    }


@login_required
def issue_detail(request: HttpRequest, pk: int, issue_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.VIEW)
    issue = _issue_or_404(request, partnership, issue_id)
    return render(
        request, "conflicts/issue_detail.html", _detail_context(request, partnership, issue)
    )


def _rerender(
    request: HttpRequest, partnership: Partnership, issue: Issue, **forms: Any
) -> HttpResponse:
    context = _detail_context(request, partnership, issue)
    context.update(forms)
    template = (
        "conflicts/issue_detail.html#actions" if request.htmx else "conflicts/issue_detail.html"
    )
    return render(request, template, context, status=400)


def _done(
    request: HttpRequest, partnership: Partnership, issue: Issue, message: str
) -> HttpResponse:
    messages.success(request, message)
    response = redirect("conflicts:issue_detail", pk=partnership.pk, issue_id=issue.pk)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = f"/partnerships/{partnership.pk}/conflicts/issues/{issue.pk}/"
    return response


@login_required
@require_POST
def issue_comment(request: HttpRequest, pk: int, issue_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.VIEW)
    issue = _issue_or_404(request, partnership, issue_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.issue_comment(issue=issue, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            return _done(request, partnership, issue, "Comment added.")
    return _rerender(request, partnership, issue, comment_form=form)


@login_required
@require_POST
def issue_resolve(request: HttpRequest, pk: int, issue_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.VIEW)
    issue = _issue_or_404(request, partnership, issue_id)
    form = ResolveForm(request.POST, principles=Principle.objects.filter(partnership=partnership))
    if form.is_valid():
        try:
            services.issue_resolve(issue=issue, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            return _done(request, partnership, issue, "Issue resolved.")
    return _rerender(request, partnership, issue, resolve_form=form)


@login_required
@require_POST
def issue_escalate(request: HttpRequest, pk: int, issue_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.VIEW)
    issue = _issue_or_404(request, partnership, issue_id)
    form = EscalateForm(request.POST)
    if form.is_valid():
        try:
            issue = services.issue_escalate(
                issue=issue,
                user=request.user,
                note=form.cleaned_data["note"],
                expected_tier=form.cleaned_data["expected_tier"] or None,
            )
        except StaleStateError as error:
            # Show where the issue stands now; sending the form again escalates from there.
            issue = _issue_or_404(request, partnership, issue_id)
            data = request.POST.copy()
            data["expected_tier"] = issue.tier
            form = EscalateForm(data)
            form.is_valid()
            _form_error(form, error)
        except ValidationError as error:
            _form_error(form, error)
        else:
            label = TierKey(issue.tier).label.lower()
            return _done(request, partnership, issue, f"Escalated to the {label}.")
    return _rerender(request, partnership, issue, escalate_form=form)


@login_required
@require_POST
def issue_withdraw(request: HttpRequest, pk: int, issue_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.VIEW)
    issue = _issue_or_404(request, partnership, issue_id)
    try:
        services.issue_withdraw(issue=issue, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Issue withdrawn.")
    return redirect("conflicts:issue_detail", pk=partnership.pk, issue_id=issue.pk)
