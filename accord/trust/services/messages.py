"""The survey engine's messages and limits, shared by its writes, pages and API."""

from __future__ import annotations

from accord.partnerships.models import Participant
from accord.trust import links

INVITED_ROLES = (
    Participant.Role.SPONSOR,
    Participant.Role.ALLIANCE_MANAGER,
    Participant.Role.MEMBER,
)

ROUND_CLOSES_BEFORE_OPENING = "The round must close after it opens."
ROUND_CLOSES_IN_PAST = "The closing time has already passed."
ROUND_TOO_LONG = "A round may stay open at most 90 days."
ROUND_NEEDS_TWO_PARTIES = "A survey needs at least two parties in the partnership."
ROUND_ALREADY_CLOSED = "This round is closed; it can no longer change."
ROUND_CLOSED_MEANWHILE = (
    "This round is closed; it was closed while you were looking, so nothing was changed."
)
ROUND_ALREADY_OPEN = "This round has opened; only its title, closing time and reminders can change."
ROUND_NOT_SCHEDULED = "Only a round that has not opened yet can be deleted."
INSTRUMENT_NOT_AVAILABLE = "That questionnaire is not available in this partnership."
LINK_INVALID = links.LINK_INVALID
ROUND_NOT_OPEN_YET = "This survey has not opened yet."
ROUND_IS_CLOSED = "This survey has closed; answers are no longer accepted."
ALREADY_ANSWERED = (
    "You have already answered this survey. Answers are anonymous, so they cannot be changed."
)
NOT_INVITED = "You are not invited to this survey."
ANSWER_MISSING = "Please answer every statement (missing: {count})."
ANSWER_OFF_SCALE = "Answers must be whole numbers from 1 to {points}."
ANSWER_UNKNOWN = "The answers refer to a statement or party that is not part of this survey."
ITEM_KEY_TAKEN = "Another statement already uses the key {key}."
ITEM_NOT_FOUND = "No such statement in this questionnaire."
OWN_INSTRUMENT_BY_VERSION = (
    "An own instrument changes by a new version of its definition (import or API), not here."
)
BAD_STAGE_RULES = "The stage rules are not valid: {error}"

MAX_ROUND_DAYS = 90
ROUND_OVERLAPS = (
    "“{title}” runs from {opens} to {closes}, which overlaps this round: everyone invited to both "
    "would get two survey e-mails at once. Let this round open after {closes}, or confirm that "
    "you want both."
)
