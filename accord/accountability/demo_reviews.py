"""Demo data: review cadences, held and cancelled reviews with their minutes, agendas and
actions, and which metrics each held review looked at (see demo.py for the stories)."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from typing import Any

from accord.accountability import schedule
from accord.accountability.demo_common import _at, _insert, _on_time_probability
from accord.accountability.models import (
    Commitment,
    Review,
    ReviewAction,
    ReviewCadence,
)
from accord.demo.generator import DemoContext

ACTIONS = [
    "Circulate the revised timeline",
    "Confirm resourcing for the next phase",
    "Share the updated forecast",
    "Book the joint audit",
    "Draft the escalation note",
    "Send the budget variance analysis",
    "Nominate a single point of contact",
]
DECISIONS = [
    "Keep the current plan and dates",
    "Re-baseline the timeline with both teams",
    "Add a second CMC site to the plan",
    "Hold the budget flat for next quarter",
    "Escalate the resourcing gap to sponsors",
]


def _agenda_source(ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    """Joint commitments per partnership, by due date, for the agendas kept with past minutes."""
    by_partnership: dict[int, list[tuple[Any, ...]]] = {}
    for row in (
        Commitment.objects.filter(partnership_id__in=ids)
        .order_by("due_on", "pk")
        .values_list(
            "partnership_id", "pk", "title", "owner_party__organization__name", "due_on", "done_on"
        )
    ):
        by_partnership.setdefault(row[0], []).append(row[1:])
    return by_partnership


def _snapshot(
    commitments: list[tuple[Any, ...]], start: date, meeting: date, end: date
) -> dict[str, Any]:
    """The agenda as it stood on the meeting day: due in [start, end) and not done by then."""
    items = []
    for pk, title, party, due_on, done_on in commitments:
        if due_on < start or due_on >= end or (done_on is not None and done_on <= meeting):
            continue
        status = "missed" if due_on < meeting else "on_track"
        items.append(
            {
                "id": pk,
                "title": title,
                "party": party,
                "due_on": due_on.isoformat(),
                "status": status,
            }
        )
    return {
        "window": [start.isoformat(), end.isoformat()],
        "commitments": items[:15],
        "metrics": [],
        "actions": [],
    }


def _reviews(
    ctx: DemoContext,
    ids: list[int],
    rng: random.Random,
    agenda_source: dict[int, list[tuple[Any, ...]]],
) -> None:
    loaded_by_id = {lp.partnership.pk: lp for lp in ctx.partnerships}
    cadences: list[dict[str, Any]] = []
    members_of: dict[tuple[int, str], list[Any]] = {}
    for loaded in ctx.partnerships:
        roles_jc = {"alliance_manager", "member"}
        roles_sc = {"alliance_manager", "sponsor"}
        plans = (
            [("Quarterly business review", "quarterly", "operational", roles_jc)]
            if loaded.archetype == "transactional"
            else [
                ("Joint operating committee", "monthly", "operational", roles_jc),
                ("Executive steering committee", "quarterly", "strategic", roles_sc),
            ]
        )
        for name, frequency, kind, roles in plans:
            members_of[(loaded.partnership.pk, name)] = [
                p for p in loaded.participants if p.role in roles
            ]
            cadences.append(
                {
                    "partnership_id": loaded.partnership.pk,
                    "owner_org_id": loaded.parties[0].organization_id,
                    "created_at": _at(loaded.start),
                    "name": name,
                    "frequency": frequency,
                    "kind": kind,
                    "starts_on": loaded.start + timedelta(days=14),
                    "time_of_day": time(14 if kind == "strategic" else 9),
                    "duration_minutes": 90 if kind == "strategic" else 60,
                    "location": "Video call",
                }
            )
    _insert(ReviewCadence, cadences)
    saved = list(
        ReviewCadence.objects.filter(partnership_id__in=ids).values_list(
            "pk",
            "partnership_id",
            "name",
            "frequency",
            "kind",
            "starts_on",
            "time_of_day",
            "duration_minutes",
            "owner_org_id",
        )
    )
    _insert(
        ReviewCadence.participants.through,
        [
            {"reviewcadence_id": c[0], "participant_id": p.pk}
            for c in saved
            for p in members_of[(c[1], c[2])]
        ],
    )
    reviews = []
    for cid, pid, name, frequency, kind, starts_on, at, minutes, org_id in saved:
        loaded = loaded_by_id[pid]
        first = max(starts_on, ctx.anchor - timedelta(days=365))
        last = ctx.anchor + timedelta(days=schedule.HORIZON_DAYS[frequency])
        days = list(schedule.occurrences(frequency, starts_on, first=first, last=last))
        period = timedelta(days=schedule.PERIOD_DAYS[frequency])
        for i, day in enumerate(days):
            row: dict[str, Any] = {
                "partnership_id": pid,
                "owner_org_id": org_id,
                "created_at": _at(loaded.start),
                "cadence_id": cid,
                "title": name,
                "kind": kind,
                "scheduled_at": _at(day, at.hour),
                "duration_minutes": minutes,
                "location": "Video call",
            }
            if day < ctx.anchor:
                days_ago = (ctx.anchor - day).days
                drifting = loaded.archetype == "drifting"
                if drifting and days_ago < 200 and rng.random() < 0.35:
                    row["status"] = "cancelled"
                elif not (drifting and days_ago < 40):
                    row.update(
                        status="held",
                        held_at=row["scheduled_at"] + timedelta(hours=2),
                        decisions="\n".join(rng.sample(DECISIONS, rng.randint(1, 2))),
                        notes="Walked through the agenda; see actions.",
                        agenda_snapshot=_snapshot(
                            agenda_source.get(pid, []),
                            days[i - 1] if i else day - period,
                            day,
                            days[i + 1] if i + 1 < len(days) else day + period,
                        ),
                    )
            reviews.append(row)
    _insert(Review, reviews)
    held = Review.objects.filter(partnership_id__in=ids, status="held").values_list(
        "pk", "partnership_id", "cadence__name", "scheduled_at", "owner_org_id"
    )
    attendees = []
    actions = []
    for rid, pid, name, when, org_id in held:
        loaded = loaded_by_id[pid]
        members = members_of[(pid, name)]
        attendees += [
            {"review_id": rid, "participant_id": p.pk} for p in members if rng.random() < 0.85
        ]
        day = when.date()
        days_ago = (ctx.anchor - day).days
        for _ in range(rng.randint(1, 3)):
            party_index = rng.randrange(len(loaded.parties))
            party = loaded.parties[party_index]
            owners = [m for m in members if m.organization_id == party.organization_id]
            owner = rng.choice(owners) if owners else None
            due = day + timedelta(days=rng.choice([14, 21, 30]))
            kept = rng.random() < _on_time_probability(loaded.archetype, party_index, days_ago)
            done = None
            if kept:
                done = due - timedelta(days=rng.randint(0, 7))
            elif rng.random() < 0.5:
                done = due + timedelta(days=rng.randint(5, 25))
            if done is not None and done > ctx.anchor:
                done = None
            actions.append(
                {
                    "partnership_id": pid,
                    "owner_org_id": org_id,
                    "created_at": when + timedelta(hours=2),
                    "review_id": rid,
                    "title": rng.choice(ACTIONS),
                    "owner_party_id": party.pk,
                    "owner_id": owner.user_id if owner else None,
                    "due_on": due,
                    "done_on": done,
                }
            )
    _insert(Review.attendees.through, attendees)
    _insert(ReviewAction, actions)


def feedback_demo(ctx: DemoContext) -> None:
    """Which metrics each held review looked at (strategic reviews look at more; drifting
    partnerships look at fewer as they slide)."""
    try:
        from accord.performance.models import Metric
    except ImportError:
        return
    rng = ctx.rng("accountability.feedback")
    ids = [lp.partnership.pk for lp in ctx.partnerships]
    metrics: dict[int, list[int]] = {}
    for pk, pid in Metric.objects.filter(partnership_id__in=ids, visibility="joint").values_list(
        "pk", "partnership_id"
    ):
        metrics.setdefault(pid, []).append(pk)
    archetype = {lp.partnership.pk: lp.archetype for lp in ctx.partnerships}
    rows = []
    for review_id, pid, kind, when in Review.objects.filter(
        partnership_id__in=ids, status="held"
    ).values_list("pk", "partnership_id", "kind", "scheduled_at"):
        pool = metrics.get(pid, [])
        if not pool:
            continue
        k = 4 if kind == "strategic" else 2
        if archetype[pid] == "drifting" and (ctx.anchor - when.date()).days < 200:
            k = 1
        rows += [
            {"review_id": review_id, "metric_id": m} for m in rng.sample(pool, min(k, len(pool)))
        ]
    _insert(Review.metrics_reviewed.through, rows)
