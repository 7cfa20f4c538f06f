"""API for the incentive analysis. Handlers: access first, then a schema, then one call."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from accord.api.pagination import Pagination
from accord.domain import games
from accord.incentives import ledger_payoffs, selectors, services
from accord.incentives.api_schemas import AnalysisOut, WhatIfOut
from accord.incentives.models import (
    MAX_HORIZON_DAYS,
    MAX_NOISE,
    MAX_REVIEW_INTERVAL_DAYS,
    MAX_REVIEWS,
    PAYOFF_LIMIT,
    IncentiveModel,
)
from accord.partnerships.access import NOT_FOUND, Need, access_partnership
from accord.partnerships.models import Party, Visibility

router = Router(tags=["incentives"])

Id = Path(..., ge=1, le=2**53)
StrategyName = Literal[
    "tit_for_tat",
    "generous_tit_for_tat",
    "contrite_tit_for_tat",
    "win_stay_lose_shift",
    "grim_trigger",
    "always_defect",
    "always_cooperate",
    "random",
]


def _payoff(default: Any = ...) -> Any:
    return Field(default, ge=-PAYOFF_LIMIT, le=PAYOFF_LIMIT, allow_inf_nan=False)


class IncentiveModelOut(Schema):
    id: int
    name: str
    visibility: str
    owner_org: int
    first_party: int
    second_party: int
    first_party_name: str
    second_party_name: str
    first_temptation: float
    first_reward: float
    first_punishment: float
    first_sucker: float
    second_temptation: float
    second_reward: float
    second_punishment: float
    second_sucker: float
    payoff_unit: str
    payoff_source: str
    horizon_source: str
    horizon_days: int | None
    review_interval_days: int
    noise: float
    notes: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner_org(obj: IncentiveModel) -> int:
        return obj.owner_org_id

    @staticmethod
    def resolve_first_party(obj: IncentiveModel) -> int:
        return obj.first_party_id

    @staticmethod
    def resolve_second_party(obj: IncentiveModel) -> int:
        return obj.second_party_id

    @staticmethod
    def resolve_first_party_name(obj: IncentiveModel) -> str:
        return obj.first_party.organization.name

    @staticmethod
    def resolve_second_party_name(obj: IncentiveModel) -> str:
        return obj.second_party.organization.name


class IncentiveModelIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    visibility: Literal["joint", "internal"] = "joint"
    first_party: int = Field(..., ge=1, le=2**53)
    second_party: int = Field(..., ge=1, le=2**53)
    first_temptation: float = _payoff()
    first_reward: float = _payoff()
    first_punishment: float = _payoff()
    first_sucker: float = _payoff()
    second_temptation: float = _payoff()
    second_reward: float = _payoff()
    second_punishment: float = _payoff()
    second_sucker: float = _payoff()
    payoff_unit: str = Field("", max_length=40)
    payoff_source: Literal["direct", "ledger"] = "direct"
    horizon_source: Literal["end_date", "typed"] = "typed"
    horizon_days: int | None = Field(None, ge=1, le=MAX_HORIZON_DAYS)
    review_interval_days: int = Field(91, ge=1, le=MAX_REVIEW_INTERVAL_DAYS)
    noise: float = Field(0.05, ge=0, le=MAX_NOISE, allow_inf_nan=False)
    notes: str = Field("", max_length=5000)


class IncentiveModelPatch(Schema):
    """Only the fields sent change; `version` (the one you read) guards against overwriting a
    partner's change unseen. Null is invalid everywhere except the typed horizon."""

    name: str = Field(None, min_length=1, max_length=120)  # type: ignore[assignment]
    first_temptation: float = _payoff(None)
    first_reward: float = _payoff(None)
    first_punishment: float = _payoff(None)
    first_sucker: float = _payoff(None)
    second_temptation: float = _payoff(None)
    second_reward: float = _payoff(None)
    second_punishment: float = _payoff(None)
    second_sucker: float = _payoff(None)
    payoff_unit: str = Field(None, max_length=40)  # type: ignore[assignment]
    payoff_source: Literal["direct", "ledger"] = None  # type: ignore[assignment]
    horizon_source: Literal["end_date", "typed"] = None  # type: ignore[assignment]
    horizon_days: int | None = Field(None, ge=1, le=MAX_HORIZON_DAYS)
    review_interval_days: int = Field(None, ge=1, le=MAX_REVIEW_INTERVAL_DAYS)  # type: ignore[assignment]
    noise: float = Field(None, ge=0, le=MAX_NOISE, allow_inf_nan=False)  # type: ignore[assignment]
    notes: str = Field(None, max_length=5000)  # type: ignore[assignment]
    version: int = Field(None, ge=1, le=2**31 - 1)  # type: ignore[assignment]


