"""The demo's own instrument: visible results in both partnerships, and a library of one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accord.partnerships.models import Organization, Partnership
from accord.testing.guard import DEMO_ANCHOR, load_guard_demo
from accord.trust.instrument_results import instrument_results
from accord.trust.models import Instrument

pytestmark = pytest.mark.django_db


def test_the_demo_pulse_shows_every_category_with_a_band_in_two_closed_rounds():
    load_guard_demo()
    partnerships = list(Partnership.objects.order_by("pk"))
    now = datetime(DEMO_ANCHOR.year, DEMO_ANCHOR.month, DEMO_ANCHOR.day, 13, tzinfo=UTC)
    results = instrument_results(partnerships=partnerships, key="alliance-pulse", now=now)
    bands = set()
    for partnership in partnerships:
        result = results[partnership.pk]
        assert sorted(result.rounds) == [1, 2]
        # two parties × (the other party + the partnership) × two categories, per round
        for number in (1, 2):
            cells = result.categories_of(number)
            assert len(cells) == 8
            assert all(c.band is not None and c.constructs_shown == 2 for c in cells)
            bands |= {c.band.key for c in cells}
    assert bands == {"strength", "borderline", "concern"}
    library = Instrument.objects.get(organization__isnull=False, key="alliance-pulse")
    assert library.organization == Organization.objects.get(name="Helix Therapeutics")
