"""Demo data: each archetype's story told through delivery, oversight and reviews.

- healthy: about nine in ten commitments on time on both sides, requests balanced, reviews held
  with minutes and their actions closed;
- drifting: delivery slips first (on-time falls over the last three quarters, before the metrics
  do), one side starts checking on the other (oversight skewed), meetings get cancelled, actions
  go overdue, and a re-planned commitment is missed again;
- one_sided: one party delivers, the other misses most, and the reliable side does most of the
  checking;
- recovering: a bad patch a year ago, better since the intervention;
- transactional: fewer commitments, a quarterly business review, little oversight.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from accord.accountability import schedule
from accord.accountability.models import (
    Commitment,
    CommitmentStatusChange,
    MonitoringRequest,
    Review,
    ReviewAction,
    ReviewCadence,
)
from accord.demo.generator import DemoContext, LoadedPartnership, demo_extension

HISTORY_DAYS = 540
WORKSTREAMS = {
    "default": ["CMC transfer", "Clinical operations", "Regulatory", "Joint marketing", "Data"],
    "transactional": ["Deliveries", "Quality"],
}
TITLES = {
    "CMC transfer": [
        "Transfer the analytical methods",
        "Ship engineering batch",
        "Qualify the fill line",
    ],
    "Clinical operations": [
        "Activate trial sites",
        "Close the interim database",
        "Deliver the CSR draft",
    ],
    "Regulatory": [
        "Submit the briefing book",
        "Answer the agency questions",
        "Align the label text",
    ],
    "Joint marketing": ["Agree the launch plan", "Deliver the KOL map", "Share the forecast"],
    "Data": [
        "Release the data extract",
        "Sign the data-sharing annex",
        "Fix the registry interface",
    ],
    "Deliveries": ["Deliver the quarterly lot", "Confirm the rolling forecast"],
    "Quality": ["Close the deviation CAPA", "Send the certificates of analysis"],
}
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


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert plain rows with executemany: the demo writes hundreds of thousands of rows at
    portfolio scale, and building model instances costs ten times the insert itself. Fields a row
    leaves out take their model default (or NULL)."""
    if not rows:
        return
    ops = connection.ops
    now = timezone.now()
    adapt = {
        "DateTimeField": ops.adapt_datetimefield_value,
        "DateField": ops.adapt_datefield_value,
        "TimeField": ops.adapt_timefield_value,
        "JSONField": json.dumps,
    }
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    plan = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default: Any = now
        else:
            default = f.get_default()  # "" for text without a default, None when nullable
        plan.append((f.attname, default, adapt.get(f.get_internal_type())))
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (quoted identifiers)
    values = [
        tuple(
            (fn(v) if fn is not None and v is not None else v)
            for name, default, fn in plan
            for v in [row.get(name, default)]
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start : start + 5000])


def _on_time_probability(archetype: str, party_index: int, days_ago: int) -> float:
    """Chance that a commitment due `days_ago` days before the anchor was kept on time."""
    if archetype == "healthy":
        return 0.98  # reliable enough that its delivery record supports reinforcement
    if archetype == "drifting":
        # Delivery slips before the metrics do: the second party from eleven months ago, the
        # first answering in kind two months later, both down to about one in three by now.
        onset = 330 if party_index == 1 else 270
        slip = max(0.0, (onset - days_ago) / onset)
        return 0.94 - 0.6 * slip
    if archetype == "one_sided":
        return 0.9 if party_index == 0 else 0.35
    if archetype == "recovering":
        return 0.45 if 150 < days_ago < 400 else 0.85
    return 0.8


