"""The demo tells each archetype's communication story, read back through the evidence rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from accord.communication.evidence import communication_evidence
from accord.communication.models import ChangeNotice, Concern
from accord.demo.generator import load_portfolio

pytestmark = pytest.mark.django_db

ANCHOR = date(2026, 11, 30)


def totals(rows, signal, start, end):
    return sum(r.value for r in rows if r.signal == signal and start <= r.period_start < end)


def test_drifting_partnerships_talk_less_give_shorter_notice_and_leave_concerns_open():
    ctx = load_portfolio(8, seed=7, anchor=ANCHOR)
    by_archetype = {}
    for loaded in ctx.partnerships:
        by_archetype.setdefault(loaded.archetype, loaded.partnership)
    drifting, healthy = by_archetype["drifting"], by_archetype["healthy"]
    start = ANCHOR - timedelta(weeks=52)
    early, late = (start, start + timedelta(weeks=13)), (ANCHOR - timedelta(weeks=13), ANCHOR)

    drift_rows = communication_evidence([drifting.pk], start=start, end=ANCHOR)
    healthy_rows = communication_evidence([healthy.pk], start=start, end=ANCHOR)
    assert totals(drift_rows, "messages", *late) < totals(drift_rows, "messages", *early) / 2
    assert totals(healthy_rows, "messages", *late) > totals(healthy_rows, "messages", *early) / 2

    def short_share(partnership):
        notices = list(ChangeNotice.objects.filter(partnership=partnership))
        return sum(n.is_short for n in notices) / len(notices)

    assert short_share(drifting) > 0.4
    assert short_share(healthy) == 0
    open_drift = Concern.objects.filter(partnership=drifting, first_response_at__isnull=True)
    assert open_drift.exists()
    assert not Concern.objects.filter(partnership=healthy, first_response_at__isnull=True).exists()
