"""API for culture: readings per pair and dimension, the due-diligence report, the catalog."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status

from accord.culture import selectors, services
from accord.culture.models import DIMENSION_CHOICES, FIT_CHOICES
from accord.domain import culture as domain
from accord.partnerships.access import Need, access_partnership

router = Router(tags=["culture"])

Id = Path(..., ge=1, le=2**53)
DIMENSION_PATTERN = "^(" + "|".join(key for key, _ in DIMENSION_CHOICES) + ")$"
FIT_PATTERN = "^(" + "|".join(key for key, _ in FIT_CHOICES) + ")$"


class ReadingOut(Schema):
    party_a_id: int
    party_b_id: int
    dimension: str
    self_a: float | None
    self_b: float | None
    a_sees_b: float | None
    b_sees_a: float | None
    distance: float | None
    gap_a_about_b: float | None
    gap_b_about_a: float | None
    fit: str | None
    explanation: str


class ReadingsOut(Schema):
    round_id: int | None
    k: int
    rules: list[str]
    readings: list[ReadingOut]


class PracticeOut(Schema):
    title: str
    description: str
    fit: str


class SectionOut(Schema):
    dimension: str
    label: str
    low_anchor: str
    high_anchor: str
    reading: ReadingOut
    practices: list[PracticeOut]


class PairOut(Schema):
    party_a_id: int
    party_b_id: int
    summary: str
    sections: list[SectionOut]


class ReportOut(Schema):
    round_id: int | None
    method: list[str]
    pairs: list[PairOut]


class CatalogPracticeOut(Schema):
    id: int | None
    dimension: str
    fit: str
    title: str
    description: str


class PracticeIn(Schema):
    dimension: str = Field(..., pattern=DIMENSION_PATTERN)
    fit: str = Field(..., pattern=FIT_PATTERN)
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=5000)


def _reading(r: domain.Reading) -> dict[str, Any]:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {
        "party_a_id": r.party_a,
        "party_b_id": r.party_b,
        "dimension": str(r.dimension),
        "self_a": rounded(r.self_a),
        "self_b": rounded(r.self_b),
        "a_sees_b": rounded(r.a_sees_b),
        "b_sees_a": rounded(r.b_sees_a),
        "distance": rounded(r.distance),
        "gap_a_about_b": rounded(r.gap_a_about_b),
        "gap_b_about_a": rounded(r.gap_b_about_a),
        "fit": str(r.fit) if r.fit else None,
        "explanation": r.explanation,
    }


@router.get("/partnerships/{partnership_id}/culture/readings", response=ReadingsOut)
def culture_readings(request: HttpRequest, partnership_id: int = Id) -> Any:
    """Readings of the latest closed culture round; a profile from fewer than k people is null."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    results = selectors.culture_results(partnership=partnership)
    return {
        "round_id": results.survey.pk if results.survey else None,
        "k": results.survey.threshold() if results.survey else partnership.anonymity_k,
        "rules": list(domain.CultureRules().describe()),
        "readings": [_reading(r) for r in results.readings],
    }


@router.get("/partnerships/{partnership_id}/culture/report", response=ReportOut)
def culture_report(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    results, report = selectors.due_diligence(partnership=partnership)
    if report is None:
        return {"round_id": None, "method": list(domain.CultureRules().describe()), "pairs": []}
    return {
        "round_id": results.survey.pk if results.survey else None,
        "method": list(report.method),
        "pairs": [
            {
                "party_a_id": pair.party_a,
                "party_b_id": pair.party_b,
                "summary": pair.summary,
                "sections": [
                    {
                        "dimension": str(s.dimension),
                        "label": s.label,
                        "low_anchor": s.low_anchor,
                        "high_anchor": s.high_anchor,
                        "reading": _reading(s.reading),
                        "practices": [
                            {"title": p.title, "description": p.description, "fit": str(p.fit)}
                            for p in s.practices
                        ],
                    }
                    for s in pair.sections
                ],
            }
            for pair in report.pairs
        ],
    }


@router.get("/partnerships/{partnership_id}/culture/practices", response=list[CatalogPracticeOut])
def list_practices(request: HttpRequest, partnership_id: int = Id) -> Any:
    """The partnership's catalog (the built-in one, with null ids, until it is edited)."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return [
        {
            "id": p.pk,
            "dimension": p.dimension,
            "fit": p.fit,
            "title": p.title,
            "description": p.description,
        }
        for p in selectors.practice_rows(partnership=partnership)
    ]


@router.post("/partnerships/{partnership_id}/culture/practices", response={201: CatalogPracticeOut})
def add_practice(request: HttpRequest, payload: PracticeIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    practice = services.practice_save(
        user=request.user, partnership=partnership, practice_id=None, **payload.dict()
    )
    return Status(
        201,
        {
            "id": practice.pk,
            "dimension": practice.dimension,
            "fit": practice.fit,
            "title": practice.title,
            "description": practice.description,
        },
    )
