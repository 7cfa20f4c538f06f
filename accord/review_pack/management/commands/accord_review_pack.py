from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.partnerships.models import Partnership
from accord.review_pack.pack import NO_QUARTER, build_pack, quarter_for
from accord.review_pack.render import pack_markdown, pack_pdf
from accord.review_pack.views import filename

QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")


class Command(BaseCommand):
    help = "Write a partnership's quarterly review pack (PDF and Markdown) into a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", type=int, required=True, help="Partnership id.")
        parser.add_argument("--quarter", required=True, help="The quarter, e.g. 2026-Q3.")
        parser.add_argument("--out", type=Path, default=Path("."), help="Folder (default: .).")

    def handle(self, *args: Any, **opts: Any) -> None:
        partnership = Partnership.objects.filter(pk=opts["partnership"]).first()
        if partnership is None:
            raise CommandError("No such partnership.")
        found = QUARTER.match(opts["quarter"])
        if found is None:
            raise CommandError("Give the quarter as YYYY-Qn, e.g. 2026-Q3.")
        try:
            quarter = quarter_for(partnership, int(found[1]), int(found[2]))
        except ValueError:
            raise CommandError(NO_QUARTER) from None
        out: Path = opts["out"]
        if not out.is_dir():
            raise CommandError(f"No such folder: {out}")
        pack = build_pack(partnership=partnership, quarter=quarter)
        pdf = out / filename(partnership, quarter, "pdf")
        md = out / filename(partnership, quarter, "md")
        pdf.write_bytes(pack_pdf(pack))
        md.write_text(pack_markdown(pack), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {pdf} and {md}."))
