"""The decision-rights page keeps its matrix, headline and joint bodies as HTML
(``kept_matrix``): every kind of change made through the app shows on the next render, and one
organization's rendering is never served to another."""

from django.urls import reverse

from accord.governance import services
from accord.governance.models import Proposal
from accord.governance.tests.helpers import domain, govern, participant, steering_committee
from accord.partnerships.models import Visibility


def _page(client, cast, user=None) -> str:
    client.force_login(user or cast.alice)
    response = client.get(reverse("governance:overview", kwargs={"pk": cast.partnership.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_a_domain_added_renamed_and_removed_shows_at_once(cast, client):
    govern(cast)
    assert "7 domains" in _page(client, cast)
    added = services.domain_add(partnership=cast.partnership, user=cast.alice, label="Data")
    assert "8 domains" in _page(client, cast)
    services.domain_rename(domain=added, user=cast.alice, label="Data sharing", description="")
    assert "Data sharing" in _page(client, cast)
    services.domain_remove(domain=added, user=cast.alice)
    page = _page(client, cast)
    assert "7 domains" in page
    assert "Data sharing" not in page


def test_a_change_of_decision_rights_shows_at_once(cast, client):
    govern(cast)
    assert "Override" not in _page(client, cast)
    services.domain_rights_override(
        domain=domain(cast),
        user=cast.alice,
        mode="independent",
        owner_party=cast.party_b,
        joint_body=None,
        reason="Birch holds the purse.",
    )
    page = _page(client, cast)
    assert "Birch holds the purse." in page
    assert "Birch Bio" in page


def test_proposals_opened_withdrawn_and_joint_body_changes_show_at_once(cast, client):
    govern(cast)
    assert "0 open proposals" in _page(client, cast)
    proposal = services.proposal_create(
        partnership=cast.partnership, user=cast.bob, domain=domain(cast), title="Raise the cap"
    )
    assert "1 open proposal" in _page(client, cast)
    services.proposal_withdraw(proposal=proposal, user=cast.bob)
    assert "0 open proposals" in _page(client, cast)

    body = steering_committee(cast)
    assert "4 members, quorum 2" in _page(client, cast)
    services.joint_body_update(
        body=body,
        user=cast.alice,
        name=body.name,
        mandate=body.mandate,
        quorum=2,
        members=[participant(cast, u) for u in (cast.alice, cast.bob)],
    )
    assert "2 members, quorum 2" in _page(client, cast)
    services.joint_body_delete(body=body, user=cast.alice)
    assert "Joint Steering Committee" not in _page(client, cast)


def test_another_partys_internal_proposal_is_its_own(cast, client):
    govern(cast)
    birch = cast.party_b
    Proposal.objects.create(
        partnership=cast.partnership,
        owner_org=birch.organization,
        visibility=Visibility.INTERNAL,
        domain=domain(cast),
        title="Birch only",
        proposer_party=birch,
        mode="consensus",
    )
    assert "0 open proposals" in _page(client, cast, cast.alice)
    assert "1 open proposal" in _page(client, cast, cast.bob)
    assert "0 open proposals" in _page(client, cast, cast.alice)


def test_a_reader_of_the_same_organization_is_not_served_the_managers_matrix(cast, client):
    govern(cast)
    assert "Rename" in _page(client, cast, cast.alice)
    assert "Rename" not in _page(client, cast, cast.oscar)
    assert "Rename" in _page(client, cast, cast.alice)
