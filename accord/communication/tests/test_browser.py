"""In a real browser: a team member raises a concern with the name hidden, the partner's alliance
manager sees only the party, and every communication page fits a 390 px phone and a 1366 px
laptop without sideways scrolling."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accord.communication import services

PASSWORD = "correct horse battery"  # the factories' password
SHOTS = os.environ.get("ACCORD_SCREENSHOTS", "")


def sign_in(page: Page, url: str, user) -> None:
    page.goto(url)
    page.get_by_label("E-mail").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
def test_a_hidden_concern_and_the_pages_at_phone_and_laptop_width(
    transactional_db, cast, live_server, page
):
    thread = services.thread_start(
        partnership=cast.partnership,
        user=cast.alice,
        title="Monthly sync — March",
        body="**Agenda**: pilot results, staffing, the Q2 budget.\n\n- yield on target\n- cost +4%",
    )
    services.message_post(thread=thread, user=cast.bob, body="Thanks @alice, see you Thursday.")
    services.notice_give(
        partnership=cast.partnership,
        user=cast.bea,
        category="staffing",
        summary="Our project lead moves to another programme.",
        effective_on=timezone.localdate() + timedelta(days=10),
        reason="The reorganisation was announced this week.",
    )
    base = f"{live_server.url}/partnerships/{cast.partnership.pk}/communication/"
    sign_in(page, base + "concerns/", cast.amos)
    page.get_by_label("Concern").fill("Decisions reach us late")
    page.get_by_label("What worries you").fill("We hear about budget changes after the fact.")
    page.get_by_label("Hide my name from the other party").check()
    page.get_by_role("button", name="Raise concern").click()
    expect(page.get_by_role("heading", name="Decisions reach us late")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, base + "concerns/", cast.bob)
    row = page.get_by_role("row").filter(has_text="Decisions reach us late")
    expect(row).to_contain_text(f"Someone at {cast.org_a.name}")
    expect(row).not_to_contain_text("Amos")

    pages = {
        "overview": "",
        "thread": f"threads/{thread.pk}/",
        "notices": "notices/",
        "concerns": "concerns/",
    }
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            page.goto(base + path)
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/communication-{name}-{width}.png", full_page=True)
            # The page's own content (the shared top bar is base.html's, not this page's).
            overflow = page.evaluate("document.getElementById('main').scrollWidth")
            assert overflow <= width, f"{name} scrolls sideways at {width}px ({overflow}px)"
