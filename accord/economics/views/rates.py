"""The partnership's rate table: every conversion between currencies and units uses it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from accord.economics import rates as rate_table
from accord.economics import selectors
from accord.economics.forms import BaseCurrencyForm, RateForm
from accord.economics.views.common import go
from accord.economics.views.missing_rate import COMMON_UNITS
from accord.partnerships.access import Need, access_partnership, can


def _page(
    request: HttpRequest,
    partnership,
    rate_form: RateForm | None = None,
    base_form: BaseCurrencyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "partnership": partnership,
        "base": selectors.base_currency(partnership=partnership),
        "rates": selectors.rates(partnership=partnership),
        "can_manage": can(request.user, partnership, Need.MANAGE),
        "rate_form": rate_form or RateForm(),
        "base_form": base_form or BaseCurrencyForm(),
        "known_units": COMMON_UNITS,
    }
    return render(request, "economics/rates.html", context, status=status)


@login_required
def rates(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    return _page(request, partnership)


@login_required
@require_POST
def rate_set(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            rate = rate_table.rate_set(
                partnership=partnership, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Rate for {rate.unit} saved.")
            return go(request, "economics:rates", pk=partnership.pk)
    return _page(request, partnership, rate_form=form)


@login_required
@require_POST
def rate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    unit = request.POST.get("unit", "")[:12]
    try:
        rate_table.rate_delete(partnership=partnership, user=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Rate for {unit} removed.")
    return go(request, "economics:rates", pk=partnership.pk)


@login_required
@require_POST
def base_currency(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    form = BaseCurrencyForm(request.POST)
    if form.is_valid():
        try:
            settings = rate_table.base_currency_set(
                partnership=partnership, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Base currency is now {settings.base_currency}.")
            return go(request, "economics:rates", pk=partnership.pk)
    return _page(request, partnership, base_form=form)
