"""The governance charter: one document both parties sign off, as Markdown and as PDF.

`build_charter` reads the matrix, the joint bodies, the escalation ladder and the conflict
principles (from the conflicts app) into plain data; the Markdown and PDF renderers both read
that data, so the two exports always say the same thing. A sign-off is bound to the SHA-256 of
the Markdown text without its sign-off section: any later change to the charter shows that the
earlier sign-offs were for another version.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from accord.governance import selectors
from accord.governance.models import MODE_HELP, CharterSignoff, Mode
from accord.partnerships.access import HIDDEN_PERSON
from accord.partnerships.models import Partnership

NOT_CONFIGURED = "Not yet configured."
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@dataclass
class CharterTier:
    label: str
    window_days: int | None
    owners: list[tuple[str, list[str]]]


@dataclass
class Charter:
    partnership: str
    purpose: str
    parties: list[str]
    matrix: list[tuple[str, str, str, str]]  # domain, mode, decider, basis
    bodies: list[tuple[str, str, int, list[str]]]  # name, mandate, quorum, members
    ladder: list[CharterTier] | None
    principles: list[tuple[str, str, str]] | None  # conflict type, title, text
    settings: list[tuple[str, str]]
    signoffs: list[tuple[str, str, str, bool]] = field(default_factory=list)
    # party, signer, date, current version


def _field(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _ladder(partnership: Partnership) -> list[CharterTier] | None:
    """The conflicts app's ladder; None (rendered "not yet configured") until it offers one."""
    try:
        from accord.conflicts.selectors import ladder  # type: ignore[attr-defined]
    except ImportError:
        return None
    tiers = ladder(partnership=partnership)
    if not tiers:
        return None
    # One text for every party (sign-offs hash it): when parties keep their participant lists to
    # themselves, the charter names each tier's owning organizations, not their people.
    private = partnership.restrict_participant_lists
    return [
        CharterTier(
            label=str(_field(t, "label", "")),
            window_days=_field(t, "window_days"),
            owners=[
                (str(org), [] if private else [str(n) for n in names])
                for org, names in _field(t, "owners", [])
            ],
        )
        for t in sorted(tiers, key=lambda t: _field(t, "order", 0))
    ]


def _principles(partnership: Partnership) -> list[tuple[str, str, str]] | None:
    try:
        from accord.conflicts.selectors import principles  # type: ignore[attr-defined]
    except ImportError:
        return None
    found = principles(partnership=partnership)
    if not found:
        return None
    return [
        (
            str(_field(p, "conflict_type", "")).replace("_", " "),
            str(_field(p, "title", "")),
            str(_field(p, "text", "")),
        )
        for p in found
    ]


def build_charter(*, partnership: Partnership) -> Charter:
    found = selectors.governance_settings(partnership=partnership)
    matrix = [
        (
            d.label,
            Mode(d.mode).label,
            d.decider_label(),
            d.get_basis_display() + (f" — {d.override_reason}" if d.basis == "overridden" else ""),
        )
        for d in selectors.domains(partnership=partnership)
    ]
    # One text for every party, as for the ladder: restricted lists name organizations only.
    private = partnership.restrict_participant_lists
    bodies = [
        (
            b.name,
            b.mandate,
            b.quorum,
            [
                HIDDEN_PERSON.format(organization=m.participant.organization.name)
                if private
                else f"{m.participant.user.get_full_name() or m.participant.user.get_username()} "
                f"({m.participant.organization.name})"
                for m in b.memberships.all()
            ],
        )
        for b in selectors.joint_bodies(partnership=partnership)
    ]
    settings_rows = []
    if found is not None:
        settings_rows = [
            ("Consultation window", f"{found.consultation_days} days"),
            (
                "Stances before a proposal closes",
                "each party sees only its own"
                if found.hide_stances_until_closed
                else "visible to all parties",
            ),
        ]
    return Charter(
        partnership=partnership.name,
        purpose=partnership.purpose,
        parties=[p.organization.name for p in selectors.parties(partnership=partnership)],
        matrix=matrix,
        bodies=bodies,
        ladder=_ladder(partnership),
        principles=_principles(partnership),
        settings=settings_rows,
    )


