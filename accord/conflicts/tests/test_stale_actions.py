"""People act on the state they saw: an escalation from a tier the issue has left, or a
resolution of an issue closed meanwhile, is refused — 409 in the API, a message on the page —
and two escalations at once move an issue exactly one tier."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from accord.conflicts import services
from accord.conflicts.models import Issue, Principle, TierChange, TierKey
from accord.conflicts.services.messages import ISSUE_CLOSED_MEANWHILE, TIER_MOVED
from accord.partnerships.audit import verify_chain
from accord.partnerships.stale import StaleStateError
from accord.testing.personas import build_cast
from accord.testing.races import at_once, post_as

ROUNDS = 4
MOVED = TIER_MOVED.format(tier=TierKey.ALLIANCE_MANAGERS.label.lower())


def on_postgres(test):
    """A race test: real threads and row locks (PostgreSQL; CI runs the suite there too)."""
    marks = [
        pytest.mark.postgres_only,
        pytest.mark.skipif(
            connection.vendor != "postgresql", reason="row locks are a PostgreSQL feature"
        ),
        pytest.mark.django_db(transaction=True),
    ]
    for mark in marks:
        test = mark(test)
    return test


def raise_issue(cast, title="Who owns the new assay?"):
    return services.issue_raise(
        partnership=cast.partnership,
        user=cast.amos,
        title=title,
        description="Birch filed an invention disclosure on the joint assay.",
        conflict_type="ip",
    )


def api(issue, action):
    return f"/api/v1/partnerships/{issue.partnership_id}/conflicts/issues/{issue.pk}/{action}"


def page(issue, action):
    return reverse(
        f"conflicts:issue_{action}", kwargs={"pk": issue.partnership_id, "issue_id": issue.pk}
    )


def test_an_escalation_from_a_tier_the_issue_has_left_is_refused(cast):
    issue = raise_issue(cast)
    seen = Issue.objects.get(pk=issue.pk)
    services.issue_escalate(issue=issue, user=cast.bea, note="Stuck.")
    with pytest.raises(StaleStateError) as raised:
        services.issue_escalate(issue=seen, user=cast.amos, note="Stuck too.")
    assert raised.value.messages == [MOVED]
    issue.refresh_from_db()
    assert issue.tier == TierKey.ALLIANCE_MANAGERS
    assert issue.tier_changes.count() == 1


def test_the_page_carries_the_tier_it_showed_and_says_when_it_moved(cast, client):
    issue = raise_issue(cast)
    client.force_login(cast.amos)
    detail = reverse(
        "conflicts:issue_detail", kwargs={"pk": issue.partnership_id, "issue_id": issue.pk}
    )
    shown = client.get(detail).content.decode()
    assert '<input type="hidden" name="expected_tier" value="operational_leads"' in shown
    services.issue_escalate(issue=issue, user=cast.bea, note="Stuck.")  # meanwhile
    response = client.post(
        page(issue, "escalate"), {"note": "Stuck too.", "expected_tier": "operational_leads"}
    )
    assert response.status_code == 400
    refused = response.content.decode()
    assert escape(MOVED) in refused
    assert Issue.objects.get(pk=issue.pk).tier == TierKey.ALLIANCE_MANAGERS
    # The form now carries the tier the issue is at: sending it again is a deliberate choice.
    assert '<input type="hidden" name="expected_tier" value="alliance_managers"' in refused


def test_the_api_answers_a_stale_tier_with_409(cast, client):
    issue = raise_issue(cast)
    services.issue_escalate(issue=issue, user=cast.bea, note="Stuck.")
    client.force_login(cast.amos)
    body = {"note": "Stuck too.", "expected_tier": "operational_leads"}
    response = client.post(api(issue, "escalate"), body, content_type="application/json")
    assert response.status_code == 409
    assert response.json() == {"detail": MOVED, "code": "stale"}
    assert Issue.objects.get(pk=issue.pk).tier_changes.count() == 1


def test_resolving_an_issue_withdrawn_meanwhile_is_refused_as_stale(cast):
    issue = raise_issue(cast)
    seen = Issue.objects.get(pk=issue.pk)
    services.issue_withdraw(issue=issue, user=cast.amos)
    principle = Principle.objects.filter(partnership=cast.partnership).first()
    with pytest.raises(StaleStateError) as raised:
        services.issue_resolve(issue=seen, user=cast.bea, principle=principle, resolution="x")
    assert raised.value.messages == [ISSUE_CLOSED_MEANWHILE]
    issue.refresh_from_db()
    assert (issue.state, issue.resolved_at) == ("withdrawn", None)


@on_postgres
@pytest.mark.parametrize("who", ["the same person twice", "two people"])
def test_two_escalations_at_once_move_the_issue_exactly_one_tier(who):
    cast = build_cast()
    second = cast.amos if who == "the same person twice" else cast.bea
    for i in range(ROUNDS):
        issue = raise_issue(cast, title=f"Race {i}")
        body = {"note": "Stuck.", "expected_tier": "operational_leads"}
        codes = at_once(
            post_as(cast.amos, page(issue, "escalate"), body),
            post_as(second, page(issue, "escalate"), body),
        )
        assert sorted(r.status_code for r in codes) == [302, 400], f"round {i}"
        issue.refresh_from_db()
        assert issue.tier == TierKey.ALLIANCE_MANAGERS
        assert issue.tier_changes.filter(reason=TierChange.Reason.MANUAL).count() == 1
    assert verify_chain(partnership_id=cast.partnership.pk) is None


@on_postgres
def test_two_api_escalations_without_an_expected_tier_still_move_one_tier():
    """A client that sends no expected tier is taken to expect the one it found on arrival."""
    cast = build_cast()
    for i in range(ROUNDS):
        issue = raise_issue(cast, title=f"Race {i}")
        body = {"note": "Stuck."}
        responses = at_once(
            post_as(cast.amos, api(issue, "escalate"), body, json=True),
            post_as(cast.bea, api(issue, "escalate"), body, json=True),
        )
        codes = sorted(r.status_code for r in responses)
        # Both found it at the first tier (409 for the later one), or the later one arrived
        # after the first committed and legitimately escalated again (200, 200 → tier 3).
        issue.refresh_from_db()
        moved = issue.tier_changes.count()
        assert (codes, moved) in (([200, 409], 1), ([200, 200], 2)), f"round {i}"
        if codes == [200, 409]:
            stale = next(r for r in responses if r.status_code == 409).json()
            assert stale == {"detail": MOVED, "code": "stale"}


@on_postgres
def test_a_resolution_racing_a_withdrawal_ends_in_exactly_one_of_them():
    cast = build_cast()
    for i in range(ROUNDS):
        issue = raise_issue(cast, title=f"Race {i}")
        principle = Principle.objects.filter(partnership=cast.partnership).first()
        responses = at_once(
            post_as(
                cast.bea,
                api(issue, "resolve"),
                {"principle_id": principle.pk, "resolution": "Joint filing."},
                json=True,
            ),
            post_as(cast.amos, api(issue, "withdraw"), {}, json=True),
        )
        # The loser is refused either way: 409 if it read the issue while it was still open
        # (the row lock decides), 400 if the winner had already committed when it read it.
        assert sorted(r.status_code for r in responses) in ([200, 409], [200, 400]), f"round {i}"
        issue.refresh_from_db()
        assert issue.state in ("resolved", "withdrawn")
        assert (issue.resolved_at is None) != (issue.withdrawn_at is None)
    assert verify_chain(partnership_id=cast.partnership.pk) is None
