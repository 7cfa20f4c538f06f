"""The review pack page (choose a quarter) and its Markdown and PDF downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from accord.partnerships.access import NOT_FOUND, Need, access_partnership, can
from accord.partnerships.models import Partnership
from accord.review_pack.pack import SECTIONS, Quarter, build_pack, quarter_for, quarters_of
from accord.review_pack.render import pack_markdown, pack_pdf


def filename(partnership: Partnership, quarter: Quarter, ext: str) -> str:
    return f"review-pack-{slugify(partnership.name) or partnership.pk}-{quarter.label}.{ext}"


@login_required
def index(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    return render(
        request,
        "review_pack/index.html",
        {
            "partnership": partnership,
            "quarters": quarters_of(partnership),
            "sections": SECTIONS,
            "can_manage": can(request.user, partnership, Need.MANAGE),
        },
    )


def _quarter(partnership: Partnership, year: int, quarter: int) -> Quarter:
    try:
        return quarter_for(partnership, year, quarter)
    except ValueError:
        raise Http404(NOT_FOUND) from None


def download(partnership: Partnership, quarter: Quarter, fmt: str) -> HttpResponse:
    """The file response both the page's links and the API give."""
    pack = build_pack(partnership=partnership, quarter=quarter)
    if fmt == "pdf":
        response = HttpResponse(pack_pdf(pack), content_type="application/pdf")
    else:
        response = HttpResponse(pack_markdown(pack), content_type="text/markdown; charset=utf-8")
    name = filename(partnership, quarter, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def pdf(request: HttpRequest, pk: int, year: int, quarter: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    return download(partnership, _quarter(partnership, year, quarter), "pdf")


@login_required
def markdown(request: HttpRequest, pk: int, year: int, quarter: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    return download(partnership, _quarter(partnership, year, quarter), "md")
