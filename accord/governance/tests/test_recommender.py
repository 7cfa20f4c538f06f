"""Each party scores itself; people accept the recommendation or override it with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.domain import decision_rights as dr
from accord.governance import selectors, services
from accord.governance.models import DecisionDomain
from accord.governance.tests.helpers import domain, govern, steering_committee
from accord.partnerships.audit import AuditEvent


def score(cast, user, party, d, e, r, risk, strat):
    return services.domain_scores_set(
        domain=d,
        user=user,
        party=party,
        expertise=e,
        resources=r,
        risk_exposure=risk,
        strategic_importance=strat,
    )


def test_setup_seeds_the_starter_domains_in_consensus(cast):
    govern(cast)
    rows = list(selectors.domains(partnership=cast.partnership))
    assert [d.key for d in rows] == [t.key for t in dr.STARTER_DOMAINS]
    assert {d.mode for d in rows} == {"consensus"}
    with pytest.raises(ValidationError):
        govern(cast)


def test_a_party_scores_only_itself(cast):
    govern(cast)
    with pytest.raises(ValidationError) as caught:
        score(cast, cast.alice, cast.party_b, domain(cast), 1, 1, 1, 1)
    assert services.SCORES_OWN_PARTY_ONLY in caught.value.messages


def test_scores_outside_zero_to_five_are_refused(cast):
    govern(cast)
    with pytest.raises(ValidationError) as caught:
        score(cast, cast.alice, cast.party_a, domain(cast), 6, 1, 1, 1)
    assert dr.SCORE_OUT_OF_RANGE in caught.value.messages


def test_the_recommendation_waits_for_every_party_then_explains_itself(cast):
    govern(cast)
    d = domain(cast, "research_direction")
    score(cast, cast.alice, cast.party_a, d, 5, 5, 3, 4)
    assert selectors.domain_recommendation(domain=d) is None
    score(cast, cast.bob, cast.party_b, d, 1, 1, 1, 2)
    rec = selectors.domain_recommendation(domain=d)
    expected = dr.recommend(
        dr.DomainAssessment(
            d.label,
            (
                dr.PartyScores("Alder Pharma", 5, 5, 3, 4),
                dr.PartyScores("Birch Bio", 1, 1, 1, 2),
            ),
        )
    )
    assert rec.mode == expected.mode.value == "independent"
    assert rec.owner_party == cast.party_a
    assert rec.reasoning == expected.reasoning
    assert "Alder Pharma" in rec.reasoning


def test_accepting_sets_the_mode_and_owner_and_records_the_rule(cast):
    govern(cast)
    d = domain(cast, "research_direction")
    score(cast, cast.alice, cast.party_a, d, 5, 5, 3, 4)
    score(cast, cast.bob, cast.party_b, d, 1, 1, 1, 2)
    services.domain_rights_accept(domain=d, user=cast.bob)
    d.refresh_from_db()
    assert (d.mode, d.owner_party, d.basis) == ("independent", cast.party_a, "recommended")
    assert d.recommended_rule == dr.Rule.INDEPENDENT_DOMINANT.value
    event = AuditEvent.objects.get(action="governance.rights_accept")
    assert event.changes["recommended"]["rule"] == dr.Rule.INDEPENDENT_DOMINANT.value


def test_a_delegated_recommendation_needs_a_joint_body(cast):
    govern(cast)
    d = domain(cast, "staffing")
    services.domain_flags_set(
        domain=d, user=cast.alice, frequent_operational_choices=True, has_joint_team=True
    )
    score(cast, cast.alice, cast.party_a, d, 3, 3, 3, 3)
    score(cast, cast.bob, cast.party_b, d, 3, 3, 3, 3)
    with pytest.raises(ValidationError):
        services.domain_rights_accept(domain=d, user=cast.alice)
    body = steering_committee(cast)
    services.domain_rights_accept(domain=d, user=cast.alice, joint_body=body)
    d.refresh_from_db()
    assert (d.mode, d.joint_body) == ("delegated", body)


def test_an_override_needs_a_reason_and_is_recorded(cast):
    govern(cast)
    d = domain(cast, "ip")
    with pytest.raises(ValidationError) as caught:
        services.domain_rights_override(
            domain=d,
            user=cast.alice,
            mode="independent",
            owner_party=cast.party_a,
            joint_body=None,
            reason=" ",
        )
    assert services.OVERRIDE_REASON_REQUIRED in caught.value.messages
    services.domain_rights_override(
        domain=d,
        user=cast.alice,
        mode="independent",
        owner_party=cast.party_a,
        joint_body=None,
        reason="Alder owns the platform patents.",
    )
    d.refresh_from_db()
    assert (d.basis, d.override_reason) == ("overridden", "Alder owns the platform patents.")
    event = AuditEvent.objects.get(action="governance.rights_override")
    assert event.changes["reason"] == "Alder owns the platform patents."
    assert event.changes["before"]["mode"] == "consensus"
    assert "Alder owns the platform patents." in event.summary


def test_an_independent_override_needs_an_owner(cast):
    govern(cast)
    with pytest.raises(ValidationError) as caught:
        services.domain_rights_override(
            domain=domain(cast),
            user=cast.alice,
            mode="independent",
            owner_party=None,
            joint_body=None,
            reason="Because.",
        )
    assert services.OWNER_REQUIRED in caught.value.messages


def test_the_override_page_rerenders_without_a_reason(cast, client):
    govern(cast)
    d = domain(cast)
    client.force_login(cast.alice)
    url = reverse(
        "governance:domain_override", kwargs={"pk": cast.partnership.pk, "domain_id": d.pk}
    )
    response = client.post(url, {"mode": "consensus", "reason": ""})
    assert response.status_code == 200
    assert services.OVERRIDE_REASON_REQUIRED in response.content.decode()


def test_scores_posted_by_htmx_return_the_domain_row(cast, client):
    govern(cast)
    d = domain(cast)
    client.force_login(cast.alice)
    url = reverse("governance:domain_scores", kwargs={"pk": cast.partnership.pk, "domain_id": d.pk})
    data = {
        f"d{d.pk}-expertise": 4,
        f"d{d.pk}-resources": 4,
        f"d{d.pk}-risk_exposure": 9,
        f"d{d.pk}-strategic_importance": 2,
    }
    response = client.post(url, data, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<section")
    assert dr.SCORE_OUT_OF_RANGE in body
    data[f"d{d.pk}-risk_exposure"] = 2
    client.post(url, data, headers={"HX-Request": "true"})
    assert d.scores.get().risk_exposure == 2


def test_domains_are_added_renamed_and_removed(cast):
    govern(cast)
    added = services.domain_add(partnership=cast.partnership, user=cast.bob, label="Regulatory")
    assert added.key == "regulatory"
    assert added.mode == "consensus"
    with pytest.raises(ValidationError):
        services.domain_add(partnership=cast.partnership, user=cast.bob, label="regulatory")
    services.domain_rename(domain=added, user=cast.bob, label="Regulatory strategy", description="")
    services.domain_remove(domain=added, user=cast.alice)
    assert not DecisionDomain.objects.filter(pk=added.pk).exists()


def test_a_domain_with_decisions_is_archived_not_deleted(cast):
    from accord.governance.tests.helpers import propose

    proposal = propose(cast, "independent", owner=cast.party_a)
    with pytest.raises(ValidationError):
        services.domain_remove(domain=proposal.domain, user=cast.alice)
    services.proposal_decide(proposal=proposal, user=cast.alice, statement="Done.")
    services.domain_remove(domain=proposal.domain, user=cast.alice)
    proposal.domain.refresh_from_db()
    assert proposal.domain.archived_at is not None
    assert proposal.domain not in selectors.domains(partnership=cast.partnership)
