"""In a real browser: an alliance manager imports a file with a bad row, reads the report, fixes
the row, imports again and sees the metric's chart with its numbers."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import make_metric

PASSWORD = "correct horse battery"  # the factories' password
BAD = b"metric,period,value,note\notif,2026-01,91,\notif,2026-13,93,\notif,2026-03,96,\n"
GOOD = BAD.replace(b"2026-13", b"2026-02")


def upload(page: Page, data: bytes) -> None:
    page.get_by_label("File").set_input_files(
        {"name": "values.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Upload and import").click()


@pytest.mark.browser
def test_an_import_with_a_bad_row_is_fixed_and_charted(transactional_db, cast, live_server, page):
    metric = make_metric(cast, name="On-time in full")
    page.goto(live_server.url + f"/partnerships/{cast.partnership.pk}/performance/")
    page.get_by_label("E-mail").fill(cast.alice.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Scorecard")).to_be_visible()

    page.get_by_role("link", name="Import values").click()
    upload(page, BAD)
    expect(page.get_by_text("Nothing was imported: 1 problem found.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="'2026-13' is not a period")
    expect(row).to_contain_text("3")
    expect(row).to_contain_text("period")
    assert metric.observations.count() == 0

    page.get_by_role("link", name="Upload a corrected file").click()
    upload(page, GOOD)
    expect(page.get_by_text("Imported 3 rows: 3 new, 0 updated, 0 unchanged.")).to_be_visible()

    page.goto(live_server.url + f"/partnerships/{cast.partnership.pk}/performance/")
    page.get_by_role("link", name="On-time in full").first.click()
    expect(page.get_by_role("img", name="On-time in full: 3 values")).to_be_visible()
    values = page.locator("table.perf-values")
    for text in ("Jan 2026", "Feb 2026", "Mar 2026", "96"):
        expect(values).to_contain_text(text)
