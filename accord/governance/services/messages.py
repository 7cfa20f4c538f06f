"""User-facing messages the governance services raise."""

from __future__ import annotations

ALREADY_SET_UP = "Governance is already set up for this partnership."
NOT_SET_UP = "Set up governance for this partnership first."
LABEL_REQUIRED = "Give the decision domain a name."
LABEL_TAKEN = "This partnership already has a decision domain with that name."
DOMAIN_HAS_OPEN_PROPOSALS = (
    "This domain has open proposals; decide or withdraw them before removing the domain."
)
NOT_A_PARTY_MEMBER = "Only people from the partnership's parties can do this."
SCORES_OWN_PARTY_ONLY = "Each party scores itself; you can only enter your own party's scores."
SCORES_INCOMPLETE = "Every party must score this domain before the recommender can propose a mode."
OVERRIDE_REASON_REQUIRED = "Say why you override the recommendation; the reason is recorded."
OWNER_REQUIRED = "Independent and consultative domains need an owner party."
OWNER_NOT_A_PARTY = "The owner must be one of this partnership's parties."
BODY_REQUIRED = "Delegated domains need a joint body to decide."
BODY_NOT_HERE = "Choose a joint body of this partnership."
BODY_NAME_REQUIRED = "Give the joint body a name."
BODY_NAME_TAKEN = "This partnership already has a joint body with that name."
BODY_MEMBERS_PARTIES = "A joint body needs members from at least two parties."
BODY_MEMBERS_NOT_HERE = "Members must be participants of this partnership's parties."
BODY_QUORUM_TOO_HIGH = "The quorum cannot be larger than the number of members."
BODY_QUORUM_TOO_LOW = "The quorum must be at least 1."
BODY_IN_USE = "Domains delegated to this joint body must be given another decider first."
TITLE_REQUIRED = "Give the proposal a title."
DOMAIN_ARCHIVED = "This decision domain has been removed."
PROPOSAL_CLOSED = "This proposal is already closed: it was decided or withdrawn."
PROPOSAL_DECIDED = "This proposal has already been decided."
PROPOSAL_WITHDRAWN = "This proposal was withdrawn."
CLOSED_MEANWHILE = "That happened while you were looking, so nothing was changed."
WITHDRAW_NOT_PROPOSER = (
    "Only the proposing party's people who made the proposal, or its approvers, can withdraw it."
)
OBJECTION_NEEDS_REASON = "Say why you object: an objection needs a reason."
STANCE_NOT_APPROVER = (
    "In a consensus decision, stances come from each party's approver: its alliance manager or "
    "executive sponsor."
)
STANCE_NOT_ON_BODY = "Only members of the joint body vote on a delegated decision."
STANCE_WRONG_MODE = (
    "Stances are for consensus and delegated decisions; in this mode the owner decides "
    "(consultative decisions collect input instead)."
)
INPUT_WRONG_MODE = "Only consultative proposals collect input from the other parties."
INPUT_NOT_OWNER = "Only the owner party requests input on a consultative decision."
INPUT_ALREADY_REQUESTED = "Input has already been requested from every other party."
INPUT_NOT_REQUESTED = "Your party has not been asked for input on this proposal."
INPUT_ANSWER_REQUIRED = "Write your party's input."
CONSULTATION_DAYS_RANGE = "The consultation window must be between 1 and 90 days."
DECIDE_NOT_AUTHORIZED = (
    "Only an approver (alliance manager or executive sponsor) may record a decision for the owner "
    "party."
)
STATEMENT_REQUIRED = "State what was decided."
REVIEW_BEFORE_DECISION = "The review date cannot be before the decision."
SIGN_NOT_APPROVER = (
    "A charter is signed off for a party by its alliance manager or executive sponsor."
)
ALREADY_SIGNED = "Your party has already signed off this version of the charter."
