"""What a person sees of an import whose worker stopped, in a real browser at phone and desktop
width: the failure and what to do, and a page that no longer polls."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from accord.imports.lease import WORKER_LOST, fail_job
from accord.imports.models import ImportJob
from accord.partnerships.models import Visibility
from accord.testing.personas import build_cast

SHOTS = Path(tempfile.gettempdir()) / "accord-shots"
PASSWORD = "correct horse battery"  # the factories' password


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_a_job_whose_worker_stopped_says_so_and_stops_polling(
    transactional_db, live_server, page: Page, width, height
):
    cast = build_cast()
    job = ImportJob.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        visibility=Visibility.INTERNAL,
        created_by=cast.alice,
        kind="observations",
        original_name="q3-observations.csv",
        file=SimpleUploadedFile("q3-observations.csv", b"metric,period,value\n"),
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now(),
    )
    assert fail_job(job, WORKER_LOST, now=timezone.now())
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill(cast.alice.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/partnerships/{cast.partnership.pk}/imports/{job.pk}/")
    expect(page.get_by_role("alert")).to_contain_text(WORKER_LOST)
    assert page.locator("#import-status").get_attribute("hx-trigger") is None
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"import-failed-{width}.png"), full_page=True)
    expect(page.get_by_role("link", name="Upload the file again")).to_be_visible()
    # The status card fits the screen (the site's top bar is checked by the layout tests).
    card = page.locator("#import-status").bounding_box()
    assert card is not None
    assert card["x"] >= 0
    assert card["x"] + card["width"] <= width
