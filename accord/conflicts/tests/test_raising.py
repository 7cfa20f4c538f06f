"""Raising an issue: the public service, the form with its prefill and principles."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.conflicts import services
from accord.conflicts.models import Issue, TierKey
from accord.notifications.models import Notification
from accord.partnerships.audit import AuditEvent
from accord.partnerships.models import Invitation


def raise_issue(cast, **overrides):
    values = dict(
        partnership=cast.partnership,
        user=cast.amos,
        title="Scope creep on the toxicology package",
        description="Three extra studies were requested without a change request.",
        conflict_type="scope",
    )
    values.update(overrides)
    return services.issue_raise(**values)


def test_an_issue_starts_with_the_operational_leads(cast):
    issue = raise_issue(cast)
    assert issue.tier == TierKey.OPERATIONAL_LEADS
    assert issue.owner_org == cast.org_a
    assert issue.is_open
    assert issue.tier_entered_at == issue.created_at
    assert not issue.tier_changes.exists()  # raising is not a climb
    assert AuditEvent.objects.filter(action="conflicts.issue_raise", target_id=str(issue.pk))


def test_raising_tells_the_first_tiers_owners_on_both_sides(cast):
    raise_issue(cast)
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {cast.bea.pk}  # team members own tier 1; Amos raised it himself


def test_the_issue_links_back_to_the_record_it_came_from(cast):
    source = Invitation.objects.create(
        kind="party",
        email="x@y.test",
        organization_name="X",
        partnership=cast.partnership,
        token_hash="h" * 64,
        created_by=cast.alice,
        expires_at="2030-01-01T00:00:00Z",
    )
    issue = raise_issue(cast, source=source)
    issue = Issue.objects.get(pk=issue.pk)
    assert issue.source_type == ContentType.objects.get_for_model(Invitation)
    assert issue.source == source


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", services.TITLE_REQUIRED),
        ({"title": "x" * 201}, "title", services.TITLE_TOO_LONG),
        ({"description": ""}, "description", services.DESCRIPTION_REQUIRED),
        ({"conflict_type": "gossip"}, "conflict_type", None),
        ({"visibility": "public"}, "visibility", services.BAD_VISIBILITY),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(cast, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        raise_issue(cast, **overrides)
    assert field in caught.value.message_dict
    if message:
        assert caught.value.message_dict[field] == [message]
    assert not Issue.objects.exists()


def test_a_source_from_another_partnership_is_refused(cast):
    from accord.testing.factories import PartnershipFactory

    other = PartnershipFactory()
    with pytest.raises(ValidationError) as caught:
        raise_issue(cast, source=other.invitations.model(partnership=other, pk=99))
    assert caught.value.message_dict["source"] == [services.SOURCE_OTHER_PARTNERSHIP]


def test_observers_and_facilitators_cannot_raise_issues(cast):
    for person in (cast.oscar, cast.fiona, cast.olga):
        with pytest.raises(ValidationError, match="Only sponsors"):
            raise_issue(cast, user=person)


def test_the_form_is_prefilled_from_the_query(cast, client):
    client.force_login(cast.bob)
    url = reverse("conflicts:issue_new", kwargs={"pk": cast.partnership.pk})
    response = client.get(
        url,
        {
            "title": "Objection to the budget",
            "description": "See proposal 4",
            "conflict_type": "commercial",
        },
    )
    page = response.content.decode()
    assert 'value="Objection to the budget"' in page
    assert "See proposal 4" in page
    assert '<option value="commercial" selected>' in page
    assert "Proportionate returns" in page  # the commercial principles are shown at once


def test_choosing_a_type_shows_its_principles(cast, client):
    client.force_login(cast.amos)
    url = reverse("conflicts:principles_for_type", kwargs={"pk": cast.partnership.pk})
    page = client.get(url, {"conflict_type": "ip"}, headers={"HX-Request": "true"}).content.decode()
    assert "Background stays with its owner" in page
    assert "Facts before positions" in page  # principles for any type
    assert "Proportionate returns" not in page
    assert "<html" not in page  # a partial


def test_posting_the_form_raises_and_redirects(cast, client):
    client.force_login(cast.bea)
    url = reverse("conflicts:issue_new", kwargs={"pk": cast.partnership.pk})
    response = client.post(
        url,
        {
            "title": "Samples arrived thawed",
            "description": "Shipment 7 arrived above −20 °C.",
            "conflict_type": "quality",
            "visibility": "joint",
        },
    )
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response.url == reverse(
        "conflicts:issue_detail", kwargs={"pk": cast.partnership.pk, "issue_id": issue.pk}
    )
    assert issue.owner_org == cast.org_b


def test_an_invalid_form_re_renders_with_messages(cast, client):
    client.force_login(cast.bea)
    url = reverse("conflicts:issue_new", kwargs={"pk": cast.partnership.pk})
    response = client.post(url, {"title": "", "conflict_type": "nonsense", "visibility": "joint"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Issue.objects.exists()
