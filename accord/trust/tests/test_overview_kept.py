"""The trust tab keeps its rounds, results and past-rounds sections as HTML (``kept_overview``):
a round scheduled, opened by the clock, invited, answered and closed (by a manager or by the
clock), a party added and the partnership's k changed all show on the next request; the
"Schedule" buttons are the managers' only, and each viewer's invitations are their own."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from accord.partnerships.models import Invitation, Partnership
from accord.partnerships.services import invitation_accept, invitation_create, partnership_update
from accord.testing.factories import UserFactory
from accord.trust import kept_overview, passes, services
from accord.trust.models import Invitee
from accord.trust.tests.helpers import answer_all, answered_round, instrument, open_round

pytestmark = pytest.mark.django_db


def page(client, cast, user=None) -> str:
    client.force_login(user or cast.alice)
    response = client.get(reverse("trust:overview", kwargs={"pk": cast.partnership.pk}))
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, heading: str) -> str:
    found = re.search(rf'aria-labelledby="{heading}-heading">(.*?)</section>', html, re.S)
    assert found, heading
    return text(found.group(1))


def test_the_second_request_is_served_what_the_first_drew(cast, client):
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3})
    first = page(client, cast)
    for kept in kept_overview.memory.items.values():  # marked: the next page shows them
        kept.update({name: SafeString(f"{html}<!--kept {name}-->") for name, html in kept.items()})
    second = page(client, cast)
    assert "<!--kept rounds-->" in second
    assert "<!--kept body-->" in second
    assert section(first, "past") == section(second, "past")


def test_a_round_scheduled_opened_answered_and_closed_by_the_clock_shows_at_once(cast, client):
    now = timezone.now()
    assert "No survey is open or scheduled." in section(page(client, cast), "rounds")
    survey = services.round_create(
        user=cast.alice,
        partnership=cast.partnership,
        instrument=instrument(),
        title="Spring pulse",
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=8),
    )
    assert "Spring pulse Scheduled" in section(page(client, cast), "rounds")
    with time_machine.travel(now + timedelta(days=1, minutes=1), tick=False):
        assert "Spring pulse Open" in section(page(client, cast), "rounds")  # the clock alone
        passes.open_and_close_rounds(timezone.now())
        invited = Invitee.objects.filter(round=survey, party=cast.party_b).count()
        assert f"0 of {invited} answered" in section(page(client, cast), "rounds")
        answer_all(survey, Invitee.objects.filter(round=survey, user=cast.bea).get(), 4)
        assert f"1 of {invited} answered" in section(page(client, cast), "rounds")
    with time_machine.travel(now + timedelta(days=8, minutes=1), tick=False):
        html = page(client, cast)  # closed by the clock, no pass run
    assert "No survey is open or scheduled." in section(html, "rounds")
    assert "1. Spring pulse" in section(html, "past")
    assert "Latest results: Spring pulse (round 1)" in section(html, "latest")


def test_a_round_closed_by_a_manager_shows_its_results_at_once(cast, client):
    survey = answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, close=False)
    before = page(client, cast)
    assert "Q1 Open" in section(before, "rounds")
    assert "None yet." in section(before, "past")
    assert "Export CSV" not in text(before)
    services.round_close(user=cast.alice, survey=survey)
    after = page(client, cast)
    assert "No survey is open or scheduled." in section(after, "rounds")
    assert "Latest results: Q1 (round 1)" in section(after, "latest")
    assert "Export CSV" in text(after)


def test_a_party_added_and_a_new_k_show_at_once(cast, client):
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3})
    assert "Cedar Labs" not in section(page(client, cast), "past")
    _, token = invitation_create(
        created_by=cast.alice,
        kind=Invitation.Kind.PARTY,
        email="carl@cedar.example.com",
        organization_name="Cedar Labs",
        partnership=cast.partnership,
    )
    invitation_accept(raw_token=token, user=UserFactory())
    assert "Cedar Labs 0/0" in section(page(client, cast), "past")
    assert "at least 3 people" in section(page(client, cast), "about")
    partnership_update(
        user=cast.alice, partnership=Partnership.objects.get(pk=cast.partnership.pk), anonymity_k=5
    )
    assert "at least 5 people" in section(page(client, cast), "about")


def test_the_schedule_buttons_are_the_managers_only(cast, client):
    reader, manager, again = (page(client, cast, u) for u in (cast.oscar, cast.alice, cast.oscar))
    assert "Schedule a survey" in manager
    assert "Schedule one" in manager
    for html in (reader, again):
        assert "Schedule a survey" not in html
        assert "Schedule one" not in html


def test_each_viewer_sees_only_their_own_invitations(cast, client):
    survey = open_round(cast, title="Winter pulse")
    invited = "You are invited to answer “Winter pulse”"
    assert invited in text(page(client, cast, cast.amos))
    assert invited not in text(page(client, cast, cast.oscar))  # observers are not invited
    answer_all(survey, Invitee.objects.get(round=survey, user=cast.amos), 5)
    assert invited not in text(page(client, cast, cast.amos))
    assert invited in text(page(client, cast, cast.bea))
    assert invited not in text(page(client, cast, cast.amos))


def test_the_language_is_part_of_the_key(cast):
    state = ("0",)
    with translation.override("en"):
        english = kept_overview._key(cast.partnership, state, False)
    with translation.override("de"):
        german = kept_overview._key(cast.partnership, state, False)
    assert english != german
    assert english != kept_overview._key(cast.partnership, state, True)


def test_a_round_nobody_answered_moves_to_the_past_when_the_clock_closes_it(cast, client):
    survey = open_round(cast, title="Quiet pulse")
    assert "Quiet pulse Open" in section(page(client, cast), "rounds")
    with time_machine.travel(survey.closes_at + timedelta(minutes=1), tick=False):
        html = page(client, cast)
    assert "No survey is open or scheduled." in section(html, "rounds")
    assert "1. Quiet pulse" in section(html, "past")
    assert "Latest results: Quiet pulse (round 1)" in section(html, "latest")
