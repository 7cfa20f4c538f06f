"""In a real browser: the e-mailed survey link opens the questionnaire, and its code never
leaves the browser in a URL — the page's script POSTs it (issue 10, item 7)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from accord.testing.personas import build_cast
from accord.trust.models import Invitee, Response
from accord.trust.tests.helpers import open_round

SHOTS = Path(tempfile.gettempdir()) / "accord-shots"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def emailed_link(mailbox, email: str, live_server_url: str) -> tuple[str, str]:
    """The link e-mailed to ``email``, on the live server, and its code."""
    message = next(m for m in reversed(mailbox) if email in m.to)
    found = re.search(re.escape(settings.SITE_URL) + r"(/\S+/trust/answer/)#t=(\S+)", message.body)
    assert found, message.body
    return live_server_url + found.group(1) + "#t=" + found.group(2), found.group(2)


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1366])
def test_the_emailed_link_opens_the_survey_without_its_code_in_any_request_url(
    transactional_db, live_server, page, mailoutbox, width
):
    cast = build_cast()
    survey = open_round(cast)
    link, code = emailed_link(mailoutbox, cast.amos.email, live_server.url)
    page.set_viewport_size({"width": width, "height": 900})
    sent: list[tuple[str, str]] = []
    page.on("request", lambda r: sent.append((r.url, r.post_data or "")))

    page.goto(link)
    expect(page.get_by_role("heading", name=survey.title)).to_be_visible()
    assert "#t=" not in page.url  # dropped from the address bar and history
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"answer-questionnaire-{width}")
    for url, _body in sent:
        assert code not in url
    assert any(code in body for _url, body in sent)  # it travelled in a POST body

    for radio in page.locator("table.likert tbody tr").all():
        radio.locator("input[type=radio]").nth(4).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert Response.objects.filter(round=survey).count() == 1
    assert Invitee.objects.get(round=survey, user=cast.amos).responded
    assert all(code not in url for url, _ in sent)


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1366])
def test_without_javascript_the_page_asks_for_the_code(
    transactional_db, live_server, browser, mailoutbox, width
):
    cast = build_cast()
    survey = open_round(cast)
    link, code = emailed_link(mailoutbox, cast.amos.email, live_server.url)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name="Open your survey")).to_be_visible()
    shot(page, f"answer-code-{width}")
    page.get_by_label("Survey code").fill(code)
    page.get_by_role("button", name="Open the survey").click()
    expect(page.get_by_role("heading", name=survey.title)).to_be_visible()
    context.close()
