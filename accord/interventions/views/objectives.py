"""Objective pages: the list with each objective's derived status, create, edit, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from accord.interventions import kept_objectives, selectors, services
from accord.interventions.forms import ObjectiveForm, objective_choices
from accord.partnerships.access import Need, access_partnership, can


def apply_error(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def objective_list(request: HttpRequest, pk: int) -> HttpResponse:
    need = Need.CONTRIBUTE if request.method == "POST" else Need.READ
    partnership = access_partnership(request.user, pk, need)
    can_contribute = can(request.user, partnership, Need.CONTRIBUTE)
    rows, state = selectors.objective_rows_state(partnership=partnership, viewer=request.user)
    # Only those who may record an objective see the form: no choices to read for the others.
    # The choices (never the form) are kept with the rows: the key names every table, the
    # party names and the viewer's organization they are read from.
    form = None
    if can_contribute:
        choices = (
            kept_objectives.kept(
                state, "choices", lambda: objective_choices(partnership, request.user)
            )
            if state is not None
            else None
        )
        form = ObjectiveForm(
            request.POST or None, partnership=partnership, viewer=request.user, choices=choices
        )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.objective_create(
                partnership=partnership, user=request.user, **form.service_fields()
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Objective recorded.")
            return redirect("objectives:list", pk=pk)
    # An unbound form's fields are a function of the kept choices alone (no values, no errors,
    # no token: the token is outside them): kept with them.
    fields_html = None
    if form is not None and not form.is_bound and state is not None:
        unbound = form
        fields_html = kept_objectives.kept(
            state,
            "form-fields",
            lambda: render_to_string("interventions/_objective_fields.html", {"form": unbound}),
        )
    return render(
        request,
        "interventions/objectives.html",
        {
            "partnership": partnership,
            "list_html": _objective_list(partnership, rows, state, can_contribute),
            "rule": selectors.STATUS_RULE,
            "form": form,
            "fields_html": fields_html,
            "can_contribute": can_contribute,
        },
        status=400 if form is not None and form.errors else 200,
    )


def _objective_list(
    partnership: Any, rows: list[Any], state: str | None, can_contribute: bool
) -> str:
    """The list of objectives and their evidence, kept with the rows it is drawn from (and
    whether it offers the edit links): it shows nothing of the request, no form, no token."""
    context = {
        "partnership": partnership,
        "rows": rows,
        "rule": selectors.STATUS_RULE,
        "can_contribute": can_contribute,
    }

    def draw() -> str:
        return render_to_string("interventions/_objective_list.html", context)  # marked safe

    if state is None:
        return draw()
    return kept_objectives.kept(state, f"list:{can_contribute}", draw)


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int, objective_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    objective = selectors.objective_for(
        partnership=partnership, viewer=request.user, objective_id=objective_id
    )
    initial = {
        "title": objective.title,
        "description": objective.description,
        "scope": objective.scope,
        "owner_party": objective.owner_party_id,
        "visibility": objective.visibility,
        "metrics": list(objective.metrics.values_list("pk", flat=True)),
        "commitments": list(objective.commitments.values_list("pk", flat=True)),
    }
    form = ObjectiveForm(
        request.POST or None, initial=initial, partnership=partnership, viewer=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(
                objective=objective, user=request.user, **form.service_fields()
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, "Objective saved.")
            return redirect("objectives:list", pk=pk)
    return render(
        request,
        "interventions/objective_form.html",
        {"partnership": partnership, "objective": objective, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def objective_delete(request: HttpRequest, pk: int, objective_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    objective = selectors.objective_for(
        partnership=partnership, viewer=request.user, objective_id=objective_id
    )
    try:
        services.objective_delete(objective=objective, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Objective removed.")
    return redirect("objectives:list", pk=pk)
