"""The development stage's evidence, kept per state of its inputs so a page does not collect it
on every request (collecting reads health, communication, accountability, economics and
participants: about twenty queries and half of the trust tab's time).

What the evidence is a function of, read in one query of aggregates (``_fingerprint``): per
partnership, its closed trust rounds and their answers, parties, participants and their
memberships, joint commitments and monitoring requests, joint investment entries, joint messages,
change notices, concerns and their replies — each as a count, the highest id and the latest
change stamp (``updated_at``, or what the table has: participants add a sum of id × role so a
role change shows). Plus the partnership's own fields, today's date (the providers' windows end
today) and the hour: the one input no row holds is the clock, and the longest silence
(communication) grows with it; keyed by the hour, it is never more than an hour behind, and the
pages say when the evidence was gathered. A change the aggregates cannot see shows within the
hour the same way: an edit in place that leaves count, highest id, latest stamp and checksums
as they were (a membership's unit renamed to one of the same length, an earlier party's or
participant's joining date moved, a row written by ``QuerySet.update`` without its stamp).

The stage settings row (the thresholds) is an input too, so a threshold changed on the stage
settings page applies at once; what is kept is the evidence and the judgement made from it.

Like ``results_cache``, the memory is each web process's own, bounded, least recently used out.
A provider registered in ``accord.trust.evidence`` must have its inputs here: a test compares
``COVERED`` with the registered providers.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import connection
from django.utils import timezone

from accord.domain import trust as domain
from accord.kept import Memory
from accord.partnerships.models import Participant, Partnership
from accord.trust.evidence import CollectedEvidence, collect_evidence

PREFIX = "trust-stage-evidence:v1:"
COVERED = frozenset(
    {"trust.surveys", "partnerships.participants", "communication.messages", "health.registry"}
)
ROLE_CODES = {role: i + 1 for i, role in enumerate(Participant.Role.values)}

cache = Memory(512)


@dataclass(frozen=True)
class StoredEvidence:
    collected: CollectedEvidence
    collected_at: datetime
    judgement: domain.StageJudgement

    @property
    def gathered_hour(self) -> datetime:
        """The hour the evidence was gathered in (local time), which is what pages show: the
        exact time would move whenever any input changed, including another party's
        participants hidden by a restricted list, and so tell that they changed. Within the
        hour the key's own hour is the same for every recomputation."""
        return timezone.localtime(self.collected_at).replace(minute=0, second=0, microsecond=0)


def _table(label: str) -> str:
    return connection.ops.quote_name(apps.get_model(label)._meta.db_table)


# Per input: table, alias, join, condition and four aggregates (each cast to text). Identifiers
# come from the models' metadata and every value is a query parameter.
CLOSED = (
    "SELECT id FROM {rounds} WHERE partnership_id = %(p)s AND kind = 'trust' "
    "AND closes_at <= %(now)s"
)
INPUTS: list[tuple[str, str, str, tuple[str, ...]]] = [
    # A closed round's answers never change; a resubmission while open rewrites them under new
    # random keys, so the count and the smallest key tell the rounds' answers apart.
    ("trust.Response", "", f"t.round_id IN ({CLOSED})", ("MIN(CAST(t.id AS TEXT))",)),
    (
        "trust.SurveyRound",
        "",
        f"t.id IN ({CLOSED})",
        ("MAX(t.id)", "MAX(t.updated_at)", "MAX(t.closes_at)"),
    ),
    (
        "partnerships.Party",
        "",
        "t.partnership_id = %(p)s",
        ("MAX(t.id)", "MAX(t.joined_at)", "SUM(t.id * t.organization_id)"),
    ),
    (
        "partnerships.Participant",
        "",
        "t.partnership_id = %(p)s",
        ("MAX(t.id)", "MAX(t.joined_at)", "SUM(t.id * {role})", "SUM(t.id * t.organization_id)"),
    ),
    (
        "partnerships.Membership",
        "JOIN {participants} j ON j.user_id = t.user_id",
        "j.partnership_id = %(p)s",
        ("MAX(t.id)", "SUM(t.id * t.organization_id)", "SUM(t.id * LENGTH(t.unit))"),
    ),
    (
        "accountability.Commitment",
        "",
        "t.partnership_id = %(p)s",
        ("MAX(t.id)", "MAX(t.updated_at)"),
    ),
    (
        "accountability.MonitoringRequest",
        "",
        "t.partnership_id = %(p)s",
        ("MAX(t.id)", "MAX(t.updated_at)"),
    ),
    (
        "economics.InvestmentEntry",
        "",
        "t.partnership_id = %(p)s AND t.visibility = 'joint'",
        ("MAX(t.id)", "MAX(t.updated_at)"),
    ),
    (
        "communication.Message",
        "",
        "t.partnership_id = %(p)s AND t.visibility = 'joint'",
        ("MAX(t.id)", "MAX(t.updated_at)"),
    ),
    (
        "communication.ChangeNotice",
        "",
        "t.partnership_id = %(p)s",
        ("MAX(t.id)", "MAX(t.updated_at)"),
    ),
    (
        "communication.Concern",
        "",
        "t.partnership_id = %(p)s",
        ("MAX(t.id)", "MAX(t.raised_at)", "MAX(t.first_response_at)"),
    ),
    (
        "communication.ConcernResponse",
        "JOIN {concerns} j ON j.id = t.concern_id",
        "j.partnership_id = %(p)s",
        ("MAX(t.id)",),
    ),
    # The thresholds: changed on the stage settings page, they apply at once.
    ("trust.StageSettings", "", "t.partnership_id = %(p)s", ("MAX(t.id)", "MAX(t.updated_at)")),
]


