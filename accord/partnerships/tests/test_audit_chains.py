"""One hash chain per audience (issue 10, item 5).

A reader sees the partnership's joint chain and its own organization's internal chain, each
numbered from 1 without gaps, so nothing about the other organizations' internal events (how many,
when) can be read from `seq` or `prev_hash`.
"""

from __future__ import annotations

import importlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from accord.api.services import token_create
from accord.partnerships.audit import (
    GENESIS_HASH,
    INTERNAL_NEEDS_OWNER,
    AuditEvent,
    event_hash,
    record_event,
    verify_chain,
)

rechain = importlib.import_module(
    "accord.partnerships.migrations.0002_audit_chain_per_audience"
).rechain_by_audience


def _apps_before_0002():
    """The historical models the migration really runs with (plain managers)."""
    loader = MigrationExecutor(connection).loader
    return loader.project_state(("partnerships", "0001_initial")).apps


def _event(cast, n: int, *, org=None) -> None:
    with transaction.atomic():
        record_event(
            partnership=cast.partnership,
            actor=cast.alice if org is not cast.org_b else cast.bob,
            action="test.event",
            summary=f"event {n}",
            owner_org=org,
            visibility="internal" if org is not None else "joint",
        )


def _interleaved(cast) -> None:
    """joint, A-internal, A-internal, joint, B-internal, joint, A-internal"""
    for n, org in enumerate(
        [None, cast.org_a, cast.org_a, None, cast.org_b, None, cast.org_a], start=1
    ):
        _event(cast, n, org=org)


def _read(client, user, cast) -> list[dict]:
    _token, raw = token_create(user=user, name="read", days=1)
    response = client.get(
        f"/api/v1/partnerships/{cast.partnership.pk}/audit-events?limit=100",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200
    return response.json()["items"]


def _chains(items: list[dict]) -> dict[str, list[tuple[int, str]]]:
    chains: dict[str, list[tuple[int, str]]] = {}
    for item in sorted(items, key=lambda i: i["seq"]):
        chains.setdefault(item["visibility"], []).append((item["seq"], item["summary"]))
    return chains


def _linked(items: list[dict], visibility: str) -> bool:
    chain = sorted((i for i in items if i["visibility"] == visibility), key=lambda i: i["seq"])
    prevs = [GENESIS_HASH] + [i["hash"] for i in chain[:-1]]
    return [i["prev_hash"] for i in chain] == prevs


def test_the_other_party_sees_a_gapless_joint_chain_and_nothing_else(cast, client):
    _interleaved(cast)
    items = _read(client, cast.bob, cast)
    assert _chains(items) == {
        "joint": [(1, "event 1"), (2, "event 4"), (3, "event 6")],
        "internal": [(1, "event 5")],
    }
    assert _linked(items, "joint")
    assert _linked(items, "internal")


def test_each_reader_sees_the_joint_chain_plus_its_own_internal_chain(cast, client):
    _interleaved(cast)
    items = _read(client, cast.alice, cast)
    assert _chains(items) == {
        "joint": [(1, "event 1"), (2, "event 4"), (3, "event 6")],
        "internal": [(1, "event 2"), (2, "event 3"), (3, "event 7")],
    }
    assert _linked(items, "joint")
    assert _linked(items, "internal")


def test_the_activity_page_numbers_each_readers_chains_without_gaps(cast, client):
    _interleaved(cast)
    client.force_login(cast.bob)
    page = client.get(f"/partnerships/{cast.partnership.pk}/activity/")
    shown = [(e.visibility, e.seq, e.summary) for e in page.context["page"]]
    assert sorted(shown) == [
        ("internal", 1, "event 5"),
        ("joint", 1, "event 1"),
        ("joint", 2, "event 4"),
        ("joint", 3, "event 6"),
    ]


def test_every_chain_verifies_and_tampering_in_an_internal_chain_is_named(cast, capsys):
    _interleaved(cast)
    p = cast.partnership.pk
    assert verify_chain(partnership_id=p) is None
    assert verify_chain(partnership_id=p, audience_org_id=cast.org_a.pk) is None
    assert verify_chain(partnership_id=p, audience_org_id=cast.org_b.pk) is None
    call_command("audit_verify", partnership=p)
    assert capsys.readouterr().out.strip() == "All 3 audit chains are intact."
    target = AuditEvent.objects.get(summary="event 3")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE partnerships_auditevent SET summary = %s WHERE id = %s",
            ["nothing happened", target.pk],
        )
    with pytest.raises(CommandError, match="1 of 3 chains are broken"):
        call_command("audit_verify")
    assert capsys.readouterr().err.strip() == (
        f"partnership {p} (internal to organization {cast.org_a.pk}): chain broken at event #2 "
        f"(id {target.pk}): its contents no longer match its hash."
    )


def test_an_internal_event_without_its_organization_is_refused(cast):
    with pytest.raises(ValueError, match=INTERNAL_NEEDS_OWNER), transaction.atomic():
        record_event(partnership=cast.partnership, action="x", summary="x", visibility="internal")


def _old_style_chain(cast) -> list[AuditEvent]:
    """Events as they were written before 0002: one chain per partnership, all audiences."""
    prev = GENESIS_HASH
    events = []
    orgs = [None, cast.org_a, cast.org_b, None, cast.org_a]
    for seq, org in enumerate(orgs, start=1):
        event = AuditEvent(
            partnership=cast.partnership,
            seq=seq,
            actor_name="Alice Alder",
            action="test.old",
            summary=f"old {seq}",
            owner_org=org,
            visibility="internal" if org else "joint",
            created_at=cast.partnership.created_at,
            prev_hash=prev,
        )
        event.hash = event_hash(event)
        prev = event.hash
        AuditEvent.objects.bulk_create([event])
        events.append(event)
    return events


@pytest.fixture
def without_chain_constraints(cast):
    """Drop 0002's unique constraints for the test (the old history would violate them).

    They are partial unique indexes on both databases, and DROP INDEX is transactional there, so
    the test's own transaction puts them back (SQLite's schema editor cannot run inside it)."""
    with connection.cursor() as cursor:
        for constraint in AuditEvent._meta.constraints:
            assert constraint.condition is not None, "a partial index, dropped with DROP INDEX"
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(constraint.name)}")


def test_the_migration_rechains_existing_history_per_audience(cast, without_chain_constraints):
    _old_style_chain(cast)
    rechain(_apps_before_0002(), None)
    by_chain = [
        list(AuditEvent.objects.filter(**key).order_by("seq").values_list("seq", "summary"))
        for key in (
            {"visibility": "joint"},
            {"visibility": "internal", "owner_org": cast.org_a},
            {"visibility": "internal", "owner_org": cast.org_b},
        )
    ]
    assert by_chain == [
        [(1, "old 1"), (2, "old 4")],
        [(1, "old 2"), (2, "old 5")],
        [(1, "old 3")],
    ]
    p = cast.partnership.pk
    assert verify_chain(partnership_id=p) is None
    assert verify_chain(partnership_id=p, audience_org_id=cast.org_a.pk) is None
    assert verify_chain(partnership_id=p, audience_org_id=cast.org_b.pk) is None


def test_the_migration_refuses_to_rehash_a_tampered_history(cast, without_chain_constraints):
    events = _old_style_chain(cast)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE partnerships_auditevent SET summary = %s WHERE id = %s",
            ["rewritten", events[2].pk],
        )
    with pytest.raises(RuntimeError, match="broken at event #3"):
        rechain(_apps_before_0002(), None)
    assert AuditEvent.objects.get(pk=events[4].pk).seq == 5