class WhatIfIn(Schema):
    extra_reviews: float = Field(0, ge=0, le=MAX_REVIEWS, allow_inf_nan=False)
    noise_reduction: float = Field(0, ge=0, le=1, allow_inf_nan=False)
    withholding_penalty: float = Field(0, ge=0, le=PAYOFF_LIMIT, allow_inf_nan=False)
    hostage_bond: float = Field(0, ge=0, le=PAYOFF_LIMIT, allow_inf_nan=False)
    joint_bonus: float = Field(0, ge=0, le=PAYOFF_LIMIT, allow_inf_nan=False)
    first_strategy: StrategyName = "tit_for_tat"
    second_strategy: StrategyName = "tit_for_tat"


class LedgerPayoffsOut(Schema):
    available: bool
    message: str
    payoffs: dict[str, float]
    unit: str
    sentences: list[str]


def _number(value: float) -> float | None:
    """JSON has no infinity: δ* = ∞ (no shadow of the future helps) is sent as null."""
    return None if math.isinf(value) or math.isnan(value) else value


def _model(request: HttpRequest, partnership_id: int, model_id: int) -> IncentiveModel:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.model_for(partnership=partnership, viewer=request.user, model_id=model_id)


def _party(partnership: Any, party_id: int, field: str) -> Party:
    party = partnership.parties.select_related("organization").filter(pk=party_id).first()
    if party is None:
        raise ValidationError({field: services.NOT_A_PARTY})
    return party


