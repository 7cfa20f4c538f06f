"""What people do on phones (390 px): open the folded navigation, and answer an e-mailed survey —
the tap on "Send my answers" reaches the button (Playwright's click fails if another element,
such as a header cell, would receive it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accord.trust import services
from accord.trust.models import Invitee, Response
from accord.trust.tests.helpers import open_round

SCREENS = Path(__file__).resolve().parents[2] / "test-results" / "screens" / "phone"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def signed_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.browser
def test_the_navigation_folds_behind_a_menu_button_on_a_phone(
    live_server, browser, cast, transactional_db
):
    context = browser.new_context(viewport=PHONE)
    try:
        signed_in(context, live_server, cast.alice)
        page = context.new_page()
        page.goto(live_server.url + "/partnerships/")
        nav = page.get_by_role("navigation", name="Main")
        menu = page.get_by_role("button", name="Menu")
        expect(nav).to_be_hidden()
        expect(menu).to_have_attribute("aria-expanded", "false")

        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "menu-open@390.png"))
        nav.get_by_role("link", name="Notifications").click()
        expect(page).to_have_url(re.compile(r"/notifications/$"))
        assert page_width(page) <= PHONE["width"]

        page.set_viewport_size(LAPTOP)  # wide: links in the bar, no menu button
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    finally:
        context.close()


@pytest.mark.browser
def test_a_survey_from_an_email_is_answered_and_sent_on_a_phone(
    live_server, browser, cast, transactional_db
):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()  # no session: the e-mailed link is enough
        page.goto(live_server.url + services.answer_url(invitee))
        expect(page.get_by_role("heading", name=survey.title)).to_be_visible()
        assert page_width(page) <= PHONE["width"]
        rows = page.locator(".likert tbody tr")
        for i in range(rows.count()):
            rows.nth(i).locator("input[type=radio][value='5']").click()  # a tap on each row

        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "survey-answered@390.png"), full_page=True)
        page.get_by_role("button", name="Send my answers").click()

        expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
        assert Response.objects.filter(round=survey).count() == 1
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [PHONE, LAPTOP], ids=["390", "1366"])
def test_a_missing_page_is_branded_and_fits_with_debug_off(
    live_server, browser, cast, transactional_db, settings, width
):
    settings.DEBUG = False
    context = browser.new_context(viewport=width)
    try:
        signed_in(context, live_server, cast.alice)
        page = context.new_page()
        response = page.goto(live_server.url + "/partnerships/999999/")
        assert response is not None
        assert response.status == 404
        expect(page.get_by_role("heading", name="This page is not here")).to_be_visible()
        expect(page.locator("link[rel=stylesheet]")).to_have_count(1)
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == (
            "rgb(246, 247, 249)"  # app.css arrived: static files serve with DEBUG off
        )
        assert page_width(page) <= width["width"]
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"404@{width['width']}.png"), full_page=True)
        page.get_by_role("link", name="Go to My partnerships").click()
        expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()
    finally:
        context.close()
