"""The portfolio page (htmx swaps its table) and its CSV/XLSX export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accord.economics.exports import respond
from accord.partnerships.access import NOT_FOUND
from accord.portfolio import exports, selectors
from accord.portfolio.forms import PortfolioFilterForm

PER_PAGE = 25


def _organization(request: HttpRequest):  # type: ignore[no-untyped-def]
    org = selectors.organization_of(request.user)
    if org is None:
        raise Http404(NOT_FOUND)
    return org


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    org = _organization(request)
    form = PortfolioFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.filtered(viewer=request.user, filters=filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    page_rows = selectors.rows(page.object_list, viewer_org_id=org.pk)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "organization": org,
        "form": form,
        "filters": filters,
        "page": page,
        "rows": page_rows,
        "query": query.urlencode(),
        "newest": selectors.newest_computation(page_rows),
        "oldest": selectors.oldest_computation(page_rows),
        "sort_links": _sort_links(request, filters),
    }
    template = "portfolio/portfolio.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


def _sort_links(request: HttpRequest, filters: selectors.Filters) -> dict[str, str]:
    """Per column: the query string that sorts by it (again: the other direction)."""
    links = {}
    for key in selectors.SORTS:
        query = request.GET.copy()
        query.pop("page", None)
        same = filters.sort == key
        query["sort"] = f"-{key}" if same and not filters.descending else key
        links[key] = query.urlencode()
    return links


@login_required
def export(request: HttpRequest) -> HttpResponse:
    org = _organization(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404(NOT_FOUND)
    filters = PortfolioFilterForm(request.GET or None).filters()
    every = selectors.rows(
        selectors.filtered(viewer=request.user, filters=filters), viewer_org_id=org.pk
    )
    return respond(exports.table(every), filename=f"portfolio-{org.slug}", fmt=fmt)
