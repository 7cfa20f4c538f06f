"""Trust pages: the overview, a round's results, the development stage, the CSV export."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accord.domain import trust as domain
from accord.partnerships.access import Need, access_partnership, can
from accord.trust import kept_overview, presenters, selectors
from accord.trust.evidence import RULE_FIELDS
from accord.trust.models import Instrument, SurveyRound
from accord.trust.stage_cache import judge_stored


@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    now = timezone.now()
    page = kept_overview.overview(
        partnership, now=now, can_manage=can(request.user, partnership, Need.MANAGE)
    )
    judgement, stored = judge_stored(partnership, now=now)
    invitations = (
        selectors.open_invitations(partnership=partnership, user=request.user, now=now)
        if page.open_rounds
        else []
    )
    return render(
        request,
        "trust/overview.html",
        {
            "partnership": partnership,
            "kept": page.sections,
            "judgement": judgement,
            "invitations": invitations,
            "evidence_hour": stored.gathered_hour,
        },
    )


def round_for(partnership, round_id: int) -> SurveyRound:
    survey = (
        SurveyRound.objects.filter(partnership=partnership, pk=round_id)
        .select_related("instrument", "partnership")
        .first()
    )
    if survey is None:
        raise Http404
    return survey


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    survey = round_for(partnership, round_id)
    context = {
        "partnership": partnership,
        "survey": survey,
        "rates": selectors.response_rates(survey=survey),
        "can_manage": can(request.user, partnership, Need.MANAGE),
        "invitee": selectors.invitee_for(survey=survey, user=request.user),
        "alpha_min_n": domain.ALPHA_MIN_N,
        "alpha_warning": domain.ALPHA_WARNING,
        "asymmetry_flag": domain.ASYMMETRY_FLAG,
    }
    if survey.is_closed and survey.kind == Instrument.Kind.TRUST:
        results = selectors.partnership_trust(partnership=partnership)
        context.update(
            rows=presenters.direction_rows(results, survey.number),
            gaps=presenters.gap_rows(results, survey.number),
            rollups=presenters.rollup_rows(results, survey.number),
        )
    return render(request, "trust/round.html", context)


@login_required
@require_GET
def stage(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    judgement, stored = judge_stored(partnership)
    collected = stored.collected
    rows = []
    for stage_name in domain.STAGES[1:]:
        rules = [r for r in judgement.rules if r.stage is stage_name]
        rows.append(
            {
                "stage": stage_name,
                "reached": domain.STAGES.index(stage_name) <= domain.STAGES.index(judgement.stage),
                "is_next": stage_name is judgement.next_stage,
                "rules": [
                    {"result": r, "source": collected.sources.get(RULE_FIELDS[r.rule])}
                    for r in rules
                ],
            }
        )
    return render(
        request,
        "trust/stage.html",
        {
            "partnership": partnership,
            "judgement": judgement,
            "stages": rows,
            "all_stages": domain.STAGES,
            "evidence_hour": stored.gathered_hour,
            "can_manage": can(request.user, partnership, Need.MANAGE),
        },
    )


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Published aggregates of every closed round; withheld cells are listed as such, with no
    numbers. There is no export of answers: none exists anywhere in Accord."""
    partnership = access_partnership(request.user, pk, Need.READ)
    results = selectors.partnership_trust(partnership=partnership)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="trust-{partnership.pk}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "round",
            "round_title",
            "closed",
            "rater_party",
            "rated_party",
            "form",
            "status",
            "n",
            "mean",
            "sd",
            "alpha",
        ]
    )
    for cell in results.cells:
        survey = results.rounds[cell.cell.round]
        head = [
            cell.cell.round,
            survey.title,
            survey.closes_at.date().isoformat(),
            results.parties[cell.cell.rater],
            results.parties[cell.cell.rated],
            str(cell.cell.form),
        ]
        if isinstance(cell, domain.Aggregate):
            alpha = "" if cell.alpha is None else f"{cell.alpha:.3f}"
            sd = "" if cell.sd is None else f"{cell.sd:.3f}"  # empty below 2k respondents
            writer.writerow([*head, "published", cell.n, f"{cell.mean:.3f}", sd, alpha])
        else:
            writer.writerow([*head, presenters.NOT_ENOUGH, "", "", "", ""])
    return response
