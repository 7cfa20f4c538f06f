"""Reads of the survey engine. Results come only from closed rounds and only through the
domain's scoring, which withholds every cell below k; nothing here returns an answer row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone

from accord.domain import trust as domain
from accord.partnerships.models import Partnership, Party
from accord.trust import instruments
from accord.trust.models import (
    Instrument,
    Invitee,
    Item,
    Response,
    StageSettings,
    SurveyRound,
)
from accord.trust.results_cache import cached_for_one_partnership


def instruments_for(*, partnership: Partnership, kind: str | None = None) -> list[Instrument]:
    """The latest version of each questionnaire this partnership can use: built-in ones and
    its own revisions (which supersede the built-in one with the same key)."""
    rows = Instrument.objects.filter(
        Q(partnership__isnull=True, organization__isnull=True) | Q(partnership=partnership)
    )
    if kind:
        rows = rows.filter(kind=kind)
    latest: dict[str, Instrument] = {}
    for instrument in rows.order_by("key", "version"):
        latest[instrument.key] = instrument
    return sorted(latest.values(), key=lambda i: (i.kind != "trust", i.name))


def instrument_versions(*, partnership: Partnership, key: str) -> list[Instrument]:
    return list(
        Instrument.objects.filter(
            Q(partnership__isnull=True, organization__isnull=True) | Q(partnership=partnership),
            key=key,
        )
        .order_by("-version")
        .prefetch_related("items")
    )


def rounds_for(*, partnership: Partnership, kind: str | None = None) -> list[SurveyRound]:
    """Newest first, instrument joined (without its definition, which lists need not parse)
    and the given partnership set on each, not joined again."""
    rows = (
        SurveyRound.objects.filter(partnership=partnership)
        .select_related("instrument")
        .defer("instrument__definition", "instrument__description")
    )
    if kind:
        rows = rows.filter(kind=kind)
    surveys = list(rows.order_by("-opens_at", "-number"))
    for survey in surveys:
        survey.partnership = partnership
    return surveys


def parties_for(*, partnership: Partnership) -> list[Party]:
    """The partnership's parties, organization joined (for rates and scores alike)."""
    return list(Party.objects.filter(partnership=partnership).select_related("organization"))


@dataclass(frozen=True)
class PartyRate:
    party: Party
    invited: int
    answered: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0


def response_rates(*, survey: SurveyRound) -> list[PartyRate]:
    """Per party: how many were invited and how many answered — counts only, never names."""
    counts = {
        row["party"]: row
        for row in Invitee.objects.filter(round=survey)
        .values("party")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(responded=True)))
    }
    return [
        PartyRate(
            party,
            counts.get(party.pk, {}).get("invited", 0),
            counts.get(party.pk, {}).get("answered", 0),
        )
        for party in Party.objects.filter(partnership=survey.partnership_id).select_related(
            "organization"
        )
    ]


def response_rates_for(
    *, surveys: Sequence[SurveyRound], parties: Sequence[Party] | None = None
) -> dict[int, list[PartyRate]]:
    """``response_rates`` of several rounds of one partnership in two queries (round id →
    rates), for pages that list every round; one when the caller gives the ``parties``
    (organization joined)."""
    if not surveys:
        return {}
    counts = {
        (row["round"], row["party"]): row
        for row in Invitee.objects.filter(round__in=[s.pk for s in surveys])
        .values("round", "party")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(responded=True)))
    }
    if parties is None:
        parties = list(
            Party.objects.filter(
                partnership__in={s.partnership_id for s in surveys}
            ).select_related("organization")
        )
    return {
        survey.pk: [
            PartyRate(
                party,
                counts.get((survey.pk, party.pk), {}).get("invited", 0),
                counts.get((survey.pk, party.pk), {}).get("answered", 0),
            )
            for party in parties
            if party.partnership_id == survey.partnership_id
        ]
        for survey in surveys
    }


def invitee_for(*, survey: SurveyRound, user: Any) -> Invitee | None:
    return (
        Invitee.objects.filter(round=survey, user=user)
        .select_related("round__partnership", "round__instrument", "party__organization", "user")
        .first()
    )


def open_invitations(
    *, partnership: Partnership, user: Any, now: datetime | None = None
) -> list[Invitee]:
    """Rounds the viewer is invited to, still open and not answered yet."""
    now = now or timezone.now()
    return list(
        Invitee.objects.filter(
            round__partnership=partnership,
            user=user,
            responded=False,
            round__opens_at__lte=now,
            round__closes_at__gt=now,
        ).select_related("round")
    )


# ---------------------------------------------------------------------------- scoring


@dataclass
class TrustResults:
    """Everything the trust pages show for one partnership, computed from published cells."""

    partnership: Partnership
    k: int
    rounds: dict[int, SurveyRound] = field(default_factory=dict)  # round number → round
    parties: dict[int, str] = field(default_factory=dict)  # party id → organization name
    cells: list[domain.Aggregate | domain.BelowThreshold] = field(default_factory=list)
    trends: list[domain.Trend] = field(default_factory=list)
    asymmetries: list[domain.Asymmetry] = field(default_factory=list)
    rollups: list[domain.Rollup | domain.RollupWithheld] = field(default_factory=list)

    def cells_of(self, number: int) -> list[domain.Aggregate | domain.BelowThreshold]:
        return [c for c in self.cells if c.cell.round == number]

    def latest_number(self) -> int | None:
        return max(self.rounds) if self.rounds else None


