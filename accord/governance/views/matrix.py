"""The decision-rights matrix: setup, domains (add, rename, remove) and the overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accord.governance import kept_matrix, services
from accord.governance.forms import DomainForm
from accord.governance.views.common import context, get_domain
from accord.partnerships.access import Need, access_partnership


def _overview(request: HttpRequest, partnership, add_form: DomainForm | None = None) -> dict:
    ctx = context(request, partnership, "matrix")
    if ctx["gov"] is None:
        return ctx
    ctx.update(
        kept=kept_matrix.sections(request.user, partnership, ctx["can_manage"]),
        add_form=add_form or DomainForm(),
    )
    return ctx


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    return render(request, "governance/overview.html", _overview(request, partnership))


@login_required
@require_POST
def setup(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    try:
        services.governance_setup(partnership=partnership, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Governance is set up with seven starter domains, all in consensus. Next: each party "
            "scores itself in the recommender.",
        )
    return redirect("governance:overview", pk=partnership.pk)


@login_required
@require_POST
def domain_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    form = DomainForm(request.POST)
    if form.is_valid():
        try:
            domain = services.domain_add(
                partnership=partnership, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Added “{domain.label}”. It starts in consensus.")
            return redirect("governance:overview", pk=partnership.pk)
    return render(
        request, "governance/overview.html", _overview(request, partnership, add_form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def domain_edit(request: HttpRequest, pk: int, domain_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    domain = get_domain(partnership, domain_id)
    form = DomainForm(
        request.POST or None, initial={"label": domain.label, "description": domain.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.domain_rename(domain=domain, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Domain saved.")
            return redirect("governance:overview", pk=partnership.pk)
    return render(
        request,
        "governance/domain_form.html",
        context(request, partnership, "matrix", domain=domain, form=form),
    )


@login_required
@require_POST
def domain_remove(request: HttpRequest, pk: int, domain_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    domain = get_domain(partnership, domain_id)
    try:
        services.domain_remove(domain=domain, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("governance:domain_edit", pk=partnership.pk, domain_id=domain.pk)
    messages.success(request, f"Removed “{domain.label}”.")
    return redirect("governance:overview", pk=partnership.pk)
