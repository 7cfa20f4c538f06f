"""User-facing messages the conflict services raise."""

from __future__ import annotations

NOT_A_CONTRIBUTOR = (
    "Only sponsors, alliance managers, team members and party admins of this partnership can "
    "raise an issue."
)
TITLE_REQUIRED = "Give the issue a short title."
TITLE_TOO_LONG = "Keep the title under 200 characters."
DESCRIPTION_REQUIRED = "Describe what happened and what you need."
BAD_CONFLICT_TYPE = "Choose a conflict type from the list: {choices}."
BAD_VISIBILITY = "Visibility must be 'joint' (all parties) or 'internal' (your organization)."
PARTNERSHIP_CLOSED = "This partnership is dissolved; no new issues can be raised."
SOURCE_UNSAVED = "The record an issue comes from must be saved first."
SOURCE_OTHER_PARTNERSHIP = "The record an issue comes from belongs to another partnership."
ISSUE_CLOSED = "This issue is already closed."
ISSUE_CLOSED_MEANWHILE = (
    "This issue is already closed: it was resolved or withdrawn while you were looking. "
    "Nothing was changed."
)
TIER_MOVED = (
    "The issue has moved to the {tier} since you looked at it, so it was not escalated again. "
    "Reload the page to see where it stands."
)
NOT_A_STEERER = "Only the current tier's owners or an alliance manager can do this."
NOT_AN_ESCALATOR = (
    "Only the current tier's owners, an alliance manager or the person who raised the issue can "
    "escalate it."
)
NOT_A_COMMENTER = "Observers can read the issue but not comment on it."
TOP_OF_LADDER = "The issue is at the exit procedure, the top of the ladder."
REASON_REQUIRED = "Say why the issue needs the next tier."
COMMENT_REQUIRED = "Write a comment."
BAD_COMMENT_KIND = "A comment is either a comment or a proposed resolution."
RESOLUTION_REQUIRED = "Write the resolution both sides agreed."
PRINCIPLE_REQUIRED = "Choose the principle that applied."
PRINCIPLE_OTHER_PARTNERSHIP = "That principle belongs to another partnership."
NOT_WITHDRAWER = "Only the person who raised the issue or an alliance manager can withdraw it."
NOT_A_MANAGER = "Only alliance managers and party admins can change this."
OWNER_NOT_ON_SIDE = (
    "{name} is not a participant from {org} who can act in this partnership (observers only read)."
)
ORG_NOT_A_PARTY = "That organization is not a party to this partnership."
OWN_SIDE_ONLY = "Each party chooses its own tier owners."
BAD_TIER = "Choose a tier of the ladder."
PRINCIPLE_TITLE_REQUIRED = "Give the principle a title."
PRINCIPLE_TEXT_REQUIRED = "Write the principle's text."
PRINCIPLE_DUPLICATE = "There is already a principle with this title for this conflict type."
BAD_PRINCIPLE_TYPE = "Choose a conflict type (or 'Any type') for the principle."
EXIT_PLAN_EXISTS = "This partnership already has an exit plan."
EXIT_REASON_REQUIRED = "Say why the partnership is being wound down."
EXIT_NOT_ALLOWED_STATUS = "A dissolved partnership cannot start an exit plan."
STEP_TITLE_REQUIRED = "Give the step a title."
BAD_AREA = "Choose what the step covers: {choices}."
STEP_OWNER_NOT_PARTICIPANT = "A step's owner must take part in this partnership."
STEPS_NOT_DONE = "{n} step(s) of the exit plan are not done yet."
PLAN_COMPLETED = "The exit plan is already completed."
