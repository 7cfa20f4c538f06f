"""The feedback forum: a hidden name stays hidden from the other party, and under full anonymity
nobody can learn who raised a concern — through any page, API route, notification or audit
event — because nothing linking it to its author is stored."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accord.communication import services
from accord.communication.models import Concern
from accord.conflicts.models import Issue
from accord.notifications.models import Notification
from accord.partnerships.audit import AuditEvent

pytestmark = pytest.mark.django_db


def control_concern(cast):
    """A concern by someone else, raised first, so "before" and "after" show the same pages."""
    return services.concern_raise(
        partnership=cast.partnership, user=cast.bea, title="Control", body="Another concern."
    )


def everything_seen_by(client, user, cast, concern) -> str:
    """Every page and API answer about communication, activity and notifications, as one text."""
    client.force_login(user)
    pk = cast.partnership.pk
    texts = []
    for url in (
        reverse("communication:concern", args=[pk, concern.pk]),
        reverse("communication:overview", args=[pk]),
        reverse("communication:concerns", args=[pk]),
        reverse("partnership_detail", args=[pk]),
        reverse("partnership_activity", args=[pk]),
        f"/api/v1/partnerships/{pk}/communication/concerns",
        f"/api/v1/partnerships/{pk}/audit-events",
        "/api/v1/notifications",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    return "\n".join(texts)


def names_of(user) -> list[str]:
    return [user.get_full_name(), user.get_username(), user.email]


def name_counts(text: str, user) -> list[int]:
    """How often the person is named. Participant lists name everyone, so a leak shows up as a
    count that grows when the concern is raised, not as a bare presence."""
    return [text.count(name) for name in names_of(user)]


def raise_concern(cast, *, hide_name: bool):
    return services.concern_raise(
        partnership=cast.partnership,
        user=cast.amos,
        title="Decisions arrive late",
        body="We learn about **budget** decisions after they are made.",
        hide_name=hide_name,
    )


def test_a_hidden_name_is_shown_to_the_own_party_and_never_to_the_other(client, cast):
    control = control_concern(cast)
    before = name_counts(everything_seen_by(client, cast.bob, cast, control), cast.amos)
    concern = raise_concern(cast, hide_name=True)
    seen_by_partner = everything_seen_by(client, cast.bob, cast, concern)
    assert "Decisions arrive late" in seen_by_partner
    assert f"Someone at {cast.org_a.name}" in seen_by_partner
    assert name_counts(seen_by_partner, cast.amos) == before
    listed = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/communication/concerns")
    assert json.loads(listed.content)[0]["raised_by"] == f"Someone at {cast.org_a.name}"

    client.force_login(cast.alice)
    listed = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/communication/concerns")
    assert json.loads(listed.content)[0]["raised_by"] == cast.amos.get_full_name()


def test_under_full_anonymity_nothing_links_a_concern_to_its_author(client, cast):
    services.settings_update(
        partnership=cast.partnership, user=cast.alice, concerns_fully_anonymous=True
    )
    control = control_concern(cast)
    baseline = {
        viewer.pk: name_counts(everything_seen_by(client, viewer, cast, control), cast.amos)
        for viewer in (cast.alice, cast.bob, cast.amos)
    }
    concern = raise_concern(cast, hide_name=False)

    stored = Concern.objects.get(pk=concern.pk)
    assert (stored.author_id, stored.raised_by_party_id, stored.fully_anonymous) == (
        None,
        None,
        True,
    )
    event = AuditEvent.objects.filter(action="communication.concern_raise").latest("seq")
    assert (event.actor_id, event.actor_name, event.owner_org_id) == (None, "Accord", None)
    assert "Someone raised" in event.summary
    alerts = Notification.objects.filter(
        kind="communication.concern", summary__contains="Decisions"
    )
    for alert in alerts:
        assert all(name not in alert.summary for name in names_of(cast.amos))
    # Every alliance manager is told, so the recipient list gives no party away.
    recipients = set(alerts.values_list("recipient", flat=True))
    assert recipients == {cast.alice.pk, cast.bob.pk}

    for viewer in (cast.alice, cast.bob, cast.amos):
        seen = everything_seen_by(client, viewer, cast, concern)
        assert "Decisions arrive late" in seen
        assert f"Someone at {cast.org_a.name}" not in seen
        assert name_counts(seen, cast.amos) == baseline[viewer.pk]


def test_responses_time_the_first_answer_and_a_concern_becomes_an_issue_in_one_step(client, cast):
    concern = raise_concern(cast, hide_name=True)
    services.concern_respond(concern=concern, user=cast.alice, body="Own side: noted.")
    concern.refresh_from_db()
    assert concern.first_response_at is None  # the raiser's own party does not count
    reply = services.concern_respond(concern=concern, user=cast.bob, body="We will send drafts.")
    concern.refresh_from_db()
    assert concern.first_response_at == reply.created_at

    client.force_login(cast.bob)
    response = client.post(
        reverse("communication:concern_issue", args=[cast.partnership.pk, concern.pk]),
        {"conflict_type": "relationship"},
    )
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "conflicts:issue_detail", args=[cast.partnership.pk, issue.pk]
    )
    assert (issue.title, issue.created_by_id) == ("Decisions arrive late", cast.bob.pk)
    concern.refresh_from_db()
    assert concern.conflict_issue_id == issue.pk


def test_a_closed_concern_takes_no_more_responses(cast):
    concern = raise_concern(cast, hide_name=False)
    services.concern_close(concern=concern, user=cast.bob)
    with pytest.raises(services.ValidationError, match="closed"):
        services.concern_respond(concern=concern, user=cast.bob, body="Late reply")
