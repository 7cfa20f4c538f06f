"""Errors answer with Accord's own pages, which say what to do next — never Django's debug pages
(DEBUG is off here, as in production) — and static files still serve with DEBUG off."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from accord.testing.factories import MembershipFactory
from config import urls as site_urls


def boom(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


# the site's own routes plus two that fail on purpose
urlpatterns = [path("boom/", boom), path("forbidden/", forbidden), *site_urls.urlpatterns]


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def headline(response) -> str:
    from html.parser import HTMLParser

    class H1(HTMLParser):
        inside, text = False, ""

        def handle_starttag(self, tag, attrs):
            self.inside = self.inside or tag == "h1"

        def handle_endtag(self, tag):
            self.inside = self.inside and tag != "h1"

        def handle_data(self, data):
            self.text += data if self.inside else ""

    parser = H1()
    parser.feed(response.content.decode())
    return parser.text.strip()


def test_a_missing_page_answers_404_with_a_way_back(client, db):
    user = MembershipFactory().user
    client.force_login(user)
    response = client.get("/partnerships/999999/")
    assert response.status_code == 404
    assert headline(response) == "This page is not here"
    page = response.content.decode()
    assert 'href="/partnerships/">Go to My partnerships</a>' in page
    assert "ask your alliance manager" in page
    assert "URLconf" not in page  # not Django's technical 404


def test_a_signed_out_visitor_is_offered_to_sign_in_on_a_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'href="/accounts/login/">Sign in</a>' in response.content.decode()


@pytest.mark.urls("accord.tests.test_error_pages")
def test_a_server_error_answers_500_with_what_to_do(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert headline(response) == "Something went wrong on our side"
    assert "Traceback" not in response.content.decode()
    assert "Try again in a minute." in response.content.decode()


@pytest.mark.urls("accord.tests.test_error_pages")
def test_a_forbidden_action_answers_403_and_names_who_can_help(client, db):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert headline(response) == "You cannot do this here"
    assert "Ask your alliance manager" in response.content.decode()


def test_an_expired_form_answers_403_and_says_to_reload(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert headline(response) == "This form has expired"
    assert "Nothing was saved." in response.content.decode()


def test_static_files_serve_with_debug_off(client):
    response = client.get("/static/accord/app.css")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b".topbar" in body
