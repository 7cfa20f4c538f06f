"""The one interface through which evidence reaches the development-stage rules.

A provider is a function ``(partnership) -> Mapping[str, value]`` that returns the fields of the
domain's ``Evidence`` it knows, and nothing for those it does not. Capabilities register theirs
in their ``AppConfig.ready()``::

    from accord.trust.evidence import evidence_provider

    @evidence_provider("accountability.commitments")
    def commitments(partnership):
        return {"on_time_rates": (0.9, 0.85, 0.95), "completed_small_exchanges": 4}

Fields no provider fills stay None, and the rules that need them say "no evidence yet" —
never a made-up value. When two providers give the same field, the one registered later wins
and the page names it as the source.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from accord.domain import trust as domain
from accord.partnerships.models import Membership, Participant, Partnership

Provider = Callable[[Partnership], Mapping[str, Any]]
PROVIDERS: dict[str, Provider] = {}
EVIDENCE_FIELDS = tuple(f.name for f in dataclasses.fields(domain.Evidence))
UNKNOWN_FIELD = "Evidence provider {name} returned unknown field(s): {fields}."

# Which evidence field each rule reads, so the page can name the source of a verdict.
RULE_FIELDS: dict[domain.StageRule, str] = {
    domain.StageRule.SMALL_EXCHANGES: "completed_small_exchanges",
    domain.StageRule.COMPETENCE_TRUST: "competence_trust",
    domain.StageRule.ON_TIME_RECORD: "on_time_rates",
    domain.StageRule.REGULAR_COMMUNICATION: "longest_communication_gap_days",
    domain.StageRule.CONTRACTUAL_TRUST: "contractual_trust",
    domain.StageRule.SCOPE_GROWTH: "scope_growth",
    domain.StageRule.GOODWILL_TRUST: "goodwill_trust",
    domain.StageRule.PEOPLE_PER_PARTY: "fewest_people_per_party",
    domain.StageRule.UNITS_PER_PARTY: "fewest_units_per_party",
    domain.StageRule.STAFF_CHANGE: "trust_drop_after_staff_change",
}


def evidence_provider(name: str) -> Callable[[Provider], Provider]:
    def register(fn: Provider) -> Provider:
        PROVIDERS[name] = fn
        return fn

    return register


@dataclass(frozen=True)
class CollectedEvidence:
    evidence: domain.Evidence
    sources: dict[str, str]  # field → provider name


def collect_evidence(partnership: Partnership) -> CollectedEvidence:
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, provider in PROVIDERS.items():
        given = {k: v for k, v in dict(provider(partnership)).items() if v is not None}
        unknown = set(given) - set(EVIDENCE_FIELDS)
        if unknown:
            raise ValueError(UNKNOWN_FIELD.format(name=name, fields=", ".join(sorted(unknown))))
        values.update(given)
        sources.update(dict.fromkeys(given, name))
    return CollectedEvidence(domain.Evidence(**values), sources)


def on_seven_points(mean: float, points: int) -> float:
    """A mean on a 5-point scale mapped onto 1–7, as the domain's Evidence expects."""
    return mean if points == 7 else 1 + (mean - 1) * 6 / (points - 1)


@evidence_provider("trust.surveys")
def survey_levels(partnership: Partnership) -> dict[str, Any]:
    """Per form: the lowest mean across all directions, from the latest closed round in which
    every direction was published (a withheld direction could be the lowest one)."""
    from accord.trust.selectors import partnership_trust

    results = partnership_trust(partnership=partnership)
    out: dict[str, Any] = {}
    for form in domain.FORMS:
        for number in sorted(results.rounds, reverse=True):
            cells = [c for c in results.cells_of(number) if c.cell.form is form]
            if cells and all(isinstance(c, domain.Aggregate) for c in cells):
                points = results.rounds[number].instrument.scale_points
                lowest = min(c.mean for c in cells if isinstance(c, domain.Aggregate))
                out[f"{form}_trust"] = round(on_seven_points(lowest, points), 3)
                break
    return out


@evidence_provider("partnerships.participants")
def people_and_units(partnership: Partnership) -> dict[str, Any]:
    """Who carries the relationship: the party with fewest sponsors, alliance managers and team
    members, and with fewest distinct units among them."""
    roles = (Participant.Role.SPONSOR, Participant.Role.ALLIANCE_MANAGER, Participant.Role.MEMBER)
    parties = partnership.parties.annotate(
        people=Count(
            "organization__participants",
            filter=Q(
                organization__participants__partnership=partnership,
                organization__participants__role__in=roles,
            ),
            distinct=True,
        )
    )
    if not parties:
        return {}
    units: dict[int, set[str]] = {p.organization_id: set() for p in parties}
    for org, unit in Membership.objects.filter(
        user__participations__partnership=partnership,
        user__participations__role__in=roles,
        organization__in=units,
    ).values_list("organization_id", "unit"):
        if unit.strip():
            units[org].add(unit.strip().lower())
    return {
        "fewest_people_per_party": min(p.people for p in parties),
        "fewest_units_per_party": min(len(u) for u in units.values()),
    }


def judge(partnership: Partnership) -> tuple[domain.StageJudgement, CollectedEvidence]:
    from accord.trust.selectors import stage_rules

    collected = collect_evidence(partnership)
    return domain.judge_stage(collected.evidence, stage_rules(partnership=partnership)), collected
