"""Internal records of one organization are invisible to the other party everywhere."""

from datetime import UTC, datetime

import time_machine

from accord.accountability import selectors
from accord.accountability.tests.helpers import action, commitment, review


def test_an_internal_commitment_is_hidden_from_the_other_party_on_pages_and_api(cast, client):
    secret = commitment(cast, title="Internal: prepare fallback supplier", visibility="internal")
    commitment(cast, title="Joint: ship batch 7")
    base = f"/partnerships/{cast.partnership.pk}/accountability"
    client.force_login(cast.bob)
    listing = client.get(f"{base}/commitments/").content.decode()
    assert "Joint: ship batch 7" in listing
    assert "fallback supplier" not in listing
    assert client.get(f"{base}/commitments/{secret.pk}/").status_code == 404
    api = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/commitments")
    assert [c["title"] for c in api.json()["items"]] == ["Joint: ship batch 7"]
    assert (
        client.get(
            f"/api/v1/partnerships/{cast.partnership.pk}/commitments/{secret.pk}"
        ).status_code
        == 404
    )
    client.force_login(cast.oscar)  # Alder's observer reads Alder's internal records
    assert client.get(f"{base}/commitments/{secret.pk}/").status_code == 200


def test_a_joint_reviews_agenda_never_carries_internal_records(cast):
    when = datetime(2026, 6, 15, 9, tzinfo=UTC)
    commitment(cast, title="Internal prep", visibility="internal")
    commitment(cast, title="Joint milestone")
    action(cast, title="Internal follow-up", visibility="internal")
    joint = review(cast, when=when)
    internal = review(cast, when=when, visibility="internal", title="Alder prep")
    joint_agenda = selectors.review_agenda(review=joint, viewer=cast.alice)
    assert [c.title for c in joint_agenda.commitments] == ["Joint milestone"]
    assert joint_agenda.actions == []
    prep = selectors.review_agenda(review=internal, viewer=cast.alice)
    assert {c.title for c in prep.commitments} == {"Internal prep", "Joint milestone"}
    assert [a.title for a in prep.actions] == ["Internal follow-up"]


def test_an_internal_review_and_its_actions_are_hidden_from_the_partner(cast, client):
    prep = review(cast, visibility="internal", title="Alder prep")
    action(cast, review=prep, visibility="internal", title="Brief the sponsor")
    base = f"/partnerships/{cast.partnership.pk}/accountability"
    client.force_login(cast.bob)
    assert client.get(f"{base}/reviews/{prep.pk}/").status_code == 404
    assert "Brief the sponsor" not in client.get(f"{base}/actions/").content.decode()
    assert (
        client.get(f"/api/v1/partnerships/{cast.partnership.pk}/review-actions").json()["count"]
        == 0
    )


@time_machine.travel("2026-06-20 09:00Z", tick=False)
def test_the_overview_shows_the_partner_nothing_internal(cast, client):
    commitment(cast, title="Internal: renegotiate", visibility="internal", status="at_risk")
    client.force_login(cast.bob)
    body = client.get(f"/partnerships/{cast.partnership.pk}/accountability/").content.decode()
    assert "renegotiate" not in body
