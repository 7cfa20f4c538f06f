"""Facts for the formation playbook, read from joint records of many partnerships in a constant
number of queries (two, whatever the number of partnerships), and the checklist in
words with a link to where each open item is done."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accord.domain import formation as domain
from accord.partnerships.models import Organization, Partnership, Party, Visibility

JOINT = Visibility.JOINT

# Where each item is done: (URL name, link text).
WHERE = {
    "rules_agreed": ("governance:charter", "Open the charter"),
    "notice_period": ("partnership_edit", "Edit the partnership's settings"),
    "information_shared": ("communication:overview", "Open communication"),
    "culture_due_diligence": ("culture:overview", "Open culture"),
    "governance_set": ("governance:overview", "Open governance"),
    "review_cadences": ("accountability:reviews", "Open reviews"),
    "baseline_trust": ("trust:overview", "Open trust"),
    "first_exchanges": ("accountability:commitments", "Open commitments"),
}
MORE_WHERE = {
    "governance_set": (
        ("conflicts:ladder", "Open the escalation ladder"),
        ("conflicts:principles", "Open the conflict principles"),
    ),
}
WHAT_DONE_MEANS = {
    "rules_agreed": "Each party has signed off the same version of the governance charter.",
    "notice_period": "The partnership's settings agree a notice period of at least one day for "
    "changes (its lead time is what change notices are measured against).",
    "information_shared": "Each party has written in a joint thread or joint meeting notes.",
    "culture_due_diligence": "A joint culture round has closed, so the cultural due-diligence "
    "report has its results.",
    "governance_set": "The decision-rights matrix has a domain, the conflict principles have a "
    "rule, and each party has named an owner on the escalation ladder.",
    "review_cadences": "At least one recurring joint review is scheduled and not ended.",
    "baseline_trust": "A joint trust round has closed: the baseline later rounds compare with.",
    "first_exchanges": "Each party has delivered at least one joint commitment by its due date, "
    "and more on time than late or missed.",
}
MISSING_WORDS = {
    "notice_period": "No notice period is agreed (it is 0 days).",
    "culture_round": "No joint culture round has closed yet.",
    "review_cadence": "No recurring review is set.",
    "trust_round": "No joint trust round has closed yet.",
    "decision_rights": "The decision-rights matrix has no domain yet.",
    "principles": "No conflict principle is agreed yet.",
}
PARTY_MISSING = {
    "rules_agreed": "Still to sign off the charter (the latest version signed): {names}.",
    "information_shared": "Nothing written in a joint thread yet by {names}.",
    "governance_set": "No escalation-ladder owner named yet by {names}.",
    "first_exchanges": "No first commitments delivered on time yet by {names}.",
}


def formation_facts(partnership_ids: Sequence[int]) -> dict[int, domain.FormationFacts]:
    """Two queries for all the given partnerships; joint records only, so the facts are the
    same whichever party asks."""
    return _read(partnership_ids)[0]


# The facts as two queries, one row per partnership and one per party, each source a correlated
# subquery. Written out rather than built with the ORM: building and compiling these subqueries
# cost ~5 ms a page, running them under 1 ms. Plain SQL that SQLite and PostgreSQL both run;
# {…} are table names (from the models), %(…)s parameters.
OF_PARTNERSHIPS = """SELECT p.id, p.notice_lead_days,
  (SELECT s.charter_hash FROM {signoff} s WHERE s.partnership_id = p.id
    ORDER BY s.signed_at DESC, s.id DESC LIMIT 1),
  EXISTS (SELECT 1 FROM {round} r WHERE r.partnership_id = p.id AND r.visibility = %(joint)s
    AND r.kind = 'culture' AND r.closes_at <= %(now)s),
  EXISTS (SELECT 1 FROM {round} r WHERE r.partnership_id = p.id AND r.visibility = %(joint)s
    AND r.kind = 'trust' AND r.closes_at <= %(now)s),
  (SELECT COUNT(*) FROM {domain} d WHERE d.partnership_id = p.id AND d.visibility = %(joint)s),
  (SELECT COUNT(*) FROM {principle} c WHERE c.partnership_id = p.id),
  (SELECT COUNT(*) FROM {cadence} c WHERE c.partnership_id = p.id AND c.visibility = %(joint)s
    AND (c.ended_on IS NULL OR c.ended_on > %(today)s))
