"""Every PDF the app produces names itself, its version and date, and "Page n of N" on every
page, so a printed page can be matched to the record (and the sign-off) it came from."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse

from accord.culture import selectors as culture_selectors
from accord.culture.tests.test_culture import culture_round
from accord.governance.charter import (
    build_charter,
    charter_markdown,
    charter_pdf,
    charter_version,
)
from accord.governance.models import CharterSignoff
from accord.governance.services import charter_hash
from accord.governance.tests.helpers import govern, steering_committee
from accord.testing.pdf_text import page_texts

PAGE = re.compile(r"Page (\d+) of (\d+)")


def footers(pdf: bytes) -> list[str]:
    """The last line of each page: the footer."""
    return [text.splitlines()[-1] for text in page_texts(pdf)]


def assert_numbered(lines: list[str]) -> None:
    numbers = [PAGE.search(line) for line in lines]
    assert all(numbers), lines
    assert [(int(m.group(1)), int(m.group(2))) for m in numbers if m] == [
        (i, len(lines)) for i in range(1, len(lines) + 1)
    ]


def test_the_charter_pdf_footer_names_version_date_and_page(cast, client, time_machine):
    time_machine.move_to("2026-12-13 11:33:00+00:00")
    govern(cast)
    steering_committee(cast)
    client.force_login(cast.alice)
    pdf = client.get(reverse("governance:charter_pdf", kwargs={"pk": cast.partnership.pk}))
    lines = footers(pdf.content)  # DejaVu Sans where installed, else the core font
    assert len(lines) >= 2
    assert_numbered(lines)
    assert all(
        line.startswith("Governance charter · Version 1 · draft of 13 Dec 2026 · Page")
        for line in lines
    )


def test_a_signed_charter_keeps_its_version_number_and_sign_off_date(cast, time_machine):
    govern(cast)
    charter = build_charter(partnership=cast.partnership)
    digest = charter_hash(charter_markdown(charter, signoffs=False))
    CharterSignoff.objects.create(
        partnership=cast.partnership,
        party=cast.party_a,
        signed_by=cast.alice,
        charter_hash="an-earlier-text",
        signed_at="2026-10-01T09:00:00+00:00",
    )
    CharterSignoff.objects.create(
        partnership=cast.partnership,
        party=cast.party_b,
        signed_by=cast.bob,
        charter_hash=digest,
        signed_at="2026-11-20T09:00:00+00:00",
    )
    version = charter_version(partnership=cast.partnership, digest=digest)
    assert (version.number, version.day, version.draft) == (2, date(2026, 11, 20), False)
    assert version.label == "Version 2 · 20 Nov 2026"
    core = charter_pdf(charter, version=version, font_path=None)
    texts = page_texts(core)
    assert_numbered(footers(core))
    assert all("Governance charter · Version 2 · 20 Nov 2026 · Page" in t for t in texts)
    assert f"Fingerprint (SHA-256): {digest}" in texts[0].replace("\n", " ")


def test_the_charter_page_shows_the_version_number_not_a_hash(cast, client, time_machine):
    time_machine.move_to("2026-12-13 11:33:00+00:00")
    govern(cast)
    client.force_login(cast.bob)
    page = client.get(reverse("governance:charter", kwargs={"pk": cast.partnership.pk}))
    html = page.content.decode()
    assert "Version 1 · draft of 13 Dec 2026" in html
    assert "Fingerprint for verification" in html


def test_the_culture_report_pdf_footer_names_survey_date_and_page(cast, client, time_machine):
    culture_round(cast)
    survey = culture_selectors.culture_results(partnership=cast.partnership).survey
    time_machine.move_to("2026-12-13 11:33:00+00:00")
    client.force_login(cast.alice)
    pdf = client.get(reverse("culture:report_pdf", kwargs={"pk": cast.partnership.pk}))
    lines = footers(pdf.content)
    assert_numbered(lines)
    closed = survey.closes_at
    expected = (
        f'Cultural due diligence · Survey "{survey.title}", closed '
        f"{closed.day} {closed:%b %Y} · generated 13 Dec 2026 · Page"
    )
    assert all(line.startswith(expected) for line in lines)
