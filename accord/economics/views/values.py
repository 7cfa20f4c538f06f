"""The value ledger: list with filters, add, view, edit, delete, evidence file, export."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from accord.economics import exports, selectors, services
from accord.economics.forms import LedgerFilterForm, ValueEntryForm
from accord.economics.views.common import PAGE_SIZE, go, today, where_from
from accord.economics.views.missing_rate import rate_context, save_with_rate
from accord.partnerships.access import NOT_FOUND, Need, access_partnership, can, user_organization


@login_required
def values(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    filters = LedgerFilterForm(request.GET, partnership=partnership, ledger="values")
    entries = selectors.value_entries(
        partnership=partnership, viewer=request.user, where=where_from(filters)
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "partnership": partnership,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "can_contribute": can(request.user, partnership, Need.CONTRIBUTE),
        "my_org": user_organization(request.user),
    }
    template = "economics/values.html#table" if request.htmx else "economics/values.html"
    return render(request, template, context)


def _form_page(request: HttpRequest, context: dict) -> HttpResponse:
    template = "economics/value_form.html#form" if request.htmx else "economics/value_form.html"
    context.update(rate_context(request, context["partnership"], context["form"], "currency"))
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def value_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    org = user_organization(request.user)
    now = today()
    initial = {
        "currency": selectors.base_currency(partnership=partnership),
        "status": "realized",
        "period_start": now.replace(day=1),
        "period_end": now,
        "beneficiary": partnership.parties.filter(organization=org).first(),
    }
    form = ValueEntryForm(
        request.POST or None, request.FILES or None, partnership=partnership, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = save_with_rate(
                request,
                partnership,
                form,
                "currency",
                lambda: services.value_entry_create(
                    partnership=partnership,
                    user=request.user,
                    evidence_file=form.cleaned_data.get("evidence_file"),
                    **form.service_fields(),
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Value entry “{entry}” recorded.")
            return go(request, "economics:value_detail", pk=partnership.pk, entry_id=entry.pk)
    return _form_page(request, {"partnership": partnership, "form": form})


@login_required
def value_detail(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    entry = selectors.value_entry(partnership=partnership, viewer=request.user, entry_id=entry_id)
    table = selectors.rate_table(partnership=partnership, include_archived=True)
    in_base = table.convert(entry.amount, entry.currency) if entry.currency in table.rates else None
    context = {
        "partnership": partnership,
        "entry": entry,
        "base": table.base,
        "in_base": in_base,
        "can_edit": selectors.is_owner(entry, request.user)
        and can(request.user, partnership, Need.CONTRIBUTE),
    }
    return render(request, "economics/value_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def value_edit(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    entry = selectors.own_value_entry(
        partnership=partnership, viewer=request.user, entry_id=entry_id
    )
    form = ValueEntryForm(
        request.POST or None,
        request.FILES or None,
        partnership=partnership,
        editing=True,
        initial=ValueEntryForm.initial_from(entry),
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_with_rate(
                request,
                partnership,
                form,
                "currency",
                lambda: services.value_entry_update(
                    entry=entry,
                    user=request.user,
                    evidence_file=form.cleaned_data.get("evidence_file"),
                    remove_file=form.cleaned_data.get("remove_file", False),
                    **form.service_fields(),
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Changes saved.")
            return go(request, "economics:value_detail", pk=partnership.pk, entry_id=entry.pk)
    return _form_page(
        request,
        {"partnership": partnership, "form": form, "entry": entry},
    )


@login_required
@require_POST
def value_delete(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    entry = selectors.own_value_entry(
        partnership=partnership, viewer=request.user, entry_id=entry_id
    )
    services.value_entry_delete(entry=entry, user=request.user)
    messages.success(request, "Value entry deleted.")
    return go(request, "economics:values", pk=partnership.pk)


@login_required
def value_evidence(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    """The attached file, to those who may see the entry; never served from a public URL."""
    partnership = access_partnership(request.user, pk, Need.READ)
    entry = selectors.value_entry(partnership=partnership, viewer=request.user, entry_id=entry_id)
    if not entry.evidence_file:
        raise Http404(NOT_FOUND)
    try:
        stream = entry.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404(NOT_FOUND) from None
    return FileResponse(
        stream, as_attachment=True, filename=os.path.basename(entry.evidence_file.name)
    )


@login_required
def values_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The list as filtered, as CSV (default) or XLSX (`?format=xlsx`)."""
    partnership = access_partnership(request.user, pk, Need.READ)
    filters = LedgerFilterForm(request.GET, partnership=partnership, ledger="values")
    entries = selectors.value_entries(
        partnership=partnership, viewer=request.user, where=where_from(filters)
    ).select_related("owner_org")
    return exports.respond(
        exports.value_rows(entries.iterator(chunk_size=2000)),
        filename=f"value-ledger-{partnership.pk}",
        fmt=request.GET.get("format", "csv"),
    )
