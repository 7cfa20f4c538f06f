"""History files for the tests: a steady past that turns into a vicious circle on both sides."""

from __future__ import annotations

import io
from datetime import date

from accord.imports.services import import_file

HEADER = "period,from_party,to_party,signal,value\n"
MONTHS = [date(2024 + (m // 12), m % 12 + 1, 1) for m in range(2, 35)]  # 2024-03 … 2026-11


def _month_rows(month: date, badness: float) -> list[str]:
    """One month: each side's three raters answer about the other, behaviour on both sides."""
    p = f"{month:%Y-%m}"
    rows = []
    for a, b in (("alder", "birch"), ("birch", "alder")):
        for form in ("competence", "contractual", "goodwill"):
            for person in range(3):
                value = max(1, min(7, round(6 - 3.5 * badness + (person - 1) * 0.4)))
                rows.append(f"{p},{a},{b},trust_{form},{value}")
        for i in range(4):
            rows.append(f"{p},{a},,on_time,{1 if i >= round(4 * badness) else 0}")
        rows.append(f"{p},{a},{b},notice_lead_days,{round(40 - 35 * badness)}")
        rows.append(f"{p},{a},{b},monitoring_requests,{round(1 + 6 * badness)}")
        rows.append(f"{p},{a},{b},messages,{round(30 - 24 * badness)}")
    rows.append(f"{p},,,metric_attainment,{1.0 - 0.1 * badness:.2f}")
    return rows


def circle_csv(side: str, *, with_partnership_rows: bool) -> str:
    """Two steady years, then both sides worsening together over the last eight months: the
    rows of one side (a party imports only its own people's answers), and optionally the rows
    about the partnership as a whole (imported once, by either side)."""
    lines = []
    for i, month in enumerate(MONTHS):
        badness = max(0.0, (i - (len(MONTHS) - 9)) / 8)
        lines += _month_rows(month, badness)
    keep = (side, "") if with_partnership_rows else (side,)
    lines = [row for row in lines if row.split(",")[1] in keep]
    return HEADER + "\n".join(lines) + "\n"


def run_history(cast, user, text: str, filename: str = "history.csv"):
    return import_file(
        partnership=cast.partnership,
        user=user,
        kind="history",
        stream=io.BytesIO(text.encode()),
        filename=filename,
    )