FROM {partnership} p WHERE p.id IN ({ids})"""
OF_PARTIES = """SELECT t.partnership_id, t.id, t.organization_id, o.name,
  (SELECT s.charter_hash FROM {signoff} s WHERE s.partnership_id = t.partnership_id
    AND s.party_id = t.id ORDER BY s.signed_at DESC, s.id DESC LIMIT 1),
  EXISTS (SELECT 1 FROM {message} m WHERE m.partnership_id = t.partnership_id
    AND m.author_party_id = t.id AND m.visibility = %(joint)s),
  EXISTS (SELECT 1 FROM {tier_owner} w WHERE w.partnership_id = t.partnership_id
    AND w.organization_id = t.organization_id),
  (SELECT COUNT(*) FROM {commitment} c WHERE c.partnership_id = t.partnership_id
    AND c.owner_party_id = t.id AND c.visibility = %(joint)s
    AND c.done_on IS NOT NULL AND c.done_on <= c.due_on),
  (SELECT COUNT(*) FROM {commitment} c WHERE c.partnership_id = t.partnership_id
    AND c.owner_party_id = t.id AND c.visibility = %(joint)s
    AND (c.status = 'missed' OR (c.done_on IS NOT NULL AND c.done_on > c.due_on)))
FROM {party} t JOIN {organization} o ON o.id = t.organization_id
WHERE t.partnership_id IN ({ids}) ORDER BY t.id"""


@functools.cache
def _tables() -> dict[str, str]:
    """The tables the queries read, named by their models."""
    from accord.accountability.models import Commitment, ReviewCadence
    from accord.communication.models import Message
    from accord.conflicts.models import Principle, TierOwner
    from accord.governance.models import CharterSignoff, DecisionDomain
    from accord.trust.models import SurveyRound

    models: dict[str, Any] = {
        "signoff": CharterSignoff,
        "round": SurveyRound,
        "domain": DecisionDomain,
        "principle": Principle,
        "cadence": ReviewCadence,
        "partnership": Partnership,
        "message": Message,
        "tier_owner": TierOwner,
        "commitment": Commitment,
        "party": Party,
        "organization": Organization,
    }
    return {name: model._meta.db_table for name, model in models.items()}


def _read(
    partnership_ids: Sequence[int],
) -> tuple[dict[int, domain.FormationFacts], dict[int, str], dict[int, int]]:
    """The facts of each partnership, and of each of their parties its organization's name and
    id. One query over the partnerships and one over their parties, each source a correlated
    subquery, so the count does not grow with partnerships, parties or records."""
    ids = [int(i) for i in partnership_ids]
    if not ids:
        return {}, {}, {}
    params: dict[str, Any] = {
        "joint": str(JOINT),
        # As the ORM would pass them: SQLite stores dates and times as text.
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
        "today": connection.ops.adapt_datefield_value(timezone.localdate()),
    }
    params.update({f"id{n}": pk for n, pk in enumerate(ids)})
    names_of = {**_tables(), "ids": ", ".join(f"%(id{n})s" for n in range(len(ids)))}
    with connection.cursor() as cursor:
        cursor.execute(OF_PARTNERSHIPS.format(**names_of), params)
        of_partnership = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(OF_PARTIES.format(**names_of), params)
        party_rows = cursor.fetchall()

    parties: dict[int, list[int]] = defaultdict(list)
    signoffs: dict[int, dict[int, str]] = defaultdict(dict)
    posters: dict[int, set[int]] = defaultdict(set)
    ladder: dict[int, set[int]] = defaultdict(set)
    on_time: dict[int, dict[int, int]] = defaultdict(dict)
    late: dict[int, dict[int, int]] = defaultdict(dict)
    names: dict[int, str] = {}
    orgs: dict[int, int] = {}
    for partnership, party, org, name, signed, posted, owns_tier, good, bad in party_rows:
        parties[partnership].append(party)
        names[party], orgs[party] = name, org
        if signed is not None:
            signoffs[partnership][party] = signed
        if posted:
            posters[partnership].add(party)
        if owns_tier:
            ladder[partnership].add(party)
        if good or bad:
            on_time[partnership][party], late[partnership][party] = good, bad

    facts = {}
    for p in ids:
        notice, latest, culture, trust, domains, principles, cadences = of_partnership.get(
            p, (0, None, False, False, 0, 0, 0)
        )
        facts[p] = domain.FormationFacts(
            parties=parties.get(p, []),
            charter_signoffs=signoffs.get(p, {}),
            charter_latest=latest or "",
            notice_lead_days=int(notice),
            joint_posters=frozenset(posters.get(p, set())),
            culture_round_closed=bool(culture),
            decision_domains=domains,
            ladder_owner_parties=frozenset(ladder.get(p, set())),
            principles=principles,
            review_cadences=cadences,
            trust_round_closed=bool(trust),
            on_time=on_time.get(p, {}),
            late_or_missed=late.get(p, {}),
        )
    return facts, names, orgs


@dataclass(frozen=True)
class PartyProgress:
    party: int
    name: str
    done: int
    total: int
    mine: bool


@dataclass(frozen=True)
class ItemView:
    key: str
    label: str
    done: bool
    rule: str
    missing: list[str]
    link: str
    link_text: str
    parties: list[tuple[str, bool]]  # (organization, has done its part)
    per_party: bool
    more_links: list[tuple[str, str]]  # (URL, text): other places the item is done


@dataclass(frozen=True)
class Playbook:
    forming: bool
    items: list[ItemView]
    progress: list[PartyProgress]

    @property
    def open_count(self) -> int:
        return sum(1 for item in self.items if not item.done)


@dataclass(frozen=True)
class Records:
    """All that one partnership's playbook is drawn from, besides the partnership's status and
    the viewer (the kept page is keyed by it: accord/formation/kept_playbook.py)."""

    facts: domain.FormationFacts
    names: dict[int, str]  # party → its organization's name
    orgs: dict[int, int]  # party → its organization


def records(partnership: Partnership) -> Records:
    """The facts of one partnership and its parties' organizations (two queries)."""
    all_facts, names, orgs = _read([partnership.pk])
    return Records(all_facts[partnership.pk], names, orgs)