def _people(loaded: LoadedPartnership) -> dict[int, list[Any]]:
    by_org: dict[int, list[Any]] = {}
    for p in loaded.participants:
        if p.role in ("member", "alliance_manager"):
            by_org.setdefault(p.organization_id, []).append(p)
    return by_org


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@demo_extension("accountability")
def accountability_demo(ctx: DemoContext) -> None:
    rng = ctx.rng("accountability")
    ids = [lp.partnership.pk for lp in ctx.partnerships]
    rows: list[dict[str, Any]] = []
    for loaded in ctx.partnerships:
        rows += _commitments(loaded, ctx.anchor, rng)
    _insert(Commitment, rows)
    _insert(Commitment, _replans(ctx, ids))
    saved = list(
        Commitment.objects.filter(partnership_id__in=ids).values_list(
            "pk",
            "partnership_id",
            "owner_party_id",
            "owner_id",
            "status",
            "due_on",
            "done_on",
            "missed_on",
        )
    )
    recent = [c for c in saved if (ctx.anchor - c[5]).days < 120]
    _insert(CommitmentStatusChange, _history(recent))
    _insert(MonitoringRequest, _requests(ctx, saved, rng))
    _reviews(ctx, ids, rng, _agenda_source(ids))
    # Metrics come from the performance app's extension, which runs after this one; registering
    # the feedback-loop step now puts it at the end of the list the generator is iterating.
    demo_extension("accountability.feedback")(feedback_demo)


