"""The recommender: each party scores itself per domain; people accept or override the advice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accord.governance import selectors, services
from accord.governance.forms import BodyChoiceForm, FlagsForm, OverrideForm, ScoresForm
from accord.governance.models import DecisionDomain
from accord.governance.rules import user_party
from accord.governance.selectors import RecommenderRow
from accord.governance.views.common import context, get_domain
from accord.partnerships.access import Need, access_partnership
from accord.partnerships.models import Partnership


def _dress(
    row: RecommenderRow, party: Any, partnership: Partnership, form: ScoresForm | None = None
) -> RecommenderRow:
    own = row.scores.get(party.pk) if party else None
    row.mine = own  # type: ignore[attr-defined]
    initial = {c: getattr(own, c) for c in selectors.CRITERIA} if own else {}
    row.form = form or ScoresForm(initial=initial, prefix=f"d{row.domain.pk}")  # type: ignore[attr-defined]
    row.flags_form = FlagsForm(  # type: ignore[attr-defined]
        initial={
            "frequent_operational_choices": row.domain.frequent_operational_choices,
            "has_joint_team": row.domain.has_joint_team,
        },
        prefix=f"f{row.domain.pk}",
    )
    row.table = [  # type: ignore[attr-defined]
        (
            p,
            score,
            (score.expertise + score.resources) / 2 if score else None,
            max(score.risk_exposure, score.strategic_importance) if score else None,
        )
        for p, score in row.score_rows
    ]
    row.body_form = BodyChoiceForm(partnership=partnership, prefix=f"b{row.domain.pk}")  # type: ignore[attr-defined]
    return row


def _page(request: HttpRequest, partnership: Partnership) -> dict:
    party = user_party(request.user, partnership)
    rows = [
        _dress(r, party, partnership) for r in selectors.recommender_rows(partnership=partnership)
    ]
    return context(
        request,
        partnership,
        "recommender",
        rows=rows,
        my_party=party,
        parties=selectors.parties(partnership=partnership),
        scored=sum(1 for r in rows if not r.missing),
    )


@login_required
def recommender(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    return render(request, "governance/recommender.html", _page(request, partnership))


def _row_response(
    request: HttpRequest, partnership: Partnership, domain: DecisionDomain, form=None
) -> HttpResponse:
    party = user_party(request.user, partnership)
    row = next(r for r in selectors.recommender_rows(partnership=partnership) if r.domain == domain)
    row = _dress(row, party, partnership, form)
    ctx = context(request, partnership, "recommender", row=row, my_party=party)
    return render(request, "governance/recommender.html#row", ctx)


@login_required
@require_POST
def domain_scores(request: HttpRequest, pk: int, domain_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    domain = get_domain(partnership, domain_id)
    form = ScoresForm(request.POST, prefix=f"d{domain.pk}")
    if form.is_valid():
        try:
            services.domain_scores_set(
                domain=domain,
                user=request.user,
                party=user_party(request.user, partnership),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx:
        return _row_response(request, partnership, domain, form if form.errors else None)
    if form.errors:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        messages.success(request, f"Scores saved for “{domain.label}”.")
    return redirect(f"{_url(partnership)}#domain-{domain.pk}")


def _url(partnership: Partnership) -> str:
    from django.urls import reverse

    return reverse("governance:recommender", kwargs={"pk": partnership.pk})


@login_required
@require_POST
def domain_flags(request: HttpRequest, pk: int, domain_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    domain = get_domain(partnership, domain_id)
    form = FlagsForm(request.POST, prefix=f"f{domain.pk}")
    form.is_valid()  # two booleans: always valid
    services.domain_flags_set(domain=domain, user=request.user, **form.cleaned_data)
    if request.htmx:
        return _row_response(request, partnership, domain)
    messages.success(request, f"Saved how “{domain.label}” works.")
    return redirect(f"{_url(partnership)}#domain-{domain.pk}")


@login_required
@require_POST
def domain_accept(request: HttpRequest, pk: int, domain_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    domain = get_domain(partnership, domain_id)
    form = BodyChoiceForm(request.POST, partnership=partnership, prefix=f"b{domain.pk}")
    body = form.cleaned_data.get("joint_body") if form.is_valid() else None
    try:
        services.domain_rights_accept(domain=domain, user=request.user, joint_body=body)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"“{domain.label}” is now {domain.get_mode_display().lower()}, decided by "
            f"{domain.decider_label()}.",
        )
    return redirect(f"{_url(partnership)}#domain-{domain.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def domain_override(request: HttpRequest, pk: int, domain_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    domain = get_domain(partnership, domain_id)
    form = OverrideForm(request.POST or None, partnership=partnership, domain=domain)
    if request.method == "POST" and form.is_valid():
        try:
            services.domain_rights_override(domain=domain, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"“{domain.label}” is now {domain.get_mode_display().lower()}, decided by "
                f"{domain.decider_label()}. The override and its reason are recorded.",
            )
            return redirect("governance:overview", pk=partnership.pk)
    return render(
        request,
        "governance/override.html",
        context(
            request,
            partnership,
            "recommender",
            domain=domain,
            form=form,
            recommendation=selectors.domain_recommendation(domain=domain),
        ),
    )
