"""API of the survey engine and trust. Handlers: access first, then a schema, then one service
call. No operation returns an answer: results are the published cells of closed rounds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from accord.api.fields import Moment
from accord.api.pagination import Pagination
from accord.api.stale import StaleOut
from accord.domain import trust as domain
from accord.partnerships.access import Need, access_partnership
from accord.trust import selectors, services
from accord.trust.evidence import RULE_FIELDS, judge
from accord.trust.models import Instrument, SurveyRound

router = Router(tags=["trust"])

Id = Path(..., ge=1, le=2**53)
NOT_ENOUGH = "not enough responses"


class ItemOut(Schema):
    key: str
    position: int
    text: str
    measures: str = Field(..., description="The trust form or culture dimension measured.")
    reverse: bool
    low_anchor: str
    high_anchor: str
    comment: str

    @staticmethod
    def resolve_measures(obj: Any) -> str:
        return str(obj.construct)


class InstrumentOut(Schema):
    id: int
    key: str
    version: int
    kind: str
    name: str
    description: str
    scale_points: int
    built_in: bool
    items: list[ItemOut]

    @staticmethod
    def resolve_built_in(obj: Instrument) -> bool:
        return obj.partnership_id is None and obj.organization_id is None

    @staticmethod
    def resolve_items(obj: Instrument) -> list[Any]:
        return list(obj.items.all())


class ResponseRateOut(Schema):
    party_id: int
    organization: str
    invited: int
    answered: int


class RoundOut(Schema):
    id: int
    number: int
    kind: str
    title: str
    instrument_id: int
    instrument_version: int
    opens_at: datetime
    closes_at: datetime
    state: str
    include_observers: bool
    reminder_days: int
    reminders_sent: int
    anonymity_k: int
    response_rates: list[ResponseRateOut]

    @staticmethod
    def resolve_state(obj: SurveyRound) -> str:
        return obj.state()

    @staticmethod
    def resolve_anonymity_k(obj: SurveyRound) -> int:
        return obj.threshold()

    @staticmethod
    def resolve_instrument_version(obj: SurveyRound) -> int:
        return obj.instrument.version

    @staticmethod
    def resolve_response_rates(obj: SurveyRound) -> list[dict[str, Any]]:
        return [
            {
                "party_id": r.party.pk,
                "organization": r.party.organization.name,
                "invited": r.invited,
                "answered": r.answered,
            }
            for r in selectors.response_rates(survey=obj)
        ]


class RoundIn(Schema):
    instrument_id: int = Field(..., ge=1, le=2**53)
    title: str = Field(..., min_length=1, max_length=200)
    opens_at: Moment
    closes_at: Moment
    include_observers: bool = False
    reminder_days: int = Field(4, ge=1, le=60)
    allow_overlap: bool = Field(
        False,
        description="Schedule even though the window overlaps an open or scheduled round "
        "(people invited to both get two survey e-mails); without it such a round is a 400.",
    )


class RoundPatch(Schema):
    title: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    opens_at: Moment = None  # type: ignore[assignment]
    closes_at: Moment = None  # type: ignore[assignment]
    include_observers: bool = None  # type: ignore[assignment]
    reminder_days: int = Field(None, ge=1, le=60)  # type: ignore[assignment]


class SurveyAnswerIn(Schema):
    rated_party_id: int = Field(
        ..., ge=0, le=2**53, description="0: the partnership as a whole (own instruments)."
    )
    item_key: str = Field(..., min_length=1, max_length=80)
    value: int = Field(
        ...,
        ge=0,
        le=11,
        description="On the instrument's scale; 0 where it offers 'not applicable'.",
    )


class SubmissionIn(Schema):
    token: str = Field(..., min_length=1, max_length=2000)
    answers: list[SurveyAnswerIn] = Field(..., min_length=1, max_length=500)


class SubmissionOut(Schema):
    stored: int
    detail: str


class CellOut(Schema):
    round: int
    round_id: int
    rater_party_id: int
    rated_party_id: int
    form: str
    published: bool
    status: str
    n: int | None
    mean: float | None
    sd: float | None
    alpha: float | None
    low_consistency: bool
    k: int
    spread_shown: bool


class AsymmetryOut(Schema):
    round: int
    form: str
    party_a_id: int
    party_b_id: int
    a_in_b: float
    b_in_a: float
    gap: float
    flagged: bool


class TrustResultsOut(Schema):
    k: int
    cells: list[CellOut]
    asymmetries: list[AsymmetryOut]


class RuleOut(Schema):
    rule: str
    stage: str
    status: str
    explanation: str
    source: str | None


class StageOut(Schema):
    stage: str
    next_stage: str | None
    rules: list[RuleOut]
    missing: list[str]


def _round(partnership: Any, round_id: int) -> SurveyRound:
    survey = (
        SurveyRound.objects.filter(partnership=partnership, pk=round_id)
        .select_related("instrument", "partnership")
        .first()
    )
    if survey is None:
        raise Http404
    return survey


@router.get("/partnerships/{partnership_id}/surveys/instruments", response=list[InstrumentOut])
def list_instruments(
    request: HttpRequest,
    partnership_id: int = Id,
    kind: str | None = Query(None, pattern="^(trust|culture|custom)$"),
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    services.ensure_builtin_instruments()
    return selectors.instruments_for(partnership=partnership, kind=kind)


@router.get("/partnerships/{partnership_id}/surveys/rounds", response=list[RoundOut])
@paginate(Pagination)
def list_rounds(
    request: HttpRequest,
    partnership_id: int = Id,
    kind: str | None = Query(None, pattern="^(trust|culture|custom)$"),
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.rounds_for(partnership=partnership, kind=kind)


@router.post("/partnerships/{partnership_id}/surveys/rounds", response={201: RoundOut})
def create_round(request: HttpRequest, payload: RoundIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    services.ensure_builtin_instruments()
    instrument = services.available_instrument(partnership, payload.instrument_id)
    data = payload.dict(exclude={"instrument_id"})
    survey = services.round_create(
        user=request.user, partnership=partnership, instrument=instrument, **data
    )
    return Status(201, survey)


@router.get("/partnerships/{partnership_id}/surveys/rounds/{round_id}", response=RoundOut)
def get_round(request: HttpRequest, partnership_id: int = Id, round_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return _round(partnership, round_id)


@router.patch("/partnerships/{partnership_id}/surveys/rounds/{round_id}", response=RoundOut)
def update_round(
    request: HttpRequest, payload: RoundPatch, partnership_id: int = Id, round_id: int = Id
) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    survey = _round(partnership, round_id)
    return services.round_update(
        user=request.user, survey=survey, **payload.dict(exclude_unset=True)
    )


@router.post(
    "/partnerships/{partnership_id}/surveys/rounds/{round_id}/close",
    response={200: RoundOut, 409: StaleOut},
)
def close_round(request: HttpRequest, partnership_id: int = Id, round_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    return services.round_close(user=request.user, survey=_round(partnership, round_id))


@router.delete("/partnerships/{partnership_id}/surveys/rounds/{round_id}", response={204: None})
def delete_round(request: HttpRequest, partnership_id: int = Id, round_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    services.round_delete(user=request.user, survey=_round(partnership, round_id))
    return Status(204, None)


@router.post(
    "/partnerships/{partnership_id}/surveys/answers", response={201: SubmissionOut}, auth=None
)
def submit_answers(request: HttpRequest, payload: SubmissionIn, partnership_id: int = Id) -> Any:
    """Answer with the token of the e-mailed link (no sign-in: the token is the credential and
    grants exactly this). Every statement about every rated party must be answered, once."""
    invitee = services.invitee_from_token(payload.token, partnership_id=partnership_id)
    answers: dict[int, dict[str, int]] = {}
    for a in payload.answers:
        per_party = answers.setdefault(a.rated_party_id, {})
        if a.item_key in per_party:
            raise ValidationError(services.ANSWER_UNKNOWN)
        per_party[a.item_key] = a.value
    if invitee.round.kind == Instrument.Kind.CUSTOM:  # own scale, "does not apply", targets
        from accord.trust.instrument_answers import instrument_response_submit

        stored = instrument_response_submit(invitee=invitee, answers=answers)
    else:
        stored = services.response_submit(invitee=invitee, answers=answers)
    return Status(
        201, {"stored": stored, "detail": "Thank you. Your answers are stored without your name."}
    )


def _cells(results: selectors.TrustResults, number: int | None) -> list[dict[str, Any]]:
    out = []
    for cell in results.cells:
        if number is not None and cell.cell.round != number:
            continue
        survey = results.rounds[cell.cell.round]
        base = {
            "round": cell.cell.round,
            "round_id": survey.pk,
            "k": survey.threshold(),
            "rater_party_id": cell.cell.rater,
            "rated_party_id": cell.cell.rated,
            "form": str(cell.cell.form),
        }
        if isinstance(cell, domain.Aggregate):
            out.append(
                {
                    **base,
                    "published": True,
                    "status": "published",
                    "n": cell.n,
                    "mean": round(cell.mean, 4),
                    "sd": None if cell.sd is None else round(cell.sd, 4),
                    "alpha": None if cell.alpha is None else round(cell.alpha, 4),
                    "low_consistency": cell.low_consistency,
                    "spread_shown": cell.spread_shown,
                }
            )
        else:
            out.append(
                {
                    **base,
                    "published": False,
                    "status": NOT_ENOUGH,
                    "n": None,
                    "mean": None,
                    "sd": None,
                    "alpha": None,
                    "low_consistency": False,
                    "spread_shown": False,
                }
            )
    return out


@router.get("/partnerships/{partnership_id}/trust/results", response=TrustResultsOut)
def trust_results(
    request: HttpRequest,
    partnership_id: int = Id,
    round_number: int | None = Query(None, ge=1, le=100000, alias="round"),
) -> Any:
    """Published cells per (round, rater party → rated party, form) of closed rounds, and the
    asymmetries between directions. The grouping is fixed; the only filter is the round."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    results = selectors.partnership_trust(partnership=partnership)
    return {
        "k": results.k,
        "cells": _cells(results, round_number),
        "asymmetries": [
            {
                "round": g.round,
                "form": str(g.form),
                "party_a_id": g.party_a,
                "party_b_id": g.party_b,
                "a_in_b": round(g.a_in_b, 4),
                "b_in_a": round(g.b_in_a, 4),
                "gap": round(g.gap, 4),
                "flagged": g.flagged,
            }
            for g in results.asymmetries
            if round_number is None or g.round == round_number
        ],
    }


@router.get("/partnerships/{partnership_id}/trust/stage", response=StageOut)
def trust_stage(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    judgement, collected = judge(partnership)
    return {
        "stage": str(judgement.stage),
        "next_stage": str(judgement.next_stage) if judgement.next_stage else None,
        "rules": [
            {
                "rule": str(r.rule),
                "stage": str(r.stage),
                "status": str(r.status),
                "explanation": r.explanation,
                "source": collected.sources.get(RULE_FIELDS[r.rule]),
            }
            for r in judgement.rules
        ],
        "missing": [str(r.rule) for r in judgement.missing],
    }


# Own instruments (issue 15) add their operations to this router.
from accord.trust import instrument_api  # noqa: E402, F401
