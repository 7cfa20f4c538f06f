"""Demo ledgers that tell each archetype's story in numbers.

- healthy: both parties put in and get out about the same; contributions come on time; both
  stand to lose a similar amount (balanced hostages).
- one_sided: the first party invests about three times as much and receives a quarter of the
  value; the second party's contributions come late — it is the bottleneck.
- drifting: starts balanced, but quarter by quarter the first party sinks ever more specific,
  unrecoverable investment while the second keeps its contributions generic and starts to slip:
  the hostages grow unbalanced.
- recovering: lopsided and late in the past, balanced and on time since the intervention.
- transactional: a few small, mostly financial contributions, generic and largely recoverable.

Each partnership also gets one internal valuation by its first party, which the other parties
never see. Everything is written with bulk inserts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from accord.demo.bulk import insert_objects
from accord.demo.generator import DemoContext, LoadedPartnership, demo_extension
from accord.economics.models import InvestmentEntry, LedgerSettings, Rate, ValueEntry
from accord.partnerships.models import Party, Visibility

RATES = {"USD": Decimal("0.92"), "FTE_MONTH": Decimal(14000), "EXEC_HOUR": Decimal(450)}
SOURCES = [s.value for s in ValueEntry.Source]
QUARTER = 91


@dataclass(frozen=True)
class Story:
    invest: tuple[float, float]  # relative investment per quarter of the first and other parties
    value: tuple[float, float]  # relative value per quarter received
    slip: tuple[int, int]  # typical days late
    specificity: tuple[float, float]
    recoverability: tuple[float, float]
    scale: float  # € of financial contribution per quarter for weight 1


STORIES = {
    "healthy": Story((1.0, 0.9), (1.0, 0.95), (0, 0), (0.5, 0.55), (0.25, 0.2), 400_000),
    "one_sided": Story((3.0, 1.0), (0.35, 1.0), (5, 60), (0.7, 0.3), (0.1, 0.5), 500_000),
    "drifting": Story((1.0, 1.0), (0.9, 1.0), (5, 20), (0.5, 0.5), (0.3, 0.3), 350_000),
    "recovering": Story((1.5, 1.0), (0.7, 1.0), (30, 10), (0.5, 0.4), (0.2, 0.3), 300_000),
    "transactional": Story((1.0, 1.0), (1.0, 1.0), (2, 2), (0.1, 0.1), (0.7, 0.7), 40_000),
}

HUMAN_WORK = ("Joint project team", "Assay development team", "Regulatory workstream")
TECH_WORK = ("Screening platform access", "Shared data infrastructure", "Process know-how")
VALUE_WORK = {
    "complementary_capabilities": "Access to partner capabilities",
    "scale": "Manufacturing and purchasing scale",
    "risk_sharing": "Development risk shared",
    "network_effects": "Access to partner network",
    "knowledge_exchange": "Know-how transferred",
}


def _money(amount: float) -> Decimal:
    return Decimal(str(round(max(amount, 0.0), 2)))


def _share(value: float) -> Decimal:
    return Decimal(str(round(min(max(value, 0.0), 1.0), 2)))


@demo_extension("economics")
def economics_demo(ctx: DemoContext) -> None:
    rng = ctx.rng("economics")
    settings, rates, values, investments = [], [], [], []
    for loaded in ctx.partnerships:
        settings.append(LedgerSettings(partnership=loaded.partnership, base_currency="EUR"))
        units = ("USD",) if loaded.archetype == "transactional" else tuple(RATES)
        rates += [Rate(partnership=loaded.partnership, unit=u, per_unit=RATES[u]) for u in units]
        v, i = _ledgers(loaded, ctx.anchor, rng)
        values += v
        investments += i
    LedgerSettings.objects.bulk_create(settings, batch_size=2000)
    Rate.objects.bulk_create(rates, batch_size=2000)
    insert_objects(values)
    insert_objects(investments)


def _author(loaded: LoadedPartnership, party: Party) -> object:
    for participant in loaded.participants:
        if participant.organization_id == party.organization_id:
            return participant.user
    return None


def _ledgers(
    loaded: LoadedPartnership, anchor: date, rng: random.Random
) -> tuple[list[ValueEntry], list[InvestmentEntry]]:
    story = STORIES.get(loaded.archetype, STORIES["healthy"])
    partnership = loaded.partnership
    parties = loaded.parties
    authors = {p.pk: _author(loaded, p) for p in parties}
    quarters = max(2, (anchor - loaded.start).days // QUARTER)
    values: list[ValueEntry] = []
    investments: list[InvestmentEntry] = []
    small = loaded.archetype == "transactional"

    def common(owner: Party, visibility: str = Visibility.JOINT) -> dict[str, object]:
        return {
            "partnership": partnership,
            "owner_org_id": owner.organization_id,
            "visibility": visibility,
            "created_by": authors[owner.pk],
        }

    for q in range(quarters + 2):  # two quarters of plans beyond today
        start = loaded.start + timedelta(days=QUARTER * q)
        end = start + timedelta(days=QUARTER - 1)
        progress = q / max(quarters - 1, 1)  # 0 at the start, 1 today
        for n, party in enumerate(parties):
            first = n == 0
            weight = story.invest[0 if first else 1]
            specificity = story.specificity[0 if first else 1]
            recoverability = story.recoverability[0 if first else 1]
            slip = story.slip[0 if first else 1]
            if loaded.archetype == "drifting":
                # A sinks ever more specific investment; B keeps its own generic and slips.
                specificity = 0.5 + (0.4 * progress if first else -0.35 * progress)
                recoverability = 0.3 - (0.25 * progress if first else -0.4 * progress)
                slip = slip if first else int(5 + 70 * progress)
            if loaded.archetype == "recovering" and progress > 0.6:
                weight, slip = 1.0, 0
            planned = start + timedelta(days=rng.randint(5, 40))
            if slip > 0:
                lateness = max(0, int(rng.gauss(slip, slip / 3)))
            else:  # on time, with the odd few days' delay
                lateness = rng.choice((0, 0, 0, 0, 0, 0, 2, 5))
            actual = planned + timedelta(days=lateness)
            made = actual <= anchor
            kinds = ["financial"] if small and rng.random() < 0.8 else ["financial", "human"]
            if not small:
                kinds += ["attentional"] + (["technological"] if q % 3 == 0 else [])
            for kind in kinds:
                amount, unit, what = _contribution(kind, story.scale * weight, rng)
                investments.append(
                    InvestmentEntry(
                        contributor=party,
                        kind=kind,
                        amount=amount,
                        unit=unit,
                        description=f"{what}, Q{q + 1}",
                        planned_on=planned,
                        actual_on=actual if made else None,
                        specificity=_share(specificity + rng.uniform(-0.05, 0.05)),
                        recoverability=_share(recoverability + rng.uniform(-0.05, 0.05)),
                        reference=f"INV-{partnership.pk}-{q + 1}-{n + 1}-{kind[:3]}",
                        **common(party),
                    )
                )
            realized = end <= anchor
            value_weight = story.value[0 if first else 1]
            if loaded.archetype == "recovering" and progress > 0.6:
                value_weight = 1.0
            source = SOURCES[(q + n) % len(SOURCES)]
            amount = story.scale * value_weight * rng.uniform(1.3, 1.9) * (1 if realized else 1.2)
            values.append(
                ValueEntry(
                    beneficiary=party,
                    source=source,
                    status="realized" if realized else "expected",
                    amount=_money(amount),
                    currency="EUR",
                    period_start=start,
                    period_end=end,
                    description=f"{VALUE_WORK[source]}, Q{q + 1}",
                    evidence_note="Agreed in the quarterly business review." if realized else "",
                    **common(parties[(n + q) % len(parties)] if realized else party),
                )
            )
    if not small:
        # The first party's own valuation of an option the others do not need to know about.
        owner = parties[0]
        values.append(
            ValueEntry(
                beneficiary=owner,
                source="network_effects",
                status="expected",
                amount=_money(story.scale * 4),
                currency="EUR",
                period_start=anchor,
                period_end=anchor + timedelta(days=730),
                description="Internal estimate: option value of follow-on programmes",
                evidence_note="Business development's own model; not shared with the partner.",
                **common(owner, Visibility.INTERNAL),
            )
        )
    return values, investments


def _contribution(kind: str, scale: float, rng: random.Random) -> tuple[Decimal, str, str]:
    if kind == "human":
        return (
            Decimal(round(scale / 14000 * rng.uniform(0.3, 0.5))),
            "FTE_MONTH",
            rng.choice(HUMAN_WORK),
        )
    if kind == "attentional":
        return Decimal(rng.randint(12, 40)), "EXEC_HOUR", "Steering committee and sponsor time"
    if kind == "technological":
        return _money(scale * rng.uniform(0.4, 0.8)), "EUR", rng.choice(TECH_WORK)
    return _money(scale * rng.uniform(0.8, 1.2)), "EUR", "Funding contribution"
