"""Building portfolio rows for tests: a partnership of Alder and Birch with stored health."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.db import transaction

from accord.health.models import Alert, HealthScore
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership
from accord.portfolio.models import TrustStageSnapshot
from accord.testing.factories import PartnershipFactory, PartyFactory

WEEK = date(2026, 11, 23)
COMPUTED = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def add_partnership(
    cast,
    name: str,
    *,
    overall: float | None = None,
    trend: float | None = None,
    alerts: int = 0,
    stage: str | None = None,
    status: str = Partnership.Status.ACTIVE,
    orgs=None,
) -> Partnership:
    partnership = PartnershipFactory(name=name, status=status)
    for org in orgs if orgs is not None else (cast.org_a, cast.org_b):
        PartyFactory(partnership=partnership, organization=org)
    if overall is not None:
        HealthScore.objects.create(
            partnership=partnership,
            period_start=WEEK,
            overall=overall,
            trust=overall - 5,
            behaviour=None,
            trend=trend,
            latest=True,
            computed_at=COMPUTED,
        )
        HealthScore.objects.create(
            partnership=partnership,
            period_start=WEEK - timedelta(weeks=1),
            overall=overall - (trend or 0),
            computed_at=COMPUTED,
        )
    for i in range(alerts):
        Alert.objects.create(
            partnership=partnership,
            kind=Alert.Kind.CIRCLE,
            summary="Worsening on both sides.",
            raised_for=WEEK,
            state=Alert.State.OPEN if i % 2 == 0 else Alert.State.ACKNOWLEDGED,
        )
    if stage:
        TrustStageSnapshot.objects.create(partnership=partnership, stage=stage)
    return partnership


def joint_event(partnership: Partnership, **kwargs) -> None:
    with transaction.atomic():
        record_event(
            action="test.event", summary="Something joint", partnership=partnership, **kwargs
        )
