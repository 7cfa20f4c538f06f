"""Reads for culture: ratings come from closed culture rounds of the survey engine, through the
domain's assessment, which uses a profile only when at least k people gave it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.utils import timezone

from accord.culture.models import BridgingPractice
from accord.domain import culture as domain
from accord.partnerships.models import Partnership, Party
from accord.trust import results_cache
from accord.trust.instruments import dimension_index
from accord.trust.models import Instrument, Response, SurveyRound
from accord.trust.selectors import closed_rounds

PREFIX = "culture-readings:v1:"


@dataclass
class CultureResults:
    partnership: Partnership
    survey: SurveyRound | None
    parties: dict[int, str] = field(default_factory=dict)
    assessment: domain.CultureAssessment | None = None
    cache_key: str | None = None  # the round state the assessment was kept under, if kept

    @property
    def readings(self) -> tuple[domain.Reading, ...]:
        return self.assessment.readings if self.assessment else ()


def culture_results(
    *,
    partnership: Partnership,
    rules: domain.CultureRules | None = None,
    now: datetime | None = None,
    rounds: list[SurveyRound] | None = None,
) -> CultureResults:
    """The latest closed culture round, assessed. With the default rules the assessment is kept
    per state of that round (``results_cache``: the round, its answers, the parties, k) and
    read back until that state changes; a closed round's answers never change. ``rounds``:
    the partnership's culture rounds when the caller has read them (saves a query)."""
    parties = dict(
        Party.objects.filter(partnership=partnership).values_list("pk", "organization__name")
    )
    if rounds is None:
        closed = closed_rounds([partnership], Instrument.Kind.CULTURE, now)
    else:  # the caller's culture rounds (instrument and partnership joined): the closed ones
        at = now or timezone.now()
        closed = sorted((r for r in rounds if r.closes_at <= at), key=lambda r: r.number)
    survey = closed[-1] if closed else None
    results = CultureResults(partnership, survey, parties)
    if survey is None:
        return results
    if rules is not None:
        results.assessment = _assess(partnership, survey, parties, rules)
        return results
    key = results_cache._key(partnership, [survey], list(parties.items()), prefix=PREFIX)
    assessment = results_cache.cache.get(key)
    if assessment is None:
        assessment = _assess(partnership, survey, parties, None)
        results_cache.cache.set(key, assessment)
    results.assessment, results.cache_key = assessment, key
    return results


def _assess(
    partnership: Partnership,
    survey: SurveyRound,
    parties: dict[int, str],
    rules: domain.CultureRules | None,
) -> domain.CultureAssessment:
    items = {item.key: item for item in survey.instrument.items.all()}
    points = survey.instrument.scale_points
    respondent, rater, rated, dimension, value = [], [], [], [], []
    rows = Response.objects.filter(round=survey).values_list(
        "rater_party_id", "rated_party_id", "values"
    )
    for code, (rater_id, rated_id, values) in enumerate(rows):
        if rater_id not in parties or rated_id not in parties:
            continue
        for key, v in values.items():
            item = items.get(key)
            if item is None:
                continue
            respondent.append(code)
            rater.append(rater_id)
            rated.append(rated_id)
            dimension.append(dimension_index(item.construct))
            # Culture is read on 1–7: a reverse-worded or 5-point question is mapped onto it.
            scored = points + 1 - v if item.reverse else v
            value.append(round(1 + (scored - 1) * 6 / (points - 1)))
    n = len(value)
    ratings = domain.Ratings(
        np.array(respondent, np.int64),
        np.full(n, partnership.pk, np.int64),
        np.array(rater, np.int64),
        np.array(rated, np.int64),
        np.array(dimension, np.int64),
        np.array(value, np.int64),
    )
    return domain.assess_culture(
        ratings,
        thresholds={partnership.pk: survey.threshold()},  # the k this round promised
        rules=rules,
        party_names=parties,
    )


def practice_catalog(
    *, partnership: Partnership
) -> dict[domain.Dimension, tuple[domain.Practice, ...]]:
    """The partnership's own catalog if it has edited one, else the built-in one."""
    rows = list(BridgingPractice.objects.filter(partnership=partnership))
    if not rows:
        return domain.BRIDGING_PRACTICES
    catalog: dict[domain.Dimension, list[domain.Practice]] = {}
    for row in rows:
        catalog.setdefault(domain.Dimension(row.dimension), []).append(
            domain.Practice(row.title, row.description, domain.Fit(row.fit))
        )
    return {k: tuple(v) for k, v in catalog.items()}


def practice_rows(*, partnership: Partnership) -> list[BridgingPractice]:
    """Stored rows, or unsaved rows of the built-in catalog (pk None) for display."""
    rows = list(BridgingPractice.objects.filter(partnership=partnership))
    if rows:
        return rows
    return [
        BridgingPractice(
            dimension=str(dim), fit=str(p.fit), title=p.title, description=p.description
        )
        for dim, practices in domain.BRIDGING_PRACTICES.items()
        for p in practices
    ]


def due_diligence(
    *, partnership: Partnership
) -> tuple[CultureResults, domain.DueDiligenceReport | None]:
    results = culture_results(partnership=partnership)
    if not results.readings:
        return results, None
    report = domain.due_diligence_report(
        results.assessment,
        partnership.pk,
        practice_catalog(partnership=partnership),  # type: ignore[arg-type]
    )
    return results, report