def closed_rounds(
    partnerships: Iterable[Partnership], kind: str, now: datetime | None = None
) -> list[SurveyRound]:
    return list(
        SurveyRound.objects.filter(
            partnership__in=list(partnerships), kind=kind, closes_at__lte=now or timezone.now()
        )
        .select_related("instrument", "partnership")
        .order_by("partnership", "number")
    )


@cached_for_one_partnership
def trust_results(
    *, partnerships: Sequence[Partnership], now: datetime | None = None
) -> dict[int, TrustResults]:
    """Score every closed trust round of every given partnership in one domain call."""
    out = {p.pk: TrustResults(p, p.anonymity_k) for p in partnerships}
    rounds = closed_rounds(partnerships, Instrument.Kind.TRUST, now)
    if not rounds:
        for p in Party.objects.filter(partnership__in=out).select_related("organization"):
            out[p.partnership_id].parties[p.pk] = p.organization.name
        return out
    parties: dict[int, list[int]] = defaultdict(list)
    for party in Party.objects.filter(partnership__in=out).select_related("organization"):
        parties[party.partnership_id].append(party.pk)
        out[party.partnership_id].parties[party.pk] = party.organization.name

    group_rows: list[tuple[int, int, int, int]] = []
    group_k: list[int] = []
    group_of: dict[tuple[int, int, int], int] = {}
    for survey in rounds:
        out[survey.partnership_id].rounds[survey.number] = survey
        # The k this round promised, never the partnership's lower one of today.
        k = max(survey.anonymity_k, out[survey.partnership_id].partnership.anonymity_k)
        for rater in parties[survey.partnership_id]:
            for rated in parties[survey.partnership_id]:
                if rater != rated:
                    group_of[(survey.pk, rater, rated)] = len(group_rows)
                    group_rows.append((survey.partnership_id, survey.number, rater, rated))
                    group_k.append(k)
    if not group_rows:
        return out
    columns = np.array(group_rows, np.int64).T
    groups = domain.Groups(columns[0], columns[1], columns[2], columns[3])

    item_rows = list(
        Item.objects.filter(instrument__in={s.instrument_id for s in rounds}).select_related(
            "instrument"
        )
    )
    item_index = {item.pk: i for i, item in enumerate(item_rows)}
    items = [instruments.domain_item(item, item.instrument.scale_points) for item in item_rows]

    item_of = {(item.instrument_id, item.key): item_index[item.pk] for item in item_rows}
    instrument_of = {s.pk: s.instrument_id for s in rounds}
    response_col, group_col, item_col, value_col = [], [], [], []
    rows = Response.objects.filter(round__in=rounds).values_list(
        "round_id", "rater_party_id", "rated_party_id", "values"
    )
    for code, (round_id, rater, rated, values) in enumerate(rows.iterator(chunk_size=5000)):
        group = group_of.get((round_id, rater, rated))
        if group is None:
            continue
        instrument_id = instrument_of[round_id]
        for key, value in values.items():
            index = item_of.get((instrument_id, key))
            if index is not None:
                response_col.append(code)
                group_col.append(group)
                item_col.append(index)
                value_col.append(value)
    answers = domain.Answers(
        np.array(response_col, np.int64),
        np.array(group_col, np.int64),
        np.array(item_col, np.int64),
        np.array(value_col, np.int64),
    )
    scores = domain.score_trust(answers, groups, items, group_k=np.array(group_k, np.int64))
    for cell in scores.aggregates():
        out[cell.cell.partnership].cells.append(cell)
    for trend in domain.trends(scores):
        out[trend.partnership].trends.append(trend)
    for gap in domain.asymmetries(scores):
        out[gap.partnership].asymmetries.append(gap)
    for rollup in domain.rated_rollups(scores):
        out[rollup.partnership].rollups.append(rollup)
    return out


def partnership_trust(
    *,
    partnership: Partnership,
    now: datetime | None = None,
    rounds: list[SurveyRound] | None = None,
    parties: Sequence[Party] | None = None,
) -> TrustResults:
    """``rounds``: the partnership's trust rounds when the caller has them (those closed by
    ``now`` are scored); ``parties``: its parties, organization joined. Each saves a query."""
    if rounds is not None:
        at = now or timezone.now()
        rounds = sorted((r for r in rounds if r.closes_at <= at), key=lambda r: r.number)
    named = None
    if parties is not None:
        named = sorted((p.pk, p.organization.name) for p in parties)
    return trust_results(partnerships=[partnership], now=now, rounds=rounds, parties=named)[
        partnership.pk
    ]


def stage_rules(*, partnership: Partnership) -> domain.StageRules:
    row = StageSettings.objects.filter(partnership=partnership).first()
    try:
        return domain.StageRules(**(row.values if row else {}))
    except (domain.TrustError, TypeError):
        return domain.StageRules()
