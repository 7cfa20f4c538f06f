"""Pages of the incentive analysis: the pairs and their models, the model form, the analysis
with its what-if mechanisms (an htmx partial)."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accord.charts import Chart, bar_chart, line_chart
from accord.domain import games
from accord.incentives import kept_overview, ledger_payoffs, selectors, services
from accord.incentives.forms import IncentiveModelForm, WhatIfForm
from accord.incentives.models import PAYOFF_NAMES, IncentiveModel
from accord.partnerships.access import NOT_FOUND, Need, access_partnership, can
from accord.partnerships.models import Partnership, Party, Visibility


def today() -> date:
    return timezone.localdate()


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    can_contribute = can(request.user, partnership, Need.CONTRIBUTE)
    pairs = kept_overview.pairs_html(
        request.user,
        partnership,
        can_contribute=can_contribute,
        can_manage=can(request.user, partnership, Need.MANAGE),
    )
    return render(request, "incentives/overview.html", {"partnership": partnership, "pairs": pairs})


def _visibilities(user: Any, partnership: Partnership) -> list[str]:
    return [v for v in Visibility.values if services.may_create(user, partnership, v)]


def _party(partnership: Partnership, raw: str | None) -> Party | None:
    try:
        return partnership.parties.select_related("organization").get(pk=int(raw or ""))
    except (ValueError, Party.DoesNotExist):
        return None


def _create_initial(request: HttpRequest, partnership: Partnership, visibilities: list[str]):
    parties = list(partnership.parties.select_related("organization").order_by("pk"))
    first = _party(partnership, request.GET.get("first")) or parties[0]
    second = _party(partnership, request.GET.get("second")) or next(
        (p for p in parties if p.pk != first.pk), first
    )
    wanted = request.GET.get("visibility")
    visibility = wanted if wanted in visibilities else visibilities[0]
    internal = visibility == Visibility.INTERNAL
    name = f"{first.organization.name}–{second.organization.name}" + (
        " (our scenario)" if internal else ""
    )
    initial: dict[str, Any] = {
        "name": name,
        "visibility": visibility,
        "first_party": first.pk,
        "second_party": second.pk,
        "payoff_source": IncentiveModel.PayoffSource.DIRECT,
        "horizon_source": IncentiveModel.HorizonSource.END_DATE
        if partnership.end_date and partnership.end_date > today()
        else IncentiveModel.HorizonSource.TYPED,
        "horizon_days": 1095,
        "review_interval_days": 91,
        "noise_percent": 5,
        "payoff_unit": "points",
    }
    for seat in ("first", "second"):
        for name_, value in zip(PAYOFF_NAMES, (5, 3, 1, 0), strict=True):
            initial[f"{seat}_{name_}"] = value
    return initial


def _fill_from_ledgers(
    request: HttpRequest, form: IncentiveModelForm, partnership: Partnership, model=None
) -> ledger_payoffs.LedgerPayoffs | None:
    """Put the ledger-derived payoffs into the submitted form (nothing is saved)."""
    if model is not None:
        first, second = model.first_party, model.second_party
    else:
        first = _party(partnership, form.data.get("first_party"))
        second = _party(partnership, form.data.get("second_party"))
    try:
        interval = int(form.data.get("review_interval_days") or 0)
    except ValueError:
        interval = 0
    if first is None or second is None or first.pk == second.pk or not 1 <= interval <= 3650:
        return ledger_payoffs.LedgerPayoffs(
            False, "Choose two parties and a review interval first.", {}, "", ()
        )
    if first.pk > second.pk:
        first, second = second, first
    derived = ledger_payoffs.ledger_payoffs(
        partnership=partnership,
        viewer=request.user,
        first=first,
        second=second,
        review_interval_days=interval,
        today=today(),
    )
    if derived.available:
        data = form.data.copy()
        data.update({k: str(v) for k, v in derived.values.items()})
        data["payoff_unit"] = derived.unit
        data["payoff_source"] = IncentiveModel.PayoffSource.LEDGER
        if model is None:
            data["first_party"], data["second_party"] = str(first.pk), str(second.pk)
        form.data = data
    return derived


@login_required
@require_http_methods(["GET", "POST"])
def model_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    visibilities = _visibilities(request.user, partnership)
    if partnership.parties.count() < 2 or not visibilities:
        raise Http404(NOT_FOUND)
    form = IncentiveModelForm(
        request.POST or None,
        initial=_create_initial(request, partnership, visibilities),
        partnership=partnership,
        creating=True,
        visibilities=visibilities,
    )
    derived = None
    if request.method == "POST" and "fill_from_ledgers" in request.POST:
        derived = _fill_from_ledgers(request, form, partnership)
    elif request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            model = services.incentive_model_create(
                user=request.user, partnership=partnership, today=today(), **fields
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Incentive model “{model.name}” saved.")
            return redirect("incentives:analysis", pk=partnership.pk, model_id=model.pk)
    return render(
        request,
        "incentives/form.html",
        {"partnership": partnership, "form": form, "derived": derived, "creating": True},
    )


def _editable(request: HttpRequest, pk: int, model_id: int) -> tuple[Partnership, IncentiveModel]:
    partnership = access_partnership(request.user, pk, Need.READ)
    model = selectors.model_for(partnership=partnership, viewer=request.user, model_id=model_id)
    if not services.may_edit(request.user, model):
        raise Http404(NOT_FOUND)
    return partnership, model


def _model_initial(model: IncentiveModel) -> dict[str, Any]:
    initial = {k: getattr(model, k) for k in services.EDITABLE_FIELDS}
    initial["noise_percent"] = round(model.noise * 100, 4)
    initial["version"] = model.version
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def model_edit(request: HttpRequest, pk: int, model_id: int) -> HttpResponse:
    partnership, model = _editable(request, pk, model_id)
    form = IncentiveModelForm(
        request.POST or None,
        initial=_model_initial(model),
        partnership=partnership,
        creating=False,
        visibilities=[],
    )
    derived = None
    if request.method == "POST" and "fill_from_ledgers" in request.POST:
        derived = _fill_from_ledgers(request, form, partnership, model)
    elif request.method == "POST" and form.is_valid():
        try:
            services.incentive_model_update(
                user=request.user,
                model=model,
                version=form.cleaned_data.get("version"),
                today=today(),
                **form.service_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("incentives:analysis", pk=partnership.pk, model_id=model.pk)
    return render(
        request,
        "incentives/form.html",
        {"partnership": partnership, "form": form, "model": model, "derived": derived},
    )


@login_required
@require_POST
def model_delete(request: HttpRequest, pk: int, model_id: int) -> HttpResponse:
    partnership, model = _editable(request, pk, model_id)
    services.incentive_model_delete(user=request.user, model=model)
    messages.success(request, f"“{model.name}” deleted.")
    return redirect("incentives:overview", pk=partnership.pk)


def _finite(value: float) -> float | None:
    return None if math.isinf(value) else round(min(value, 1.0), 3)


def delta_chart(analysis: selectors.Analysis) -> Chart:
    rows = analysis.delta_rows
    alt = "; ".join(
        f"{name}: δ* {'∞' if math.isinf(d) else f'{d:.2f}'} against a shadow of {s:.2f}"
        for name, d, s, _ok in rows
    )
    return bar_chart(
        "Critical continuation δ* against the shadow of the future",
        [name for name, *_ in rows],
        {
            "δ* needed (capped at 1)": [_finite(d) for _n, d, _s, _ok in rows],
            "Shadow of the future δ": [round(s, 3) for _n, _d, s, _ok in rows],
        },
        alt=f"δ* per party against the shadow of the future. {alt}",
        y_range=(0, 1),
        height=300,
    )


def cooperation_chart(analysis: selectors.Analysis) -> Chart:
    rounds = analysis.rounds
    labels = [str(t + 1) for t in range(rounds)]  # the chart shows as many as fit
    series = {
        label: [round(100 * x, 1) for x in values]
        for label, values in analysis.cooperation_by_round.items()
    }
    alt = "; ".join(
        f"{label}: {values[0]:.0f}% in review 1, {values[-1]:.0f}% in review {rounds}"
        for label, values in series.items()
    )
    return line_chart(
        "Expected share of contributions per review (%)",
        labels,
        series,
        alt=f"Cooperation over reviews per strategy pair. {alt}",
        y_range=(0, 100),
        height=380,
    )


def _whatif_context(model: IncentiveModel, form: WhatIfForm) -> dict[str, Any]:
    context: dict[str, Any] = {"whatif_form": form, "whatif": None, "whatif_error": ""}
    if not form.is_valid():
        return context
    try:
        context["whatif"] = selectors.what_if(
            model, form.mechanisms(), pair=form.pair(), today=today()
        )
    except games.GameError as error:
        context["whatif_error"] = str(error)
    return context


@login_required
def analysis(request: HttpRequest, pk: int, model_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    model = selectors.model_for(partnership=partnership, viewer=request.user, model_id=model_id)
    form = WhatIfForm(request.GET or {key: f.initial for key, f in WhatIfForm.base_fields.items()})
    whatif = _whatif_context(model, form)
    context = {
        "partnership": partnership,
        "model": model,
        "grim": games.Strategy.GRIM_TRIGGER,
        **whatif,
    }
    if getattr(request, "htmx", False):
        return render(request, "incentives/analysis.html#whatif", context)
    try:
        result = selectors.analyse(model, today=today())
    except games.GameError as error:
        context["analysis_error"] = str(error)
    else:
        context.update(
            analysis=result,
            delta_chart=delta_chart(result),
            cooperation_chart=cooperation_chart(result),
        )
    context["can_edit"] = services.may_edit(request.user, model)
    context["can_contribute"] = can(request.user, partnership, Need.CONTRIBUTE)
    return render(request, "incentives/analysis.html", context)
