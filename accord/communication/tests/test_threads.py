"""Threads: sanitized Markdown (HTML refused), attachments checked like evidence files,
internal threads kept to their organization, and mentions that only reach people who can read."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accord.accountability.services.commitments import EVIDENCE_MAX_BYTES
from accord.communication import services
from accord.communication.models import Attachment, Message, Thread
from accord.communication.text import HTML_REFUSED
from accord.notifications.models import Notification

pytestmark = pytest.mark.django_db


def api(cast):
    return f"/api/v1/partnerships/{cast.partnership.pk}/communication/threads"


def test_html_in_markdown_is_refused_with_a_clear_error_and_nothing_is_stored(cast, client):
    client.force_login(cast.alice)
    response = client.post(
        api(cast), {"title": "Hi", "body": "Hello <script>alert(1)</script>"}, "application/json"
    )
    assert response.status_code == 400
    assert json.loads(response.content)["detail"] == f"body: {HTML_REFUSED}"
    page = client.post(
        reverse("communication:overview", args=[cast.partnership.pk]),
        {"title": "Hi", "kind": "discussion", "visibility": "joint", "body": "<b>bold</b>"},
    )
    assert page.status_code == 400
    assert HTML_REFUSED in page.content.decode().replace("&lt;", "<").replace("&gt;", ">")
    assert not Thread.objects.exists()
    assert not Message.objects.exists()


def test_markdown_is_rendered_and_links_are_made_safe(cast):
    thread = services.thread_start(
        partnership=cast.partnership,
        user=cast.alice,
        title="Plan",
        body="**Go** [site](javascript:alert(1)) and [docs](https://example.org)",
    )
    html = thread.messages.get().body_html
    assert "<strong>Go</strong>" in html
    assert "javascript:" not in html
    assert 'href="https://example.org"' in html


def test_an_oversized_attachment_is_refused_and_nothing_is_stored(cast, client):
    client.force_login(cast.alice)
    thread = services.thread_start(
        partnership=cast.partnership, user=cast.alice, title="Plan", body="First."
    )
    big = SimpleUploadedFile("plan.txt", b"a" * (EVIDENCE_MAX_BYTES + 1), "text/plain")
    response = client.post(
        f"{api(cast)}/{thread.pk}/messages", {"body": "See file", "files": [big]}
    )
    assert response.status_code == 400
    assert json.loads(response.content)["code"] == "rejected"
    assert thread.messages.count() == 1
    assert not Attachment.objects.exists()
    ok = SimpleUploadedFile("plan.txt", b"the plan", "text/plain")
    response = client.post(f"{api(cast)}/{thread.pk}/messages", {"body": "See file", "files": [ok]})
    assert response.status_code == 201
    assert json.loads(response.content)["attachments"] == ["plan.txt"]


def test_an_internal_thread_is_invisible_to_the_other_party_and_mentions_stay_inside(cast, client):
    thread = services.thread_start(
        partnership=cast.partnership,
        user=cast.alice,
        title="Our negotiation line",
        body="@amos please check; @bob must not see this.",
        visibility="internal",
    )
    mentioned = Notification.objects.filter(kind="communication.mention")
    assert set(mentioned.values_list("recipient", flat=True)) == {cast.amos.pk}
    client.force_login(cast.bob)
    assert json.loads(client.get(api(cast)).content) == []
    assert client.get(f"{api(cast)}/{thread.pk}").status_code == 404
    page = reverse("communication:thread", args=[cast.partnership.pk, thread.pk])
    assert client.get(page).status_code == 404
    client.force_login(cast.amos)
    assert client.get(page).status_code == 200


def test_a_joint_mention_notifies_the_named_participant(cast):
    services.thread_start(
        partnership=cast.partnership, user=cast.alice, title="Launch", body="@bob can you confirm?"
    )
    alert = Notification.objects.get(kind="communication.mention")
    assert alert.recipient == cast.bob
    assert (
        alert.summary
        == f"{cast.alice.get_full_name()} mentioned you in “Launch” ({cast.partnership.name})"
    )


def test_attachments_download_only_for_readers_of_their_thread(cast, client):
    thread = services.thread_start(
        partnership=cast.partnership,
        user=cast.alice,
        title="Our side",
        body="Draft terms attached.",
        visibility="internal",
        files=[SimpleUploadedFile("terms.txt", b"our walk-away price", "text/plain")],
    )
    attachment = thread.messages.get().attachments.get()
    url = reverse("communication:attachment", args=[cast.partnership.pk, thread.pk, attachment.pk])
    client.force_login(cast.amos)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"our walk-away price"
    assert "terms.txt" in response["Content-Disposition"]
    client.force_login(cast.bob)
    assert client.get(url).status_code == 404


def test_an_alliance_manager_turns_full_anonymity_on_from_the_forum(cast, client):
    client.force_login(cast.bob)
    url = reverse("communication:anonymity", args=[cast.partnership.pk])
    assert client.post(url, {"concerns_fully_anonymous": "on"}).status_code == 302
    assert services.settings_for(cast.partnership).concerns_fully_anonymous is True
    concern = services.concern_raise(
        partnership=cast.partnership, user=cast.bea, title="Quiet", body="Nobody answers."
    )
    assert (concern.author_id, concern.raised_by_party_id) == (None, None)
