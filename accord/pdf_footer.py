"""One footer for every PDF the app produces: what the document is, its version and date, and
"Page n of N" — so a printed or forwarded page can be matched to the record it came from."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF


class FooterPDF(FPDF):
    """An FPDF whose every page ends with ``footer_text · Page n of N`` (fpdf2 fills in N, the
    page count, when the document is written)."""

    def __init__(self, *args: Any, footer_text: str, footer_font: str = "Helvetica", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.footer_text = footer_text
        self.footer_font = footer_font

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.footer_font, "", 8)
        self.set_text_color(110)
        label = f"{self.footer_text} · Page {self.page_no()} of {{nb}}"
        self.cell(0, 8, label, align="C")
        self.set_text_color(0)
