"""The "needs me" list on the home page, the notifications page and the daily digest (issue 12):
each person sees what waits on them — and only on them — with a link to where they act."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accord.accountability.tests.helpers import action, commitment
from accord.communication.digest import digest_send
from accord.communication.services import notice_acknowledge, notice_give
from accord.conflicts import services as conflicts
from accord.governance import services as governance
from accord.governance.tests.helpers import domain, govern, set_mode
from accord.partnerships.needs_me import needs_for
from accord.testing.factories import ParticipantFactory, PartnershipFactory, PartyFactory
from accord.trust.models import Invitee
from accord.trust.tests.helpers import answer_all, open_round

pytestmark = pytest.mark.django_db


def what(user) -> list[tuple[str, str, str]]:
    return [(n.kind, n.title, n.url) for n in needs_for(user)]


def kinds(user) -> list[str]:
    return [n.kind for n in needs_for(user)]


@pytest.fixture
def consensus(cast):
    govern(cast)
    set_mode(cast, "consensus")
    return governance.proposal_create(
        partnership=cast.partnership, user=cast.alice, domain=domain(cast), title="Raise the budget"
    )


def test_a_consensus_waits_on_each_partys_leads_until_their_party_took_a_stance(cast, consensus):
    url = f"/partnerships/{cast.partnership.pk}/governance/proposals/{consensus.pk}/"
    assert what(cast.bob) == [("approval", "Raise the budget", url)]
    assert "approval" not in kinds(cast.bea)  # a member is not an approver
    assert "approval" not in kinds(cast.oscar)

    governance.stance_set(proposal=consensus, user=cast.bob, choice="approve")

    assert "approval" not in kinds(cast.bob)
    assert "approval" in kinds(cast.alice)  # Alder has not answered yet


def test_a_consultation_waits_on_the_consulted_partys_leads(cast):
    govern(cast)
    set_mode(cast, "consultative", owner=cast.party_a)
    proposal = governance.proposal_create(
        partnership=cast.partnership, user=cast.alice, domain=domain(cast), title="Pick a CRO"
    )
    assert kinds(cast.bob) == ["consultation"]
    assert "consultation" not in kinds(cast.alice)

    governance.input_answer(proposal=proposal, user=cast.bob, answer="Prefer the Lyon one.")

    assert "consultation" not in kinds(cast.bob)


def test_a_conflict_waits_on_its_tier_owners_of_each_side_until_their_side_responds(cast):
    issue = conflicts.issue_raise(
        partnership=cast.partnership,
        user=cast.amos,
        title="Assay transfer slipped",
        description="Three weeks late.",
        conflict_type="timing",
    )
    assert "conflict" in kinds(cast.bea)  # tier 1: operational leads, the members by default
    assert "conflict" not in kinds(cast.bob)
    assert "conflict" not in kinds(cast.fiona)

    conflicts.issue_comment(issue=issue, user=cast.bea, body="We are on it.")
    assert "conflict" not in kinds(cast.bea)

    conflicts.issue_escalate(issue=issue, user=cast.amos, note="No plan yet.")
    assert [n.label for n in needs_for(cast.bob) if n.kind == "conflict"] == [
        "Respond (tier 2: Alliance managers)"
    ]


def test_my_overdue_commitments_and_actions_are_listed_as_overdue(cast):
    today = timezone.localdate()
    late = commitment(cast, title="Ship the samples", due_on=today - timedelta(days=3))
    commitment(cast, title="Not yet due", due_on=today + timedelta(days=3))
    done = today - timedelta(days=2)
    commitment(
        cast, title="Done late", due_on=today - timedelta(days=9), status="done", done_on=done
    )
    action(cast, title="Send the budget", due_on=today - timedelta(days=1))

    needs = needs_for(cast.amos)

    assert [(n.kind, n.title, n.overdue) for n in needs] == [
        ("commitment", "Ship the samples", True),
        ("action", "Send the budget", True),
    ]
    assert needs[0].url == (
        f"/partnerships/{cast.partnership.pk}/accountability/commitments/{late.pk}/"
    )
    assert kinds(cast.bea) == []


def test_an_open_survey_waits_on_an_invitee_until_they_answered(cast):
    survey = open_round(cast, title="Q3 trust survey")
    url = f"/partnerships/{cast.partnership.pk}/trust/rounds/{survey.pk}/respond/"
    assert ("survey", "Q3 trust survey", url) in what(cast.bea)

    answer_all(survey, Invitee.objects.get(round=survey, user=cast.bea), 5)

    assert "survey" not in kinds(cast.bea)
    assert "survey" in kinds(cast.amos)


def test_a_change_notice_waits_on_the_receiving_partys_leads_until_acknowledged(cast):
    notice = notice_give(
        partnership=cast.partnership,
        user=cast.bob,
        category="staffing",
        summary="Our project lead moves to another programme.",
        effective_on=timezone.localdate() + timedelta(days=40),
    )
    assert kinds(cast.alice) == ["notice"]
    assert "notice" not in kinds(cast.bob)  # one's own notice needs no acknowledgement

    notice_acknowledge(notice=notice, user=cast.alice)

    assert "notice" not in kinds(cast.alice)


def test_the_home_page_and_notifications_list_what_needs_me(cast, client, consensus):
    client.force_login(cast.bob)
    url = f"/partnerships/{cast.partnership.pk}/governance/proposals/{consensus.pk}/"

    home = client.get("/partnerships/").content.decode()
    notifications = client.get("/notifications/").content.decode()

    assert f'<a href="{url}"><strong>Approve or object</strong>: Raise the budget</a>' in home
    assert f'<a href="{url}">' in notifications
    assert "Nothing new" not in notifications


def test_the_list_costs_the_same_queries_for_one_partnership_or_many(
    cast, django_assert_max_num_queries
):
    today = timezone.localdate()
    for n in range(6):
        other = PartnershipFactory(name=f"Alliance {n}")
        PartyFactory(partnership=other, organization=cast.org_a)
        PartyFactory(partnership=other, organization=cast.org_b)
        ParticipantFactory(partnership=other, organization=cast.org_a, user=cast.amos)
        commitment(cast, partnership=other, title=f"Late {n}", due_on=today - timedelta(days=2))
    open_round(cast)
    with django_assert_max_num_queries(12):
        needs = needs_for(cast.amos)
    assert sorted(n.title for n in needs if n.kind == "commitment") == [
        f"Late {n}" for n in range(6)
    ]


def test_the_daily_digest_lists_what_needs_me_even_without_new_notifications(
    cast, consensus, settings, django_capture_on_commit_callbacks
):
    url = f"/partnerships/{cast.partnership.pk}/governance/proposals/{consensus.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(timezone.now())
    (to_bob,) = [m for m in mail.outbox if m.to == [cast.bob.email]]
    assert "Needs you (1):" in to_bob.body
    assert (
        f"• Approve or object: Raise the budget — Alder–Birch Alliance — {settings.SITE_URL}{url}"
        in to_bob.body
    )
