"""Pages of own instruments (issue 15): the list with the organization's library and an upload
to create one, an instrument's wording (which every party reads before its people answer),
its versions and exports, and the results of its closed rounds — per category and construct,
per direction, with bands, trends and a CSV export. Cells below k are withheld as everywhere."""

from __future__ import annotations

import csv
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord import charts
from accord.imports.engine import ImportFileError
from accord.partnerships.access import Need, access_partnership, can, user_organization
from accord.trust import instrument_services
from accord.trust.definitions import (
    CONTENT_TYPES,
    FORMATS,
    DefinitionFileError,
    definition_of,
    export_definition,
    read_definition,
)
from accord.trust.instrument_results import InstrumentResults, instrument_results
from accord.trust.models import Instrument, SurveyRound

WITHHELD = "fewer than k answered"


def _own(partnership: Any, key: str) -> list[Instrument]:
    versions = list(
        Instrument.objects.filter(partnership=partnership, key=key, kind=Instrument.Kind.CUSTOM)
        .order_by("-version")
        .prefetch_related("items")
    )
    if not versions:
        raise Http404
    return versions


@login_required
@require_http_methods(["GET", "POST"])
def own_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    can_manage = can(request.user, partnership, Need.MANAGE)
    report = None
    if request.method == "POST":
        if not can_manage:
            raise Http404
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ImportFileError(_("Choose a file to upload."))
            definition = read_definition(upload, upload.name or "")
            current = (
                Instrument.objects.filter(
                    partnership=partnership, key=definition.key, kind="custom"
                )
                .order_by("-version")
                .first()
            )
            if current is None:
                saved = instrument_services.instrument_create(
                    user=request.user, partnership=partnership, definition=definition
                )
            else:
                saved = instrument_services.instrument_version_create(
                    user=request.user, instrument=current, definition=definition
                )
        except DefinitionFileError as error:
            report = error.report
        except (ImportFileError, ValidationError) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Saved version %(v)s.") % {"v": saved.version})
            return redirect("trust:own_detail", pk=partnership.pk, key=saved.key)
    latest: dict[str, Instrument] = {}
    for row in Instrument.objects.filter(partnership=partnership, kind="custom").order_by(
        "key", "version"
    ):
        latest[row.key] = row
    organization = user_organization(request.user)
    library: dict[str, Instrument] = {}
    if organization is not None:
        for row in Instrument.objects.filter(organization=organization).order_by("key", "version"):
            library[row.key] = row
    return render(
        request,
        "trust/own_list.html",
        {
            "partnership": partnership,
            "instruments": list(latest.values()),
            "library": list(library.values()),
            "organization": organization,
            "can_manage": can_manage,
            "report": report,
        },
        status=400 if report is not None else 200,
    )


