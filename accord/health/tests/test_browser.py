"""In a real browser: an alliance manager opens the portfolio, goes from a partnership's alert
count to the alert, follows its chain of evidence to the inputs behind it, comes back and
acknowledges it; the acknowledgement shows on the page and is in the audit trail."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accord.health.models import Alert
from accord.health.tests.test_scoring import score, story_source  # noqa: F401 (a fixture)
from accord.partnerships.audit import AuditEvent

PASSWORD = "correct horse battery"  # the factories' password


def sign_in(page: Page, url: str, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.get_by_label("E-mail").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
def test_a_manager_follows_an_alert_to_its_evidence_and_acknowledges_it(
    transactional_db,
    cast,
    story_source,  # noqa: F811
    live_server,
    page,
):
    story_source["story"] = "drifting"
    score(cast)
    alert = Alert.objects.get(partnership=cast.partnership)
    sign_in(page, f"{live_server.url}/portfolio/", cast.alice)

    row = page.get_by_role("row").filter(has_text=cast.partnership.name)
    row.get_by_role("link", name="1 alert").click()
    expect(page.get_by_role("heading", name="Health alerts")).to_be_visible()
    card = page.locator(f"#alert-{alert.pk}")
    expect(card.get_by_role("heading", name="The chain of evidence")).to_be_visible()
    first_link = card.get_by_role("listitem").first.get_by_role("link")
    link_text = first_link.inner_text()
    assert "below its usual range" in link_text
    first_link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evidence")
    expect(page.locator("table.table").first).to_be_visible()

    page.go_back()
    card = page.locator(f"#alert-{alert.pk}")
    card.get_by_role("button", name="Acknowledge").click()
    expect(card.get_by_text("Acknowledged", exact=True)).to_be_visible()
    expect(card).to_contain_text("acknowledged")
    expect(card.get_by_role("button", name="Acknowledge")).to_have_count(0)

    alert.refresh_from_db()
    assert alert.state == Alert.State.ACKNOWLEDGED
    assert alert.acknowledged_by == cast.alice
    event = AuditEvent.objects.get(action="health.alert_acknowledged", target_id=str(alert.pk))
    assert event.actor_id == cast.alice.pk
