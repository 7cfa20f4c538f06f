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

import random
from datetime import date, timedelta
from typing import Any

from accord.accountability.demo_common import _at, _insert, _on_time_probability, _people
from accord.accountability.demo_reviews import _agenda_source, _reviews, feedback_demo
from accord.accountability.models import (
    Commitment,
    CommitmentStatusChange,
    MonitoringRequest,
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
