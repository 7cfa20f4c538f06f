"""The review pack of a demo partnership, rasterized: Debian's Chromium renders the PDF (its
built-in viewer; no poppler or pdfium is installed here) and Pillow checks the picture."""

from __future__ import annotations

import io
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from accord.demo.generator import load_portfolio
from accord.health.services import score_partnerships
from accord.review_pack.pack import SECTIONS, Quarter, build_pack
from accord.review_pack.render import pack_pdf
from accord.review_pack.tests.test_review_pack import pdf_text

ANCHOR = date(2026, 11, 30)
SHOTS = Path(tempfile.gettempdir()) / "accord-shots"


@pytest.mark.browser
def test_a_demo_partnerships_pack_renders_to_a_non_blank_page_with_every_section(
    db, browser, tmp_path
):
    ctx = load_portfolio(2, 7, ANCHOR)
    drifting = next(p for p in ctx.partnerships if p.archetype != "healthy")
    score_partnerships([drifting.partnership.pk], today=ANCHOR)
    quarter = Quarter.of(ANCHOR - timedelta(days=92))
    pack = build_pack(partnership=drifting.partnership, quarter=quarter)
    assert pack.health is not None
    assert pack.commitments
    assert any(c.due for c in pack.commitments)

    data = pack_pdf(pack, font_path=None)
    assert set(SECTIONS) <= set(pdf_text(data).splitlines())

    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    page.goto(path.as_uri())
    page.wait_for_timeout(1500)  # the viewer draws the page after load
    shot = page.screenshot()
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / "review-pack.png").write_bytes(shot)  # to look at, as a reader would
    image = Image.open(io.BytesIO(shot)).convert("L")
    page.close()

    assert image.size == (900, 1200)
    # The white sheet in the middle of the viewer: mostly paper, with dark text on it.
    sheet = image.crop((300, 150, 600, 700))
    histogram = sheet.histogram()
    white = sum(histogram[240:])
    dark = sum(histogram[:100])
    assert white > 0.6 * sheet.width * sheet.height
    assert dark > 200
    assert ImageStat.Stat(sheet).stddev[0] > 10
