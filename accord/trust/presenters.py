"""Turn scored results into what the pages, exports and charts show. Only published cells carry
numbers; a withheld cell carries the words "not enough responses" and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord import charts
from accord.domain import trust as domain
from accord.trust.selectors import TrustResults

FORM_LABELS = {
    domain.TrustForm.COMPETENCE: "Competence",
    domain.TrustForm.CONTRACTUAL: "Contractual",
    domain.TrustForm.GOODWILL: "Goodwill",
}
FORM_MEANINGS = {
    domain.TrustForm.COMPETENCE: "can they deliver what the partnership needs",
    domain.TrustForm.CONTRACTUAL: "do they keep to what was agreed",
    domain.TrustForm.GOODWILL: "do they look after our interests beyond the agreement",
}
NOT_ENOUGH = "not enough responses"


@dataclass(frozen=True)
class CellView:
    form: domain.TrustForm
    published: bool
    mean: float | None = None
    sd: float | None = None
    n: int | None = None
    alpha: float | None = None
    low_consistency: bool = False
    alpha_pending: bool = False  # spread shown, but n < 5: alpha not computed yet
    change: float | None = None
    spread_shown: bool = False  # n ≥ 2k: sd and alpha may be shown

    @property
    def label(self) -> str:
        return FORM_LABELS[self.form]


@dataclass(frozen=True)
class DirectionRow:
    rater: int
    rated: int
    rater_name: str
    rated_name: str
    cells: list[CellView]


def _cell_view(
    cell: domain.Aggregate | domain.BelowThreshold, previous: domain.Aggregate | None
) -> CellView:
    if isinstance(cell, domain.BelowThreshold):
        return CellView(cell.cell.form, False)
    return CellView(
        cell.cell.form,
        True,
        mean=cell.mean,
        sd=cell.sd,
        n=cell.n,
        alpha=cell.alpha,
        low_consistency=cell.low_consistency,
        alpha_pending=cell.spread_shown and cell.alpha is None and cell.n < domain.ALPHA_MIN_N,
        change=cell.mean - previous.mean if previous is not None else None,
        spread_shown=cell.spread_shown,
    )


def direction_rows(results: TrustResults, number: int) -> list[DirectionRow]:
    """One row per (rater → rated) for a round, cells in FORMS order, with the change since
    the previous round where both are published."""
    earlier = [n for n in results.rounds if n < number]
    previous: dict[tuple[int, int, domain.TrustForm], domain.Aggregate] = {}
    if earlier:
        for cell in results.cells_of(max(earlier)):
            if isinstance(cell, domain.Aggregate):
                previous[(cell.cell.rater, cell.cell.rated, cell.cell.form)] = cell
    rows: dict[tuple[int, int], DirectionRow] = {}
    for cell in results.cells_of(number):
        key = (cell.cell.rater, cell.cell.rated)
        if key not in rows:
            rows[key] = DirectionRow(
                key[0], key[1], results.parties[key[0]], results.parties[key[1]], []
            )
        rows[key].cells.append(_cell_view(cell, previous.get((*key, cell.cell.form))))
    return sorted(rows.values(), key=lambda r: (r.rater_name, r.rated_name))


@dataclass(frozen=True)
class GapView:
    round: int
    form: domain.TrustForm
    a_name: str
    b_name: str
    a_in_b: float
    b_in_a: float
    gap: float
    flagged: bool

    @property
    def label(self) -> str:
        return FORM_LABELS[self.form]


def gap_rows(results: TrustResults, number: int | None = None) -> list[GapView]:
    return [
        GapView(
            g.round,
            g.form,
            results.parties[g.party_a],
            results.parties[g.party_b],
            g.a_in_b,
            g.b_in_a,
            g.gap,
            g.flagged,
        )
        for g in results.asymmetries
        if number is None or g.round == number
    ]


def round_labels(results: TrustResults) -> list[str]:
    return [f"R{n} {results.rounds[n].closes_at:%b %y}" for n in sorted(results.rounds)]


def direction_charts(results: TrustResults) -> list[dict[str, Any]]:
    """Per direction: the three forms over the rounds; withheld rounds are gaps in the lines."""
    numbers = sorted(results.rounds)
    if not numbers:
        return []
    by_direction: dict[tuple[int, int], dict[domain.TrustForm, dict[int, float]]] = {}
    for cell in results.cells:
        series = by_direction.setdefault((cell.cell.rater, cell.cell.rated), {})
        values = series.setdefault(cell.cell.form, {})
        if isinstance(cell, domain.Aggregate):
            values[cell.cell.round] = round(cell.mean, 2)
    out = []
    for (rater, rated), series in sorted(
        by_direction.items(), key=lambda kv: (results.parties[kv[0][0]], results.parties[kv[0][1]])
    ):
        title = f"{results.parties[rater]} → {results.parties[rated]}"
        data = {
            FORM_LABELS[form]: [series.get(form, {}).get(n) for n in numbers]
            for form in domain.FORMS
        }
        alt = (
            f"Trust of {results.parties[rater]} in {results.parties[rated]} by form over rounds: "
            + "; ".join(
                f"{name} " + ", ".join("–" if v is None else f"{v:.1f}" for v in values)
                for name, values in data.items()
            )
        )
        out.append(
            {
                "title": title,
                "chart": charts.line_chart(
                    f"Trust of {title}",
                    round_labels(results),
                    data,
                    alt=alt,
                    y_range=(1, 7),
                    height=320,
                    y_labels=[1, 2, 3, 4, 5, 6, 7],
                ),
            }
        )
    return out


def asymmetry_chart(results: TrustResults) -> charts.Chart | None:
    """Gap A→B minus B→A per form and pair over rounds, with the ±1 flag lines."""
    numbers = sorted(results.rounds)
    if not results.asymmetries:
        return None
    series: dict[str, dict[int, float]] = {}
    for g in results.asymmetries:
        name = f"{FORM_LABELS[g.form]}: {results.parties[g.party_a]} − {results.parties[g.party_b]}"
        if len({(a.party_a, a.party_b) for a in results.asymmetries}) == 1:
            name = FORM_LABELS[g.form]
        series.setdefault(name, {})[g.round] = round(g.gap, 2)
    data = {name: [values.get(n) for n in numbers] for name, values in series.items()}
    first = results.asymmetries[0]
    alt = (
        f"Asymmetry of trust ({results.parties[first.party_a]} in {results.parties[first.party_b]} "
        "minus the reverse) by form over rounds: "
        + "; ".join(
            f"{name} " + ", ".join("–" if v is None else f"{v:+.1f}" for v in values)
            for name, values in data.items()
        )
    )
    return charts.line_chart(
        "Asymmetry (positive: the first party trusts more than it is trusted)",
        round_labels(results),
        data,
        alt=alt,
        y_range=(-3, 3),
        reference_lines={"flag +1.0": domain.ASYMMETRY_FLAG, "flag −1.0": -domain.ASYMMETRY_FLAG},
        height=320,
        y_labels=[-3, -2, -1, 0, 1, 2, 3],
    )


def rollup_rows(results: TrustResults, number: int) -> list[dict[str, Any]]:
    """How all other parties together see each party (three or more parties only)."""
    rows: dict[int, dict[str, Any]] = {}
    for r in results.rollups:
        if r.round != number:
            continue
        row = rows.setdefault(r.rated, {"rated_name": results.parties[r.rated], "cells": []})
        if isinstance(r, domain.Rollup):
            row["cells"].append(
                {
                    "label": FORM_LABELS[r.form],
                    "published": True,
                    "mean": r.mean,
                    "sd": r.sd,
                    "n": r.n,
                }
            )
        else:
            row["cells"].append({"label": FORM_LABELS[r.form], "published": False})
    return sorted(rows.values(), key=lambda r: r["rated_name"])


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


def trend_rows(results: TrustResults) -> list[dict[str, str]]:
    return [
        {
            "direction": f"{results.parties[t.rater]} → {results.parties[t.rated]}",
            "form": FORM_LABELS[t.form],
            "series": " · ".join(f"R{n} {m:.1f}" for n, m in zip(t.rounds, t.means, strict=True)),
            "change": _signed(t.change),
            "slope": _signed(t.slope),
        }
        for t in sorted(
            results.trends,
            key=lambda t: (results.parties[t.rater], results.parties[t.rated], FORMS_ORDER[t.form]),
        )
    ]


FORMS_ORDER = {form: i for i, form in enumerate(domain.FORMS)}
