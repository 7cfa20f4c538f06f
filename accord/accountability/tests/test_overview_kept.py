"""The overview's kept summary sections never show a state older than the last change: each test
renders the page (keeping the sections), changes something the way the app does, renders again
and sees the change (see accountability/overview_kept.py for the key)."""

import re
from datetime import timedelta

import time_machine
from django.utils import timezone

from accord.accountability import services
from accord.accountability.models import Commitment, Review
from accord.accountability.tests.helpers import action, commitment, request, review
from accord.partnerships.models import Visibility


def _page(client, cast, user=None) -> str:
    client.force_login(user or cast.alice)
    response = client.get(f"/partnerships/{cast.partnership.pk}/accountability/")
    assert response.status_code == 200
    return response.content.decode()


def _count(body: str, status: str) -> int:
    match = re.search(rf"<strong>(\d+)</strong> {status}</a>", body)
    assert match, status
    return int(match.group(1))


def _section(body: str, heading: str) -> str:
    """One section's text ('' when the page does not show it)."""
    if f'id="{heading}"' not in body:
        return ""
    return body.split(f'id="{heading}"')[1].split("</section>")[0]


def test_a_new_commitment_is_counted(cast, client):
    assert _count(_page(client, cast), "planned") == 0
    services.commitment_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Ship the kit",
        owner_party=cast.party_a,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    assert _count(_page(client, cast), "planned") == 1


def test_a_status_change_moves_the_counts_and_the_on_time_rates(cast, client):
    due = commitment(cast, status="on_track", due_on=timezone.localdate() - timedelta(days=1))
    body = _page(client, cast)
    assert _count(body, "on track") == 1
    before = _section(body, "ontime-heading")
    services.commitment_set_status(
        commitment=due, user=cast.alice, status="done", done_on=due.due_on
    )
    body = _page(client, cast)
    assert (_count(body, "on track"), _count(body, "done")) == (0, 1)
    assert _section(body, "ontime-heading") != before
    assert "kept 1 of 1 on time (100%)" in body


def test_an_edited_title_shows_in_needs_escalation(cast, client):
    today = timezone.localdate()
    first = commitment(cast, status="missed", due_on=today - timedelta(days=40), title="Old")
    second = commitment(
        cast, status="missed", due_on=today - timedelta(days=10), replanned_from=first
    )
    assert "first committed to “Old”" in _page(client, cast)
    first.title = "Renamed"
    first.save()
    body = _page(client, cast)
    assert "first committed to “Renamed”" in body
    services.commitment_escalate(commitment=second, user=cast.alice)
    assert _section(_page(client, cast), "esc-heading") == ""


def test_a_deleted_commitment_is_no_longer_counted(cast, client):
    row = commitment(cast, status="at_risk")
    assert _count(_page(client, cast), "at risk") == 1
    Commitment.objects.filter(pk=row.pk).delete()
    assert _count(_page(client, cast), "at risk") == 0


def test_the_missed_pass_shows(cast, client):
    today = timezone.localdate()
    commitment(cast, status="planned", due_on=today - timedelta(days=2))
    assert _count(_page(client, cast), "missed") == 0
    services.mark_missed(today=today)
    assert _count(_page(client, cast), "missed") == 1


def test_each_organization_sees_its_own_internal_records(cast, client):
    assert _count(_page(client, cast, cast.bob), "at risk") == 0
    assert _count(_page(client, cast, cast.alice), "at risk") == 0
    commitment(cast, party="b", status="at_risk", visibility=Visibility.INTERNAL)
    assert _count(_page(client, cast, cast.bob), "at risk") == 1
    assert _count(_page(client, cast, cast.alice), "at risk") == 0  # not Birch's rendering
    commitment(cast, party="a", status="at_risk", visibility=Visibility.INTERNAL)
    assert _count(_page(client, cast, cast.alice), "at risk") == 1
    assert _count(_page(client, cast, cast.bob), "at risk") == 1


def test_settings_actions_and_the_date_move_the_escalable_actions(cast, client):
    today = timezone.localdate()
    todo = action(cast, title="Send the budget", due_on=today - timedelta(days=20))
    escalable = "Send the budget” — due"
    assert "overdue by more than the agreed 14 days" in _page(client, cast)  # the default
    services.settings_update(
        partnership=cast.partnership, user=cast.alice, action_overdue_window_days=20
    )
    assert escalable not in _page(client, cast)  # 20 days: not past the 20-day window
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert "overdue by more than the agreed 20 days" in _page(client, cast)  # tomorrow
        services.review_action_complete(action=todo, user=cast.alice)
        assert escalable not in _page(client, cast)


def test_a_monitoring_request_moves_the_oversight_balance(cast, client):
    target = commitment(cast, status="on_track")
    before = _section(_page(client, cast), "oversight-heading")
    request(cast, target, by="b", on=timezone.localdate())
    after = _section(_page(client, cast), "oversight-heading")
    assert after != before
    assert "Only 1 monitoring request" in after


def test_next_reviews_follow_new_cancelled_and_started_reviews(cast, client):
    now = timezone.now()
    review(cast, title="Steering call", when=now + timedelta(hours=1))
    assert "Steering call" in _section(_page(client, cast), "upcoming-heading")
    later = review(cast, title="Budget review", when=now + timedelta(hours=3))
    assert "Budget review" in _section(_page(client, cast), "upcoming-heading")
    with time_machine.travel(now + timedelta(hours=2)):  # the first one has started
        assert "Steering call" not in _section(_page(client, cast), "upcoming-heading")
    # Ending a cadence cancels its later reviews with QuerySet.update (no updated_at), not
    # the next one: only the scheduled reviews' id sum sees it.
    Review.objects.filter(pk=later.pk).update(status=Review.Status.CANCELLED)
    assert "Budget review" not in _section(_page(client, cast), "upcoming-heading")


def test_due_soon_follows_status_changes(cast, client):
    due = commitment(cast, title="Pilot batch", due_on=timezone.localdate() + timedelta(days=3))
    assert "Pilot batch" in _section(_page(client, cast), "due-heading")
    services.commitment_set_status(commitment=due, user=cast.alice, status="done")
    assert "Pilot batch" not in _section(_page(client, cast), "due-heading")


def test_restricted_lists_name_people_through_each_viewers_lens(cast, client):
    commitment(cast, title="Pilot batch", due_on=timezone.localdate() + timedelta(days=3))
    assert "Amos" in _section(_page(client, cast, cast.bob), "due-heading")
    cast.partnership.restrict_participant_lists = True
    cast.partnership.save()
    assert "Amos" not in _section(_page(client, cast, cast.bob), "due-heading")
    assert "Amos" in _section(_page(client, cast, cast.alice), "due-heading")
