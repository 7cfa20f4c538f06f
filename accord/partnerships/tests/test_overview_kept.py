"""The overview keeps its sections as HTML (``kept_overview``): after each kind of change made
through the app the next request shows it, and one organization's or role's rendering is never
served to another. Each test renders the page first, so what follows is served kept unless the
key saw the change."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accord.accountability.services.commitments import commitment_create
from accord.interventions import services as objectives
from accord.partnerships import services
from accord.partnerships.audit import INTERNAL, record_event
from accord.partnerships.models import Invitation, Organization, Participant, Party
from accord.performance.models import Observation
from accord.performance.tests.helpers import import_csv, make_metric

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def html(client, cast, user=None, partnership=None) -> str:
    """The overview's main content as ``user`` (Alice unless named) sees it."""
    client.force_login(user or cast.alice)
    pk = (partnership or cast.partnership).pk
    response = client.get(reverse("partnership_detail", args=[pk]))
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('<main id="main">') : page.index("</main>")]


def text(client, cast, user=None, partnership=None) -> str:
    """The same, tags dropped, entities read and spaces folded."""
    page = re.sub(r"<[^>]+>", " ", html(client, cast, user, partnership))
    return " ".join(unescape(page).split())


def invite_partner(cast, name="Cedar Labs", partnership=None):
    return services.invitation_create(
        created_by=cast.alice,
        kind=Invitation.Kind.PARTY,
        partnership=partnership or cast.partnership,
        email=f"lead@{name.split()[0].lower()}.test",
        organization_name=name,
    )


def test_changed_settings_show_at_once(cast, client):
    assert "k = 3" in text(client, cast)
    assert "Alder–Birch Alliance" in text(client, cast, cast.fiona)  # reads no records
    services.partnership_update(
        user=cast.alice,
        partnership=cast.partnership,
        name="Alder–Birch Venture",
        purpose="Bring the assay to market.",
        anonymity_k=5,
        notice_lead_days=45,
        status="active",
    )
    page = text(client, cast)
    for shown in ("Alder–Birch Venture", "Bring the assay to market.", "k = 5", "45 days"):
        assert shown in page
    assert "Alder–Birch Alliance" not in page
    facilitator = html(client, cast, cast.fiona)
    assert "<h1>Alder–Birch Venture</h1>" in facilitator  # the breadcrumb is drawn per request
    assert "k = 5" in facilitator


def test_a_party_and_a_participant_who_join_show_at_once(cast, client):
    assert "Cedar Labs" not in text(client, cast)
    _invitation, raw = invite_partner(cast)
    page = text(client, cast)
    assert "Pending invitations Cedar Labs as a partner organization" in page
    assert "Invited Cedar Labs as a partner" in page  # recent activity
    services.user_create_and_accept(
        raw_token=raw, first_name="Cleo", last_name="Cedar", password="x-9-y-8-z-7-w"
    )
    page = text(client, cast)
    assert "Pending invitations" not in page
    assert "Cedar Labs joined" in page  # the parties card and recent activity
    assert "Cleo Cedar Cedar Labs Alliance manager" in page

    _invitation, raw = services.invitation_create(
        created_by=cast.alice,
        kind=Invitation.Kind.PARTICIPANT,
        partnership=cast.partnership,
        organization=cast.org_a,
        email="nia@alder.test",
        participant_role=Participant.Role.SPONSOR,
    )
    assert "nia@alder.test as Executive sponsor" in text(client, cast)
    services.user_create_and_accept(
        raw_token=raw, first_name="Nia", last_name="Alder", password="x-9-y-8-z-7-w"
    )
    page = text(client, cast)
    assert "Nia Alder Alder Pharma Executive sponsor" in page
    assert "nia@alder.test as" not in page