def _commitments(
    loaded: LoadedPartnership, anchor: date, rng: random.Random
) -> list[dict[str, Any]]:
    people = _people(loaded)
    streams = WORKSTREAMS["transactional" if loaded.archetype == "transactional" else "default"]
    step = 21 if loaded.archetype == "transactional" else 4
    first = max(loaded.start + timedelta(days=30), anchor - timedelta(days=HISTORY_DAYS))
    rows = []
    day, n = first, 0
    while day <= anchor + timedelta(days=75):
        party_index = n % len(loaded.parties)
        party = loaded.parties[party_index]
        owner = rng.choice(people.get(party.organization_id) or [None])
        stream = streams[(n // len(loaded.parties)) % len(streams)]
        days_ago = (anchor - day).days
        created = max(day - timedelta(days=rng.randint(30, 90)), loaded.start)
        row: dict[str, Any] = {
            "partnership_id": loaded.partnership.pk,
            "owner_org_id": party.organization_id,
            "created_by_id": owner.user_id if owner else None,
            "created_at": _at(created),
            "title": rng.choice(TITLES[stream]),
            "workstream": stream,
            "owner_party_id": party.pk,
            "owner_id": owner.user_id if owner else None,
            "due_on": day,
            "acceptance_criteria": "Accepted in writing by the other party's lead.",
        }
        if day < anchor:
            if rng.random() < _on_time_probability(loaded.archetype, party_index, days_ago):
                row.update(status="done", done_on=day - timedelta(days=rng.randint(0, 5)))
            elif rng.random() < 0.5 and day + timedelta(days=25) < anchor:
                row.update(status="done", done_on=day + timedelta(days=rng.randint(3, 20)))
            else:
                row.update(status="missed", missed_on=day + timedelta(days=1))
        else:
            risky = loaded.archetype in ("drifting", "one_sided") and party_index == 1
            row["status"] = rng.choices(
                ["planned", "on_track", "at_risk"], weights=[3, 5, 4 if risky else 1]
            )[0]
        rows.append(row)
        day += timedelta(days=step + rng.randint(-2, 3))
        n += 1
    return rows


def _replans(ctx: DemoContext, ids: list[int]) -> list[dict[str, Any]]:
    """In drifting and one-sided partnerships, a recent miss was re-planned and missed again:
    the case the escalation rule is for."""
    wanted = {
        lp.partnership.pk for lp in ctx.partnerships if lp.archetype in ("drifting", "one_sided")
    }
    latest: dict[int, dict[str, Any]] = {}
    for row in (
        Commitment.objects.filter(
            partnership_id__in=wanted,
            status="missed",
            due_on__gte=ctx.anchor - timedelta(days=120),
            due_on__lt=ctx.anchor - timedelta(days=45),
        )
        .order_by("due_on")
        .values()
    ):
        latest[row["partnership_id"]] = row
    replans = []
    for missed in latest.values():
        due = missed["due_on"] + timedelta(days=30)
        replans.append(
            {
                **{
                    k: missed[k]
                    for k in (
                        "partnership_id",
                        "owner_org_id",
                        "created_by_id",
                        "title",
                        "workstream",
                        "owner_party_id",
                        "owner_id",
                        "acceptance_criteria",
                    )
                },
                "created_at": _at(missed["missed_on"] or missed["due_on"]),
                "due_on": due,
                "status": "missed",
                "missed_on": due + timedelta(days=1),
                "replanned_from_id": missed["id"],
            }
        )
    return replans


def _history(saved: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    changes = []
    for pk, _pid, _party, owner_id, status, due_on, done_on, missed_on in saved:
        if status == "done" and done_on:
            changes.append(
                {
                    "commitment_id": pk,
                    "from_status": "on_track",
                    "to_status": "done",
                    "changed_by_id": owner_id,
                    "created_at": _at(done_on, 16),
                }
            )
        elif status == "missed" and missed_on:
            changes.append(
                {
                    "commitment_id": pk,
                    "from_status": "at_risk",
                    "to_status": "missed",
                    "note": f"Due {due_on:%d %b %Y} and not done.",
                    "automatic": True,
                    "created_at": _at(missed_on, 2),
                }
            )
    return changes


def _skew(archetype: str, days_ago: int) -> float:
    """Share of monitoring requests the first party makes."""
    if archetype == "drifting":
        return 0.5 + 0.4 * max(0.0, (240 - days_ago) / 240)
    if archetype == "one_sided":
        return 0.85
    if archetype == "recovering":
        return 0.8 if 150 < days_ago < 400 else 0.5
    return 0.5


QUESTIONS = (
    "Are we still on track for the date?",
    "Can you share the evidence?",
    "What is the latest?",
)


def _requests(
    ctx: DemoContext, saved: list[tuple[Any, ...]], rng: random.Random
) -> list[dict[str, Any]]:
    by_party: dict[int, list[tuple[Any, ...]]] = {}
    for c in saved:
        by_party.setdefault(c[2], []).append(c)
    rows = []
    rate = {"healthy": 0.3, "drifting": 0.9, "one_sided": 0.7, "recovering": 0.4}
    for loaded in ctx.partnerships:
        if len(loaded.parties) < 2:
            continue
        people = _people(loaded)
        per_week = rate.get(loaded.archetype, 0.1)
        day = max(loaded.start, ctx.anchor - timedelta(days=360))
        while day <= ctx.anchor:
            if rng.random() < per_week:
                days_ago = (ctx.anchor - day).days
                first = rng.random() < _skew(loaded.archetype, days_ago)
                asker = loaded.parties[0] if first else rng.choice(loaded.parties[1:])
                target = rng.choice([p for p in loaded.parties if p.pk != asker.pk])
                near = [c for c in by_party.get(target.pk, []) if abs((c[5] - day).days) < 45]
                if near:
                    about = rng.choice(near)
                    who = rng.choice(people.get(asker.organization_id) or [None])
                    answer_day = day + timedelta(days=rng.randint(1, 6))
                    answered = rng.random() < (0.6 if loaded.archetype == "drifting" else 0.9)
                    answered = answered and answer_day <= ctx.anchor
                    rows.append(
                        {
                            "partnership_id": loaded.partnership.pk,
                            "owner_org_id": asker.organization_id,
                            "created_by_id": who.user_id if who else None,
                            "created_at": _at(day, 11),
                            "commitment_id": about[0],
                            "kind": rng.choice(
                                ["status_check", "status_check", "evidence_request"]
                            ),
                            "requesting_party_id": asker.pk,
                            "question": rng.choice(QUESTIONS),
                            "requested_on": day,
                            "answer": "Yes — see the commitment's evidence." if answered else "",
                            "answered_at": _at(answer_day, 15) if answered else None,
                            "answered_by_id": about[3] if answered else None,
                        }
                    )
            day += timedelta(days=7)
    return rows


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
