"""With `restrict_participant_lists`, no route names another party's people (issue 10, item 4).

Walks every page and API GET that the partner persona (Bob, Birch Bio) may read, in the style of
the authorization test (same declared routes, same seeded records), with the partnership's
participant lists restricted, and asserts that none of Alder Pharma's people appear by full
name, username or e-mail. The forbidden strings are the exact names of those people, so no clock
or id can satisfy or mask the check.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.api.services import token_create
from accord.partnerships.services import partnership_update
from accord.testing.authz import declared_expectations

EXPECTATIONS = declared_expectations()
# Pages addressed to one person name that person (or, for an invitation, its sender) by design:
# a signed link greets its holder, an invitation says who sent it. Everyone else stays hidden.
NAMED_BY_DESIGN = {
    "accountability:link_commitment": "amos",  # the link is made out to Amos
    "accountability:link_monitoring": "amos",
    "communication:link_acknowledge": "amos",
    "digest_unsubscribe": "amos",  # the unsubscribe link is made out to Amos
    "invitation_accept": "alice",  # Alice sent the invitation
}
READABLE_GETS = sorted(
    key
    for key, expect in EXPECTATIONS.items()
    if expect.method == "GET" and expect.outcomes["partner"] == 200
)


def _seed_named_records(cast) -> None:
    """Records that name Alder's people, written the way users write them (so the audit trail
    names them too): a joint body, a commitment owned by Amos, an issue raised and discussed by
    Alice."""
    from datetime import timedelta

    from django.utils import timezone

    from accord.accountability.services.commitments import commitment_create
    from accord.conflicts.services.issues import issue_comment, issue_raise
    from accord.governance.selectors import governance_settings
    from accord.governance.services.bodies import joint_body_create
    from accord.governance.services.setup import governance_setup
    from accord.partnerships.models import Participant

    if governance_settings(partnership=cast.partnership) is None:
        governance_setup(partnership=cast.partnership, user=cast.alice)
    joint_body_create(
        partnership=cast.partnership,
        user=cast.alice,
        name="Steering board",
        mandate="",
        quorum=2,
        members=list(Participant.objects.filter(user__in=[cast.alice, cast.ava, cast.bob])),
    )
    commitment_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Ship the assay kit",
        owner_party=cast.party_a,
        owner=cast.amos,
        due_on=timezone.localdate() + timedelta(days=20),
    )
    issue = issue_raise(
        partnership=cast.partnership,
        user=cast.alice,
        title="Late samples",
        description="Samples arrive late.",
        conflict_type=_a_conflict_type(),
    )
    issue_comment(issue=issue, user=cast.alice, body="We need a fix by Friday.")


def _a_conflict_type() -> str:
    from accord.conflicts.models import ConflictType

    return str(ConflictType.values[0])


def _identities(users) -> set[str]:
    found = set()
    for user in users:
        found |= {user.get_full_name(), user.username, user.email}
    return {text for text in found if text}


@pytest.mark.parametrize("key", READABLE_GETS)
def test_no_route_names_another_partys_people_when_lists_are_restricted(key, cast, client):
    # Alder's alliance manager restricts the lists: the change itself is an audit event with her
    # as its actor, which Birch then reads in the activity history.
    partnership_update(
        user=cast.alice, partnership=cast.partnership, restrict_participant_lists=True
    )
    expect = EXPECTATIONS[key]
    params = expect.params(cast)
    _seed_named_records(cast)
    if key.startswith("GET "):
        _token, raw = token_create(user=cast.bob, name="restricted", days=1)
        response = client.get(
            key.split(" ", 1)[1].format(**params), headers={"Authorization": f"Bearer {raw}"}
        )
    else:
        client.force_login(cast.bob)
        response = client.get(reverse(key, kwargs=params))
    assert response.status_code == 200
    text = b"".join(response.streaming_content) if response.streaming else response.content
    content = text.decode(errors="replace")
    people = {"alice": cast.alice, "amos": cast.amos, "ava": cast.ava, "oscar": cast.oscar}
    people.pop(NAMED_BY_DESIGN.get(key, ""), None)
    hidden = _identities(people.values())
    assert {name for name in hidden if name in content} == set()
