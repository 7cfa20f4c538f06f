"""The pack as Markdown and as PDF, from the same data (pack.py), with the charter's PDF setup:
fpdf2 with DejaVu Sans where installed, else a core font and text folded to latin-1."""

from __future__ import annotations

from pathlib import Path

from accord.governance.charter import DEJAVU, DEJAVU_BOLD, to_latin1
from accord.review_pack.pack import Pack

STATE_WORDS = {
    "green": "on target",
    "amber": "below target, not yet red",
    "red": "off target",
    "no evidence": "no value this quarter",
}
HEALTH_GROUPS = ("trust", "behaviour", "economics", "governance", "performance", "communication")


def _score(value: float | None) -> str:
    return "no evidence yet" if value is None else f"{value:.0f}"


def _money(value: float, currency: str) -> str:
    return f"{value:,.0f} {currency}".strip()


def blocks(pack: Pack) -> list[tuple[str, list[str], list[list[str]] | None]]:
    """(heading, paragraphs, table rows with a header row or None), in SECTIONS order."""
    out: list[tuple[str, list[str], list[list[str]] | None]] = []
    if pack.health is None:
        out.append(("Health", ["No health score was computed for this quarter yet."], None))
    else:
        change = (
            "" if pack.health_change is None else f" ({pack.health_change:+g} over the quarter)"
        )
        lines = [
            f"Overall health {_score(pack.health['overall'])} of 100{change}, week of "
            f"{pack.health['week']:%d %B %Y}; the early-warning detector read the week as "
            f"'{(pack.health['state'] or 'unknown').replace('_', ' ')}'."
        ]
        lines += [f"What moved it: {m}" for m in pack.movements] or ["No movements recorded."]
        table = [["Sub-score", "Score (0-100)"]] + [
            [g.capitalize(), _score(pack.health[g])] for g in HEALTH_GROUPS
        ]
        out.append(("Health", lines, table))
    out.append(
        (
            "Open alerts",
            [] if pack.alerts else ["No early-warning alert was open at the end of the quarter."],
            [["Kind", "State", "Summary"], *[list(a) for a in pack.alerts]]
            if pack.alerts
            else None,
        )
    )
    out.append(
        (
            "Scorecard",
            [
                "Joint metrics, their last value in the quarter against the target; "
                "green = on target, amber = below target but not yet red, red = off target."
            ]
            if pack.scorecard
            else ["No joint metrics yet."],
            [
                ["Metric", "Category", "Last value", "Target", "Status"],
                *[list(r) for r in pack.scorecard],
            ]
            if pack.scorecard
            else None,
        )
    )
    out.append(
        (
            "Commitments",
            [
                "Joint commitments due in the quarter, per party that owns them. "
                "Missed: not delivered by the due date (or declared missed)."
            ],
            [
                ["Party", "Due", "On time", "Late", "Missed", "Still open"],
                *[
                    [c.party, str(c.due), str(c.on_time), str(c.late), str(c.missed), str(c.open)]
                    for c in pack.commitments
                ],
            ],
        )
    )
    decided = [f"Decided: {t} on {d} ({days} days from proposal)" for t, d, days in pack.decided]
    pending = [f"Pending: {t} (proposed {d})" for t, d in pack.pending]
    out.append(("Decisions", decided + pending or ["No joint decisions taken or pending."], None))
    out.append(
        (
            "Open conflicts",
            [] if pack.conflicts else ["No joint conflict was open at the end of the quarter."],
            [["Issue", "Type", "Tier"], *[list(c) for c in pack.conflicts]]
            if pack.conflicts
            else None,
        )
    )
    out.append(
        (
            "Ledger summary",
            [
                "Joint ledger entries as they stood at the end of the quarter, "
                f"in {pack.currency}. Hostage: specific investment a party would lose "
                "if the partnership ended."
            ],
            [
                ["Party", "Value realized", "Value expected", "Invested", "Hostage"],
                *[[n, *(_money(v, "") for v in (r, e, i, h))] for n, r, e, i, h in pack.ledger],
            ],
        )
    )
    return out


def title(pack: Pack) -> str:
    return f"Quarterly review {pack.quarter.label} — {pack.partnership}"


def pack_markdown(pack: Pack) -> str:
    lines = [
        f"# {title(pack)}",
        "",
        f"Parties: {', '.join(pack.parties)}. Generated {pack.generated}.",
        "",
    ]
    for heading, paras, table in blocks(pack):
        lines += [f"## {heading}", ""]
        lines += [f"{p}\n" for p in paras]
        if table:
            lines.append("| " + " | ".join(table[0]) + " |")
            lines.append("|" + "---|" * len(table[0]))
            lines += [
                "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in table[1:]
            ]
            lines.append("")
    return "\n".join(lines)


def pack_pdf(pack: Pack, *, font_path: Path | None = DEJAVU) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 18, 18)
    if font_path is not None and font_path.exists() and DEJAVU_BOLD.exists():
        pdf.add_font("Body", "", str(font_path))
        pdf.add_font("Body", "B", str(DEJAVU_BOLD))
        family = "Body"

        def clean(text: str) -> str:
            return text
    else:
        family, clean = "Helvetica", to_latin1
    pdf.set_title(clean(title(pack)))
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(family, "B", 18)
    pdf.multi_cell(width, 9, clean(title(pack)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(
        width,
        5.5,
        clean(f"Parties: {', '.join(pack.parties)}. Generated {pack.generated}."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for heading, paras, table in blocks(pack):
        pdf.ln(3)
        pdf.set_font(family, "B", 14)
        pdf.multi_cell(width, 8, clean(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10)
        for text in paras:
            pdf.multi_cell(width, 5.5, clean(text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        if table:
            with pdf.table(text_align="LEFT", line_height=5.5) as grid:
                for row in table:
                    cells = grid.row()
                    for value in row:
                        cells.cell(clean(value))
    return bytes(pdf.output())
