"""Scheduling, changing, closing and deleting survey rounds (alliance managers)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accord.partnerships.access import Need, access_partnership
from accord.trust import selectors, services
from accord.trust.forms import RoundEditForm, RoundForm
from accord.trust.views.results import round_for


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    services.ensure_builtin_instruments()
    kind = request.GET.get("kind", "trust")
    available = selectors.instruments_for(partnership=partnership)
    preferred = next((i for i in available if i.kind == kind), available[0] if available else None)
    now = timezone.localtime().replace(second=0, microsecond=0)
    default_title = (
        f"Ways of working {now:%B %Y}" if kind == "culture" else f"Trust survey {now:%B %Y}"
    )
    form = RoundForm(
        request.POST or None,
        instruments=available,
        initial={
            "instrument": preferred,
            "title": default_title,
            "opens_at": now,
            "closes_at": now + timedelta(days=14),
            "reminder_days": 4,
        },
    )
    overlap = False
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.round_create(
                user=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
            overlap = any(e.code == "overlap" for e in getattr(error, "error_list", []))
        else:
            state = (
                "opened and invitations are on their way" if survey.invited_at else "is scheduled"
            )
            messages.success(request, f"The survey “{survey.title}” {state}.")
            return redirect("trust:round_detail", pk=partnership.pk, round_id=survey.pk)
    return render(
        request,
        "trust/round_form.html",
        {
            "partnership": partnership,
            "form": form,
            "title": "Schedule a survey",
            "overlap": overlap,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    survey = round_for(partnership, round_id)
    form = RoundEditForm(
        request.POST or None,
        survey=survey,
        initial={
            "title": survey.title,
            "opens_at": survey.opens_at,
            "closes_at": survey.closes_at,
            "include_observers": survey.include_observers,
            "reminder_days": survey.reminder_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(user=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Survey updated.")
            return redirect("trust:round_detail", pk=partnership.pk, round_id=survey.pk)
    return render(
        request,
        "trust/round_form.html",
        {
            "partnership": partnership,
            "form": form,
            "survey": survey,
            "title": f"Change “{survey.title}”",
        },
    )


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    survey = round_for(partnership, round_id)
    try:
        services.round_close(user=request.user, survey=survey)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The survey is closed; its results are now shown.")
    return redirect("trust:round_detail", pk=partnership.pk, round_id=survey.pk)


@login_required
@require_POST
def round_delete(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    survey = round_for(partnership, round_id)
    try:
        services.round_delete(user=request.user, survey=survey)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("trust:round_detail", pk=partnership.pk, round_id=survey.pk)
    messages.success(request, f"The scheduled survey “{survey.title}” was deleted.")
    return redirect("trust:overview", pk=partnership.pk)
