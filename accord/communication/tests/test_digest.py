"""The daily digest: one e-mail a day listing unread notifications, and a signed one-click
unsubscribe that turns it off for its holder only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from accord.communication.digest import digest_send, unsubscribe_path
from accord.communication.models import DigestPreference
from accord.notifications.services import notify

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 1, 6, tzinfo=UTC)


def notify_at(users, summary, when):
    for item in notify(recipients=users, kind="test", summary=summary, email=False):
        item.created_at = when
        item.save()


def test_one_digest_a_day_lists_unread_notifications_and_respects_the_setting(
    cast, client, settings, django_capture_on_commit_callbacks
):
    notify_at([cast.amos, cast.bob], "Bea mentioned you in “Launch”", NOW - timedelta(hours=3))
    notify_at([cast.amos], "New concern: “Slow answers”", NOW - timedelta(hours=2))
    DigestPreference.objects.create(user=cast.bob, daily_digest=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(NOW) == 1
    (sent,) = mail.outbox
    assert sent.to == [cast.amos.email]
    assert "• Bea mentioned you in “Launch”" in sent.body
    assert "• New concern: “Slow answers”" in sent.body
    (link,) = re.findall(rf"{re.escape(settings.SITE_URL)}(/digest/unsubscribe/\S+/)", sent.body)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(NOW + timedelta(hours=2)) == 0  # at most once a day
    notify_at([cast.amos], "Later news", NOW + timedelta(hours=22))
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(NOW + timedelta(hours=23)) == 1
    assert "Later news" in mail.outbox[1].body
    assert "Slow answers" not in mail.outbox[1].body  # already sent yesterday
    # The e-mailed link unsubscribes its recipient.
    assert client.post(link).status_code == 200
    notify_at([cast.amos], "Even later", NOW + timedelta(hours=47))
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(NOW + timedelta(hours=48)) == 0


def test_the_unsubscribe_link_turns_off_the_digest_of_its_holder_only(cast, client):
    path = unsubscribe_path(cast.amos)
    assert client.get(path).status_code == 200
    assert not DigestPreference.objects.exists()  # opening the page changes nothing
    assert client.post(path).status_code == 200
    assert DigestPreference.objects.get(user=cast.amos).daily_digest is False
    assert not DigestPreference.objects.filter(user=cast.bob).exists()
    tampered = re.sub(
        r"/unsubscribe/(.)", lambda m: "/unsubscribe/" + ("A" if m[1] != "A" else "B"), path
    )
    assert client.post(tampered).status_code == 400


def test_the_setting_page_turns_the_digest_back_on(cast, client):
    DigestPreference.objects.create(user=cast.amos, daily_digest=False)
    client.force_login(cast.amos)
    assert client.post("/settings/digest/", {"daily_digest": "on"}).status_code == 302
    assert DigestPreference.objects.get(user=cast.amos).daily_digest is True
