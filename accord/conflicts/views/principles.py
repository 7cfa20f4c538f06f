"""Principles: the agreed rules per conflict type (the default catalog until edited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accord.conflicts import selectors, services
from accord.conflicts.forms import PrincipleForm
from accord.conflicts.models import ConflictType, Principle
from accord.conflicts.views.issues import _form_error, principles_for_type  # noqa: F401
from accord.partnerships.access import Need, access_partnership, can
from accord.partnerships.models import Partnership


def _grouped(partnership: Partnership) -> list[tuple[str, list]]:
    rows = selectors.principles(partnership=partnership)
    groups = [(Principle.ANY, "Any type"), *ConflictType.choices]
    return [
        (str(label), [p for p in rows if p.conflict_type == key])
        for key, label in groups
        if any(p.conflict_type == key for p in rows)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def principle_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.VIEW)
    can_manage = can(request.user, partnership, Need.MANAGE)
    form = PrincipleForm(request.POST or None)
    if request.method == "POST":
        partnership = access_partnership(request.user, pk, Need.MANAGE)
        if "seed" in request.POST:
            services.principles_seed(partnership=partnership)
            messages.success(request, "The partnership now has its own copy of the principles.")
            return redirect("conflicts:principles", pk=partnership.pk)
        if form.is_valid():
            try:
                services.principle_save(
                    partnership=partnership, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, "Principle added.")
                return redirect("conflicts:principles", pk=partnership.pk)
    context = {
        "partnership": partnership,
        "groups": _grouped(partnership),
        "is_default": not Principle.objects.filter(partnership=partnership).exists(),
        "can_manage": can_manage,
        "form": form,
    }
    return render(request, "conflicts/principles.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def principle_edit(request: HttpRequest, pk: int, principle_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    principle = Principle.objects.filter(partnership=partnership, pk=principle_id).first()
    if principle is None:
        raise Http404
    initial = {
        "conflict_type": principle.conflict_type,
        "title": principle.title,
        "text": principle.text,
    }
    form = PrincipleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.principle_save(
                partnership=partnership, user=request.user, principle=principle, **form.cleaned_data
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Principle saved.")
            return redirect("conflicts:principles", pk=partnership.pk)
    return render(
        request,
        "conflicts/principle_edit.html",
        {"partnership": partnership, "principle": principle, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def principle_delete(request: HttpRequest, pk: int, principle_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    principle = Principle.objects.filter(partnership=partnership, pk=principle_id).first()
    if principle is None:
        raise Http404
    services.principle_delete(partnership=partnership, user=request.user, principle=principle)
    messages.success(request, f"Principle “{principle.title}” removed.")
    return redirect("conflicts:principles", pk=partnership.pk)
