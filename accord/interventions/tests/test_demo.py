"""The demo gives every partnership traceable objectives and each recovering partnership the
intervention of its story, walkable from its page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from accord.demo.generator import load_portfolio
from accord.interventions import selectors
from accord.interventions.models import Intervention, Item, Objective

pytestmark = pytest.mark.django_db

ANCHOR = date(2026, 11, 30)


def test_demo_objectives_link_evidence_and_the_recovering_intervention_is_complete(client):
    ctx = load_portfolio(8, seed=7, anchor=ANCHOR)
    for loaded in ctx.partnerships:
        objectives = Objective.objects.filter(partnership=loaded.partnership)
        assert objectives.count() == len(loaded.partnership.objective_list())
        assert any(o.metrics.exists() or o.commitments.exists() for o in objectives)
    recovering = [lp for lp in ctx.partnerships if lp.archetype == "recovering"]
    assert recovering
    for loaded in recovering:
        intervention = Intervention.objects.get(partnership=loaded.partnership)
        assert intervention.revealed_at is not None
        assert intervention.submissions.count() == len(loaded.parties)
        assert intervention.plan_commitments.count() == len(loaded.parties)
        assert intervention.followup_round is not None
        assert Item.objects.filter(
            submission__intervention=intervention, acknowledged_at__isnull=False
        ).exists()
        assert (intervention.closed_at is None) == (loaded.partnership.status == "intervention")
        manager = next(p.user for p in loaded.participants if p.role == "alliance_manager")
        timeline = selectors.merged_timeline(intervention=intervention, viewer=manager)
        assert {e.divergence for e in timeline if e.divergence} >= {"only this side recorded it"}
        assert any(e.source == "Records" for e in timeline)
        client.force_login(manager)
        url = reverse(
            "interventions:detail",
            kwargs={"pk": loaded.partnership.pk, "intervention_id": intervention.pk},
        )
        assert client.get(url).status_code == 200
    assert not Intervention.objects.exclude(
        partnership__in=[lp.partnership for lp in recovering]
    ).exists()
