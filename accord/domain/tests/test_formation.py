"""The formation checklist as a pure rule over plain facts."""

from __future__ import annotations

from accord.domain.formation import ITEM_KEYS, FormationFacts, checklist, checklists, progress

A, B = 1, 2


def items(**facts) -> dict:
    return {item.key: item for item in checklist(FormationFacts(parties=[A, B], **facts))}


def complete() -> dict:
    return dict(
        charter_signoffs={A: "h1", B: "h1"},
        charter_latest="h1",
        notice_lead_days=30,
        joint_posters=frozenset({A, B}),
        culture_round_closed=True,
        decision_domains=3,
        ladder_owner_parties=frozenset({A, B}),
        principles=1,
        review_cadences=1,
        trust_round_closed=True,
        on_time={A: 2, B: 1},
        late_or_missed={A: 1, B: 0},
    )


def test_a_new_partnership_has_every_item_open():
    result = checklist(FormationFacts(parties=[A, B], notice_lead_days=0))
    assert [item.key for item in result] == list(ITEM_KEYS)
    assert not any(item.done for item in result)


def test_a_partnership_with_every_record_has_every_item_done():
    assert all(item.done for item in items(**complete()).values())


def test_the_charter_counts_only_when_both_parties_signed_the_same_version():
    facts = complete() | {"charter_signoffs": {A: "h2", B: "h1"}, "charter_latest": "h2"}
    rules = items(**facts)["rules_agreed"]
    assert not rules.done
    assert rules.parties == {A: True, B: False}


def test_information_shared_is_per_party():
    shared = items(**complete() | {"joint_posters": frozenset({B})})["information_shared"]
    assert (shared.done, shared.parties) == (False, {A: False, B: True})


def test_governance_names_what_is_missing():
    gov = items(**complete() | {"decision_domains": 0, "ladder_owner_parties": frozenset({A})})[
        "governance_set"
    ]
    assert not gov.done
    assert gov.missing == ("decision_rights",)
    assert gov.parties == {A: True, B: False}


def test_first_exchanges_need_one_on_time_and_more_on_time_than_not():
    late_b = items(**complete() | {"on_time": {A: 1, B: 1}, "late_or_missed": {B: 1}})
    assert late_b["first_exchanges"].parties == {A: True, B: False}
    none_yet = items(**complete() | {"on_time": {}, "late_or_missed": {}})
    assert not none_yet["first_exchanges"].done


def test_joint_items_give_every_party_the_same_answer():
    result = items(**complete() | {"trust_round_closed": False, "notice_lead_days": 0})
    assert result["baseline_trust"].parties == {A: False, B: False}
    assert result["notice_period"].missing == ("notice_period",)


def test_progress_counts_a_partys_own_part():
    result = checklist(FormationFacts(parties=[A, B], **complete() | {"joint_posters": {A}}))
    assert progress(result, A) == (8, 8)
    assert progress(result, B) == (7, 8)


def test_many_partnerships_are_judged_in_one_call_each_on_its_own_facts():
    done, empty = FormationFacts(parties=[A, B], **complete()), FormationFacts(parties=[3, 4])
    both = checklists([done, empty, done])
    assert [sum(i.done for i in c) for c in both] == [8, 0, 8]
