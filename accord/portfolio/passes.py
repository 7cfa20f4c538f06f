"""Background judging of the trust development stage the portfolio shows.

The stage reads every capability's evidence (a dozen queries per partnership), so a page must
never judge it. This pass re-judges a partnership when its health was re-scored since (new
evidence arrived) or its stage is older than a day, and stores only the stage reached."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from accord.health.models import HealthScore
from accord.partnerships.models import Partnership
from accord.partnerships.periodic import for_each_partnership, periodic_pass
from accord.portfolio.models import TrustStageSnapshot

MAX_AGE = timedelta(days=1)


def stale_partnerships(now: datetime) -> list[int]:
    """Partnerships with no stage yet, one older than a day, or one judged before the latest
    health scoring (which runs after new evidence)."""
    scored = HealthScore.objects.filter(partnership=OuterRef("pk"), latest=True).values(
        "computed_at"
    )[:1]
    return list(
        Partnership.objects.annotate(scored_at=Subquery(scored))
        .filter(
            Q(portfolio_stage__isnull=True)
            | Q(portfolio_stage__judged_at__lt=now - MAX_AGE)
            | Q(portfolio_stage__judged_at__lt=F("scored_at"))
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def judge_stages(partnership_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Judge and store the stage of each partnership, one transaction each; returns how many."""
    from accord.trust.evidence import judge

    now = now or timezone.now()

    def work(pid: int) -> int:
        partnership = Partnership.objects.get(pk=pid)
        judgement, _collected = judge(partnership)
        TrustStageSnapshot.objects.update_or_create(
            partnership=partnership, defaults={"stage": str(judgement.stage), "judged_at": now}
        )
        return 1

    return for_each_partnership(partnership_ids, work)


@periodic_pass("portfolio.trust_stages")
def judge_stale_stages(now: datetime) -> str:
    done = judge_stages(stale_partnerships(now), now=now)
    return f"judged the trust stage of {done} partnership(s)"