def test_invitations_made_and_withdrawn_show_at_once(cast, client):
    partnership = services.partnership_create(user=cast.alice, name="Alder Solo")
    hint = "Only your organization so far."
    assert hint in text(client, cast, partnership=partnership)
    invitation, _raw = invite_partner(cast, partnership=partnership)
    page = text(client, cast, partnership=partnership)
    assert "Cedar Labs as a partner organization" in page
    assert hint not in page
    services.invitation_revoke(user=cast.alice, invitation=invitation)
    page = text(client, cast, partnership=partnership)
    assert "Cedar Labs as a partner organization" not in page
    assert hint in page


def test_an_invitation_leaves_the_page_the_minute_it_expires(cast, client):
    """Expiry writes nothing: the pending invitations are read with the clock."""
    partnership = services.partnership_create(user=cast.alice, name="Alder Solo")
    with time_machine.travel(NOON, tick=False):
        invitation, _raw = invite_partner(cast, partnership=partnership)
    pending = "Cedar Labs as a partner organization"
    with time_machine.travel(invitation.expires_at - timedelta(minutes=1), tick=False):
        assert pending in text(client, cast, partnership=partnership)
    with time_machine.travel(invitation.expires_at + timedelta(minutes=1), tick=False):
        page = text(client, cast, partnership=partnership)
        assert pending not in page
        assert "Only your organization so far." in page


def test_a_withdraw_form_carries_this_requests_token(cast, client):
    invite_partner(cast)
    form = r'invitations/\d+/revoke/".*?name="csrfmiddlewaretoken" value="([^"]+)"'
    tokens = [re.search(form, html(client, cast), re.DOTALL) for _ in range(2)]
    assert all(tokens)
    # Django masks the token anew for every response: a kept form would repeat one.
    assert tokens[0].group(1) != tokens[1].group(1)


def test_another_organizations_internal_events_stay_its_own(cast, client):
    with transaction.atomic():
        record_event(
            partnership=cast.partnership,
            action="note",
            summary="Birch's own note",
            owner_org=cast.org_b,
            visibility=INTERNAL,
        )
    assert "Birch's own note" not in text(client, cast, cast.alice)
    assert "Birch's own note" in text(client, cast, cast.bob)
    assert "Birch's own note" not in text(client, cast, cast.alice)
    with transaction.atomic():
        record_event(partnership=cast.partnership, action="note", summary="A joint note")
    assert "A joint note" in text(client, cast, cast.alice)


def test_a_reader_or_a_facilitator_is_not_served_a_managers_page(cast, client):
    assert "Edit settings" in text(client, cast, cast.alice)
    assert "Invite a participant" in text(client, cast, cast.alice)
    observer = text(client, cast, cast.oscar)
    assert "Edit settings" not in observer
    assert "Invite a participant" not in observer
    assert "Recent activity" in observer
    facilitator = text(client, cast, cast.fiona)
    assert "Recent activity" not in facilitator  # a facilitator does not read the records
    assert "Edit settings" in text(client, cast, cast.alice)


def test_restricted_lists_name_only_ones_own_people(cast, client):
    services.partnership_update(
        user=cast.bob, partnership=cast.partnership, restrict_participant_lists=True
    )
    alice = text(client, cast, cast.alice)
    assert "Amos Alder" in alice
    assert "Bea Birch" not in alice
    assert "a member of Birch Bio changed" in alice  # Bob's change, as Alice may read it
    bob = text(client, cast, cast.bob)
    assert "Bea Birch" in bob
    assert "Amos Alder" not in bob
    assert "Bob Birch changed" in bob
    alice = text(client, cast, cast.alice)
    assert "Bea Birch" not in alice
    assert "Bob Birch" not in alice


