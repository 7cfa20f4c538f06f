"""Signed single-action links on governance notifications: answering a consultation and taking
a consensus stance from the e-mail — once, before expiry, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accord.accountability import links
from accord.governance.models import InputRequest, Stance
from accord.governance.tests.helpers import propose
from accord.notifications.models import Notification

pytestmark = pytest.mark.django_db


def link_for(kind, recipient):
    return Notification.objects.get(kind=kind, recipient=recipient).url


def test_a_consultation_link_gives_the_party_s_input_once(cast, client):
    proposal = propose(cast, "consultative", owner=cast.party_a)
    url = link_for("governance.input_requested", cast.bob)
    assert url.startswith(f"/partnerships/{cast.partnership.pk}/communication/act/consultation/")
    assert client.get(url).status_code == 200
    assert InputRequest.objects.get(proposal=proposal).answered_at is None
    empty = client.post(url, {"answer": "  "})
    assert empty.status_code == 400  # refused by the governance rule; the link stays usable
    done = client.post(url, {"answer": "Fine with us if the pilot results hold."})
    assert done.status_code == 200
    request = InputRequest.objects.get(proposal=proposal)
    assert (request.answer, request.answered_by) == (
        "Fine with us if the pilot results hold.",
        cast.bob,
    )
    assert client.post(url, {"answer": "Changed our mind."}).status_code == 410
    assert InputRequest.objects.get(proposal=proposal).answer.startswith("Fine with us")


def test_a_stance_link_approves_once_and_expires(cast, client):
    proposal = propose(cast, "consensus")
    url = link_for("governance.approval_needed", cast.bob)
    with time_machine.travel(datetime.now(tz=UTC) + timedelta(days=links.MAX_AGE_DAYS, hours=1)):
        assert client.post(url, {"choice": "approve"}).status_code == 410
    assert not Stance.objects.exists()
    assert client.post(url, {"choice": "approve"}).status_code == 200
    stance = Stance.objects.get(proposal=proposal)
    assert (stance.user, stance.choice) == (cast.bob, "approve")
    assert client.post(url, {"choice": "object", "reason": "No."}).status_code == 410


def test_an_objection_from_a_link_needs_its_reason(cast, client):
    propose(cast, "consensus")
    url = link_for("governance.approval_needed", cast.bob)
    assert client.post(url, {"choice": "object"}).status_code == 400
    assert not Stance.objects.exists()
    assert (
        client.post(url, {"choice": "object", "reason": "Budget is not agreed."}).status_code == 200
    )


def test_a_stance_link_grants_nothing_else(cast, client):
    proposal = propose(cast, "consensus")
    token = links.make_token(links.CONSENSUS_STANCE, proposal.pk, cast.bob)
    pk = cast.partnership.pk
    # Not a consultation answer, not a notice acknowledgement: other purposes refuse it.
    for name in ("communication:link_consultation", "communication:link_acknowledge"):
        assert client.post(reverse(name, kwargs={"pk": pk, "token": token})).status_code == 400
    # Not a sign-in: the governance pages still ask to log in after using it.
    client.post(
        reverse("communication:link_stance", kwargs={"pk": pk, "token": token}),
        {"choice": "approve"},
    )
    assert client.get(reverse("governance:overview", args=[pk])).status_code == 302


def test_a_conflict_link_lets_a_tier_owner_respond_once(cast, client):
    from accord.conflicts.models import Comment
    from accord.conflicts.services import issue_raise

    issue = issue_raise(
        partnership=cast.partnership,
        user=cast.amos,
        title="Late samples",
        description="Samples arrive a week late.",
        conflict_type="timing",
    )
    alerts = Notification.objects.filter(kind="conflicts.raised")
    linked = {a.recipient for a in alerts if "/communication/act/conflict/" in a.url}
    assert cast.amos not in linked  # the raiser is not asked to respond to their own issue
    assert linked  # the operational leads are
    holder = sorted(linked, key=lambda u: u.pk)[0]
    url = alerts.get(recipient=holder).url
    assert client.post(url, {"body": ""}).status_code == 400
    assert client.post(url, {"body": "We will ship by courier from Monday."}).status_code == 200
    comment = Comment.objects.get(issue=issue)
    assert (comment.author, comment.body) == (holder, "We will ship by courier from Monday.")
    assert client.post(url, {"body": "Again"}).status_code == 410
    assert Comment.objects.filter(issue=issue).count() == 1
