"""The trust stage the portfolio shows is judged in the background and stored."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accord.health.models import HealthScore
from accord.portfolio.models import TrustStageSnapshot
from accord.portfolio.passes import judge_stale_stages, stale_partnerships
from accord.portfolio.tests.helpers import add_partnership
from accord.trust.evidence import judge


def test_the_pass_stores_the_stage_the_trust_tab_judges_and_then_rests(cast):
    now = timezone.now()
    assert judge_stale_stages(now) == "judged the trust stage of 1 partnership(s)"
    stored = TrustStageSnapshot.objects.get(partnership=cast.partnership)
    judgement, _collected = judge(cast.partnership)
    assert stored.stage == str(judgement.stage)
    assert stale_partnerships(now) == []


def test_a_newer_health_score_or_a_day_makes_the_stage_stale_again(cast):
    now = timezone.now()
    judge_stale_stages(now)
    other = add_partnership(cast, "Ash", overall=60.0)
    TrustStageSnapshot.objects.create(partnership=other, stage="verification", judged_at=now)
    assert stale_partnerships(now) == []
    HealthScore.objects.filter(partnership=other, latest=True).update(
        computed_at=now + timedelta(minutes=1)
    )
    assert stale_partnerships(now + timedelta(minutes=2)) == [other.pk]
    assert cast.partnership.pk in stale_partnerships(now + timedelta(days=1, seconds=1))
