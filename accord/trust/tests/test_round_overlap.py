"""A round whose window overlaps an open or scheduled one is refused with a clear warning unless
the manager confirms it, so nobody gets two survey e-mails by accident (issue 12)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accord.api.services import token_create
from accord.trust.models import SurveyRound
from accord.trust.tests.helpers import instrument, open_round

pytestmark = pytest.mark.django_db

FMT = "%Y-%m-%dT%H:%M"


def form(**extra) -> dict:
    now = timezone.localtime()
    return {
        "instrument": instrument().pk,
        "title": "Second survey",
        "opens_at": (now + timedelta(days=1)).strftime(FMT),
        "closes_at": (now + timedelta(days=15)).strftime(FMT),
        "reminder_days": 4,
        **extra,
    }


def test_an_overlapping_round_is_refused_with_a_warning_and_a_choice(cast, client):
    first = open_round(cast, title="Q3 trust survey")
    client.force_login(cast.alice)

    page = client.post(f"/partnerships/{cast.partnership.pk}/trust/rounds/new/", form())

    assert page.status_code == 200
    text = page.content.decode()
    closes = timezone.localtime(first.closes_at).strftime("%d %b %Y %H:%M")
    assert "“Q3 trust survey” runs from" in text
    assert f"Let this round open after {closes}, or confirm that you want both." in text
    assert 'name="allow_overlap"' in text
    assert SurveyRound.objects.count() == 1


def test_the_form_offers_no_overlap_checkbox_when_nothing_overlaps(cast, client):
    client.force_login(cast.alice)
    page = client.get(f"/partnerships/{cast.partnership.pk}/trust/rounds/new/")
    assert 'name="allow_overlap"' not in page.content.decode()


def test_a_confirmed_overlap_is_scheduled(cast, client):
    open_round(cast)
    client.force_login(cast.alice)
    response = client.post(
        f"/partnerships/{cast.partnership.pk}/trust/rounds/new/", form(allow_overlap="on")
    )
    assert response.status_code == 302
    assert SurveyRound.objects.filter(title="Second survey").exists()


def test_a_round_after_the_open_one_closes_needs_no_confirmation(cast, client):
    first = open_round(cast)
    client.force_login(cast.alice)
    after = timezone.localtime(first.closes_at) + timedelta(minutes=1)
    data = form(opens_at=after.strftime(FMT), closes_at=(after + timedelta(days=7)).strftime(FMT))
    response = client.post(f"/partnerships/{cast.partnership.pk}/trust/rounds/new/", data)
    assert response.status_code == 302


def test_the_api_refuses_an_overlap_unless_allowed_and_sends_no_second_email(cast, client):
    open_round(cast)
    sent = len(mail.outbox)
    _token, raw = token_create(user=cast.alice, name="t", days=1)
    now = timezone.now()
    body = {
        "instrument_id": instrument().pk,
        "title": "Second",
        "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(days=5)).isoformat(),
    }
    url = f"/api/v1/partnerships/{cast.partnership.pk}/surveys/rounds"
    headers = {"Authorization": f"Bearer {raw}"}

    refused = client.post(url, json.dumps(body), content_type="application/json", headers=headers)
    assert refused.status_code == 400
    assert len(mail.outbox) == sent

    body["allow_overlap"] = True
    allowed = client.post(url, json.dumps(body), content_type="application/json", headers=headers)
    assert allowed.status_code == 201
