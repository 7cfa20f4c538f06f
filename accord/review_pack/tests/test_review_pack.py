import io
import re
import zlib
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accord.accountability.models import Commitment
from accord.partnerships.models import Visibility
from accord.review_pack.pack import NO_QUARTER, SECTIONS, Quarter, build_pack
from accord.review_pack.render import pack_markdown, pack_pdf


def pdf_text(data: bytes) -> str:
    """The text drawn by a core-font PDF: its content streams inflated, the string operands."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            body = zlib.decompress(stream)
        except zlib.error:
            body = stream
        out += [s.decode("latin-1") for s in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", body)]
    return "\n".join(out)


def this_quarter() -> Quarter:
    return Quarter.of(timezone.localdate())


def commitment(cast, *, party, visibility, due, done=None, status="planned"):
    org = cast.org_a if party == cast.party_a else cast.org_b
    return Commitment.objects.create(
        partnership=cast.partnership,
        owner_org=org,
        visibility=visibility,
        created_by=cast.alice if org == cast.org_a else cast.bob,
        title="Deliver the batch",
        owner_party=party,
        due_on=due,
        done_on=done,
        status=status,
    )


def test_the_pack_counts_joint_commitments_per_party_and_nothing_internal(cast):
    q = this_quarter()
    day = q.start + timedelta(days=1)
    joint, internal = Visibility.JOINT, Visibility.INTERNAL
    commitment(cast, party=cast.party_a, visibility=joint, due=day, done=day, status="done")
    commitment(cast, party=cast.party_b, visibility=joint, due=day, status="missed")
    commitment(cast, party=cast.party_b, visibility=internal, due=day, status="missed")

    pack = build_pack(partnership=cast.partnership, quarter=q)

    rows = {c.party: (c.due, c.on_time, c.missed) for c in pack.commitments}
    assert rows == {"Alder Pharma": (1, 1, 0), "Birch Bio": (1, 0, 1)}
    markdown = pack_markdown(pack)
    assert [line[3:] for line in markdown.splitlines() if line.startswith("## ")] == list(SECTIONS)
    assert "| Birch Bio | 1 | 0 | 0 | 1 | 0 |" in markdown


def test_the_pdf_has_every_section_heading(cast):
    pack = build_pack(partnership=cast.partnership, quarter=this_quarter())

    text = pdf_text(pack_pdf(pack, font_path=None))

    lines = set(text.splitlines())
    assert set(SECTIONS) <= lines
    assert f"Quarterly review {pack.quarter.label} - Alder-Birch Alliance" in lines


def test_the_page_offers_each_quarter_and_the_downloads_answer(cast, client):
    client.force_login(cast.ava)
    q = this_quarter()
    page = client.get(f"/partnerships/{cast.partnership.pk}/review-pack/")
    assert page.status_code == 200
    assert f"/review-pack/{q.year}-q{q.number}.pdf" in page.content.decode()

    pdf = client.get(f"/partnerships/{cast.partnership.pk}/review-pack/{q.year}-q{q.number}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    later = Quarter.of(q.end + timedelta(days=1))
    future = f"/partnerships/{cast.partnership.pk}/review-pack/{later.year}-q{later.number}.md"
    assert client.get(future).status_code == 404


def test_the_api_gives_the_markdown_and_refuses_a_quarter_that_has_not_begun(cast, client):
    client.force_login(cast.bob)
    q = this_quarter()
    base = f"/api/v1/partnerships/{cast.partnership.pk}/review-packs"
    response = client.get(f"{base}/{q.year}/{q.number}?format=md")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    assert response.content.decode().startswith(f"# Quarterly review {q.label}")

    later = Quarter.of(q.end + timedelta(days=1))
    refused = client.get(f"{base}/{later.year}/{later.number}")
    assert refused.status_code == 404
    assert refused.json()["detail"] == NO_QUARTER
    assert client.get(f"{base}/{q.year}/5").status_code == 422


def test_the_command_writes_both_files_and_refuses_a_bad_quarter(cast, tmp_path):
    q = this_quarter()
    call_command(
        "accord_review_pack", partnership=cast.partnership.pk, quarter=q.label, out=tmp_path,
        stdout=io.StringIO(),
    )  # fmt: skip
    names = sorted(p.suffix for p in tmp_path.iterdir())
    assert names == [".md", ".pdf"]
    with pytest.raises(CommandError, match="YYYY-Qn"):
        call_command("accord_review_pack", partnership=cast.partnership.pk, quarter="2026-5")
