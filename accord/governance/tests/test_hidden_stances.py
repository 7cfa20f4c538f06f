"""Stances stay hidden from other parties until the proposal closes, if the partnership says so."""

from __future__ import annotations

from django.urls import reverse

from accord.governance import selectors, services
from accord.governance.tests.helpers import propose
from accord.partnerships.audit import AuditEvent


def test_with_hiding_each_party_sees_only_its_own_stances_while_open(cast):
    proposal = propose(cast, "consensus", hide=True)
    services.stance_set(proposal=proposal, user=cast.bob, choice="object", reason="Birch secret")
    services.stance_set(proposal=proposal, user=cast.alice, choice="approve")
    for_alice = selectors.stances_for(proposal=proposal, viewer=cast.alice)
    assert [s.user for s in for_alice.shown] == [cast.alice]
    assert for_alice.hidden
    assert for_alice.hidden_count == 1
    for_bob = selectors.stances_for(proposal=proposal, viewer=cast.bob)
    assert [s.user for s in for_bob.shown] == [cast.bob]


def test_hidden_stances_do_not_reach_the_page_the_api_or_the_audit_trail(cast, client):
    proposal = propose(cast, "consensus", hide=True)
    services.stance_set(proposal=proposal, user=cast.bob, choice="object", reason="Birch secret")
    client.force_login(cast.oscar)
    url = reverse(
        "governance:proposal_detail",
        kwargs={"pk": cast.partnership.pk, "proposal_id": proposal.pk},
    )
    page = client.get(url).content.decode()
    assert "Birch secret" not in page
    assert "hidden until the proposal closes" in page
    client.force_login(cast.alice)
    api = client.get(
        f"/api/v1/partnerships/{cast.partnership.pk}/governance/proposals/{proposal.pk}"
    ).json()
    assert api["stances"] == []
    assert api["hidden_stances"] == 1
    events = AuditEvent.objects.filter(action="governance.stance")
    assert all("Birch secret" not in e.summary and not e.changes for e in events)


def test_stances_are_revealed_when_the_proposal_closes(cast):
    proposal = propose(cast, "consensus", hide=True)
    services.stance_set(proposal=proposal, user=cast.bob, choice="object", reason="Birch view")
    services.proposal_withdraw(proposal=proposal, user=cast.alice)
    proposal.refresh_from_db()
    view = selectors.stances_for(proposal=proposal, viewer=cast.alice)
    assert not view.hidden
    assert [s.reason for s in view.shown] == ["Birch view"]


def test_without_hiding_everyone_sees_every_stance(cast):
    proposal = propose(cast, "consensus")
    services.stance_set(proposal=proposal, user=cast.bob, choice="object", reason="Open view")
    view = selectors.stances_for(proposal=proposal, viewer=cast.oscar)
    assert [s.reason for s in view.shown] == ["Open view"]
    assert not view.hidden
