"""A ready-made incentive model for the cast's partnership (Alder and Birch)."""

from __future__ import annotations

from typing import Any

from accord.incentives.models import IncentiveModel
from accord.partnerships.models import Visibility
from accord.testing.personas import Cast


def make_model(cast: Cast, *, visibility: str = Visibility.JOINT, owner: Any = None, **fields: Any):
    values: dict[str, Any] = {
        "name": "Alder–Birch",
        "first_temptation": 5.0,
        "first_reward": 3.0,
        "first_punishment": 1.0,
        "first_sucker": 0.0,
        "second_temptation": 5.0,
        "second_reward": 3.0,
        "second_punishment": 1.0,
        "second_sucker": 0.0,
        "horizon_source": IncentiveModel.HorizonSource.TYPED,
        "horizon_days": 910,
        "review_interval_days": 91,
        "noise": 0.05,
    }
    values.update(fields)
    return IncentiveModel.objects.create(
        partnership=cast.partnership,
        owner_org=owner or cast.org_a,
        visibility=visibility,
        created_by=cast.alice,
        first_party=cast.party_a,
        second_party=cast.party_b,
        **values,
    )


def form_data(**overrides: Any) -> dict[str, Any]:
    """What the model form posts for a plain 5/3/1/0 game, three years, quarterly reviews."""
    data: dict[str, Any] = {
        "name": "Alder–Birch",
        "payoff_source": "direct",
        "horizon_source": "typed",
        "horizon_days": "1095",
        "review_interval_days": "91",
        "noise_percent": "5",
        "payoff_unit": "points",
        "notes": "",
    }
    for seat in ("first", "second"):
        for name, value in zip(
            ("temptation", "reward", "punishment", "sucker"), "5310", strict=False
        ):
            data[f"{seat}_{name}"] = value
    data.update(overrides)
    return data