def test_a_new_member_of_a_party_is_hidden_from_the_other_at_once(cast, client):
    services.partnership_update(
        user=cast.bob, partnership=cast.partnership, restrict_participant_lists=True
    )
    with transaction.atomic():
        record_event(partnership=cast.partnership, action="note", summary="Ben Birch signed")
    assert "Ben Birch signed" in text(client, cast)  # no such person in any party yet
    _invitation, raw = services.invitation_create(
        created_by=cast.bob,
        kind=Invitation.Kind.ORGANIZATION,
        organization=cast.org_b,
        email="ben@birch.test",
    )
    services.user_create_and_accept(
        raw_token=raw, first_name="Ben", last_name="Birch", password="x-9-y-8-z-7-w"
    )
    page = text(client, cast)
    assert "a member of Birch Bio signed" in page
    assert "Ben Birch" not in page


def test_people_organizations_and_parties_edited_in_place_show_at_once(cast, client):
    """No page renames people or organizations, nor moves a party's joining date, and such
    edits leave no stamp: the rows are read in full, so even a same-length rename shows."""
    assert "Amos Alder" in text(client, cast)
    cast.amos.first_name = "Abel"
    cast.amos.save()
    page = text(client, cast)
    assert "Abel Alder" in page
    assert "Amos Alder" not in page
    Organization.objects.filter(pk=cast.org_b.pk).update(name="Beech Bio")
    page = text(client, cast)
    assert "Beech Bio" in page
    assert "Birch Bio" not in page
    Party.objects.filter(pk=cast.party_b.pk).update(joined_at=datetime(2024, 2, 1, tzinfo=UTC))
    assert "Beech Bio joined 1 Feb 2024" in text(client, cast)


def test_an_objective_shows_and_turns_unmet_as_the_days_pass(cast, client):
    assert "No objectives recorded yet." in text(client, cast)
    commitment = commitment_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Hand over",
        owner_party=cast.party_a,
        due_on=timezone.localdate() + timedelta(days=1),
    )
    objectives.objective_create(
        partnership=cast.partnership, user=cast.alice, title="Aim", commitment_ids=[commitment.pk]
    )
    assert 'class="badge obj-on_track"' in html(client, cast)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert 'class="badge obj-unmet"' in html(client, cast)


def test_values_replaced_in_place_change_the_objectives_light(cast, client):
    month = timezone.localdate().replace(day=1)
    metric = make_metric(cast, code="otif")
    Observation.objects.create(metric=metric, period=month, value=99.0)
    objectives.objective_create(
        partnership=cast.partnership, user=cast.alice, title="Aim", metric_ids=[metric.pk]
    )
    assert 'class="badge obj-met"' in html(client, cast)
    # A re-import replaces the value in place: same rows, same count.
    assert import_csv(cast, f"metric,period,value\notif,{month:%Y-%m},50\n").ok
    assert 'class="badge obj-unmet"' in html(client, cast)
    # Written with no audit event (a script, a restore): the key does not lean on the trail.
    Observation.objects.filter(metric=metric, period=month).update(value=99.0)
    assert 'class="badge obj-met"' in html(client, cast)


@time_machine.travel(NOON, tick=False)  # the same date in both time zones
def test_the_language_and_the_time_zone_are_the_readers(cast, client):
    services.partnership_update(
        user=cast.alice, partnership=cast.partnership, start_date=date(2025, 5, 1)
    )
    assert "since 1 May 2025" in text(client, cast)
    with translation.override("de"):
        assert "1 Mai 2025" in text(client, cast)
    assert "10 Mar 2026, 12:00" in text(client, cast)  # recent activity's stamps
    with timezone.override("Asia/Kolkata"):
        assert "10 Mar 2026, 17:30" in text(client, cast)


def test_a_kept_overview_is_served_with_one_query_of_its_own(cast, client):
    html(client, cast)
    client.force_login(cast.alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("partnership_detail", args=[cast.partnership.pk]))
    assert response.status_code == 200
    # Session, user, partnership with the viewer's role, membership, unread count, the state.
    assert len(queries) == 6
    assert not [q for q in queries if '"partnerships_participant"."id"' in q["sql"]]
