"""Demo incentive models that tell each archetype's story.

- healthy: a real dilemma with a long shadow (monthly reviews to the end date) and little noise:
  cooperation pays for itself and survives the odd misreading.
- drifting: the same kind of dilemma, but re-estimated as the partnership drifts: noise has risen
  and the parties now plan only a year ahead, so the shadow no longer covers δ*. The lead party
  keeps an internal scenario of how it looked at the start.
- one_sided: asymmetric payoffs: the first party's temptation is high (it could take the
  partner's work and run), the partner's is modest.
- recovering: after the intervention, a joint bonus and bonds were agreed, so withholding is
  tempting only a little; noise is coming down.
- transactional: a short horizon (a few reviews left): the future is too short to deter
  withholding, as befits an arm's-length deal.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations
from typing import Any

from accord.demo.generator import DemoContext, demo_extension
from accord.incentives.models import IncentiveModel
from accord.partnerships.models import Visibility

# (first T, R, P, S), (second T, R, P, S), horizon days (None = end date), interval, noise, note
STORIES: dict[str, dict[str, Any]] = {
    "healthy": {
        "first": (5.0, 4.0, 1.0, 0.0),
        "second": (5.0, 4.0, 1.0, 0.0),
        "horizon": None,
        "interval": 30,
        "noise": 0.02,
        "notes": "Agreed at the annual review: both sides gain most from contributing, and the "
        "monthly steering meetings keep misunderstandings rare.",
    },
    "drifting": {
        "first": (8.0, 4.0, 1.0, -2.0),
        "second": (8.0, 4.0, 1.0, -2.0),
        "horizon": 365,
        "interval": 182,
        "noise": 0.12,
        "notes": "Re-estimated twice: misread moves rose from 4% to 12% as reports slipped; with "
        "the renewal in doubt the parties now plan only a year ahead instead of three, and "
        "review only twice a year instead of quarterly.",
    },
    "one_sided": {
        "first": (11.0, 3.0, 1.0, -6.0),
        "second": (5.0, 4.0, 1.0, -2.0),
        "horizon": 365,
        "interval": 91,
        "noise": 0.06,
        "notes": "The lead party could take the partner's platform work in house: its "
        "temptation is far higher than the partner's.",
    },
    "recovering": {
        "first": (4.5, 4.0, 0.5, 0.5),
        "second": (4.5, 4.0, 0.5, 0.0),
        "horizon": 730,
        "interval": 30,
        "noise": 0.05,
        "notes": "After the intervention: a joint milestone bonus and mutual bonds were agreed; "
        "monthly joint reporting is bringing misreadings down.",
    },
    "transactional": {
        "first": (6.0, 3.0, 1.0, 0.0),
        "second": (6.0, 3.0, 1.0, 0.0),
        "horizon": 180,
        "interval": 91,
        "noise": 0.05,
        "notes": "A supply deal reviewed twice before it ends: little future to protect.",
    },
}
SEATS = ("temptation", "reward", "punishment", "sucker")


def _payoffs(first: tuple[float, ...], second: tuple[float, ...]) -> dict[str, Any]:
    values = {f"first_{k}": v for k, v in zip(SEATS, first, strict=True)}
    values |= {f"second_{k}": v for k, v in zip(SEATS, second, strict=True)}
    return values


@demo_extension("incentives")
def incentives_demo(ctx: DemoContext) -> None:
    rng = ctx.rng("incentives")
    rows = []
    for loaded in ctx.partnerships:
        story = STORIES.get(loaded.archetype, STORIES["healthy"])
        partnership = loaded.partnership
        ends = partnership.end_date
        by_end = story["horizon"] is None and ends is not None and ends > ctx.anchor + timedelta(60)
        creator = next(
            (p.user_id for p in loaded.participants if p.role == "alliance_manager"), None
        )
        parties = sorted(loaded.parties, key=lambda p: p.pk)
        for first, second in combinations(parties, 2):
            common = {
                "partnership": partnership,
                "owner_org_id": first.organization_id,
                "created_by_id": creator,
                "first_party": first,
                "second_party": second,
                "payoff_unit": "points per review",
                "horizon_source": IncentiveModel.HorizonSource.END_DATE
                if by_end
                else IncentiveModel.HorizonSource.TYPED,
                "horizon_days": None if by_end else (story["horizon"] or 730),
                "review_interval_days": story["interval"],
            }
            rows.append(
                IncentiveModel(
                    **common,
                    **_payoffs(story["first"], story["second"]),
                    name=f"{first.organization.name}–{second.organization.name}",
                    visibility=Visibility.JOINT,
                    noise=round(story["noise"] * rng.uniform(0.8, 1.2), 3),
                    notes=story["notes"],
                    version=3 if loaded.archetype == "drifting" else 1,
                )
            )
            if loaded.archetype == "drifting":
                rows.append(
                    IncentiveModel(
                        **{
                            **common,
                            "horizon_source": IncentiveModel.HorizonSource.TYPED,
                            "horizon_days": 1095,
                            "review_interval_days": 91,
                        },
                        **_payoffs(story["first"], story["second"]),
                        name="How it looked at the start (ours)",
                        visibility=Visibility.INTERNAL,
                        noise=0.04,
                        notes="Our own record of the first estimate, kept to compare.",
                    )
                )
    IncentiveModel.objects.bulk_create(rows, batch_size=2000)
