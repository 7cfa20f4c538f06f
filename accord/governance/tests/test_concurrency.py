"""Two approvers at the same moment, or an approval racing a withdrawal, end in one state.

Real concurrent requests in threads, each with its own database connection. Row locks need
PostgreSQL (CI runs the suite there); SQLite serializes writers on its own.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accord.governance import services
from accord.governance.models import Outcome, Proposal, Stance
from accord.governance.tests.helpers import domain, propose
from accord.partnerships.audit import AuditEvent, verify_chain
from accord.testing.personas import build_cast

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are a PostgreSQL feature"
    ),
]
ROUNDS = 4


@pytest.fixture
def tcast(transactional_db):
    return build_cast()


def at_once(*requests):
    """Send the requests from threads released together; return their status codes."""
    barrier = threading.Barrier(len(requests))
    results: list[int] = [0] * len(requests)

    def run(i, user, url, data):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            results[i] = client.post(url, data).status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def url(name, proposal):
    return reverse(
        f"governance:{name}", kwargs={"pk": proposal.partnership_id, "proposal_id": proposal.pk}
    )


def test_two_last_approvals_at_once_decide_the_proposal_exactly_once(tcast):
    cast = tcast
    for i in range(ROUNDS):
        if i == 0:
            proposal = propose(cast, "consensus")
        else:
            proposal = services.proposal_create(
                partnership=cast.partnership, user=cast.alice, domain=domain(cast), title=f"#{i}"
            )
        approve = {"choice": "approve"}
        codes = at_once(
            (cast.alice, url("proposal_stance", proposal), approve),
            (cast.bob, url("proposal_stance", proposal), approve),
        )
        assert codes == [302, 302]
        proposal.refresh_from_db()
        assert proposal.status() == "decided", f"round {i}: both approved but not decided"
        assert Outcome.objects.filter(proposal=proposal).count() == 1
        assert Stance.objects.filter(proposal=proposal, choice="approve").count() == 2
    decided = AuditEvent.objects.filter(
        partnership=cast.partnership, action="governance.proposal_decide"
    )
    assert decided.count() == ROUNDS
    assert verify_chain(partnership_id=cast.partnership.pk) is None


def test_an_approval_racing_a_withdrawal_ends_decided_or_withdrawn_never_both(tcast):
    cast = tcast
    endings = set()
    for i in range(ROUNDS):
        if i == 0:
            proposal = propose(cast, "consensus")
        else:
            proposal = services.proposal_create(
                partnership=cast.partnership, user=cast.alice, domain=domain(cast), title=f"#{i}"
            )
        services.stance_set(proposal=proposal, user=cast.alice, choice="approve")
        at_once(
            (cast.bob, url("proposal_stance", proposal), {"choice": "approve"}),
            (cast.alice, url("proposal_withdraw", proposal), {}),
        )
        proposal = Proposal.objects.get(pk=proposal.pk)
        has_outcome = Outcome.objects.filter(proposal=proposal).exists()
        if proposal.decided_at:
            assert proposal.withdrawn_at is None
            assert has_outcome
            endings.add("decided")
        else:
            assert proposal.withdrawn_at is not None
            assert not has_outcome
            assert not Stance.objects.filter(proposal=proposal, user=cast.bob).exists()
            endings.add("withdrawn")
        assert proposal.closed_at is not None
    assert endings <= {"decided", "withdrawn"}
    assert verify_chain(partnership_id=cast.partnership.pk) is None
