"""Joint bodies have members from several parties and a quorum they can reach."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accord.governance import services
from accord.governance.tests.helpers import govern, participant, set_mode, steering_committee


def create(cast, members, quorum=1, name="Board"):
    return services.joint_body_create(
        partnership=cast.partnership,
        user=cast.alice,
        name=name,
        mandate="",
        quorum=quorum,
        members=[participant(cast, u) for u in members],
    )


def test_a_body_needs_members_from_two_parties(cast):
    govern(cast)
    with pytest.raises(ValidationError) as caught:
        create(cast, [cast.alice, cast.amos])
    assert services.BODY_MEMBERS_PARTIES in caught.value.messages


def test_a_quorum_above_the_member_count_is_refused(cast):
    govern(cast)
    with pytest.raises(ValidationError) as caught:
        create(cast, [cast.alice, cast.bob], quorum=3)
    assert services.BODY_QUORUM_TOO_HIGH in caught.value.messages


def test_observers_and_facilitators_cannot_sit_on_a_body(cast):
    govern(cast)
    with pytest.raises(ValidationError) as caught:
        create(cast, [cast.oscar, cast.bob])
    assert services.BODY_MEMBERS_NOT_HERE in caught.value.messages
    with pytest.raises(ValidationError):
        create(cast, [cast.fiona, cast.bob, cast.alice])


def test_a_body_deciding_a_domain_cannot_be_dissolved(cast):
    govern(cast)
    body = steering_committee(cast)
    set_mode(cast, "delegated")
    with pytest.raises(ValidationError) as caught:
        services.joint_body_delete(body=body, user=cast.alice)
    assert services.BODY_IN_USE in caught.value.messages


def test_a_body_is_updated_with_new_members(cast):
    govern(cast)
    body = steering_committee(cast)
    services.joint_body_update(
        body=body,
        user=cast.bob,
        name="Steering Committee",
        mandate="All operations.",
        quorum=2,
        members=[participant(cast, cast.ava), participant(cast, cast.bob)],
    )
    body.refresh_from_db()
    assert body.name == "Steering Committee"
    assert {m.participant.user for m in body.memberships.all()} == {cast.ava, cast.bob}
