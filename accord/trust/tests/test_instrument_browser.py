"""An own instrument's page (results with bands, wording) and its answer page, in a real browser
at phone width: readable without sideways scrolling."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from accord.testing.personas import build_cast
from accord.trust import services
from accord.trust.models import SurveyRound
from accord.trust.tests.test_instrument_rounds import closed_round

SHOTS = Path(tempfile.gettempdir()) / "accord-shots"
PASSWORD = "correct horse battery"  # the factories' password


@pytest.mark.browser
def test_the_instrument_and_answer_pages_fit_a_phone(transactional_db, live_server, page: Page):
    cast = build_cast()
    closed_round(cast)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill(cast.bob.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    detail = reverse("trust:own_detail", kwargs={"pk": cast.partnership.pk, "key": "pulse"})
    page.goto(live_server.url + detail)
    page.get_by_role("heading", name="Wording").wait_for()
    page.screenshot(path=str(SHOTS / "instrument-detail-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_text("Strength").first.is_visible()

    survey = services.round_create(
        user=cast.alice,
        partnership=cast.partnership,
        instrument=SurveyRound.objects.get(title="Q1 pulse").instrument,
        title="Q2 pulse",
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=2),
    )
    answer = reverse("trust:respond", kwargs={"pk": cast.partnership.pk, "round_id": survey.pk})
    page.goto(live_server.url + answer)
    page.get_by_role("button", name="Send my answers").wait_for()
    page.screenshot(path=str(SHOTS / "instrument-answer-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
