"""The first thing two organizations do, in a real browser: one creates a partnership and invites
the other by e-mail; the partner's alliance manager, who has no account yet, accepts the link."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from accord.partnerships.models import Membership
from accord.testing.factories import MembershipFactory, OrganizationFactory

SHOTS = Path(tempfile.gettempdir()) / "accord-shots"
PASSWORD = "correct horse battery"  # the factories' password
PARTNER_PASSWORD = "Violet-harbour-4821"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def invitation_link(mailbox, live_server_url: str) -> str:
    """The accept link from the last e-mail, on the live server instead of SITE_URL."""
    assert mailbox, "no invitation e-mail was sent"
    found = re.search(re.escape(settings.SITE_URL) + r"(/invitations/[^/\s]+/)", mailbox[-1].body)
    assert found, mailbox[-1].body
    return live_server_url + found.group(1)


@pytest.fixture
def alice(transactional_db):
    alder = OrganizationFactory(name="Alder Pharma", slug="alder")
    return MembershipFactory(
        organization=alder,
        role=Membership.Role.ADMIN,
        user__username="alice@alder.test",
        user__first_name="Alice",
        user__last_name="Alder",
    ).user


@pytest.mark.browser
def test_a_partner_organization_joins_through_an_emailed_invitation(
    alice, live_server, page, browser, mailoutbox
):
    # Alice signs in and lands on her (empty) list of partnerships.
    page.goto(live_server.url + "/")
    page.get_by_label("E-mail").fill(alice.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()
    shot(page, "01-empty-list")

    # She creates the partnership.
    page.get_by_role("link", name="New partnership").first.click()
    expect(page.get_by_role("heading", name="New partnership")).to_be_visible()
    page.get_by_label("Name").fill("Alder–Birch Oncology Alliance")
    page.get_by_label("Purpose").fill("Co-develop and market a first-in-class oncology antibody.")
    shot(page, "02-create-form")
    page.get_by_role("button", name="Create partnership").click()
    expect(page.get_by_role("heading", name="Alder–Birch Oncology Alliance")).to_be_visible()
    shot(page, "03-created")

    # She invites Birch Bio; the link goes out by e-mail.
    page.get_by_role("link", name="Invite a partner organization").click()
    page.get_by_label("Partner organization").fill("Birch Bio")
    page.get_by_label("Their alliance manager's e-mail").fill("bob@birch.test")
    page.get_by_label("Message").fill("Bob — here is the workspace we discussed.")
    shot(page, "04-invite-form")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to bob@birch.test.")).to_be_visible()
    shot(page, "05-invited")
    assert mailoutbox[-1].to == ["bob@birch.test"]
    link = invitation_link(mailoutbox, live_server.url)
    assert urlsplit(link).netloc == urlsplit(live_server.url).netloc

    # Bob, who has no account and no session, opens the link in his own browser.
    bob_context = browser.new_context()
    try:
        bob = bob_context.new_page()
        bob.goto(link)
        expect(bob.get_by_role("heading", name="You are invited")).to_be_visible()
        shot(bob, "06-accept-form")
        bob.get_by_label("First name").fill("Bob")
        bob.get_by_label("Last name").fill("Birch")
        bob.get_by_label("Department or unit").fill("Alliance management")
        bob.get_by_label("Password", exact=True).fill(PARTNER_PASSWORD)
        bob.get_by_label("Password again").fill(PARTNER_PASSWORD)
        bob.get_by_role("button", name="Create account and accept").click()

        # He lands on the partnership, with both organizations as parties.
        expect(bob.get_by_role("heading", name="Alder–Birch Oncology Alliance")).to_be_visible()
        parties = bob.get_by_role("region", name="Parties")
        expect(parties.get_by_text("Alder Pharma")).to_be_visible()
        expect(parties.get_by_text("Birch Bio")).to_be_visible()
        shot(bob, "07-partner-lands")

        bob.get_by_role("link", name="My partnerships").first.click()
        row = bob.get_by_role("row", name=re.compile("Alder–Birch Oncology Alliance"))
        expect(row).to_contain_text("Alder Pharma, Birch Bio")
        expect(row).to_contain_text("Alliance manager")
        shot(bob, "08-partner-list")
    finally:
        bob_context.close()

    # Alice sees Birch Bio among the parties and its arrival in the recent activity.
    page.reload()
    parties = page.get_by_role("region", name="Parties")
    expect(parties.get_by_text("Birch Bio")).to_be_visible()
    activity = page.get_by_role("region", name="Recent activity")
    expect(activity.get_by_text("Birch Bio joined the partnership")).to_be_visible()
    shot(page, "09-owner-sees-partner")

    page.get_by_role("link", name="Full history").click()
    expect(page.get_by_role("heading", name="Activity history")).to_be_visible()
    expect(page.get_by_role("cell", name="Birch Bio joined the partnership")).to_be_visible()
    shot(page, "10-activity")
