"""The default principles every partnership starts with, one short list per conflict type.

They are written to be agreed before any dispute: a rule that both sides accept while they get on
well is far easier to apply than one invented in the middle of an argument. Each partnership edits
its own copy on the principles page.
"""

from __future__ import annotations

from typing import NamedTuple


class DefaultPrinciple(NamedTuple):
    conflict_type: str
    title: str
    text: str


DEFAULT_PRINCIPLES: list[DefaultPrinciple] = [
    DefaultPrinciple(
        "any",
        "Facts before positions",
        "Before anyone argues for a remedy, both sides write down what happened, with dates and "
        "documents, and agree on that account. Disputes about facts are settled first, and "
        "separately from disputes about what to do.",
    ),
    DefaultPrinciple(
        "any",
        "Assume an honest mistake first",
        "A missed step is treated as an error, not as bad faith, until evidence shows otherwise. "
        "Each side says what it needs to see to keep that assumption.",
    ),
    DefaultPrinciple(
        "scope",
        "The agreed work plan decides",
        "Work that is in the signed work plan is in scope; anything else is a change request with "
        "its own cost, time and owner, decided by the joint steering committee — never absorbed "
        "quietly by one side.",
    ),
    DefaultPrinciple(
        "scope",
        "Pilot before expanding",
        "A proposed expansion of scope starts as a time-boxed pilot with an agreed success "
        "measure; it becomes permanent only if the measure is met.",
    ),
    DefaultPrinciple(
        "resources",
        "Contribute what was committed, or say so early",
        "Each party staffs and funds what the plan commits. A party that cannot gives notice at "
        "least one month ahead and proposes an equivalent contribution or a reduced scope.",
    ),
    DefaultPrinciple(
        "resources",
        "Shared costs follow shared benefits",
        "Unplanned costs that benefit both parties are split in the same proportion as the "
        "expected benefits in the value ledger; costs that benefit one party are borne by it.",
    ),
    DefaultPrinciple(
        "ip",
        "Background stays with its owner",
        "Know-how and rights a party brought into the partnership remain its own; the other "
        "party may use them only as the agreement licenses, for the partnership's purpose.",
    ),
    DefaultPrinciple(
        "ip",
        "Joint results are jointly owned",
        "Results created together belong to both parties; neither files, licenses or publishes "
        "them without the other's written consent, which is not withheld without a reason given "
        "within 30 days.",
    ),
    DefaultPrinciple(
        "quality",
        "Measure against the acceptance criteria",
        "A deliverable is judged only against the acceptance criteria written when it was "
        "committed. If the criteria were unclear, the supplier reworks it once at its cost and "
        "both sides sharpen the criteria for next time.",
    ),
    DefaultPrinciple(
        "quality",
        "Independent test when results disagree",
        "When the parties' own measurements disagree, a laboratory or expert both accept repeats "
        "the measurement; its result is binding and the party that was wrong pays for it.",
    ),
    DefaultPrinciple(
        "timing",
        "Protect the critical path",
        "A delay that moves a joint milestone is reported within five working days of being "
        "known. The parties first re-sequence work to protect the milestone, then adjust dates, "
        "and only then adjust scope.",
    ),
    DefaultPrinciple(
        "timing",
        "Late notice carries the cost",
        "The party that gives less than the agreed notice of a change bears the other party's "
        "reasonable, documented cost of adapting to it.",
    ),
    DefaultPrinciple(
        "relationship",
        "Talk to the person, then to their manager",
        "Concerns about someone's conduct are raised with them directly first; only if that "
        "fails do they go to the alliance managers, and never through a third party.",
    ),
    DefaultPrinciple(
        "relationship",
        "Repair with a visible gesture",
        "When one side has let the other down, it acknowledges it plainly and offers a concrete "
        "step that costs it something — extra support, earlier notice, a concession — so trust "
        "can be rebuilt by action, not words alone.",
    ),
    DefaultPrinciple(
        "commercial",
        "Proportionate returns",
        "Each party's share of the returns stays in proportion to its share of the investment "
        "and the risk it carries; a lasting imbalance is corrected at the next business review.",
    ),
    DefaultPrinciple(
        "commercial",
        "Open books on disputed figures",
        "When an amount is disputed, each party opens the underlying records to the other's "
        "finance lead (or an auditor both accept) within 15 working days.",
    ),
    DefaultPrinciple(
        "other",
        "Name the interest behind the position",
        "Each side states what it needs and why, not only what it asks for; the tier owners look "
        "for an option that serves both sets of interests before splitting any difference.",
    ),
]
