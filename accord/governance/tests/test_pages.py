"""The pages walk a person through a decision; bad input re-renders, never a 500."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from django.urls import reverse

from accord.governance.models import Proposal
from accord.governance.tests.helpers import domain, govern, propose


def detail_url(proposal):
    return reverse(
        "governance:proposal_detail",
        kwargs={"pk": proposal.partnership_id, "proposal_id": proposal.pk},
    )


def test_a_first_visit_offers_the_setup_to_a_manager_only(cast, client):
    url = reverse("governance:overview", kwargs={"pk": cast.partnership.pk})
    client.force_login(cast.alice)
    assert "Set up governance" in client.get(url).content.decode()
    client.force_login(cast.oscar)
    assert "has not set up governance" in client.get(url).content.decode()
    client.force_login(cast.alice)
    client.post(reverse("governance:setup", kwargs={"pk": cast.partnership.pk}))
    page = client.get(url).content.decode()
    assert "Who decides what" in page
    assert "Intellectual property" in page


def test_proposing_through_the_page_opens_the_proposal(cast, client):
    govern(cast)
    client.force_login(cast.bea)
    url = reverse("governance:proposal_new", kwargs={"pk": cast.partnership.pk})
    response = client.post(url, {"domain": domain(cast).pk, "title": "Hire a CMC lead"})
    proposal = Proposal.objects.get(title="Hire a CMC lead")
    assert response["Location"] == detail_url(proposal)
    assert proposal.proposer_party == cast.party_b
    assert client.post(url, {"domain": domain(cast).pk, "title": ""}).status_code == 200


def test_a_stance_by_htmx_returns_the_decision_panel(cast, client):
    proposal = propose(cast, "consensus")
    client.force_login(cast.bob)
    url = reverse(
        "governance:proposal_stance",
        kwargs={"pk": cast.partnership.pk, "proposal_id": proposal.pk},
    )
    response = client.post(url, {"choice": "object", "reason": ""}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<div id="decision">' in body
    assert 'id="proposal-meta" hx-swap-oob="true"' in body
    assert "an objection needs a reason" in body
    response = client.post(
        url,
        {"choice": "object", "reason": "Not in this budget year."},
        headers={"HX-Request": "true"},
    )
    assert "Not in this budget year." in response.content.decode()


def test_an_objection_offers_to_open_a_conflict_with_the_details_filled_in(cast, client):
    proposal = propose(cast, "consensus")
    client.force_login(cast.bob)
    client.post(
        reverse(
            "governance:proposal_stance",
            kwargs={"pk": cast.partnership.pk, "proposal_id": proposal.pk},
        ),
        {"choice": "object", "reason": "Not in this budget year."},
    )
    client.force_login(cast.amos)
    response = client.get(detail_url(proposal))
    links = [
        part.split('"')[0]
        for part in response.content.decode().split('href="')
        if "title=" in part.split('"')[0]
    ]
    assert len(links) == 1
    query = parse_qs(urlparse(links[0].replace("&amp;", "&")).query)
    assert query["title"] == [f"Objection to “{proposal.title}”"]
    assert "Not in this budget year." in query["description"][0]
    assert query["conflict_type"] == ["resources"]


def test_deciding_too_early_shows_the_rule_on_the_page(cast, client):
    proposal = propose(cast, "consultative", owner=cast.party_a)
    client.force_login(cast.alice)
    page = client.get(detail_url(proposal)).content.decode()
    assert "Waiting for input from other parties" in page
    response = client.post(
        reverse(
            "governance:proposal_decide",
            kwargs={"pk": cast.partnership.pk, "proposal_id": proposal.pk},
        ),
        {"statement": "We go."},
    )
    assert response.status_code == 200
    assert "Waiting for input from other parties" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.decided_at is None


def test_another_partys_proposal_is_not_found_in_another_partnership(cast, client):
    from accord.testing.factories import PartnershipFactory

    proposal = propose(cast, "consensus")
    other = PartnershipFactory()
    client.force_login(cast.alice)
    url = reverse("governance:proposal_detail", kwargs={"pk": other.pk, "proposal_id": proposal.pk})
    assert client.get(url).status_code == 404
