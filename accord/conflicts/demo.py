"""Demo conflicts that tell each archetype's story through the ladder.

- healthy: a few issues, each settled by the operational leads within days;
- drifting (the vicious circle): issues come more often as time goes on and climb further — the
  latest are still open with the sponsors and in neutral facilitation;
- one-sided: one party raises nearly everything, and its issues linger and climb;
- recovering: one dispute went all the way to neutral facilitation and was settled there; since
  then issues are few and settled low;
- transactional: one commercial issue, settled by the alliance managers.

Written with bulk inserts (no audit events or notifications: the demo is history, not news).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from accord.conflicts.catalog import DEFAULT_PRINCIPLES
from accord.conflicts.models import TIER_ORDER, Comment, Issue, Principle, TierChange, TierKey
from accord.demo.bulk import insert_objects
from accord.demo.generator import DemoContext, LoadedPartnership, demo_extension
from accord.partnerships.models import Participant

Role = Participant.Role

ISSUES: dict[str, list[tuple[str, str]]] = {
    "scope": [
        (
            "Extra toxicology studies added without a change request",
            "Three additional studies appeared in the work plan this month. Nobody asked for a "
            "change request, and the cost falls on our side.",
        ),
        (
            "Second indication quietly added to the programme",
            "The latest plan includes a second indication that was never agreed by the steering "
            "committee.",
        ),
    ],
    "resources": [
        (
            "Two of five committed FTEs still unfilled",
            "The plan commits five full-time scientists; two positions have been open for ten "
            "weeks and the assay work is stalling.",
        ),
        (
            "Shared lab time keeps being reallocated",
            "Our booked slots on the shared screening platform were given to internal projects "
            "three times this quarter.",
        ),
    ],
    "ip": [
        (
            "Invention disclosure filed on the joint assay",
            "An invention disclosure naming only one party's inventors was filed on the assay we "
            "developed together.",
        ),
        (
            "Background know-how used outside the alliance",
            "Our formulation know-how appears in a poster from a project outside the partnership.",
        ),
    ],
    "quality": [
        (
            "Batch 14 failed release specifications",
            "Batch 14 arrived outside the agreed impurity limits; the receiving site rejected it.",
        ),
        (
            "Assay results do not reproduce at the partner site",
            "Potency values differ by more than 20% between the two labs on the same samples.",
        ),
    ],
    "timing": [
        (
            "Data package delivered three weeks late",
            "The interim data package arrived three weeks after the agreed date, with no warning.",
        ),
        (
            "Milestone 3 moved without notice",
            "We learned from the minutes that milestone 3 moved by a quarter; no change notice "
            "was sent.",
        ),
    ],
    "relationship": [
        (
            "Decisions taken in meetings we were not invited to",
            "Two decisions affecting our team were taken in internal meetings and announced "
            "afterwards.",
        ),
        (
            "Tone of the last steering committee",
            "The last steering committee turned personal; our team felt blamed for delays outside "
            "its control.",
        ),
    ],
    "commercial": [
        (
            "Cost-sharing invoice disputed",
            "The Q2 cost-sharing invoice includes overheads we never agreed to share.",
        ),
        (
            "Royalty base calculated differently",
            "The two finance teams compute the royalty base differently; the gap is 8%.",
        ),
    ],
}
RESOLUTIONS = {
    "scope": "The extra work goes through a change request with its own budget; "
    "the steering committee approved one study and dropped two.",
    "resources": "The short side seconds two scientists until the hires start; "
    "staffing is reported monthly.",
    "ip": "Both parties are named on the filing; prosecution is shared and costs split evenly.",
    "quality": "An independent lab repeated the tests; the supplier replaces the batch "
    "at its cost.",
    "timing": "Work was re-sequenced to protect the milestone; future slips are reported within "
    "five working days.",
    "relationship": "The alliance managers agreed a joint agenda rule and apologized for the "
    "missed invitations.",
    "commercial": "Both finance leads reconciled the figures line by line; the invoice was "
    "corrected.",
}
PROPOSAL = "Proposal: {text}"
CATALOG_TITLE = {
    kind: next(p.title for p in DEFAULT_PRINCIPLES if p.conflict_type == kind) for kind in ISSUES
}


@dataclass(frozen=True)
class Story:
    at: float  # when it was raised, as a share of the partnership's life so far
    climbs: int  # how many tiers it climbed
    outcome: str  # resolved, open or withdrawn
    raiser_side: int = 0  # which party raised it
    conflict_type: str | None = None


STORIES: dict[str, list[Story]] = {
    "healthy": [
        Story(0.2, 0, "resolved"),
        Story(0.55, 0, "resolved", 1),
        Story(0.85, 0, "resolved"),
    ],
    "drifting": [
        Story(0.3, 0, "resolved"),
        Story(0.5, 1, "resolved", 1),
        Story(0.62, 1, "resolved"),
        Story(0.72, 2, "resolved", 1),
        Story(0.8, 2, "withdrawn"),
        Story(0.85, 3, "open", 1),
        Story(0.9, 2, "open"),
        Story(0.95, 1, "open", 1),
    ],
    "one_sided": [
        Story(0.4, 1, "resolved", 1),
        Story(0.6, 1, "withdrawn", 1),
        Story(0.75, 2, "resolved", 1),
        Story(0.9, 2, "open", 1),
    ],
    "recovering": [
        Story(0.2, 1, "resolved", 1, "relationship"),
        Story(0.35, 3, "resolved", 0, "timing"),
        Story(0.7, 0, "resolved", 1),
        Story(0.9, 0, "resolved"),
    ],
    "transactional": [Story(0.5, 1, "resolved", 0, "commercial")],
}
TYPES = list(ISSUES)
# The fixed cast gets its own editable copy of the principles; generated partnerships read the
# default catalog (their resolutions keep the principle's title), which keeps 1,000 fast.
SEEDED = 8


def _at(day: Any, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _people(lp: LoadedPartnership) -> dict[tuple[int, str], list[Any]]:
    by: dict[tuple[int, str], list[Any]] = {}
    for p in lp.participants:
        by.setdefault((p.organization_id, p.role), []).append(p)
    return by


def _owner(
    lp: LoadedPartnership, by: dict[tuple[int, str], list[Any]], tier: str, side: int, r: Any
) -> Participant:
    """A plausible tier owner on one side (the facilitator at neutral facilitation)."""
    org = lp.parties[side % len(lp.parties)].organization_id
    if tier == TierKey.NEUTRAL_FACILITATION:
        facilitators = [p for p in lp.participants if p.role == Role.FACILITATOR]
        if facilitators:
            return facilitators[0]
    prefs = {
        TierKey.OPERATIONAL_LEADS: [Role.MEMBER, Role.ALLIANCE_MANAGER],
        TierKey.ALLIANCE_MANAGERS: [Role.ALLIANCE_MANAGER],
        TierKey.EXECUTIVE_SPONSORS: [Role.SPONSOR, Role.ALLIANCE_MANAGER],
    }.get(tier, [Role.ALLIANCE_MANAGER])
    for role in prefs:
        if by.get((org, role)):
            return r.choice(by[(org, role)])
    return next(p for p in lp.participants if p.organization_id == org)


@demo_extension("conflicts")
def conflicts_demo(ctx: DemoContext) -> None:
    r = ctx.rng("conflicts")
    principles = [
        Principle(
            partnership=lp.partnership,
            conflict_type=p.conflict_type,
            title=p.title,
            text=p.text,
            position=i,
        )
        for lp in ctx.partnerships[:SEEDED]
        for i, p in enumerate(DEFAULT_PRINCIPLES)
    ]
    Principle.objects.bulk_create(principles, batch_size=2000)
    first_for: dict[tuple[int, str], Principle] = {}
    for p in principles:
        first_for.setdefault((p.partnership_id, p.conflict_type), p)

    issues: list[Issue] = []
    trails: list[list[tuple[str, str, datetime, Any, str]]] = []
    notes: list[list[tuple[Participant, str, datetime, str]]] = []
    for lp in ctx.partnerships:
        if len(lp.parties) < 2:
            continue
        by = _people(lp)
        windows = lp.partnership.escalation_windows
        anchor = _at(ctx.anchor, 9)
        life = (anchor - _at(lp.start)).days
        for story in STORIES.get(lp.archetype, []):
            issue, trail, said = _one_issue(lp, by, story, windows, anchor, life, r, first_for)
            issues.append(issue)
            trails.append(trail)
            notes.append(said)
    Issue.objects.bulk_create(issues, batch_size=2000)
    cast_ids = {lp.partnership.pk for lp in ctx.partnerships[:SEEDED]}
    changes, comments = [], []
    for issue, trail, said in zip(issues, trails, notes, strict=True):
        for from_tier, to_tier, at, by_user, reason in trail:
            changes.append(
                TierChange(
                    issue=issue,
                    from_tier=from_tier,
                    to_tier=to_tier,
                    reason=reason,
                    by=by_user,
                    at=at,
                    note="The current tier cannot settle this; it needs a decision above us."
                    if reason == TierChange.Reason.MANUAL
                    else "",
                )
            )
        if issue.partnership_id not in cast_ids:
            continue  # comments only for the fixed cast: generated partnerships stay light
        for participant, kind, at, body in said:
            comments.append(
                Comment(
                    issue=issue,
                    author_id=participant.user_id,
                    organization_id=participant.organization_id,
                    kind=kind,
                    body=body,
                    tier=issue.tier,
                    created_at=at,
                )
            )
    insert_objects(changes)
    Comment.objects.bulk_create(comments, batch_size=5000)


def _one_issue(
    lp: LoadedPartnership,
    by: dict[tuple[int, str], list[Any]],
    story: Story,
    windows: dict[str, int],
    anchor: datetime,
    life: int,
    r: random.Random,
    first_for: dict[tuple[int, str], Principle],
) -> tuple[Issue, list[tuple[str, str, datetime, Any, str]], list[Any]]:
    kind = story.conflict_type or r.choice(TYPES)
    title, description = r.choice(ISSUES[kind])
    side = story.raiser_side
    raiser = _owner(lp, by, TierKey.OPERATIONAL_LEADS, side, r)
    tiers = TIER_ORDER[: story.climbs + 1]
    # days spent at each tier before moving up: mostly the full window, sometimes by hand earlier
    spent = []
    for key in tiers[:-1]:
        manual = r.random() < 0.3
        spent.append(r.randint(2, windows[key] - 1) if manual else windows[key])
    last_window = windows.get(tiers[-1], 30)
    if story.outcome == "open":
        in_tier = r.randint(1, max(1, last_window - 2))
        raised = anchor - timedelta(days=sum(spent) + in_tier, hours=r.randint(0, 6))
    else:
        raised = _at(lp.start) + timedelta(days=int(life * story.at), hours=r.randint(0, 6))
    trail = []
    entered = raised
    for (key, days), nxt in zip(zip(tiers, spent, strict=False), tiers[1:], strict=True):
        entered = entered + timedelta(days=days)
        manual = days < windows[key]
        trail.append(
            (
                key,
                nxt,
                entered,
                raiser.user if manual else None,
                TierChange.Reason.MANUAL if manual else TierChange.Reason.WINDOW_PASSED,
            )
        )
    issue = Issue(
        partnership=lp.partnership,
        owner_org_id=raiser.organization_id,
        visibility="joint",
        created_by_id=raiser.user_id,
        created_at=raised,
        title=title,
        description=description,
        conflict_type=kind,
        tier=tiers[-1],
        tier_entered_at=entered,
    )
    other = _owner(lp, by, tiers[-1], side + 1, r)
    said = []
    if story.outcome == "resolved":
        fast = lp.archetype in {"healthy", "recovering"} and story.climbs == 0
        took = r.randint(1, 4) if fast else r.randint(3, max(4, last_window - 2))
        closed = max(min(entered + timedelta(days=took), anchor - timedelta(days=1)), entered)
        principle = first_for.get((lp.partnership.pk, kind))
        issue.resolved_at = closed
        issue.resolved_by_id = other.user_id
        issue.principle = principle
        issue.principle_title = principle.title if principle else CATALOG_TITLE[kind]
        issue.resolution = RESOLUTIONS[kind]
        said.append(
            (
                other,
                Comment.Kind.PROPOSAL,
                closed - timedelta(hours=20),
                PROPOSAL.format(text=RESOLUTIONS[kind][0].lower() + RESOLUTIONS[kind][1:]),
            )
        )
    elif story.outcome == "withdrawn":
        issue.withdrawn_at = entered + timedelta(days=r.randint(1, 5))
    else:
        said.append(
            (
                other,
                Comment.Kind.COMMENT,
                entered + timedelta(hours=r.randint(4, 30)),
                "We see this differently. Can we first agree on the facts and dates?",
            )
        )
    return issue, trail, said
