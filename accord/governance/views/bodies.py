"""Joint bodies: named groups with members from several parties and a quorum."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accord.governance import selectors, services
from accord.governance.forms import JointBodyForm
from accord.governance.views.common import context, get_body
from accord.partnerships.access import Need, access_partnership, can


@login_required
@require_http_methods(["GET", "POST"])
def bodies(request: HttpRequest, pk: int) -> HttpResponse:
    need = Need.MANAGE if request.method == "POST" else Need.READ
    partnership = access_partnership(request.user, pk, need)
    form = None
    if can(request.user, partnership, Need.MANAGE):
        form = JointBodyForm(request.POST or None, partnership=partnership, viewer=request.user)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            body = services.joint_body_create(
                partnership=partnership,
                user=request.user,
                name=form.cleaned_data["name"],
                mandate=form.cleaned_data["mandate"],
                quorum=form.cleaned_data["quorum"],
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Formed “{body.name}”.")
            return redirect("governance:bodies", pk=partnership.pk)
    return render(
        request,
        "governance/bodies.html",
        context(
            request,
            partnership,
            "bodies",
            bodies=selectors.joint_bodies(partnership=partnership).prefetch_related("domains"),
            form=form,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def body_edit(request: HttpRequest, pk: int, body_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    body = get_body(partnership, body_id)
    initial = {
        "name": body.name,
        "mandate": body.mandate,
        "quorum": body.quorum,
        "members": [m.participant_id for m in body.memberships.all()],
    }
    form = JointBodyForm(
        request.POST or None, partnership=partnership, viewer=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.joint_body_update(
                body=body,
                user=request.user,
                name=form.cleaned_data["name"],
                mandate=form.cleaned_data["mandate"],
                quorum=form.cleaned_data["quorum"],
                members=list(form.cleaned_data["members"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved “{body.name}”.")
            return redirect("governance:bodies", pk=partnership.pk)
    return render(
        request,
        "governance/body_form.html",
        context(request, partnership, "bodies", body=body, form=form),
    )


@login_required
@require_POST
def body_delete(request: HttpRequest, pk: int, body_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    body = get_body(partnership, body_id)
    try:
        services.joint_body_delete(body=body, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("governance:body_edit", pk=partnership.pk, body_id=body.pk)
    messages.success(request, f"Dissolved “{body.name}”.")
    return redirect("governance:bodies", pk=partnership.pk)
