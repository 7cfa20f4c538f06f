"""A stance is taken on the open proposal the person saw: if it was withdrawn or decided
meanwhile the stance is refused as stale (409 in the API, a message on the page)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from accord.governance import services
from accord.governance.models import Proposal, Stance
from accord.governance.services.messages import CLOSED_MEANWHILE, PROPOSAL_WITHDRAWN
from accord.governance.tests.helpers import domain, propose
from accord.partnerships.audit import verify_chain
from accord.partnerships.stale import StaleStateError
from accord.testing.personas import build_cast
from accord.testing.races import at_once, post_as

ROUNDS = 4
WITHDRAWN_MEANWHILE = f"{PROPOSAL_WITHDRAWN} {CLOSED_MEANWHILE}"


def api(proposal, action):
    return (
        f"/api/v1/partnerships/{proposal.partnership_id}/governance/proposals/"
        f"{proposal.pk}/{action}"
    )


def test_a_stance_on_a_proposal_withdrawn_meanwhile_is_refused_as_stale(cast):
    proposal = propose(cast, "consensus")
    seen = Proposal.objects.get(pk=proposal.pk)
    services.proposal_withdraw(proposal=proposal, user=cast.alice)
    with pytest.raises(StaleStateError) as raised:
        services.stance_set(proposal=seen, user=cast.bob, choice="approve")
    assert raised.value.messages == [WITHDRAWN_MEANWHILE]
    assert not Stance.objects.filter(proposal=proposal).exists()


def test_the_page_says_the_proposal_closed_meanwhile(cast, client, monkeypatch):
    proposal = propose(cast, "consensus")
    seen = Proposal.objects.get(pk=proposal.pk)
    services.proposal_withdraw(proposal=proposal, user=cast.alice)
    # The page read the proposal before the withdrawal committed (as in a real race).
    from accord.governance.views import proposals as views

    real = views.get_proposal
    calls = []

    def first_read_is_stale(*args, **kwargs):
        calls.append(1)
        return seen if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(views, "get_proposal", first_read_is_stale)
    client.force_login(cast.bob)
    url = reverse(
        "governance:proposal_stance",
        kwargs={"pk": proposal.partnership_id, "proposal_id": proposal.pk},
    )
    response = client.post(url, {"choice": "approve"}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert [str(m) for m in response.context["messages"]] == [WITHDRAWN_MEANWHILE]
    assert escape(WITHDRAWN_MEANWHILE) in response.content.decode()
    assert not Stance.objects.filter(proposal=proposal).exists()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL feature")
@pytest.mark.django_db(transaction=True)
def test_an_api_approval_racing_a_withdrawal_is_refused_or_recorded_never_both():
    cast = build_cast()
    outcomes = set()
    for i in range(ROUNDS):
        if i == 0:
            proposal = propose(cast, "consensus")
        else:
            proposal = services.proposal_create(
                partnership=cast.partnership, user=cast.alice, domain=domain(cast), title=f"#{i}"
            )
        responses = at_once(
            post_as(cast.bob, api(proposal, "stances"), {"choice": "approve"}, json=True),
            post_as(cast.alice, api(proposal, "withdraw"), {}, json=True),
        )
        codes = [r.status_code for r in responses]
        proposal.refresh_from_db()
        assert proposal.withdrawn_at is not None
        has_stance = Stance.objects.filter(proposal=proposal, user=cast.bob).exists()
        if codes == [200, 200]:  # the stance came first, then the withdrawal
            assert has_stance
            outcomes.add("stance, then withdrawn")
        elif codes == [409, 200]:  # both read it open; the withdrawal locked it first
            assert responses[0].json() == {"detail": WITHDRAWN_MEANWHILE, "code": "stale"}
            assert not has_stance
            outcomes.add("withdrawn, stance refused as stale")
        else:  # the stance request arrived after the withdrawal had committed
            assert codes == [400, 200], f"round {i}"
            assert responses[0].json()["detail"] == PROPOSAL_WITHDRAWN
            assert not has_stance
            outcomes.add("withdrawn, stance refused")
    assert outcomes
    assert verify_chain(partnership_id=cast.partnership.pk) is None
