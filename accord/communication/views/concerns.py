"""The feedback forum: raise a concern early, respond, close, or make it a conflict issue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accord.communication import selectors, services
from accord.communication.forms import ConcernForm, ResponseForm
from accord.communication.models import Concern
from accord.communication.views.threads import _apply
from accord.conflicts.models import ConflictType
from accord.partnerships.access import Need, access_partnership, can, user_organization


@login_required
@require_http_methods(["GET", "POST"])
def concern_list(request: HttpRequest, pk: int) -> HttpResponse:
    need = Need.CONTRIBUTE if request.method == "POST" else Need.READ
    partnership = access_partnership(request.user, pk, need)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.concern_raise(
                partnership=partnership, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            return redirect("communication:concern", pk=pk, concern_id=concern.pk)
    org = user_organization(request.user)
    return render(
        request,
        "communication/concerns.html",
        {
            "partnership": partnership,
            "concerns": selectors.concerns_for(partnership=partnership, viewer=request.user),
            "form": form,
            "org": org,
            "anonymous": services.settings_for(partnership).concerns_fully_anonymous,
            "can_manage": can(request.user, partnership, Need.MANAGE),
            "can_contribute": can(request.user, partnership, Need.CONTRIBUTE),
        },
        status=400 if form.errors else 200,
    )


def _get(request: HttpRequest, pk: int, concern_id: int, need: Need) -> tuple[object, Concern]:
    partnership = access_partnership(request.user, pk, need)
    concern = Concern.objects.filter(partnership=partnership, pk=concern_id).first()
    if concern is None:
        raise Http404
    return partnership, concern


@login_required
@require_http_methods(["GET", "POST"])
def concern(request: HttpRequest, pk: int, concern_id: int) -> HttpResponse:
    need = Need.CONTRIBUTE if request.method == "POST" else Need.READ
    partnership, found = _get(request, pk, concern_id, need)
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_respond(concern=found, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            return redirect("communication:concern", pk=pk, concern_id=concern_id)
    view = next(
        v
        for v in selectors.concerns_for(partnership=partnership, viewer=request.user)  # type: ignore[arg-type]
        if v.concern.pk == found.pk
    )
    return render(
        request,
        "communication/concern.html",
        {
            "partnership": partnership,
            "view": view,
            "form": form,
            "conflict_types": ConflictType.choices,
            "can_contribute": can(request.user, partnership, Need.CONTRIBUTE),  # type: ignore[arg-type]
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int, concern_id: int) -> HttpResponse:
    _, found = _get(request, pk, concern_id, Need.CONTRIBUTE)
    try:
        services.concern_close(concern=found, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("communication:concern", pk=pk, concern_id=concern_id)


@login_required
@require_POST
def to_issue(request: HttpRequest, pk: int, concern_id: int) -> HttpResponse:
    _, found = _get(request, pk, concern_id, Need.CONTRIBUTE)
    try:
        issue = services.concern_to_issue(
            concern=found, user=request.user, conflict_type=request.POST.get("conflict_type", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("communication:concern", pk=pk, concern_id=concern_id)
    return redirect("conflicts:issue_detail", pk=pk, issue_id=issue.pk)


@login_required
@require_POST
def anonymity(request: HttpRequest, pk: int) -> HttpResponse:
    """Alliance managers turn full anonymity for new concerns on or off."""
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    on = request.POST.get("concerns_fully_anonymous") == "on"
    services.settings_update(
        partnership=partnership, user=request.user, concerns_fully_anonymous=on
    )
    messages.success(
        request,
        "New concerns are now fully anonymous." if on else "New concerns carry their author again.",
    )
    return redirect("communication:concerns", pk=pk)
