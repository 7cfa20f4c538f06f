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
        ctx = load_portfolio(8, seed=7, anchor=ANCHOR)
        services.score_partnerships([lp.partnership.pk for lp in ctx.partnerships], today=ANCHOR)
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
