"""The investment ledger: list with filters, add, view, edit, delete, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from accord.economics import exports, selectors, services
from accord.economics.forms import InvestmentForm, LedgerFilterForm
from accord.economics.views.common import PAGE_SIZE, go, today, where_from
from accord.economics.views.missing_rate import rate_context, save_with_rate
from accord.partnerships.access import Need, access_partnership, can, user_organization


@login_required
def investments(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    filters = LedgerFilterForm(request.GET, partnership=partnership, ledger="investments")
    entries = selectors.investments(
        partnership=partnership, viewer=request.user, where=where_from(filters), today=today()
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "partnership": partnership,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "today": today(),
        "can_contribute": can(request.user, partnership, Need.CONTRIBUTE),
        "my_org": user_organization(request.user),
    }
    template = "economics/investments.html#table" if request.htmx else "economics/investments.html"
    return render(request, template, context)


def _form_page(request: HttpRequest, context: dict) -> HttpResponse:
    template = (
        "economics/investment_form.html#form" if request.htmx else "economics/investment_form.html"
    )
    context.update(rate_context(request, context["partnership"], context["form"], "unit"))
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def investment_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    org = user_organization(request.user)
    initial = {
        "unit": selectors.base_currency(partnership=partnership),
        "kind": "financial",
        "planned_on": today(),
        "contributor": partnership.parties.filter(organization=org).first(),
    }
    form = InvestmentForm(request.POST or None, partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = save_with_rate(
                request,
                partnership,
                form,
                "unit",
                lambda: services.investment_create(
                    partnership=partnership, user=request.user, **form.service_fields()
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Contribution “{entry}” recorded.")
            return go(request, "economics:investment_detail", pk=partnership.pk, entry_id=entry.pk)
    return _form_page(request, {"partnership": partnership, "form": form})


@login_required
def investment_detail(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    entry = selectors.investment(partnership=partnership, viewer=request.user, entry_id=entry_id)
    table = selectors.rate_table(partnership=partnership, include_archived=True)
    in_base = table.convert(entry.amount, entry.unit) if entry.unit in table.rates else None
    now = today()
    slip = None
    if entry.actual_on is not None:
        slip = (entry.actual_on - entry.planned_on).days
    elif entry.planned_on < now:
        slip = (now - entry.planned_on).days
    context = {
        "partnership": partnership,
        "entry": entry,
        "base": table.base,
        "in_base": in_base,
        "hostage": float(in_base) * entry.hostage_share if in_base is not None else None,
        "slip": slip,
        "can_edit": selectors.is_owner(entry, request.user)
        and can(request.user, partnership, Need.CONTRIBUTE),
    }
    return render(request, "economics/investment_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def investment_edit(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    entry = selectors.own_investment(
        partnership=partnership, viewer=request.user, entry_id=entry_id
    )
    form = InvestmentForm(
        request.POST or None, partnership=partnership, initial=InvestmentForm.initial_from(entry)
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_with_rate(
                request,
                partnership,
                form,
                "unit",
                lambda: services.investment_update(
                    entry=entry, user=request.user, **form.service_fields()
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Changes saved.")
            return go(request, "economics:investment_detail", pk=partnership.pk, entry_id=entry.pk)
    return _form_page(request, {"partnership": partnership, "form": form, "entry": entry})


@login_required
@require_POST
def investment_delete(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    entry = selectors.own_investment(
        partnership=partnership, viewer=request.user, entry_id=entry_id
    )
    services.investment_delete(entry=entry, user=request.user)
    messages.success(request, "Contribution deleted.")
    return go(request, "economics:investments", pk=partnership.pk)


@login_required
def investments_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The list as filtered, as CSV (default) or XLSX (`?format=xlsx`)."""
    partnership = access_partnership(request.user, pk, Need.READ)
    filters = LedgerFilterForm(request.GET, partnership=partnership, ledger="investments")
    entries = selectors.investments(
        partnership=partnership, viewer=request.user, where=where_from(filters), today=today()
    )
    return exports.respond(
        exports.investment_rows(entries.iterator(chunk_size=2000)),
        filename=f"investment-ledger-{partnership.pk}",
        fmt=request.GET.get("format", "csv"),
    )
