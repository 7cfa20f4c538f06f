"""Decision cycle time per domain and proposing party, measured by the domain function."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse

from accord.governance import selectors, services
from accord.governance.tests.helpers import domain, propose


def decide_after(cast, proposal, days, user):
    with time_machine.travel(proposal.proposed_at + timedelta(days=days)):
        services.proposal_decide(proposal=proposal, user=user, statement="Go.")


def test_cycle_times_are_grouped_by_domain_and_proposing_party(cast, client):
    first = propose(cast, "independent", owner=cast.party_a)
    decide_after(cast, first, 2, cast.alice)
    second = services.proposal_create(
        partnership=cast.partnership, user=cast.bob, domain=domain(cast), title="Second"
    )
    decide_after(cast, second, 6, cast.alice)
    third = services.proposal_create(
        partnership=cast.partnership, user=cast.bob, domain=domain(cast), title="Open"
    )
    withdrawn = services.proposal_create(
        partnership=cast.partnership, user=cast.bob, domain=domain(cast), title="Withdrawn"
    )
    services.proposal_withdraw(proposal=withdrawn, user=cast.bob)
    table = selectors.cycle_times(partnership=cast.partnership, viewer=cast.alice)
    budget = next(r for r in table.rows if r["domain"].key == "budget")
    assert budget["count"] == 2
    assert budget["median"] == 4.0
    assert budget["mean"] == 4.0
    assert budget["cells"] == [(2.0, 1), (6.0, 1)]
    assert table.party_totals == [(2.0, 1), (6.0, 1)]
    assert table.open_count == 1
    assert third.decided_at is None
    client.force_login(cast.oscar)
    page = client.get(reverse("governance:decision_speed", kwargs={"pk": cast.partnership.pk}))
    assert page.status_code == 200
    assert "Median 4.0 days" in page.content.decode()


def test_withdrawn_proposals_are_left_out(cast):
    proposal = propose(cast, "consensus")
    services.proposal_withdraw(proposal=proposal, user=cast.alice)
    table = selectors.cycle_times(partnership=cast.partnership, viewer=cast.alice)
    assert table.overall == (None, None, 0)
    assert table.open_count == 0


def test_the_api_reports_the_same_figures(cast, client):
    proposal = propose(cast, "independent", owner=cast.party_a)
    decide_after(cast, proposal, 3, cast.alice)
    client.force_login(cast.bob)
    data = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/governance/cycle-times").json()
    assert data["median_days"] == 3.0
    assert data["decisions"] == 1
    assert data["domains"][3]["by_party"][0] == {
        "party_id": cast.party_a.pk,
        "median_days": 3.0,
        "decisions": 1,
    }


def test_the_matrix_page_summary_agrees_with_the_cycle_table(cast):
    first = propose(cast, "independent", owner=cast.party_a)
    decide_after(cast, first, 2, cast.alice)
    second = services.proposal_create(
        partnership=cast.partnership, user=cast.bob, domain=domain(cast), title="Second"
    )
    decide_after(cast, second, 6, cast.alice)
    services.proposal_create(
        partnership=cast.partnership, user=cast.bob, domain=domain(cast), title="Open"
    )
    withdrawn = services.proposal_create(
        partnership=cast.partnership, user=cast.bob, domain=domain(cast), title="Withdrawn"
    )
    services.proposal_withdraw(proposal=withdrawn, user=cast.bob)
    table = selectors.cycle_times(partnership=cast.partnership, viewer=cast.alice)
    summary = selectors.proposal_summary(partnership=cast.partnership, viewer=cast.alice)
    assert summary.overall == table.overall == (4.0, 4.0, 2)
    open_ = selectors.proposals(partnership=cast.partnership, viewer=cast.alice)
    assert summary.open_count == open_.filter(closed_at__isnull=True).count() == 1
