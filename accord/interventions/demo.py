"""Demo objectives for every partnership, and the recovering partnerships' intervention.

Every partnership's free-text objectives become joint objective records, each linked to some of
the partnership's joint metrics and commitments (written by the earlier extensions: this app comes
last in INSTALLED_APPS), so every objective shows a status the user can trace.

A recovering partnership gets the intervention of its story: opened 150 days before the anchor,
at the end of the bad patch the other extensions tell (late delivery, silence, a trust dip); each
party's private lists (an unmet objective, a difficulty, pivotal events that partly diverge, a
perceived sin of omission, a pressure at home); a reveal by the neutral facilitator; agreed
shortfalls and each party's contribution; a rebuild plan with commitments kept since, a cadence,
an early-issue rule and the first trust round after it as the follow-up. An active recovering
partnership's intervention is closed; one still in status "intervention" keeps it open.

Bulk inserts only and no audit events or notifications, like the other demo extensions: the demo
is history, not news.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from accord.accountability.models import Commitment
from accord.demo.generator import DemoContext, LoadedPartnership, demo_extension
from accord.interventions.models import Intervention, Item, Objective, Submission
from accord.partnerships.models import Participant, Visibility
from accord.performance.models import Metric
from accord.trust.models import SurveyRound

OPENED_DAYS_AGO = 150
REVEALED_DAYS_AGO = 136
CLOSED_DAYS_AGO = 40
LINKS_PER_OBJECTIVE = 2

DIFFICULTIES = (
    "Questions to their data team wait two to three weeks for an answer.",
    "Decisions we need from them are taken in meetings we are not invited to.",
    "Their people change every few months and we explain the project again each time.",
)
OMISSIONS = (
    "They moved the budget review without telling us; we learned it from the minutes.",
    "A key scientist left and we heard about it a month later.",
    "The site audit was postponed with two days' notice.",
)
PRESSURES = (
    "Our board cut next year's budget by 15% and asked for quicker returns.",
    "We were reorganising our R&D units all spring.",
    "A competing internal programme took two of our best people.",
)
CONTRIBUTIONS = (
    "We stopped sharing our internal planning once budgets were cut, and went quiet.",
    "We answered late and let our staff changes go unannounced.",
    "We raised our worries only in escalations, never early in the forum.",
)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@demo_extension("interventions")
def intervention_demo(ctx: DemoContext) -> None:
    objectives = _objectives(ctx)
    for loaded in ctx.partnerships:
        if loaded.archetype == "recovering" and len(loaded.parties) >= 2:
            _intervention(ctx, loaded, objectives.get(loaded.partnership.pk, []))


def _objectives(ctx: DemoContext) -> dict[int, list[Objective]]:
    by_id = {lp.partnership.pk: lp for lp in ctx.partnerships}
    metrics: dict[int, list[int]] = {}
    for pk, partnership_id in Metric.objects.filter(
        partnership__in=by_id, visibility=Visibility.JOINT
    ).values_list("pk", "partnership_id"):
        metrics.setdefault(partnership_id, []).append(pk)
    commitments: dict[int, list[int]] = {}
    for pk, partnership_id in (
        Commitment.objects.filter(partnership__in=by_id, visibility=Visibility.JOINT)
        .order_by("partnership_id", "-due_on", "pk")
        .values_list("pk", "partnership_id")
    ):
        found = commitments.setdefault(partnership_id, [])
        if len(found) < 12:  # the most recent ones: the status speaks of now
            found.append(pk)
    rows: list[Objective] = []
    for lp in ctx.partnerships:
        for line in lp.partnership.objectives.splitlines():
            if line.strip():
                rows.append(
                    Objective(
                        partnership=lp.partnership,
                        owner_org=lp.parties[0].organization,
                        visibility=Visibility.JOINT,
                        created_by=lp.partnership.created_by,
                        created_at=_at(lp.start),
                        title=line.strip()[:200],
                        scope=Objective.Scope.JOINT,
                    )
                )
    Objective.objects.bulk_create(rows, batch_size=2000)
    metric_links, commitment_links = [], []
    MetricLink = Objective.metrics.through
    CommitmentLink = Objective.commitments.through
    out: dict[int, list[Objective]] = {}
    for objective in rows:
        pid = objective.partnership_id
        n = len(out.setdefault(pid, []))
        out[pid].append(objective)
        ms, cs = metrics.get(pid, []), commitments.get(pid, [])
        for k in range(min(LINKS_PER_OBJECTIVE, len(ms))):
            metric_links.append(
                MetricLink(objective_id=objective.pk, metric_id=ms[(n * 2 + k) % len(ms)])
            )
        for k in range(min(LINKS_PER_OBJECTIVE, len(cs))):
            commitment_links.append(
                CommitmentLink(objective_id=objective.pk, commitment_id=cs[(n * 2 + k) % len(cs)])
            )
    MetricLink.objects.bulk_create(metric_links, batch_size=5000, ignore_conflicts=True)
    CommitmentLink.objects.bulk_create(commitment_links, batch_size=5000, ignore_conflicts=True)
    return out


def _managers(loaded: LoadedPartnership) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for p in loaded.participants:
        if p.role == Participant.Role.ALLIANCE_MANAGER:
            found.setdefault(p.organization_id, p.user)
    return found


def _intervention(ctx: DemoContext, loaded: LoadedPartnership, objectives: list[Objective]) -> None:
    rng = ctx.rng(f"interventions:{loaded.partnership.pk}")
    anchor = ctx.anchor
    opened = anchor - timedelta(days=OPENED_DAYS_AGO)
    revealed = anchor - timedelta(days=REVEALED_DAYS_AGO)
    closed = loaded.partnership.status != "intervention"
    managers = _managers(loaded)
    facilitator = next(
        (p.user for p in loaded.participants if p.role == Participant.Role.FACILITATOR), None
    )
    followup = (
        SurveyRound.objects.filter(
            partnership=loaded.partnership, kind="trust", opens_at__gt=_at(revealed)
        )
        .order_by("opens_at")
        .first()
    )
    intervention = Intervention.objects.create(
        partnership=loaded.partnership,
        reason="Deliveries slipped for months, answers took weeks and trust fell on every side; "
        "the steering committee asked for a facilitated review of what went wrong.",
        opened_by=facilitator or managers.get(loaded.parties[0].organization_id),
        opened_at=_at(opened),
        revealed_at=_at(revealed, 15),
        closed_at=_at(anchor - timedelta(days=CLOSED_DAYS_AGO)) if closed else None,
        plan_cadence="A weekly call of the alliance managers; a monthly steering review with "
        "sponsors, minutes shared within two days.",
        plan_issue_rule="Any slip of more than a week, or any change in people or budget, goes "
        "to the feedback forum within two working days — before it reaches a meeting.",
        followup_round=followup,
    )
    submissions = []
    for i, party in enumerate(loaded.parties):
        submissions.append(
            Submission(
                partnership=loaded.partnership,
                owner_org=party.organization,
                visibility=Visibility.JOINT,  # revealed
                created_by=managers.get(party.organization_id),
                created_at=_at(opened + timedelta(days=3 + i)),
                intervention=intervention,
                party=party,
                strategic_logic=Submission.Logic.YES,
                submitted_at=_at(opened + timedelta(days=6 + i)),
                contribution=CONTRIBUTIONS[i % len(CONTRIBUTIONS)],
                plan_agreed_at=_at(revealed + timedelta(days=10 + i)),
            )
        )
    Submission.objects.bulk_create(submissions)
    items: list[Item] = []
    turning = opened - timedelta(days=120)
    for i, submission in enumerate(submissions):
        unmet = objectives[i % len(objectives)] if objectives else None
        items += [
            Item(
                submission=submission,
                kind=Item.Kind.UNMET_OBJECTIVE,
                objective=unmet,
                text=unmet.title if unmet else "The joint plan is behind schedule.",
                acknowledged_at=_at(revealed + timedelta(days=2)),
            ),
            Item(
                submission=submission,
                kind=Item.Kind.DIFFICULTY,
                text=DIFFICULTIES[i % len(DIFFICULTIES)],
            ),
            Item(
                submission=submission,
                kind=Item.Kind.OMISSION,
                text=OMISSIONS[(i + 1) % len(OMISSIONS)],
                acknowledged_at=_at(revealed + timedelta(days=3)) if i == 0 else None,
            ),
            Item(
                submission=submission,
                kind=Item.Kind.PRESSURE,
                text=PRESSURES[i % len(PRESSURES)],
            ),
            # The budget meeting: the first party remembers a blow to trust, the others a
            # routine decision — the divergence the merged timeline marks.
            Item(
                submission=submission,
                kind=Item.Kind.PIVOTAL_EVENT,
                occurred_on=turning + timedelta(days=i * 3),
                text="The steering meeting where the budget for year two was cut"
                if i == 0
                else "Budget round for year two agreed in the steering meeting",
                trust_effect=-1 if i == 0 else 0 if i == 1 else 1,
            ),
        ]
        if i == 1:
            items.append(
                Item(
                    submission=submission,
                    kind=Item.Kind.PIVOTAL_EVENT,
                    occurred_on=turning + timedelta(days=45 + rng.randint(0, 10)),
                    text="Our lead scientist left; the handover took two months",
                    trust_effect=-1,
                )
            )
    Item.objects.bulk_create(items)
    _plan_commitments(loaded, intervention, revealed, anchor)


def _plan_commitments(
    loaded: LoadedPartnership, intervention: Intervention, revealed: date, anchor: date
) -> None:
    """Plan commitments, one per party, most kept on time since the reveal."""
    rows = []
    titles = (
        "Share the monthly delivery forecast",
        "Name a stable data-team contact and a deputy",
        "Announce staff changes in the forum within two days",
    )
    for i, party in enumerate(loaded.parties):
        due = revealed + timedelta(days=30 + 20 * i)
        done = due <= anchor
        rows.append(
            Commitment(
                partnership=loaded.partnership,
                owner_org=party.organization,
                visibility=Visibility.JOINT,
                created_at=_at(revealed + timedelta(days=8)),
                title=titles[i % len(titles)],
                workstream="Rebuild plan",
                owner_party=party,
                due_on=due,
                status=Commitment.Status.DONE if done else Commitment.Status.ON_TRACK,
                done_on=due - timedelta(days=2) if done else None,
            )
        )
    Commitment.objects.bulk_create(rows)
    intervention.plan_commitments.set(rows)
