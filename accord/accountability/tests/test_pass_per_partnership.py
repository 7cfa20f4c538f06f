"""The scheduled passes commit per partnership: a failure in one partnership rolls back only that
one, the others stay done, and running the pass again finishes the job without doing anything
twice."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.accountability.models import Commitment, CommitmentStatusChange
from accord.accountability.services import _common, scheduled
from accord.accountability.tests.helpers import commitment
from accord.partnerships.audit import AuditEvent, verify_chain
from accord.partnerships.periodic import PartialPassError
from accord.testing.factories import PartnershipFactory, PartyFactory

TODAY = date(2026, 6, 1)


def second_partnership(cast):
    other = PartnershipFactory(name="Alder–Birch Second Venture")
    party_a = PartyFactory(partnership=other, organization=cast.org_a)
    PartyFactory(partnership=other, organization=cast.org_b)
    return other, party_a


@pytest.fixture
def three_partnerships(cast):
    """Overdue commitments in three partnerships; the middle one's notices will fail."""
    second, second_party = second_partnership(cast)
    third = PartnershipFactory(name="Alder Solo Pilot")
    third_party = PartyFactory(partnership=third, organization=cast.org_a)
    items = {
        cast.partnership.pk: commitment(cast, due_on=date(2026, 5, 1)),
        second.pk: commitment(
            cast, partnership=second, owner_party=second_party, owner=None, due_on=date(2026, 5, 2)
        ),
        third.pk: commitment(
            cast, partnership=third, owner_party=third_party, owner=None, due_on=date(2026, 5, 3)
        ),
    }
    return items, second


def statuses(items):
    return {pk: Commitment.objects.get(pk=c.pk).status for pk, c in items.items()}


def test_a_failure_in_one_partnership_leaves_the_others_marked(
    cast, three_partnerships, monkeypatch
):
    items, broken = three_partnerships
    real_notify = _common._notify_missed

    def notify_or_fail(item):
        if item.partnership_id == broken.pk:
            raise RuntimeError("mail relay down")
        real_notify(item)

    monkeypatch.setattr(scheduled, "_notify_missed", notify_or_fail)
    with pytest.raises(PartialPassError) as raised:
        scheduled.mark_missed(today=TODAY)
    assert str(raised.value) == (
        f"1 of 3 partnership(s) failed (ids {broken.pk}); 2 change(s) in the others were "
        "committed. See the worker's log."
    )
    expected = {pk: "missed" for pk in items}
    expected[broken.pk] = "planned"  # rolled back whole: status, history and audit event
    assert statuses(items) == expected
    assert not CommitmentStatusChange.objects.filter(commitment=items[broken.pk]).exists()
    assert not AuditEvent.objects.filter(partnership=broken).exists()

    monkeypatch.undo()
    assert scheduled.mark_missed(today=TODAY) == 1  # only the one left behind
    assert set(statuses(items).values()) == {"missed"}
    assert scheduled.mark_missed(today=TODAY) == 0  # idempotent
    assert CommitmentStatusChange.objects.count() == 3
    for pk in items:
        assert verify_chain(partnership_id=pk) is None


def test_the_tick_command_runs_every_pass_and_exits_non_zero_when_one_failed(
    cast, three_partnerships, monkeypatch
):
    items, broken = three_partnerships

    def fail_in_broken(item):
        if item.partnership_id == broken.pk:
            raise RuntimeError("mail relay down")

    monkeypatch.setattr(scheduled, "_notify_missed", fail_in_broken)
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "accord_tick",
            only=["accountability.mark_missed", "accountability.schedule_reviews"],
            now=_aware("2026-06-01T09:00"),
            stdout=out,
        )
    assert str(raised.value) == "Periodic pass(es) failed: accountability.mark_missed."
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("accountability.mark_missed: FAILED: 1 of 3 partnership(s)")
    assert lines[1] == "accountability.schedule_reviews: 0 review meetings scheduled from cadences"
    assert statuses(items)[cast.partnership.pk] == "missed"


def _aware(value):
    from accord.partnerships.management.commands.accord_tick import aware

    return aware(value)