@login_required
@require_POST
def own_adopt(request: HttpRequest, pk: int, instrument_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    source = Instrument.objects.filter(
        pk=instrument_id, organization=user_organization(request.user)
    ).first()
    if source is None or source.organization_id is None:
        raise Http404
    saved = instrument_services.instrument_adopt(
        user=request.user, partnership=partnership, source=source
    )
    return redirect("trust:own_detail", pk=partnership.pk, key=saved.key)


def _direction(results: InstrumentResults, rater: int, rated: int | None) -> str:
    who = results.parties.get(rater, "?")
    if rated is None:
        return _("%(who)s about the partnership") % {"who": who}
    if rated == rater:
        return _("%(who)s about itself") % {"who": who}
    return _("%(who)s about %(whom)s") % {"who": who, "whom": results.parties.get(rated, "?")}


def result_tables(results: InstrumentResults) -> list[dict[str, Any]]:
    """Per closed round (latest first): per direction, rows of category and construct cells."""
    rounds = []
    for number in sorted(results.rounds, reverse=True):
        definition = results.definitions[number]
        labels = {c.key: c.label for c in definition.constructs()}
        category_of = definition.construct_category()
        categories = {c.key: c.label for c in definition.categories}
        directions: dict[tuple[int, int | None], dict[str, Any]] = {}
        for cell in results.categories_of(number):
            block = directions.setdefault(
                (cell.rater, cell.rated),
                {"label": _direction(results, cell.rater, cell.rated), "rows": []},
            )
            block["rows"].append(
                {"category": True, "label": categories[cell.category], "cell": cell}
            )
            for construct in results.cells_of(number):
                if (construct.rater, construct.rated) == (cell.rater, cell.rated) and (
                    category_of[construct.construct] == cell.category
                ):
                    block["rows"].append(
                        {"category": False, "label": labels[construct.construct], "cell": construct}
                    )
        rounds.append({"survey": results.rounds[number], "directions": list(directions.values())})
    return rounds


def trend_chart(results: InstrumentResults) -> charts.Chart | None:
    """Category means per direction across the closed rounds (published cells only)."""
    numbers = sorted(results.rounds)
    if len(numbers) < 2:
        return None
    series: dict[str, list[float | None]] = defaultdict(lambda: [None] * len(numbers))
    for i, number in enumerate(numbers):
        labels = {c.key: c.label for c in results.definitions[number].categories}
        for cell in results.categories_of(number):
            name = f"{_direction(results, cell.rater, cell.rated)}: {labels[cell.category]}"
            series[name][i] = None if cell.mean is None else round(cell.mean, 2)
    points = results.definitions[numbers[-1]].scale.points
    return charts.line_chart(
        _("Category means by round"),
        # Short labels, as the trust charts have: a round's title is too long for the axis.
        [f"R{n} {results.rounds[n].closes_at:%b %y}" for n in numbers],
        dict(series),
        alt=_("Category means per direction across the closed rounds; the table lists them."),
        y_range=(1, points),
    )


@login_required
@require_GET
def own_detail(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    versions = _own(partnership, key)
    current = versions[0]
    definition = definition_of(current)
    results = instrument_results(partnerships=[partnership], key=key)[partnership.pk]
    items_of: dict[str, list[Any]] = defaultdict(list)
    for item in definition.items:
        items_of[item.construct].append(item)
    return render(
        request,
        "trust/own_detail.html",
        {
            "partnership": partnership,
            "instrument": current,
            "definition": definition,
            "versions": versions,
            "wording": [
                {
                    "label": category.label,
                    "constructs": [
                        {"label": c.label, "items": items_of.get(c.key, [])}
                        for c in category.constructs
                    ],
                }
                for category in definition.categories
            ],
            "formats": FORMATS,
            "rounds": result_tables(results),
            "all_rounds": SurveyRound.objects.filter(
                partnership=partnership, kind=Instrument.Kind.CUSTOM, instrument__key=key
            ).order_by("-opens_at"),
            "chart": trend_chart(results),
            "can_manage": can(request.user, partnership, Need.MANAGE),
            "withheld": WITHHELD,
        },
    )


@login_required
@require_GET
def own_export(request: HttpRequest, pk: int, key: str, fmt: str) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    if fmt not in FORMATS:
        raise Http404
    current = _own(partnership, key)[0]
    response = HttpResponse(
        export_definition(definition_of(current), fmt), content_type=CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{current.key}-v{current.version}.{fmt}"'
    )
    return response


@login_required
@require_GET
def own_results_csv(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Published cells only; a withheld cell is a row that says so, with no n and no mean."""
    partnership = access_partnership(request.user, pk, Need.READ)
    _own(partnership, key)
    results = instrument_results(partnerships=[partnership], key=key)[partnership.pk]
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{key}-results.csv"'
    writer = csv.writer(response)
    writer.writerow(["round", "title", "direction", "level", "key", "n", "mean", "band"])
    for number in sorted(results.rounds):
        title = results.rounds[number].title
        for c in results.categories_of(number):
            writer.writerow(
                [number, title, _direction(results, c.rater, c.rated), "category", c.category, "",
                 "" if c.mean is None else f"{c.mean:.2f}", c.band.label if c.band else ""]
            )  # fmt: skip
        for cell in results.cells_of(number):
            shown = cell.mean is not None
            writer.writerow(
                [number, title, _direction(results, cell.rater, cell.rated), "construct",
                 cell.construct, cell.n if shown else "", f"{cell.mean:.2f}" if shown else WITHHELD,
                 cell.band.label if cell.band else ""]
            )  # fmt: skip
    return response