def playbook(
    partnership: Partnership,
    *,
    viewer_org_id: int | None = None,
    can_manage: bool = True,
    read: Records | None = None,
) -> Playbook:
    """The checklist of one partnership in words, with each party's progress (from ``read``
    when the caller has the records already)."""
    read = read or records(partnership)
    facts, names, orgs = read.facts, read.names, read.orgs
    mine = next((p for p in facts.parties if viewer_org_id and orgs[p] == viewer_org_id), None)
    items = domain.checklist(facts)
    views = []
    for item in items:
        missing = [MISSING_WORDS[code] for code in item.missing]
        behind = [names.get(p, "") for p, ok in item.parties.items() if not ok]
        if item.per_party and behind:
            missing.append(PARTY_MISSING[item.key].format(names=", ".join(sorted(behind))))
        url_name, text = WHERE[item.key]
        if url_name == "partnership_edit" and not can_manage:
            url_name, text = "partnership_detail", "See the partnership's settings"
        views.append(
            ItemView(
                key=item.key,
                label=item.label,
                done=item.done,
                rule=WHAT_DONE_MEANS[item.key],
                missing=missing,
                link=reverse(url_name, kwargs={"pk": partnership.pk}),
                link_text=text,
                parties=[(names.get(p, ""), ok) for p, ok in item.parties.items()],
                per_party=item.per_party,
                more_links=[
                    (reverse(name, kwargs={"pk": partnership.pk}), label)
                    for name, label in MORE_WHERE.get(item.key, ())
                ],
            )
        )
    progress = [
        PartyProgress(p, names.get(p, ""), *domain.progress(items, p), mine=p == mine)
        for p in facts.parties
    ]
    progress.sort(key=lambda row: (not row.mine, row.party))
    return Playbook(
        forming=partnership.status == Partnership.Status.FORMING, items=views, progress=progress
    )


def activation_warnings(partnership: Partnership) -> list[str]:
    """One sentence per open playbook item: said (never enforced) when a forming partnership is
    moved to active."""
    book = playbook(partnership)
    return [
        f"Formation item still open: {item.label}. " + " ".join(item.missing)
        for item in book.items
        if not item.done
    ]


def status_change_warnings(partnership: Partnership, *, before: str) -> list[str]:
    """Warnings for a status change just saved: only forming → active has any."""
    if before != Partnership.Status.FORMING or partnership.status != Partnership.Status.ACTIVE:
        return []
    return activation_warnings(partnership)
