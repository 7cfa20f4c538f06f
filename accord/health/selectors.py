"""Reading stored health: the latest week, its history, alerts, and the inputs behind a number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from accord.domain.health import DEFAULT_WEIGHTS, GROUPS, SIGNAL_INDEX, SIGNALS, Group
from accord.health import registry
from accord.health.models import Alert, HealthScore, HealthSettings
from accord.partnerships.access import user_organization
from accord.partnerships.models import Partnership, Party

GROUP_LABELS = {
    Group.TRUST: "Trust",
    Group.BEHAVIOUR: "Behaviour",
    Group.ECONOMICS: "Economics",
    Group.GOVERNANCE: "Governance",
    Group.PERFORMANCE: "Performance",
    Group.COMMUNICATION: "Communication",
}
STATE_WORDS = {
    "circle": (
        "Vicious circle: trust and behaviour are worsening on both sides, each after the other's."
    ),
    "one_sided": "One-sided decline: one side's conduct or standing slips while the other holds.",
    "external_shock": "External shock: results fell while trust and behaviour held.",
    "low_stable": "Low but stable: the level is low, but it is not getting worse.",
    "steady": "Steady: nothing is moving beyond this partnership's usual range.",
    "unknown": "Not enough history yet to know this partnership's usual range.",
}


def weights(partnership: Partnership) -> dict[str, float]:
    row = HealthSettings.objects.filter(partnership=partnership).first()
    given = row.weights if row else {}
    return {str(g): float(given.get(str(g), DEFAULT_WEIGHTS[g])) for g in GROUPS}


def latest(partnership: Partnership) -> HealthScore | None:
    return HealthScore.objects.filter(partnership=partnership, latest=True).first()


def history(partnership: Partnership, weeks: int = 52) -> list[HealthScore]:
    """The last `weeks` weeks, oldest first, with only what the history chart draws loaded
    (the week, overall, trust, behaviour): reading another field costs a query per row."""
    rows = (
        HealthScore.objects.filter(partnership=partnership)
        .order_by("-period_start")
        .only("period_start", "overall", "trust", "behaviour")[:weeks]
    )
    return list(reversed(rows))


def alerts(partnership: Partnership, *, active_only: bool = False) -> list[Alert]:
    qs = Alert.objects.filter(partnership=partnership)
    if active_only:
        qs = qs.filter(state__in=Alert.ACTIVE)
    return list(qs.select_related("acknowledged_by", "resolved_by"))


def alert_for(partnership: Partnership, alert_id: Any) -> Alert | None:
    try:
        return Alert.objects.filter(partnership=partnership, pk=int(alert_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def party_names(partnership: Partnership) -> dict[int, str]:
    return dict(
        Party.objects.filter(partnership=partnership)
        .order_by("pk")
        .values_list("pk", "organization__name")
    )


def party_names_and_mine(user: Any, partnership: Partnership) -> tuple[dict[int, str], int | None]:
    """`party_names`, and the viewer's own party among them (`viewer_party`), in one query."""
    org = user_organization(user)
    rows = list(
        Party.objects.filter(partnership=partnership)
        .order_by("pk")
        .values_list("pk", "organization_id", "organization__name")
    )
    mine = next((pk for pk, org_id, _ in rows if org is not None and org_id == org.pk), None)
    return {pk: name for pk, _, name in rows}, mine


def viewer_party(user: Any, partnership: Partnership) -> int | None:
    org = user_organization(user)
    if org is None:
        return None
    return (
        Party.objects.filter(partnership=partnership, organization=org)
        .values_list("pk", flat=True)
        .first()
    )


@dataclass(frozen=True)
class InputRow:
    source: str
    week: Any
    signal: str
    label: str
    rule: str
    from_name: str
    to_name: str
    value: float
    weight: float


def rule_text(signal: str) -> str:
    spec = SIGNALS[SIGNAL_INDEX[signal]]
    if spec.group is None:
        return "Shown, not scored."
    best, worst = (spec.high, spec.low) if spec.higher_is_better else (spec.low, spec.high)
    return (
        f"{worst:g} scores 0, {best:g} scores 100, linear in between; counts toward {spec.group}."
    )


def inputs(
    partnership: Partnership, *, group: str | None = None, party: int | None = None, weeks: int = 13
) -> list[InputRow]:
    """The evidence rows behind the latest sub-scores (the trailing window), read from the
    registered sources for this one partnership, newest first."""
    end = timezone.localdate()
    start = end - timedelta(weeks=weeks)
    names = party_names(partnership)
    out = []
    for name in sorted(registry.SOURCES):
        for r in registry.SOURCES[name]([partnership.pk], start=start, end=end):
            spec = SIGNALS[SIGNAL_INDEX[r.signal]]
            if group and (spec.group is None or str(spec.group) != group):
                continue
            if party and party not in (r.from_party_id, r.to_party_id):
                continue
            out.append(
                InputRow(
                    name,
                    r.period_start,
                    r.signal,
                    spec.label,
                    rule_text(r.signal),
                    names.get(r.from_party_id or 0, ""),
                    names.get(r.to_party_id or 0, ""),
                    round(float(r.value), 3),
                    float(r.weight),
                )
            )
    out.sort(key=lambda row: (row.week, row.signal, row.from_name), reverse=True)
    return out
