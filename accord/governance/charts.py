"""Charts of decision speed; each page shows the same numbers in a table beside them."""

from __future__ import annotations

from accord.charts import Chart, bar_chart, line_chart
from accord.governance.selectors import CycleTable


def cycle_charts(table: CycleTable) -> dict[str, Chart]:
    charts: dict[str, Chart] = {}
    measured = [r for r in table.rows if r["count"]]
    if measured:
        charts["domains"] = bar_chart(
            "Median days from proposal to decision, by domain",
            [r["domain"].label for r in measured],
            {"Median days": [r["median"] for r in measured]},
            alt="Median decision cycle time per domain in days; the table below lists the values.",
            horizontal=True,
            height=max(220, 48 * len(measured) + 100),
        )
    if len(table.quarters) >= 2:
        charts["trend"] = line_chart(
            "Median days to decide, by quarter of decision",
            [" ".join(reversed(q[0].split())) for q in table.quarters],  # "Q1 2026"
            {"Median days": [q[1] for q in table.quarters]},
            alt="Median decision cycle time per quarter; the table below lists the values.",
            height=300,
        )
    return charts
