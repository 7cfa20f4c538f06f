"""Each mode's rules, enforced by the server, with their refusal paths."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accord.domain import decision_rights as dr
from accord.governance import services
from accord.governance.models import InputRequest, Outcome, Proposal
from accord.governance.tests.helpers import propose
from accord.notifications.models import Notification


def refused(fn, message, **kwargs):
    with pytest.raises(ValidationError) as caught:
        fn(**kwargs)
    assert message in " ".join(caught.value.messages)


# — independent —


def test_the_owner_party_decides_an_independent_proposal_and_the_others_are_notified(cast):
    proposal = propose(cast, "independent", owner=cast.party_a)
    outcome = services.proposal_decide(
        proposal=proposal, user=cast.ava, statement="We move the money."
    )
    proposal.refresh_from_db()
    assert proposal.decided_at is not None
    assert proposal.closed_at == proposal.decided_at
    assert outcome.rule == dr.DECIDE_OWNER
    assert outcome.decided_by_party == cast.party_a
    told = set(
        Notification.objects.filter(kind="governance.decided").values_list(
            "recipient__username", flat=True
        )
    )
    assert {cast.bob.username, cast.bea.username} <= told
    assert cast.ava.username not in told


def test_an_independent_decision_by_the_wrong_party_is_refused(cast):
    proposal = propose(cast, "independent", owner=cast.party_a)
    refused(
        services.proposal_decide,
        dr.DECIDE_NOT_OWNER,
        proposal=proposal,
        user=cast.bob,
        statement="Birch decides instead.",
    )
    assert not Outcome.objects.exists()


def test_a_team_member_of_the_owner_party_cannot_record_the_decision(cast):
    proposal = propose(cast, "independent", owner=cast.party_a)
    refused(
        services.proposal_decide,
        services.DECIDE_NOT_AUTHORIZED,
        proposal=proposal,
        user=cast.amos,
        statement="Done.",
    )


def test_stances_are_not_taken_in_independent_mode(cast):
    proposal = propose(cast, "independent", owner=cast.party_a)
    refused(
        services.stance_set,
        services.STANCE_WRONG_MODE,
        proposal=proposal,
        user=cast.bob,
        choice="approve",
    )


# — consultative —


def test_a_consultative_proposal_by_the_owner_asks_every_other_party_for_input(cast):
    proposal = propose(cast, "consultative", owner=cast.party_a)
    requests = InputRequest.objects.filter(proposal=proposal)
    assert [r.party for r in requests] == [cast.party_b]
    assert proposal.consultation_closes_at is not None
    assert Notification.objects.filter(
        kind="governance.input_requested", recipient=cast.bob
    ).exists()


def test_deciding_a_consultative_proposal_before_the_inputs_is_refused(cast):
    proposal = propose(cast, "consultative", owner=cast.party_a)
    refused(
        services.proposal_decide,
        dr.DECIDE_AWAITING_INPUT,
        proposal=proposal,
        user=cast.alice,
        statement="We go ahead.",
    )


def test_the_owner_decides_once_every_other_party_has_answered(cast):
    proposal = propose(cast, "consultative", owner=cast.party_a)
    services.input_answer(proposal=proposal, user=cast.bea, answer="Keep the QC budget intact.")
    outcome = services.proposal_decide(proposal=proposal, user=cast.alice, statement="Go.")
    assert outcome.rule == dr.DECIDE_ALL_ANSWERED


def test_the_owner_decides_once_the_consultation_window_has_passed(cast):
    proposal = propose(cast, "consultative", owner=cast.party_a)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        outcome = services.proposal_decide(proposal=proposal, user=cast.alice, statement="Go.")
    assert outcome.rule == dr.DECIDE_WINDOW_PASSED


def test_a_proposal_by_another_party_waits_until_the_owner_requests_input(cast):
    proposal = propose(cast, "consultative", owner=cast.party_a, by=cast.bob)
    assert not InputRequest.objects.filter(proposal=proposal).exists()
    refused(
        services.proposal_request_input,
        services.INPUT_NOT_OWNER,
        proposal=proposal,
        user=cast.bob,
        days=5,
    )
    assert services.proposal_request_input(proposal=proposal, user=cast.alice, days=5) == 1
    refused(
        services.proposal_request_input,
        services.INPUT_ALREADY_REQUESTED,
        proposal=proposal,
        user=cast.alice,
        days=5,
    )


def test_only_an_asked_party_gives_input(cast):
    proposal = propose(cast, "consultative", owner=cast.party_a)
    refused(
        services.input_answer,
        services.INPUT_NOT_REQUESTED,
        proposal=proposal,
        user=cast.amos,
        answer="We agree with ourselves.",
    )


# — consensus —


def test_a_consensus_is_decided_by_the_last_approval(cast):
    proposal = propose(cast, "consensus")
    services.stance_set(proposal=proposal, user=cast.alice, choice="approve")
    proposal.refresh_from_db()
    assert proposal.decided_at is None
    services.stance_set(proposal=proposal, user=cast.bob, choice="approve")
    proposal.refresh_from_db()
    assert proposal.status() == "decided"
    assert proposal.outcome.rule == dr.DECIDE_ALL_APPROVED


def test_a_consensus_with_a_missing_approver_cannot_be_decided(cast):
    proposal = propose(cast, "consensus")
    services.stance_set(proposal=proposal, user=cast.ava, choice="approve")
    refused(
        services.proposal_decide,
        dr.DECIDE_AWAITING_APPROVAL,
        proposal=proposal,
        user=cast.alice,
        statement="Agreed.",
    )


def test_one_objection_blocks_a_consensus_and_tells_the_proposer(cast):
    proposal = propose(cast, "consensus", by=cast.amos)
    services.stance_set(proposal=proposal, user=cast.bob, choice="object", reason="No budget.")
    services.stance_set(proposal=proposal, user=cast.alice, choice="approve")
    proposal.refresh_from_db()
    assert proposal.decided_at is None
    refused(
        services.proposal_decide,
        dr.DECIDE_OBJECTION,
        proposal=proposal,
        user=cast.alice,
        statement="Agreed.",
    )
    assert Notification.objects.filter(kind="governance.objection", recipient=cast.amos).exists()


def test_an_objection_without_a_reason_is_refused(cast):
    proposal = propose(cast, "consensus")
    refused(
        services.stance_set,
        services.OBJECTION_NEEDS_REASON,
        proposal=proposal,
        user=cast.bob,
        choice="object",
        reason="  ",
    )


def test_only_approvers_take_stances_in_a_consensus(cast):
    proposal = propose(cast, "consensus")
    refused(
        services.stance_set,
        services.STANCE_NOT_APPROVER,
        proposal=proposal,
        user=cast.bea,
        choice="approve",
    )


def test_an_objection_withdrawn_lets_the_consensus_through(cast):
    proposal = propose(cast, "consensus")
    services.stance_set(proposal=proposal, user=cast.bob, choice="object", reason="Too early.")
    services.stance_set(proposal=proposal, user=cast.alice, choice="approve")
    services.stance_set(proposal=proposal, user=cast.bob, choice="approve")
    proposal.refresh_from_db()
    assert proposal.status() == "decided"


# — delegated —


def test_the_joint_body_decides_when_its_quorum_has_voted_with_a_majority(cast):
    proposal = propose(cast, "delegated")
    services.stance_set(proposal=proposal, user=cast.amos, choice="approve")
    refused(
        services.proposal_decide,
        dr.DECIDE_NO_QUORUM,
        proposal=proposal,
        user=cast.bea,
        statement="Hire the contractor.",
    )
    services.stance_set(proposal=proposal, user=cast.bea, choice="approve")
    outcome = services.proposal_decide(
        proposal=proposal, user=cast.bea, statement="Hire the contractor."
    )
    assert outcome.rule == dr.DECIDE_QUORUM_MAJORITY


def test_a_delegated_decision_without_a_majority_is_refused(cast):
    proposal = propose(cast, "delegated")
    services.stance_set(proposal=proposal, user=cast.amos, choice="approve")
    services.stance_set(proposal=proposal, user=cast.bea, choice="object", reason="Too costly.")
    refused(
        services.proposal_decide,
        dr.DECIDE_NO_MAJORITY,
        proposal=proposal,
        user=cast.amos,
        statement="Go.",
    )


def test_people_outside_the_joint_body_neither_vote_nor_decide(cast):
    proposal = propose(cast, "delegated")
    refused(
        services.stance_set,
        services.STANCE_NOT_ON_BODY,
        proposal=proposal,
        user=cast.ava,
        choice="approve",
    )
    services.stance_set(proposal=proposal, user=cast.amos, choice="approve")
    services.stance_set(proposal=proposal, user=cast.bob, choice="approve")
    refused(
        services.proposal_decide,
        dr.DECIDE_NOT_ON_JOINT_BODY,
        proposal=proposal,
        user=cast.ava,
        statement="Go.",
    )


# — lifecycle —


def test_a_decided_proposal_cannot_be_withdrawn_or_decided_again(cast):
    proposal = propose(cast, "independent", owner=cast.party_a)
    services.proposal_decide(proposal=proposal, user=cast.alice, statement="Go.")
    refused(
        services.proposal_withdraw, services.PROPOSAL_DECIDED, proposal=proposal, user=cast.alice
    )
    refused(
        services.proposal_decide,
        services.PROPOSAL_DECIDED,
        proposal=proposal,
        user=cast.alice,
        statement="Again.",
    )


def test_a_withdrawn_proposal_takes_no_stances(cast):
    proposal = propose(cast, "consensus")
    services.proposal_withdraw(proposal=proposal, user=cast.alice)
    refused(
        services.stance_set,
        services.PROPOSAL_WITHDRAWN,
        proposal=proposal,
        user=cast.bob,
        choice="approve",
    )
    proposal.refresh_from_db()
    assert proposal.withdrawn_at == proposal.closed_at


def test_only_the_proposer_or_their_partys_approver_withdraws(cast):
    proposal = propose(cast, "consensus", by=cast.amos)
    refused(
        services.proposal_withdraw, services.WITHDRAW_NOT_PROPOSER, proposal=proposal, user=cast.bob
    )
    services.proposal_withdraw(proposal=proposal, user=cast.ava)
    assert Proposal.objects.get(pk=proposal.pk).status() == "withdrawn"


def test_a_proposal_keeps_the_mode_it_was_proposed_under(cast):
    from accord.governance.tests.helpers import set_mode

    proposal = propose(cast, "consensus")
    set_mode(cast, "independent", owner=cast.party_b)
    refused(
        services.proposal_decide,
        dr.DECIDE_AWAITING_APPROVAL,
        proposal=proposal,
        user=cast.bob,
        statement="Birch decides.",
    )


def test_a_review_date_in_the_past_is_refused(cast):
    proposal = propose(cast, "independent", owner=cast.party_a)
    refused(
        services.proposal_decide,
        services.REVIEW_BEFORE_DECISION,
        proposal=proposal,
        user=cast.alice,
        statement="Go.",
        review_on=timezone.now().date() - timedelta(days=1),
    )
