"""The formation playbook ("invest early"): what a forming partnership has put in place, judged
from plain facts about its records, for many partnerships in one call.

No Django. The caller (accord/formation/selectors.py) gathers one ``FormationFacts`` per
partnership from joint records only, so every party sees the same checklist. Each item is done
or open; items that a party does on its own side (signing the charter, posting, naming ladder
owners, delivering commitments) say which parties have done their part, joint items give every
party the same answer. Nothing here is ticked by hand: every item follows from a record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ITEMS: tuple[tuple[str, str], ...] = (
    ("rules_agreed", "Rules agreed: the governance charter signed off by every party"),
    ("notice_period", "Notice period set"),
    ("information_shared", "Information and norms shared in a joint thread"),
    ("culture_due_diligence", "Cultural due diligence done"),
    ("governance_set", "Governance set: decision rights, escalation ladder, conflict principles"),
    ("review_cadences", "Review cadences set"),
    ("baseline_trust", "A baseline trust round closed"),
    ("first_exchanges", "First small exchanges completed on time"),
)
ITEM_KEYS = tuple(key for key, _label in ITEMS)


@dataclass(frozen=True)
class FormationFacts:
    """What the records of one partnership show (joint records only)."""

    parties: Sequence[int]
    charter_signoffs: Mapping[int, str] = field(default_factory=dict)  # party → latest hash
    charter_latest: str = ""  # the hash of the most recent sign-off by any party
    notice_lead_days: int = 0
    joint_posters: frozenset[int] = frozenset()  # parties that wrote in a joint thread
    culture_round_closed: bool = False
    decision_domains: int = 0
    ladder_owner_parties: frozenset[int] = frozenset()  # parties that named a tier owner
    principles: int = 0
    review_cadences: int = 0  # cadences not ended
    trust_round_closed: bool = False
    on_time: Mapping[int, int] = field(default_factory=dict)  # party → delivered by due date
    late_or_missed: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    done: bool
    parties: dict[int, bool]  # party → has done its part (joint items: the same for all)
    per_party: bool  # whether each party has its own part in this item
    missing: tuple[str, ...] = ()  # what is still open, as codes the app words with names


def _joint(key: str, done: bool, parties: Sequence[int], missing: tuple[str, ...]) -> Item:
    return Item(
        key,
        dict(ITEMS)[key],
        done,
        {p: done for p in parties},
        per_party=False,
        missing=() if done else missing,
    )


def _each(
    key: str, parties: Sequence[int], done_by: Mapping[int, bool], extra: bool = True
) -> Item:
    per = {p: bool(done_by.get(p, False)) for p in parties}
    done = bool(parties) and all(per.values()) and extra
    return Item(key, dict(ITEMS)[key], done, per, per_party=True)


def _exchanges_ok(on_time: int, late: int) -> bool:
    """At least one joint commitment delivered by its due date, and more on time than not."""
    return on_time >= 1 and on_time > late


def checklist(facts: FormationFacts) -> list[Item]:
    """The eight items for one partnership, in playbook order."""
    parties = list(facts.parties)
    signed = {
        p: bool(facts.charter_latest) and facts.charter_signoffs.get(p) == facts.charter_latest
        for p in parties
    }
    gov_missing = tuple(
        code
        for code, ok in (
            ("decision_rights", facts.decision_domains > 0),
            ("principles", facts.principles > 0),
        )
        if not ok
    )
    ladder = {p: p in facts.ladder_owner_parties for p in parties}
    governance = _each("governance_set", parties, ladder, extra=not gov_missing)
    governance = Item(
        governance.key,
        governance.label,
        governance.done,
        governance.parties,
        per_party=True,
        missing=gov_missing,
    )
    exchanges = {
        p: _exchanges_ok(facts.on_time.get(p, 0), facts.late_or_missed.get(p, 0)) for p in parties
    }
    return [
        _each("rules_agreed", parties, signed),
        _joint("notice_period", facts.notice_lead_days > 0, parties, ("notice_period",)),
        _each("information_shared", parties, {p: p in facts.joint_posters for p in parties}),
        _joint("culture_due_diligence", facts.culture_round_closed, parties, ("culture_round",)),
        governance,
        _joint("review_cadences", facts.review_cadences > 0, parties, ("review_cadence",)),
        _joint("baseline_trust", facts.trust_round_closed, parties, ("trust_round",)),
        _each("first_exchanges", parties, exchanges),
    ]


def checklists(facts: Sequence[FormationFacts]) -> list[list[Item]]:
    """Checklists for many partnerships at once (a portfolio, or one partnership's page)."""
    return [checklist(f) for f in facts]


def open_items(items: Sequence[Item]) -> list[Item]:
    return [item for item in items if not item.done]


def progress(items: Sequence[Item], party: int) -> tuple[int, int]:
    """(items done for this party, items in all) — a party's part of each item counts for it."""
    return sum(1 for item in items if item.parties.get(party, False)), len(items)