@functools.cache
def _sql(vendor: str) -> str:
    """One statement, one row per input: its position, the count and four aggregates. Written
    as SQL: the same built with the ORM took 40 ms to compile, more than the page may spend.
    Built once per database vendor (quoting differs; the installed apps do not change)."""
    names = {
        "rounds": _table("trust.SurveyRound"),
        "participants": _table("partnerships.Participant"),
        "concerns": _table("communication.Concern")
        if apps.is_installed("accord.communication")
        else "",
        "role": "CASE t.role "
        + " ".join(f"WHEN '{r}' THEN {c}" for r, c in ROLE_CODES.items())
        + " ELSE 0 END",
    }
    branches = []
    for i, (label, join, where, aggregates) in enumerate(INPUTS):
        if apps.is_installed(f"accord.{label.split('.')[0]}"):
            columns = [f"CAST({a} AS TEXT)" for a in aggregates] + ["NULL"] * (4 - len(aggregates))
            branches.append(
                f"SELECT {i}, COUNT(*), {', '.join(columns)} FROM {_table(label)} t "  # noqa: S608
                f"{join} WHERE {where}".format(**names)
            )
    return " UNION ALL ".join(branches)


def _fingerprint(partnership: Partnership, now: datetime) -> tuple[tuple[object, ...], ...]:
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor), {"p": partnership.pk, "now": now})
        return tuple(sorted(tuple(row) for row in cursor.fetchall()))


def _key(partnership: Partnership, now: datetime) -> str:
    local = timezone.localtime(now)
    state = (
        partnership.pk,
        partnership.anonymity_k,
        partnership.start_date,
        partnership.end_date,
        partnership.created_at,
        local.date(),
        local.hour,
        _fingerprint(partnership, now),
    )
    return PREFIX + hashlib.sha256(repr(state).encode()).hexdigest()


def stored_evidence(partnership: Partnership, *, now: datetime | None = None) -> StoredEvidence:
    """The evidence and judgement for the current state of their inputs: kept, or made now
    and kept."""
    now = now or timezone.now()
    key = _key(partnership, now)
    stored: StoredEvidence | None = cache.get(key)
    if stored is None:
        from accord.trust.selectors import stage_rules

        collected = collect_evidence(partnership)
        judgement = domain.judge_stage(collected.evidence, stage_rules(partnership=partnership))
        stored = StoredEvidence(collected, now, judgement)
        cache.set(key, stored)
    return stored


def judge_stored(
    partnership: Partnership, *, now: datetime | None = None
) -> tuple[domain.StageJudgement, StoredEvidence]:
    """``evidence.judge``, kept with the evidence it was made from."""
    stored = stored_evidence(partnership, now=now)
    return stored.judgement, stored
