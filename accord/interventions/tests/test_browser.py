"""In a real browser, a whole intervention: Alder opens it, both parties list privately and
submit, the facilitator reveals both at once, the timeline shows both accounts, both parties
agree a plan, and its commitment appears in accountability."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery"  # the factories' password


def sign_in(page: Page, base: str, user) -> None:
    page.context.clear_cookies()
    page.goto(base + reverse("login"))
    page.get_by_label("E-mail").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def submit_lists(page: Page, url: str, *, event: str, on: str, effect: str) -> None:
    page.goto(url)
    page.get_by_label("Yes — the partnership still makes strategic sense for us").check()
    page.get_by_role("button", name="Save answer").click()
    page.get_by_label("List").select_option("pivotal_event")
    page.get_by_label("Text").fill(event)
    page.get_by_label("Date (pivotal events)").fill(on)
    page.get_by_label("Effect on our trust (pivotal events)").select_option(label=effect)
    page.get_by_role("button", name="Add to our list").click()
    expect(page.get_by_text(event)).to_be_visible()
    page.get_by_role("button", name="Submit our lists").click()
    expect(page.get_by_text("Your lists are submitted")).to_be_visible()


@pytest.mark.browser
def test_a_whole_intervention_from_private_lists_to_an_agreed_plan(
    transactional_db, cast, live_server, page
):
    base = live_server.url
    day = (timezone.localdate() - timedelta(days=10)).isoformat()
    sign_in(page, base, cast.alice)
    page.goto(base + reverse("interventions:overview", args=[cast.partnership.pk]))
    page.get_by_label("Reason").fill("Samples arrive late and nobody says why.")
    page.get_by_role("button", name="Open intervention").click()
    detail = page.url
    submit_lists(
        page,
        detail,
        event="Alder: the audit we were not told about",
        on=day,
        effect="Lowered our trust",
    )

    sign_in(page, base, cast.bob)
    page.goto(detail)
    expect(page.get_by_text("Alder: the audit we were not told about")).to_have_count(0)
    submit_lists(
        page,
        detail,
        event="Birch: audit moved for a regulator visit",
        on=day,
        effect="No effect on trust",
    )

    sign_in(page, base, cast.fiona)
    page.goto(detail)
    page.get_by_role("button", name="Reveal both lists").click()
    timeline = page.locator("table", has_text="What happened")
    expect(timeline.get_by_text("Alder: the audit we were not told about")).to_be_visible()
    expect(timeline.get_by_text("Birch: audit moved for a regulator visit")).to_be_visible()
    expect(timeline.get_by_text("the other side felt it differently")).to_have_count(2)

    sign_in(page, base, cast.alice)
    page.goto(detail)
    page.get_by_text("Change the plan").click()
    page.get_by_label("Communication cadence").fill("A weekly call of both alliance managers")
    page.get_by_label("Rule for raising issues early").fill("Any slip goes to the forum in 2 days")
    page.get_by_role("button", name="Save cadence and rule").click()
    page.get_by_text("Change the plan").click()
    page.get_by_label("Commitment").fill("Announce audits a month ahead")
    page.get_by_label("Owner party").select_option(label="Alder Pharma")
    page.get_by_label("Due").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Add commitment").click()
    page.get_by_text("Change the plan").click()
    page.get_by_label("Opens").fill((timezone.localdate() + timedelta(days=60)).isoformat())
    page.get_by_label("Closes").fill((timezone.localdate() + timedelta(days=74)).isoformat())
    page.get_by_role("button", name="Schedule follow-up trust round").click()
    page.get_by_role("button", name="Our party agrees to this plan").click()

    sign_in(page, base, cast.bob)
    page.goto(detail)
    page.get_by_role("button", name="Our party agrees to this plan").click()
    expect(page.locator("table", has_text="Plan").get_by_text("agreed", exact=True)).to_have_count(
        2
    )
    page.goto(base + reverse("accountability:commitments", args=[cast.partnership.pk]))
    expect(page.get_by_text("Announce audits a month ahead")).to_be_visible()
