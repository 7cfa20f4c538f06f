"""The "API docs" link opens a working Swagger UI with no internet: django-ninja serves its own
copy of Swagger UI (ninja in INSTALLED_APPS), which the app's Content Security Policy allows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accord.testing.factories import MembershipFactory


@pytest.mark.browser
def test_the_api_docs_show_the_operations_under_the_csp(live_server, page, transactional_db):
    user = MembershipFactory().user
    page.context.add_cookies(session_cookie(live_server, user))
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "requestfailed", lambda r: problems.append(f"{r.url} failed: {r.failure}")
    )  # e.g. a CDN the machine cannot reach

    page.goto(live_server.url + "/api/v1/docs")

    expect(page.get_by_role("heading", name="Accord API")).to_be_visible()
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/partnerships").first
    expect(operation).to_be_visible()
    assert page.locator(".opblock").count() > 50  # every operation, not an empty shell
    assert problems == []


def session_cookie(live_server, user) -> list[dict]:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }
    ]