@router.get("/partnerships/{partnership_id}/incentive-models", response=list[IncentiveModelOut])
@paginate(Pagination)
def list_models(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.models_for(partnership=partnership, viewer=request.user)


@router.post("/partnerships/{partnership_id}/incentive-models", response={201: IncentiveModelOut})
def create_model(request: HttpRequest, payload: IncentiveModelIn, partnership_id: int = Id) -> Any:
    need = Need.MANAGE if payload.visibility == Visibility.JOINT else Need.CONTRIBUTE
    partnership = access_partnership(request.user, partnership_id, need)
    fields = payload.dict()
    fields["first_party"] = _party(partnership, payload.first_party, "first_party")
    fields["second_party"] = _party(partnership, payload.second_party, "second_party")
    model = services.incentive_model_create(user=request.user, partnership=partnership, **fields)
    return Status(201, model)


@router.get(
    "/partnerships/{partnership_id}/incentive-models/{model_id}", response=IncentiveModelOut
)
def get_model(request: HttpRequest, partnership_id: int = Id, model_id: int = Id) -> Any:
    return _model(request, partnership_id, model_id)


@router.patch(
    "/partnerships/{partnership_id}/incentive-models/{model_id}", response=IncentiveModelOut
)
def update_model(
    request: HttpRequest, payload: IncentiveModelPatch, partnership_id: int = Id, model_id: int = Id
) -> Any:
    model = _model(request, partnership_id, model_id)
    if not services.may_edit(request.user, model):
        raise Http404(NOT_FOUND)
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version", None)
    return services.incentive_model_update(
        user=request.user, model=model, version=version, **fields
    )


@router.delete("/partnerships/{partnership_id}/incentive-models/{model_id}", response={204: None})
def delete_model(request: HttpRequest, partnership_id: int = Id, model_id: int = Id) -> Any:
    model = _model(request, partnership_id, model_id)
    if not services.may_edit(request.user, model):
        raise Http404(NOT_FOUND)
    services.incentive_model_delete(user=request.user, model=model)
    return Status(204, None)


def _analysis_json(result: selectors.Analysis) -> dict[str, Any]:
    report = result.report
    return {
        "model": result.model.pk,
        "parties": [
            {
                "party": p.payoffs.party,
                "payoffs": {
                    "temptation": p.payoffs.temptation,
                    "reward": p.payoffs.reward,
                    "punishment": p.payoffs.punishment,
                    "sucker": p.payoffs.sucker,
                },
                "conditions": [
                    {"condition": c.condition.value, "holds": c.holds, "sentence": c.sentence}
                    for c in p.checks
                ],
                "is_dilemma": p.is_dilemma,
                "delta_star": _number(p.delta_star),
                "shadow": p.shadow,
                "self_enforcing": p.self_enforcing,
                "sentences": list(p.sentences),
            }
            for p in report.parties
        ],
        "horizon": {
            "days": result.horizon.days,
            "review_interval_days": result.horizon.interval_days,
            "expected_reviews": result.horizon.reviews,
            "shadow": result.horizon.shadow,
            "sentence": result.horizon.sentence,
        },
        "self_enforcing": report.self_enforcing,
        "equilibria": [
            {
                "first_contributes": e.first_contributes,
                "second_contributes": e.second_contributes,
                "payoffs": list(e.payoffs),
                "sentence": e.sentence,
            }
            for e in report.equilibria.points
        ],
        "sentences": list(report.sentences),
        "simulation": {
            "rounds": result.rounds,
            "beyond_horizon": result.extended,
            "repetitions": result.repetitions,
            "noise": result.model.noise,
            "seed": result.seed,
            "strategies": [s.value for s in result.strategies],
            "same_strategy": [
                {
                    "strategy": r.strategy.value,
                    "simulated_cooperation": list(r.simulated_cooperation),
                    "expected_cooperation": list(r.expected_cooperation),
                    "long_run_cooperation": list(r.long_run_cooperation),
                    "simulated_payoffs": list(r.simulated_payoffs),
                    "standard_errors": list(r.standard_errors),
                    "expected_payoffs": list(r.expected_payoffs),
                    "echoes_per_match": r.echoes_per_match,
                    "echo_length": r.echo_length,
                    "echoes_into_withholding": r.echoes_into_withholding,
                    "sentence": r.sentence,
                }
                for r in result.rows
            ],
            "expected_payoff_matrix": [
                [list(cell) for cell in row] for row in result.payoff_matrix
            ],
            "expected_cooperation_by_round": result.cooperation_by_round,
            "echo_sentences": result.echo_sentences,
        },
    }


@router.get(
    "/partnerships/{partnership_id}/incentive-models/{model_id}/analysis", response=AnalysisOut
)
def run_analysis(request: HttpRequest, partnership_id: int = Id, model_id: int = Id) -> Any:
    model = _model(request, partnership_id, model_id)
    try:
        result = selectors.analyse(model, today=timezone.localdate())
    except games.GameError as error:
        raise ValidationError(str(error)) from None
    return _analysis_json(result)


@router.post(
    "/partnerships/{partnership_id}/incentive-models/{model_id}/what-if", response=WhatIfOut
)
def run_what_if(
    request: HttpRequest, payload: WhatIfIn, partnership_id: int = Id, model_id: int = Id
) -> Any:
    model = _model(request, partnership_id, model_id)
    try:
        mechanisms = games.Mechanisms(
            extra_reviews=payload.extra_reviews,
            noise_reduction=payload.noise_reduction,
            withholding_penalty=payload.withholding_penalty,
            hostage_bond=payload.hostage_bond,
            joint_bonus=payload.joint_bonus,
        )
        result = selectors.what_if(
            model,
            mechanisms,
            pair=(
                games.parse_strategy(payload.first_strategy),
                games.parse_strategy(payload.second_strategy),
            ),
            today=timezone.localdate(),
        )
    except games.GameError as error:
        raise ValidationError(str(error)) from None
    return {
        "model": model.pk,
        "pair": [s.value for s in result.pair],
        "outcomes": [
            {
                "label": r.label,
                "delta_star": [_number(d) for d in r.delta_star],
                "shadow": r.shadow,
                "expected_reviews": r.reviews,
                "noise": r.noise,
                "self_enforcing": r.self_enforcing,
                "pair_cooperation": r.pair_cooperation,
                "most_cooperative_stable_pair": r.sustainable_pair,
                "sustainable_cooperation": r.sustainable_cooperation,
                "sentences": list(r.sentences),
            }
            for r in result.rows
        ],
    }


@router.get(
    "/partnerships/{partnership_id}/incentive-payoffs-from-ledgers", response=LedgerPayoffsOut
)
def payoffs_from_ledgers(
    request: HttpRequest,
    partnership_id: int = Id,
    first_party: int | None = Query(None, ge=1, le=2**53),
    second_party: int | None = Query(None, ge=1, le=2**53),
    review_interval_days: int = Query(91, ge=1, le=MAX_REVIEW_INTERVAL_DAYS),
) -> Any:
    """Without parties named, the partnership's first two parties."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    ids = list(partnership.parties.order_by("pk").values_list("pk", flat=True)[:2])
    if len(ids) < 2 and (first_party is None or second_party is None):
        raise ValidationError(services.SAME_PARTY)
    first = _party(partnership, first_party or ids[0], "first_party")
    second = _party(partnership, second_party or ids[1], "second_party")
    if first.pk == second.pk:
        raise ValidationError({"second_party": services.SAME_PARTY})
    derived = ledger_payoffs.ledger_payoffs(
        partnership=partnership,
        viewer=request.user,
        first=first,
        second=second,
        review_interval_days=review_interval_days,
        today=timezone.localdate(),
    )
    return {
        "available": derived.available,
        "message": derived.message,
        "payoffs": derived.values,
        "unit": derived.unit,
        "sentences": list(derived.sentences),
    }
