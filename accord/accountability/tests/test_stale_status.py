"""A commitment's status changes from the status the person saw: an update to a commitment
whose status changed meanwhile is refused (409 in the API, a message on the page), and two
people marking it at once end in one change."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from accord.accountability import services
from accord.accountability.models import Commitment, CommitmentStatusChange
from accord.accountability.services.commitments import STATUS_CHANGED
from accord.accountability.tests.helpers import commitment
from accord.partnerships.audit import verify_chain
from accord.partnerships.stale import StaleStateError
from accord.testing.personas import build_cast
from accord.testing.races import at_once, post_as

ROUNDS = 4
NOW_AT_RISK = STATUS_CHANGED.format(status="at risk")
NOW_DONE = STATUS_CHANGED.format(status="done")


def status_url(item, api=False):
    if api:
        return f"/api/v1/partnerships/{item.partnership_id}/commitments/{item.pk}/status"
    return reverse(
        "accountability:commitment_status",
        kwargs={"pk": item.partnership_id, "commitment_id": item.pk},
    )


def test_an_update_to_a_status_that_changed_meanwhile_is_refused(cast):
    item = commitment(cast, due_on=date(2099, 1, 1))
    seen = Commitment.objects.get(pk=item.pk)
    services.commitment_set_status(commitment=item, user=cast.alice, status="at_risk")
    with pytest.raises(StaleStateError) as raised:
        services.commitment_set_status(commitment=seen, user=cast.amos, status="done")
    assert raised.value.messages == [NOW_AT_RISK]
    item.refresh_from_db()
    assert item.status == "at_risk"
    assert CommitmentStatusChange.objects.filter(commitment=item).count() == 1


def test_the_page_sends_the_status_it_showed_and_explains_a_refusal(cast, client):
    item = commitment(cast, due_on=date(2099, 1, 1))
    client.force_login(cast.amos)
    detail = reverse(
        "accountability:commitment_detail",
        kwargs={"pk": item.partnership_id, "commitment_id": item.pk},
    )
    shown = client.get(detail).content.decode()
    assert '<input type="hidden" name="expected_status" value="planned"' in shown
    services.commitment_set_status(commitment=item, user=cast.alice, status="at_risk")
    response = client.post(status_url(item), {"status": "done", "expected_status": "planned"})
    assert response.status_code == 400
    assert escape(NOW_AT_RISK) in response.content.decode()
    assert Commitment.objects.get(pk=item.pk).status == "at_risk"


def test_the_api_answers_a_stale_status_with_409(cast, client):
    item = commitment(cast, due_on=date(2099, 1, 1))
    services.commitment_set_status(commitment=item, user=cast.alice, status="done")
    client.force_login(cast.amos)
    response = client.post(
        status_url(item, api=True),
        {"status": "at_risk", "expected_status": "planned"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json() == {"detail": NOW_DONE, "code": "stale"}


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL feature")
@pytest.mark.django_db(transaction=True)
def test_two_people_marking_a_commitment_done_at_once_make_one_change():
    cast = build_cast()
    for i in range(ROUNDS):
        item = commitment(cast, title=f"Race {i}", due_on=date(2099, 1, 1))
        body = {"status": "done", "expected_status": "planned"}
        responses = at_once(
            post_as(cast.amos, status_url(item, api=True), body, json=True),
            post_as(cast.alice, status_url(item, api=True), body, json=True),
        )
        assert sorted(r.status_code for r in responses) == [200, 409], f"round {i}"
        stale = next(r for r in responses if r.status_code == 409).json()
        assert stale == {"detail": NOW_DONE, "code": "stale"}
        assert CommitmentStatusChange.objects.filter(commitment=item).count() == 1
    assert verify_chain(partnership_id=cast.partnership.pk) is None


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL feature")
@pytest.mark.django_db(transaction=True)
def test_marking_done_racing_the_missed_pass_ends_in_one_consistent_history():
    cast = build_cast()
    for i in range(ROUNDS):
        item = commitment(cast, title=f"Race {i}", due_on=date(2026, 5, 1))
        body = {"status": "done", "done_on": "2026-04-30", "expected_status": "planned"}
        response, _ = at_once(
            post_as(cast.amos, status_url(item, api=True), body, json=True),
            lambda: services.mark_missed(today=date(2026, 6, 1)),
        )
        item.refresh_from_db()
        changes = list(
            CommitmentStatusChange.objects.filter(commitment=item)
            .order_by("pk")
            .values_list("from_status", "to_status")
        )
        if response.status_code == 200:  # done first: the pass found nothing open
            assert changes == [("planned", "done")]
        else:  # missed first: the person's "done" from "planned" is stale
            assert response.status_code == 409
            assert changes == [("planned", "missed")]
        assert item.status == changes[-1][1]
    assert verify_chain(partnership_id=cast.partnership.pk) is None