def with_signoffs(charter: Charter, *, partnership: Partnership, current_hash: str) -> Charter:
    """Each party's latest sign-off, and whether it was for the charter as it reads now."""
    latest: dict[int, CharterSignoff] = {}
    for s in CharterSignoff.objects.filter(partnership=partnership).select_related(
        "party__organization", "signed_by"
    ):
        latest.setdefault(s.party_id, s)
    charter.signoffs = [
        (
            s.party.organization.name,
            (s.signed_by.get_full_name() or s.signed_by.get_username()) if s.signed_by else "",
            timezone.localtime(s.signed_at).strftime("%d %b %Y"),
            s.charter_hash == current_hash,
        )
        for s in latest.values()
    ]
    return charter


@dataclass(frozen=True)
class CharterVersion:
    """Which version of the charter a text is, for people: signed versions are numbered 1, 2, …
    in the order their first sign-off came in (sign-offs are never deleted, so a number never
    moves); a text nobody has signed yet is the next number, marked as a draft. ``digest`` (the
    SHA-256 a sign-off binds to) stays available for verification."""

    number: int
    day: date
    draft: bool
    digest: str

    @property
    def label(self) -> str:
        when = f"{self.day.day} {self.day:%b %Y}"
        return f"Version {self.number} · {'draft of ' if self.draft else ''}{when}"


def charter_version(*, partnership: Partnership, digest: str) -> CharterVersion:
    first_signed: dict[str, datetime] = {}
    for charter_hash, signed_at in (
        CharterSignoff.objects.filter(partnership=partnership)
        .order_by("signed_at", "pk")
        .values_list("charter_hash", "signed_at")
    ):
        first_signed.setdefault(charter_hash, signed_at)
    numbers = {h: i for i, h in enumerate(first_signed, 1)}
    if digest in numbers:
        day = timezone.localtime(first_signed[digest]).date()
        return CharterVersion(numbers[digest], day, False, digest)
    return CharterVersion(len(numbers) + 1, timezone.localdate(), True, digest)


def _owners(tier: CharterTier) -> str:
    return "; ".join(f"{org}: {', '.join(names)}" if names else org for org, names in tier.owners)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def charter_markdown(
    charter: Charter, *, signoffs: bool = True, version: CharterVersion | None = None
) -> str:
    """The charter's text; the version line is left out of the signed (hashed) text, which
    cannot contain its own fingerprint."""
    out = [f"# Governance charter — {charter.partnership}", ""]
    if version is not None:
        out += [f"{version.label} · fingerprint (SHA-256) {version.digest}", ""]
    if charter.purpose:
        out += [charter.purpose, ""]
    out += [f"Parties: {', '.join(charter.parties)}.", "", "## Decision rights", ""]
    out += ["| Domain | Mode | Decided by | Basis |", "|---|---|---|---|"]
    out += [f"| {' | '.join(_md_escape(c) for c in row)} |" for row in charter.matrix]
    out += ["", "What each mode means:", ""]
    out += [f"- **{mode.label}** — {MODE_HELP[mode]}" for mode in Mode]
    out += ["", "## Joint bodies", ""]
    if not charter.bodies:
        out += ["No joint bodies.", ""]
    for name, mandate, quorum, members in charter.bodies:
        out += [f"### {name}", ""]
        if mandate:
            out += [mandate, ""]
        out += [f"Quorum: {quorum} of {len(members)} members.", ""]
        out += [f"- {m}" for m in members] + [""]
    out += ["## Escalation ladder", ""]
    if charter.ladder is None:
        out += [NOT_CONFIGURED, ""]
    else:
        for i, tier in enumerate(charter.ladder, 1):
            window = f"{tier.window_days} days" if tier.window_days else "no time limit"
            owners = _owners(tier)
            out += [f"{i}. **{tier.label}** ({window})" + (f" — {owners}" if owners else "")]
        out += [""]
    out += ["## Principles for resolving conflicts", ""]
    if charter.principles is None:
        out += [NOT_CONFIGURED, ""]
    else:
        for kind, title, text in charter.principles:
            out += [f"- **{title}** ({kind}): {text}"]
        out += [""]
    if charter.settings:
        out += ["## Settings", ""]
        out += [f"- {label}: {value}" for label, value in charter.settings] + [""]
    if signoffs:
        out += ["## Sign-off", ""]
        signed = {party: row for party, *row in charter.signoffs}
        for party in charter.parties:
            if party in signed:
                signer, when, current = signed[party]
                note = "" if current else " (an earlier version)"
                out += [f"- {party}: signed by {signer} on {when}{note}"]
            else:
                out += [f"- {party}: not signed yet"]
        out += [""]
    return "\n".join(out)


