"""Demo communication histories that tell each archetype's story over the last year:

- healthy: both parties write every week, answer within hours, give notice well ahead, and the
  rare concern is answered within a day and closed;
- drifting (the vicious circle): both sides write less and less, answers take days, notices come
  shorter (the last ones after the fact) and concerns pile up unanswered;
- one-sided: the first party keeps writing, the second falls silent and gives short notice;
- recovering: a silent, short-notice dip in the middle of the year, then regular talk again;
- transactional: a message or two a fortnight, adequate notice.

Bulk inserts only (no audit events or notifications: the demo is history, not news), a year of
weekly history at most, so 1,000 partnerships load in seconds.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.db import connection

from accord.communication.models import ChangeNotice, Concern, ConcernResponse, Message, Thread
from accord.demo.bulk import insert_objects
from accord.demo.generator import DemoContext, LoadedPartnership, demo_extension
from accord.partnerships.models import Participant

WEEKS = 52
WRITERS = (
    Participant.Role.ALLIANCE_MANAGER,
    Participant.Role.MEMBER,
    Participant.Role.SPONSOR,
)
LINES = (
    "Draft plan attached in the shared folder; comments welcome by Friday.",
    "Thanks — we agree with points 1 and 3, point 2 needs our finance team.",
    "Can we move the sync to Thursday? Two of us are at the site visit.",
    "Results from the pilot batch are in: on target for yield, slightly over on cost.",
    "Noted. We will bring the updated numbers to the steering committee.",
)
CATEGORIES = ("staffing", "priorities", "budget", "timeline", "scope")
CONCERNS = (
    (
        "Decisions reach us after they are made",
        "Twice this quarter we learned of a change from a slide.",
    ),
    ("Questions go unanswered", "Our technical questions wait weeks for a reply."),
    ("Meeting notes are not shared", "We cannot act on what was agreed if nobody writes it down."),
)


def rate(archetype: str, party_index: int, t: float) -> float:
    """Expected messages per week from one party at time t (0 = a year ago, 1 = now)."""
    if archetype == "healthy":
        return 1.2
    if archetype == "drifting":
        return max(0.1, 1.3 * (1 - t) ** 1.5)
    if archetype == "one_sided":
        return 1.2 if party_index == 0 else max(0.05, 1.0 * (1 - t) ** 2)
    if archetype == "recovering":
        return 0.15 if 0.35 < t < 0.6 else 1.1
    return 0.3


def reply_hours(archetype: str, t: float, rng: random.Random) -> float:
    slow = {"drifting": 6 + 120 * t, "one_sided": 10 + 80 * t}.get(archetype)
    if archetype == "recovering":
        slow = 72.0 if 0.35 < t < 0.6 else 8.0
    return rng.expovariate(1 / (slow or 6.0))


def lead_days(archetype: str, t: float, rng: random.Random) -> int:
    if archetype == "drifting":
        return round(45 - 55 * t + rng.uniform(-5, 5))
    if archetype == "one_sided":
        return round(30 - 30 * t + rng.uniform(-5, 5))
    if archetype == "recovering":
        return 5 if 0.35 < t < 0.6 else round(rng.uniform(30, 50))
    return round(rng.uniform(30, 60))


def _writers(loaded: LoadedPartnership) -> list[list[Any]]:
    by_org: dict[int, list[Any]] = {}
    for p in loaded.participants:
        if p.role in WRITERS:
            by_org.setdefault(p.organization_id, []).append(p.user)
    return [by_org.get(party.organization_id, []) for party in loaded.parties]


@demo_extension("communication")
def communication_histories(ctx: DemoContext) -> None:
    rng = ctx.rng("communication")
    now = datetime.combine(ctx.anchor, time(17), tzinfo=UTC)
    threads: list[Thread] = []
    pending: list[tuple[int, list[tuple[Any, Any, datetime, str]]]] = []
    notices: list[ChangeNotice] = []
    concerns: list[tuple[Concern, Any]] = []
    for loaded in ctx.partnerships:
        writers = _writers(loaded)
        if len(loaded.parties) < 2 or not all(writers):
            continue
        first = max(
            datetime.combine(loaded.start, time(9), tzinfo=UTC), now - timedelta(weeks=WEEKS)
        )
        weeks = max(1, (now - first).days // 7)
        arch = loaded.archetype
        thread = None
        for w in range(weeks):
            monday = first + timedelta(weeks=w)
            t = w / max(1, weeks - 1)
            if w % 4 == 0:
                thread = Thread(
                    partnership=loaded.partnership,
                    owner_org=loaded.parties[0].organization,
                    created_by=writers[0][0],
                    created_at=monday,
                    kind=Thread.Kind.MEETING_NOTES if w % 8 == 0 else Thread.Kind.DISCUSSION,
                    title=f"Monthly sync — {monday:%B %Y}",
                    meeting_on=monday.date() if w % 8 == 0 else None,
                )
                threads.append(thread)
                pending.append((len(threads) - 1, []))
            posts = pending[-1][1]
            for i, people in enumerate(writers):
                # Binomial over four chances a week: steady around the rate, no long tails.
                chance = min(1.0, rate(arch, i, t) / 4)
                count = sum(rng.random() < chance for _ in range(4))
                for _ in range(count):
                    at = monday + timedelta(hours=rng.uniform(8, 160))
                    posts.append((loaded.parties[i], rng.choice(people), at, rng.choice(LINES)))
                    if rng.random() < 0.5:  # the other side answers
                        j = (i + 1) % len(writers)
                        back = at + timedelta(hours=reply_hours(arch, t, rng))
                        if back < now:
                            party = loaded.parties[j]
                            posts.append((party, rng.choice(writers[j]), back, rng.choice(LINES)))
            if w % 9 == 4:
                i = rng.randrange(len(writers))
                lead = lead_days(arch, t, rng)
                given = (monday + timedelta(days=rng.randint(0, 4))).date()
                notices.append(
                    ChangeNotice(
                        partnership=loaded.partnership,
                        owner_org=loaded.parties[i].organization,
                        created_by=writers[i][0],
                        created_at=datetime.combine(given, time(10), tzinfo=UTC),
                        changing_party=loaded.parties[i],
                        category=rng.choice(CATEGORIES),
                        summary="Team and plan changes for the next phase.",
                        given_on=given,
                        effective_on=given + timedelta(days=lead),
                        agreed_days=loaded.partnership.notice_lead_days,
                        reason=""
                        if lead >= loaded.partnership.notice_lead_days
                        else "Decided at short notice by our leadership.",
                    )
                )
            worried = {"drifting": 0.12 * t, "one_sided": 0.08, "recovering": 0.05}.get(arch, 0.01)
            if rng.random() < worried:
                i = rng.randrange(len(writers))
                title, body = rng.choice(CONCERNS)
                raised = monday + timedelta(days=rng.uniform(0, 5))
                answered = (
                    arch in ("healthy", "transactional")
                    or (arch == "recovering" and t >= 0.6)
                    or rng.random() < 0.25
                )
                reply = raised + timedelta(hours=rng.uniform(4, 30)) if answered else None
                concern = Concern(
                    partnership=loaded.partnership,
                    author=writers[i][0],
                    raised_by_party=loaded.parties[i],
                    name_hidden=rng.random() < 0.5,
                    title=title,
                    body=body,
                    body_html=f"<p>{body}</p>",
                    raised_at=raised,
                    first_response_at=reply if reply and reply < now else None,
                    closed_at=closed
                    if reply and (closed := reply + timedelta(days=3)) < now
                    else None,
                )
                j = (i + 1) % len(writers)
                concerns.append(
                    (
                        concern,
                        (loaded.parties[j], writers[j][0]) if concern.first_response_at else None,
                    )
                )
    Thread.objects.bulk_create(threads, batch_size=2000)
    _insert_messages(
        (
            thread.partnership_id,
            thread.owner_org_id,
            thread.visibility,
            user.pk,
            at,
            at,
            thread.pk,
            party.pk,
            line,
            f"<p>{line}</p>",
        )
        for thread, posts in ((threads[index], posts) for index, posts in pending)
        for party, user, at, line in sorted(posts, key=lambda p: p[2])
        if at < now
    )
    insert_objects(notices)
    Concern.objects.bulk_create([c for c, _ in concerns], batch_size=2000)
    ConcernResponse.objects.bulk_create(
        [
            ConcernResponse(
                concern=c,
                author=who[1],
                party=who[0],
                body="Thanks for raising it — we will change how we share decisions.",
                body_html="<p>Thanks for raising it — we will change how we share decisions.</p>",
                created_at=c.first_response_at,
            )
            for c, who in concerns
            if who is not None
        ],
        batch_size=2000,
    )


MESSAGE_COLUMNS = (
    "partnership_id",
    "owner_org_id",
    "visibility",
    "created_by_id",
    "created_at",
    "updated_at",
    "thread_id",
    "author_party_id",
    "body",
    "body_html",
)


def _insert_messages(rows: Any, batch: int = 10_000) -> None:
    """The bulk of the demo's rows: COPY on PostgreSQL, batched executemany elsewhere — several
    times faster than building model instances for bulk_create (docs: TESTING.md, imports)."""
    table = Message._meta.db_table
    columns = ", ".join(MESSAGE_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(MESSAGE_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (constants only)
        adapt = connection.ops.adapt_datetimefield_value
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append((*row[:4], adapt(row[4]), adapt(row[5]), *row[6:]))
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
