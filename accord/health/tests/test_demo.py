"""The demo portfolio through the registry: the trust stage reads every rule's evidence, healthy
partnerships reach reinforcement or expansion, and steady archetypes raise no alert."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from accord.demo.generator import load_portfolio
from accord.domain.trust import RuleStatus, Stage, StageRule
from accord.health import services
from accord.health.models import Alert, HealthScore
from accord.trust.evidence import judge

ANCHOR = date(2026, 11, 25)


@pytest.fixture
def demo(db):
    with time_machine.travel(ANCHOR):
        ctx = load_portfolio(8, seed=7, anchor=ANCHOR)  # scores them too (accord/health/demo.py)
        yield ctx


def test_healthy_partnerships_reach_reinforcement_or_expansion_on_registry_evidence(demo):
    for lp in demo.partnerships:
        if lp.archetype != "healthy":
            continue
        judgement, collected = judge(lp.partnership)
        assert judgement.stage in (Stage.REINFORCEMENT, Stage.EXPANSION), lp.partnership.name
        assert collected.sources["on_time_rates"] == "health.registry"
        assert collected.sources["completed_small_exchanges"] == "health.registry"
        rules = {r.rule: r.status for r in judgement.rules}
        assert rules[StageRule.ON_TIME_RECORD] is RuleStatus.HOLDS
        assert rules[StageRule.SMALL_EXCHANGES] is RuleStatus.HOLDS
        assert rules[StageRule.REGULAR_COMMUNICATION] is not RuleStatus.NO_EVIDENCE


def test_every_demo_partnership_is_scored_and_steady_archetypes_raise_no_alert(demo):
    for lp in demo.partnerships:
        latest = HealthScore.objects.get(partnership=lp.partnership, latest=True)
        assert latest.overall is not None
        assert latest.trust is not None
        assert latest.behaviour is not None
        if lp.archetype in ("healthy", "transactional"):
            assert not Alert.objects.filter(partnership=lp.partnership).exists(), lp.archetype


# The detector on the real demo: the stories run through trust rounds, commitments, notices,
# replies and metrics (each app's demo.py); scoring replays the demo's history once.
REVIEW_DAYS = 28


def _is_red(value: float, direction: str, red: float) -> bool:
    return value < red if direction == "higher" else value > red


def first_red_month(partnership) -> date | None:  # type: ignore[no-untyped-def]
    """The first month in which a joint business metric (relationship metrics left out: they
    measure the relationship the detector reads) is red by its own thresholds."""
    from accord.performance.models import Observation

    months = [
        o.period
        for o in Observation.objects.filter(
            metric__partnership=partnership, metric__visibility="joint"
        )
        .exclude(metric__category="relationship")
        .select_related("metric")
        if _is_red(o.value, o.metric.direction, o.metric.red_threshold)
    ]
    return min(months) if months else None


def detector_report(demo) -> dict[str, list[tuple[str, int | None, int, bool]]]:  # type: ignore[no-untyped-def]
    """Per archetype and partnership: lead time in reviews (None: no alert or no red metric),
    alerts raised, and whether the last one was cleared by recovery."""
    from accord.performance.demo import BAD_QUARTER

    out: dict[str, list[tuple[str, int | None, int, bool]]] = {}
    for lp in demo.partnerships:
        story = lp.archetype
        if story == "healthy" and lp.partnership.name in BAD_QUARTER:
            story = "healthy_bad_quarter"
        alerts = list(Alert.objects.filter(partnership=lp.partnership).order_by("raised_for"))
        red = first_red_month(lp.partnership)
        lead = None
        if alerts and red is not None and story == "drifting":
            lead = (red - alerts[0].raised_for).days // REVIEW_DAYS
        cleared = bool(alerts) and alerts[-1].state == Alert.State.CLEARED
        out.setdefault(story, []).append((lp.partnership.name, lead, len(alerts), cleared))
    return out


def test_the_detector_warns_drifting_early_stays_quiet_on_steady_ones_and_clears_recovery(
    demo, capsys
):
    report = detector_report(demo)
    with capsys.disabled():
        print("\nDetector on the 8-partnership demo (seed 7): lead in 4-week reviews, alerts")
        for story, rows in sorted(report.items()):
            for name, lead, alerts, cleared in rows:
                state = "cleared by recovery" if cleared else "open" if alerts else "none"
                print(f"  {story:20} {name:36} lead={lead} alerts={alerts} last={state}")
    for _name, lead, _alerts, _cleared in report["drifting"]:
        assert lead is not None
        assert lead >= 2
    for story in ("healthy", "healthy_bad_quarter", "transactional"):
        assert all(alerts == 0 for _n, _l, alerts, _c in report[story]), story
    for _name, _lead, alerts, cleared in report["recovering"]:
        assert alerts >= 1
        assert cleared

    # the replayed past: each cleared alert audited once opened and once cleared
    from accord.partnerships.audit import AuditEvent

    for alert in Alert.objects.filter(state=Alert.State.CLEARED):
        actions = list(
            AuditEvent.objects.filter(
                target_type="health.alert", target_id=str(alert.pk), action__startswith="health."
            )
            .order_by("pk")
            .values_list("action", flat=True)
        )
        assert actions == ["health.alert_opened", "health.alert_cleared"]


def test_ledgers_review_actions_and_key_people_reach_the_registry(demo):
    from accord.health.registry import collect
    from accord.health.sources import economics_evidence

    ids = [lp.partnership.pk for lp in demo.partnerships]
    start, _end = services.horizon(ANCHOR)
    with time_machine.travel(ANCHOR):
        rows = [row for _name, row in collect(ids, start=start, end=ANCHOR)]
    signals = {row.signal for row in rows}
    assert {"proportionality", "hostage_balance", "loop_closure", "participant_turnover"} <= signals
    for row in rows:
        if row.signal in ("proportionality", "hostage_balance", "loop_closure"):
            assert 0.0 <= row.value <= 1.0
    latest = HealthScore.objects.filter(partnership_id__in=ids, latest=True)
    assert all(score.economics is not None for score in latest)
    # a partnership with no ledger entries has no economics evidence, not a zero
    assert economics_evidence([max(ids) + 1000], start=start, end=ANCHOR) == []
