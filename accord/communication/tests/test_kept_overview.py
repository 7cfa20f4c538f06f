"""The communication overview keeps its notice record and thread list as HTML
(``kept_overview``): every kind of change made through the app shows on the next render, the
record follows the calendar, and no organization is served another's rendering."""

import re
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from accord.communication import services


def _page(client, cast, user=None) -> str:
    client.force_login(user or cast.alice)
    response = client.get(reverse("communication:overview", args=[cast.partnership.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _alder_notices(page: str) -> str:
    """The 'Notices' cell of Alder's row in the record."""
    found = re.search(r'Alder Pharma</th><td class="num">(\d+)</td>', page)
    assert found is not None
    return found.group(1)


def test_threads_started_show_at_once_and_internal_ones_only_to_their_side(cast, client):
    assert "No threads yet" in _page(client, cast)
    services.thread_start(partnership=cast.partnership, user=cast.alice, title="Plan", body=".")
    assert "Plan" in _page(client, cast)
    services.thread_start(
        partnership=cast.partnership,
        user=cast.bob,
        title="Birch only",
        body=".",
        visibility="internal",
    )
    assert "Birch only" not in _page(client, cast, cast.alice)
    assert "Birch only" in _page(client, cast, cast.bob)
    assert "Birch only" not in _page(client, cast, cast.alice)


def test_notices_given_and_reported_show_at_once(cast, client):
    today = timezone.localdate()
    assert _alder_notices(_page(client, cast)) == "0"
    services.notice_give(
        partnership=cast.partnership,
        user=cast.alice,
        category="staffing",
        summary="New lead",
        effective_on=today + timedelta(days=60),
    )
    assert _alder_notices(_page(client, cast)) == "1"
    services.notice_report(
        partnership=cast.partnership,
        user=cast.bob,
        changing_party_id=cast.party_a.pk,
        category="budget",
        summary="Budget cut",
        effective_on=today,
    )
    assert (
        'Alder Pharma</th><td class="num">1</td><td class="num">0</td><td class="num">1</td>'
        in (_page(client, cast))
    )


def test_the_notice_period_and_open_concerns_show_at_once(cast, client):
    assert "Feedback forum (0 open)" in _page(client, cast)
    concern = services.concern_raise(
        partnership=cast.partnership, user=cast.bob, title="Late", body="Again."
    )
    assert "Feedback forum (1 open)" in _page(client, cast)
    services.concern_close(concern=concern, user=cast.alice)
    assert "Feedback forum (0 open)" in _page(client, cast)
    cast.partnership.notice_lead_days = 45
    cast.partnership.save()
    assert "The agreed notice period is 45 days" in _page(client, cast)


def test_the_record_follows_the_calendar(cast, client):
    services.notice_give(
        partnership=cast.partnership,
        user=cast.alice,
        category="staffing",
        summary="New lead",
        effective_on=timezone.localdate() + timedelta(days=60),
    )
    assert _alder_notices(_page(client, cast)) == "1"
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert _alder_notices(_page(client, cast)) == "0"
