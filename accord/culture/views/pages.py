"""Culture pages: the readings, the due-diligence report (web, Markdown, PDF), the catalog."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord import charts
from accord.culture import report as export
from accord.culture import selectors, services
from accord.culture.forms import PracticeForm
from accord.culture.models import BridgingPractice
from accord.domain import culture as domain
from accord.partnerships.access import Need, access_partnership, can
from accord.trust import results_cache
from accord.trust import selectors as surveys
from accord.trust.models import Instrument, SurveyRound

SPECS = {spec.dimension: spec for spec in domain.DIMENSIONS}


def _pairs(results: selectors.CultureResults, catalog: Any) -> list[dict[str, Any]]:
    """Per pair of parties: the profile chart and one row per dimension."""
    pairs: dict[tuple[int, int], list[domain.Reading]] = {}
    for r in results.readings:
        pairs.setdefault((r.party_a, r.party_b), []).append(r)
    out = []
    for (a, b), readings in pairs.items():
        name_a, name_b = results.parties[a], results.parties[b]
        rows = []
        for r in readings:
            spec = SPECS[r.dimension]
            practices = [
                p for p in catalog.get(r.dimension, ()) if r.fit is not None and p.fit is r.fit
            ]
            rows.append({"reading": r, "spec": spec, "practices": practices})
        out.append(
            {
                "a": name_a,
                "b": name_b,
                "chart": _chart(results, name_a, name_b, readings),
                "rows": rows,
                "counts": {
                    str(fit): sum(1 for r in readings if r.fit is fit) for fit in domain.FITS
                },
            }
        )
    return out


def _chart(
    results: selectors.CultureResults, name_a: str, name_b: str, readings: list[domain.Reading]
) -> charts.Chart:
    """The pair's profile chart, drawn from the readings alone: kept with the readings when
    they are kept (same round state, same names), drawn afresh otherwise."""
    key = f"{results.cache_key}:chart:{readings[0].party_a}:{readings[0].party_b}"
    if results.cache_key is not None:
        kept = results_cache.cache.get(key)
        if kept is not None:
            return kept
    labels = [SPECS[r.dimension].label for r in readings]
    short_a, short_b = name_a.split()[0], name_b.split()[0]
    series = {
        f"{short_a} on itself": [r.self_a for r in readings],
        f"{short_b} on itself": [r.self_b for r in readings],
        f"{short_a} seen by {short_b}": [r.b_sees_a for r in readings],
        f"{short_b} seen by {short_a}": [r.a_sees_b for r in readings],
    }
    alt = f"Culture profiles of {name_a} and {name_b} on six dimensions (1 to 7): " + "; ".join(
        f"{label}: {name_a} {_f(r.self_a)}, {name_b} {_f(r.self_b)}"
        for label, r in zip(labels, readings, strict=True)
    )
    chart = charts.profile_chart(
        f"{name_a} and {name_b}: how each sees itself and the other", labels, series, alt=alt
    )
    if results.cache_key is not None:
        results_cache.cache.set(key, chart)
    return chart


def _readings_html(results: selectors.CultureResults, catalog: Any) -> str:
    """Per pair, the chart, readings and matching practices: a function of the kept readings,
    the catalog (read on every request, part of the key) and the language alone."""
    if results.survey is None:
        return ""
    key = None
    if results.cache_key is not None:
        state = hashlib.sha256(repr(list(catalog.items())).encode()).hexdigest()
        key = f"{results.cache_key}:html:{get_language()}:{state}"
        kept = results_cache.cache.get(key)
        if kept is not None:
            return kept
    html = render_to_string(
        "culture/_readings.html", {"results": results, "pairs": _pairs(results, catalog)}
    )
    if key is not None:
        results_cache.cache.set(key, html)
    return html


def _f(value: float | None) -> str:
    return "not enough responses" if value is None else f"{value:.1f}"


@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    rounds = surveys.rounds_for(partnership=partnership, kind=Instrument.Kind.CULTURE)
    results = selectors.culture_results(partnership=partnership, rounds=rounds)
    open_rounds = [s for s in rounds if s.state() != SurveyRound.State.CLOSED]
    rates = surveys.response_rates_for(surveys=open_rounds)
    current = [{"survey": s, "rates": rates[s.pk]} for s in open_rounds]
    rules = domain.CultureRules()
    return render(
        request,
        "culture/overview.html",
        {
            "partnership": partnership,
            "results": results,
            "readings_html": _readings_html(
                results, selectors.practice_catalog(partnership=partnership)
            ),
            "current": current,
            "past": [s for s in rounds if s.state() == SurveyRound.State.CLOSED],
            "rules": rules.describe(),
            "dimensions": domain.DIMENSIONS,
            "can_manage": can(request.user, partnership, Need.MANAGE),
            "invitations": [
                i
                for i in surveys.open_invitations(partnership=partnership, user=request.user)
                if i.round.kind == Instrument.Kind.CULTURE
            ],
        },
    )


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    results, dd = selectors.due_diligence(partnership=partnership)
    return render(
        request,
        "culture/report.html",
        {"partnership": partnership, "results": results, "report": dd, "parties": results.parties},
    )


def _filename(partnership: Any, ext: str) -> str:
    return f"culture-due-diligence-{partnership.pk}-{timezone.localdate().isoformat()}.{ext}"


@login_required
@require_GET
def report_markdown(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    results, dd = selectors.due_diligence(partnership=partnership)
    response = HttpResponse(
        export.report_markdown(results, dd), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(partnership, "md")}"'
    return response


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    results, dd = selectors.due_diligence(partnership=partnership)
    response = HttpResponse(export.report_pdf(results, dd), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(partnership, "pdf")}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def practices(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    can_manage = can(request.user, partnership, Need.MANAGE)
    form = PracticeForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                services.practice_save(
                    user=request.user,
                    partnership=partnership,
                    practice_id=None,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"Added “{form.cleaned_data['title']}”.")
                return redirect("culture:practices", pk=partnership.pk)
    rows = selectors.practice_rows(partnership=partnership)
    groups = [
        {
            "spec": spec,
            "rows": [r for r in rows if r.dimension == str(spec.dimension)],
        }
        for spec in domain.DIMENSIONS
    ]
    return render(
        request,
        "culture/practices.html",
        {
            "partnership": partnership,
            "groups": groups,
            "customized": any(r.pk for r in rows),
            "can_manage": can_manage,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: HttpRequest, pk: int, practice_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    practice = BridgingPractice.objects.filter(partnership=partnership, pk=practice_id).first()
    if practice is None:
        raise Http404
    form = PracticeForm(
        request.POST or None,
        initial={f: getattr(practice, f) for f in ("dimension", "fit", "title", "description")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_save(
                user=request.user,
                partnership=partnership,
                practice_id=practice.pk,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Practice saved.")
            return redirect("culture:practices", pk=partnership.pk)
    return render(
        request,
        "culture/practice_form.html",
        {"partnership": partnership, "form": form, "practice": practice},
    )


@login_required
@require_POST
def practice_remove(request: HttpRequest, pk: int, practice_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    try:
        services.practice_remove(
            user=request.user, partnership=partnership, practice_id=practice_id
        )
    except ValidationError:
        raise Http404 from None
    messages.success(request, "Practice removed.")
    return redirect("culture:practices", pk=partnership.pk)


@login_required
@require_POST
def catalog_customize(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    services.catalog_customize(user=request.user, partnership=partnership)
    messages.success(request, "The catalog is now this partnership's own; edit it freely.")
    return redirect("culture:practices", pk=partnership.pk)
