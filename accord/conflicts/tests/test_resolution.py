"""Acting on an issue: comments, proposed resolutions, resolving under a principle, withdrawing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.conflicts import services
from accord.conflicts.models import Comment, Principle
from accord.notifications.models import Notification
from accord.partnerships.audit import AuditEvent


@pytest.fixture
def issue(cast):
    return services.issue_raise(
        partnership=cast.partnership,
        user=cast.amos,
        title="Who owns the new assay?",
        description="Birch filed an invention disclosure on the joint assay.",
        conflict_type="ip",
    )


def principle(cast, title="Joint results are jointly owned"):
    return Principle.objects.get(partnership=cast.partnership, title=title)


def test_resolution_records_the_principle_and_statement(cast, issue):
    resolved = services.issue_resolve(
        issue=issue,
        user=cast.bea,  # a Birch team member owns tier 1 for Birch
        principle=principle(cast),
        resolution="Both parties are named on the filing; Birch prosecutes it.",
    )
    assert resolved.resolved_at is not None
    assert resolved.resolved_by == cast.bea
    assert resolved.principle == principle(cast)
    assert resolved.principle_title == "Joint results are jointly owned"
    event = AuditEvent.objects.get(action="conflicts.issue_resolve")
    assert event.changes["principle"] == "Joint results are jointly owned"
    assert "operational leads" in event.summary


def test_the_principle_title_survives_the_principle_being_removed(cast, issue):
    applied = principle(cast)
    services.issue_resolve(issue=issue, user=cast.alice, principle=applied, resolution="Shared.")
    services.principle_delete(partnership=cast.partnership, user=cast.alice, principle=applied)
    issue.refresh_from_db()
    assert issue.principle is None
    assert issue.principle_title == "Joint results are jointly owned"


def test_a_resolution_needs_a_principle_and_a_statement(cast, issue):
    with pytest.raises(ValidationError) as caught:
        services.issue_resolve(issue=issue, user=cast.alice, principle=None, resolution=" ")
    assert caught.value.message_dict == {
        "principle": [services.PRINCIPLE_REQUIRED],
        "resolution": [services.RESOLUTION_REQUIRED],
    }


def test_only_tier_owners_and_managers_may_resolve(cast, issue):
    with pytest.raises(ValidationError, match="current tier's owners"):
        services.issue_resolve(
            issue=issue, user=cast.ava, principle=principle(cast), resolution="x"
        )


def test_a_resolved_issue_cannot_be_resolved_again(cast, issue):
    services.issue_resolve(issue=issue, user=cast.alice, principle=principle(cast), resolution="x")
    with pytest.raises(ValidationError, match=services.ISSUE_CLOSED):
        services.issue_resolve(
            issue=issue, user=cast.bob, principle=principle(cast), resolution="y"
        )


def test_a_principle_of_another_partnership_is_refused(cast, issue):
    from accord.testing.factories import PartnershipFactory

    other = PartnershipFactory()
    services.principles_seed(partnership=other)
    foreign = Principle.objects.filter(partnership=other).first()
    with pytest.raises(ValidationError):
        services.issue_resolve(issue=issue, user=cast.alice, principle=foreign, resolution="x")


def test_a_proposed_resolution_notifies_the_owners(cast, issue):
    Notification.objects.all().delete()
    services.issue_comment(
        issue=issue, user=cast.bea, body="Name both parties on the filing.", kind="proposal"
    )
    assert Comment.objects.get().kind == Comment.Kind.PROPOSAL
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {cast.amos.pk}


def test_observers_read_but_do_not_comment(cast, issue):
    with pytest.raises(ValidationError, match=services.NOT_A_COMMENTER):
        services.issue_comment(issue=issue, user=cast.oscar, body="Hmm.")


def test_a_sponsor_not_owning_the_tier_may_comment_but_not_propose(cast, issue):
    services.issue_comment(issue=issue, user=cast.ava, body="Keep me posted.")
    with pytest.raises(ValidationError, match="current tier's owners"):
        services.issue_comment(issue=issue, user=cast.ava, body="Do this.", kind="proposal")


def test_the_raiser_may_withdraw(cast, issue):
    services.issue_withdraw(issue=issue, user=cast.amos)
    issue.refresh_from_db()
    assert issue.state == "withdrawn"
    with pytest.raises(ValidationError, match=services.ISSUE_CLOSED):
        services.issue_withdraw(issue=issue, user=cast.amos)


def test_someone_else_may_not_withdraw(cast, issue):
    with pytest.raises(ValidationError, match=services.NOT_WITHDRAWER):
        services.issue_withdraw(issue=issue, user=cast.bea)


def test_manual_escalation_needs_a_reason(cast, issue):
    with pytest.raises(ValidationError) as caught:
        services.issue_escalate(issue=issue, user=cast.amos, note="")
    assert caught.value.message_dict == {"note": [services.REASON_REQUIRED]}


def test_resolving_on_the_page(cast, issue, client):
    client.force_login(cast.bob)
    url = reverse(
        "conflicts:issue_resolve", kwargs={"pk": cast.partnership.pk, "issue_id": issue.pk}
    )
    response = client.post(url, {"principle": principle(cast).pk, "resolution": "Joint filing."})
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert "Joint filing." in detail
    assert "Joint results are jointly owned" in detail


def test_a_bad_resolution_form_shows_its_errors(cast, issue, client):
    client.force_login(cast.bob)
    url = reverse(
        "conflicts:issue_resolve", kwargs={"pk": cast.partnership.pk, "issue_id": issue.pk}
    )
    response = client.post(url, {"principle": "999999", "resolution": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_detail_shows_the_timeline_and_the_next_deadline(cast, issue, client):
    client.force_login(cast.alice)
    services.issue_escalate(issue=issue, user=cast.amos, note="We cannot agree.")
    url = reverse(
        "conflicts:issue_detail", kwargs={"pk": cast.partnership.pk, "issue_id": issue.pk}
    )
    page = client.get(url).content.decode()
    assert "escalated it to the alliance managers" in page
    assert "We cannot agree." in page
    assert "moves to the next tier by itself" in page