# — PDF —

_REPLACEMENTS = {
    "—": "-",
    "–": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "→": "->",
    "×": "x",
    "≥": ">=",
    "≤": "<=",
    "•": "-",
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "ı": "i",
    "Œ": "OE",
    "œ": "oe",
    "€": "EUR",
}


def to_latin1(text: str) -> str:
    """Text the PDF core fonts can draw: typographic marks become ASCII, accents that latin-1 has
    stay, anything else loses its accent or becomes '?'."""
    text = "".join(_REPLACEMENTS.get(ch, ch) for ch in text)
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(base or "?")
        else:
            out.append(ch)
    return "".join(out)


def charter_pdf(
    charter: Charter, *, version: CharterVersion | None = None, font_path: Path | None = DEJAVU
) -> bytes:
    """Render with DejaVu Sans when it is installed (full Unicode); otherwise with a core font
    and text folded to latin-1, so the export works on any machine. Every page's footer names
    the version, its date and "Page n of N", so a printed page can be matched to its sign-off."""
    from accord.pdf_footer import FooterPDF

    footer = "Governance charter" + (f" · {version.label}" if version else "")
    pdf = FooterPDF(format="A4", footer_text=footer)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 18, 18)
    unicode_font = font_path is not None and font_path.exists() and DEJAVU_BOLD.exists()
    if unicode_font:
        pdf.add_font("Body", "", str(font_path))
        pdf.add_font("Body", "B", str(DEJAVU_BOLD))
        family = "Body"

        def clean(text: str) -> str:
            return text
    else:
        family = "Helvetica"
        clean = to_latin1
    pdf.footer_font = family
    pdf.footer_text = clean(footer)
    pdf.set_title(clean(f"Governance charter - {charter.partnership}"))
    pdf.add_page()
    width = pdf.epw

    def heading(text: str, size: int = 14) -> None:
        pdf.ln(3)
        pdf.set_font(family, "B", size)
        pdf.multi_cell(width, 8, clean(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10)

    def para(text: str) -> None:
        pdf.set_font(family, "", 10)
        pdf.multi_cell(width, 5.5, clean(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    heading(f"Governance charter — {charter.partnership}", 18)
    if version is not None:
        para(f"{version.label}. Fingerprint (SHA-256): {version.digest}")
    if charter.purpose:
        para(charter.purpose)
    para(f"Parties: {', '.join(charter.parties)}.")
    heading("Decision rights")
    if charter.matrix:
        with pdf.table(col_widths=(30, 20, 25, 35), text_align="LEFT", line_height=5.5) as table:
            header = table.row()
            for title in ("Domain", "Mode", "Decided by", "Basis"):
                header.cell(clean(title))
            for row in charter.matrix:
                cells = table.row()
                for value in row:
                    cells.cell(clean(value))
    pdf.ln(2)
    for mode in Mode:
        para(f"{mode.label}: {MODE_HELP[mode]}")
    heading("Joint bodies")
    if not charter.bodies:
        para("No joint bodies.")
    for name, mandate, quorum, members in charter.bodies:
        heading(name, 11)
        if mandate:
            para(mandate)
        para(f"Quorum: {quorum} of {len(members)} members. Members: {', '.join(members)}.")
    heading("Escalation ladder")
    if charter.ladder is None:
        para(NOT_CONFIGURED)
    else:
        for i, tier in enumerate(charter.ladder, 1):
            window = f"{tier.window_days} days" if tier.window_days else "no time limit"
            owners = _owners(tier)
            para(f"{i}. {tier.label} ({window})" + (f" — {owners}" if owners else ""))
    heading("Principles for resolving conflicts")
    if charter.principles is None:
        para(NOT_CONFIGURED)
    else:
        for kind, title, text in charter.principles:
            para(f"{title} ({kind}): {text}")
    if charter.settings:
        heading("Settings")
        for label, value in charter.settings:
            para(f"{label}: {value}")
    heading("Sign-off")
    signed = {party: row for party, *row in charter.signoffs}
    for party in charter.parties:
        if party in signed:
            signer, when, current = signed[party]
            para(
                f"{party}: signed by {signer} on {when}"
                + ("" if current else " (an earlier version)")
            )
        else:
            para(f"{party}: not signed yet")
    return bytes(pdf.output())
