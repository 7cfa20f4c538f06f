"""`make demo PORT=8102` serves on 8102, so every e-mailed link must point there: SITE_URL follows
`accord_serve --port` (in the web process and in the worker it starts), unless SITE_URL is set."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from accord.partnerships.management.commands import accord_serve
from accord.partnerships.models import Invitation
from accord.partnerships.services import invitation_create
from accord.trust.tests.helpers import open_round


class FakeProcess:
    started: list[dict] = []

    def __init__(self, argv, env=None):
        FakeProcess.started.append({"argv": argv, "env": env})

    def terminate(self):
        pass

    def wait(self, timeout=None):
        return 0


@pytest.fixture
def serve(monkeypatch):
    """Run accord_serve with the web server replaced by `while_serving` and no real processes."""
    FakeProcess.started = []
    monkeypatch.setattr(accord_serve.subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(settings, "SITE_URL", settings.SITE_URL)  # restored after the test

    def run(port, while_serving):
        real = accord_serve.call_command
        monkeypatch.setattr(
            accord_serve,
            "call_command",
            lambda name, *a, **kw: while_serving() if name == "runserver" else real(name, *a, **kw),
        )
        call_command("accord_serve", "--port", str(port))

    return run


def links_in(mail) -> list[str]:
    return re.findall(r"https?://[^\s/]+/\S*", mail.body)


def test_invitation_and_survey_links_use_the_served_port(
    serve, cast, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.delenv("SITE_URL", raising=False)

    @django_capture_on_commit_callbacks(execute=True)
    def while_serving():
        invitation_create(
            created_by=cast.alice,
            kind=Invitation.Kind.PARTICIPANT,
            email="new.member@alder.test",
            partnership=cast.partnership,
            participant_role="member",
        )
        open_round(cast)  # the round opens now: every invitee gets an answer link

    serve(8102, while_serving)

    links = [link for mail in mailoutbox for link in links_in(mail)]
    assert any("/invitations/" in link for link in links)
    assert any(f"/partnerships/{cast.partnership.pk}/trust/" in link for link in links), links
    assert all(link.startswith("http://127.0.0.1:8102/") for link in links), links
    assert {p["env"]["SITE_URL"] for p in FakeProcess.started} == {"http://127.0.0.1:8102"}
    assert [p["argv"][-1] for p in FakeProcess.started] == ["db_worker", "accord_scheduler"]


def test_an_explicit_site_url_still_wins(serve, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://accord.example.org/")
    seen = []
    serve(8102, lambda: seen.append(settings.SITE_URL))
    assert seen == ["https://accord.example.org"]
    assert {p["env"]["SITE_URL"] for p in FakeProcess.started} == {"https://accord.example.org"}


def test_the_default_port_gives_the_default_site_url(serve, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    seen = []
    serve(8000, lambda: seen.append(settings.SITE_URL))
    assert seen == ["http://127.0.0.1:8000"]
