"""Writes for an intervention: open it, each party's private lists, the reveal, and closing it
(agreed shortfalls and contributions, after the reveal, are in `after_reveal`).

Privacy rule: until `revealed_at`, everything a party writes into its Submission is audited on
that party's internal chain only (accord/partnerships/audit.py audiences), and the joint chain
learns only that the party submitted — never what, nor how much.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accord.accountability import links
from accord.interventions.models import Intervention, Item, Objective, Submission
from accord.interventions.services._text import plain
from accord.notifications.services import notify
from accord.partnerships.access import (
    ROLES_FOR,
    Need,
    can,
    participant_role,
    user_organization,
)
from accord.partnerships.audit import INTERNAL, record_event
from accord.partnerships.models import Participant, Partnership, Party, Visibility

NOT_ALLOWED_TO_OPEN = (
    "Only an alliance manager or the neutral facilitator can open an intervention."
)
ALREADY_OPEN = "This partnership already has an open intervention."
NOT_OPEN_STATUS = "Only an active or forming partnership can enter an intervention."
REASON_REQUIRED = "Say why the partnership needs an intervention."
CLOSED = "This intervention is closed."
NOT_A_PARTY_CONTRIBUTOR = "Only a sponsor, alliance manager or team member of a party can do this."
ALREADY_SUBMITTED = "Your party has already submitted its lists; they can no longer change."
LOGIC_REQUIRED = "Say whether the partnership still has its strategic logic for your party."
BAD_LOGIC = "Answer yes or no."
BAD_KIND = "Choose one of the list kinds."
TEXT_REQUIRED = "Write what happened."
TEXT_TOO_LONG = "Keep each entry under 2,000 characters."
EVENT_NEEDS_DATE = "A pivotal event needs its date and how it affected trust."
EVENT_IN_FUTURE = "A pivotal event cannot lie in the future."
EVENT_BEFORE_START = "A pivotal event cannot come before the partnership started."
BAD_EFFECT = "Choose how the event affected trust: lowered, none or raised."
UNKNOWN_OBJECTIVE = "Pick one of this partnership's objectives."
NOTHING_TO_SUBMIT = "Add at least one entry to your lists before submitting."
NOT_REVEALED = "The lists are not revealed yet."
ALREADY_REVEALED = "Both sides' lists are already revealed."
NOT_ALL_SUBMITTED = "Every party must submit its lists before they are revealed."
NOT_ALLOWED_TO_REVEAL = (
    "The neutral facilitator reveals the lists; without one, each party's alliance manager agrees."
)
OWN_ITEM = "The other party acknowledges your entries; yours are already your view."
ALREADY_ACKNOWLEDGED = "This shortfall is already agreed."
NOT_ALLOWED_TO_CLOSE = "Only an alliance manager or the neutral facilitator can close it."
TOO_MANY_ENTRIES = "At most {n} entries per submission."
MAX_ITEMS = 200


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Accord"


def is_facilitator(user: Any, partnership: Partnership) -> bool:
    return participant_role(user, partnership) == Participant.Role.FACILITATOR


def has_facilitator(partnership: Partnership) -> bool:
    return partnership.participants.filter(role=Participant.Role.FACILITATOR).exists()


def party_of(user: Any, partnership: Partnership) -> Party | None:
    org = user_organization(user)
    if org is None:
        return None
    return partnership.parties.filter(organization=org).select_related("organization").first()


def _acting_party(user: Any, intervention: Intervention, need: Need = Need.CONTRIBUTE) -> Party:
    party = party_of(user, intervention.partnership)
    if party is None or not can(user, intervention.partnership, need):
        raise ValidationError(NOT_A_PARTY_CONTRIBUTOR)
    return party


def _locked(intervention: Intervention) -> Intervention:
    """Re-read under a row lock: two parties acting at once resolve to one consistent state."""
    locked = (
        Intervention.objects.select_for_update()
        .select_related("partnership")
        .get(pk=intervention.pk)
    )
    if locked.closed_at is not None:
        raise ValidationError(CLOSED)
    return locked


def _submission(intervention: Intervention, party: Party) -> Submission:
    """The party's submission, created internal to its organization (joint only at the reveal)."""
    submission, _ = Submission.objects.get_or_create(
        intervention=intervention,
        party=party,
        defaults={
            "partnership": intervention.partnership,
            "owner_org": party.organization,
            "visibility": Visibility.INTERNAL,
        },
    )
    return submission


def _private_event(submission: Submission, *, user: Any, action: str, summary: str) -> None:
    """An event only the submitting party's organization can ever read."""
    record_event(
        partnership=submission.intervention.partnership,
        actor=user,
        action=action,
        summary=summary,
        target=submission,
        owner_org=submission.party.organization,
        visibility=INTERNAL,
    )


def _joint_event(intervention: Intervention, *, user: Any, action: str, summary: str) -> None:
    record_event(
        partnership=intervention.partnership,
        actor=user,
        action=action,
        summary=summary,
        target=intervention,
    )


def _people(partnership: Partnership, *, party: Party | None = None, roles: Any = None) -> Any:
    people = Participant.objects.filter(partnership=partnership).select_related("user")
    if party is not None:
        people = people.filter(organization_id=party.organization_id)
    if roles is not None:
        people = people.filter(role__in=roles)
    return [p.user for p in people]


def lists_link_path(intervention: Intervention, holder: Any) -> str:
    token = links.make_token(links.INTERVENTION_LISTS, intervention.pk, holder)
    return reverse(
        "interventions:link_lists", kwargs={"pk": intervention.partnership_id, "token": token}
    )


def intervention_url(intervention: Intervention) -> str:
    return reverse(
        "interventions:detail",
        kwargs={"pk": intervention.partnership_id, "intervention_id": intervention.pk},
    )


@transaction.atomic
def intervention_open(*, partnership: Partnership, user: Any, reason: str) -> Intervention:
    """Open an intervention and move the partnership to the intervention status. Each party's
    alliance managers get a signed single-action link to submit their lists."""
    if not (can(user, partnership, Need.MANAGE) or is_facilitator(user, partnership)):
        raise ValidationError(NOT_ALLOWED_TO_OPEN)
    reason = plain(reason, "reason")
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if Intervention.objects.filter(partnership=locked, closed_at__isnull=True).exists():
        raise ValidationError(ALREADY_OPEN)
    if locked.status not in (Partnership.Status.ACTIVE, Partnership.Status.FORMING):
        raise ValidationError(NOT_OPEN_STATUS)
    intervention = Intervention.objects.create(
        partnership=locked, reason=reason[:5000], opened_by=user
    )
    previous = locked.status
    locked.status = Partnership.Status.INTERVENTION
    locked.save(update_fields=["status", "updated_at"])
    partnership.status = locked.status
    record_event(
        partnership=locked,
        actor=user,
        action="interventions.open",
        summary=f"{_name(user)} opened an intervention: {reason}"[:500],
        target=intervention,
        changes={"status": [previous, locked.status]},
    )
    for party in locked.parties.select_related("organization"):
        for holder in _people(locked, party=party, roles=[Participant.Role.ALLIANCE_MANAGER]):
            notify(
                recipients=[holder],
                kind="interventions.submit_lists",
                summary=f"An intervention is open in {locked.name}: submit {party.organization}'s "
                "lists privately. The other side sees nothing until both are revealed together.",
                partnership=locked,
                url=lists_link_path(intervention, holder),
            )
    notify(
        recipients=_people(locked, roles=[Participant.Role.FACILITATOR]),
        kind="interventions.opened",
        summary=f"An intervention is open in {locked.name}.",
        partnership=locked,
        url=intervention_url(intervention),
    )
    return intervention


@transaction.atomic
def submission_set_logic(
    *, intervention: Intervention, user: Any, strategic_logic: str
) -> Submission:
    intervention = _locked(intervention)
    party = _acting_party(user, intervention)
    if strategic_logic not in Submission.Logic.values:
        raise ValidationError({"strategic_logic": BAD_LOGIC})
    submission = _submission(intervention, party)
    if submission.submitted_at:
        raise ValidationError(ALREADY_SUBMITTED)
    submission.strategic_logic = strategic_logic
    submission.save(update_fields=["strategic_logic"])
    _private_event(
        submission,
        user=user,
        action="interventions.logic",
        summary=f"{_name(user)} answered for {party.organization} whether the partnership still "
        f"has its strategic logic: {strategic_logic}",
    )
    return submission


def _check_item(
    intervention: Intervention,
    *,
    kind: str,
    text: str,
    objective_id: int | None,
    occurred_on: date | None,
    trust_effect: int | None,
) -> tuple[str, Objective | None]:
    if kind not in Item.Kind.values:
        raise ValidationError({"kind": BAD_KIND})
    text = plain(text, "text")
    objective = None
    if objective_id is not None:
        objective = (
            Objective.objects.filter(partnership=intervention.partnership, pk=objective_id)
            .filter(visibility="joint")
            .first()
        )
        if objective is None or kind != Item.Kind.UNMET_OBJECTIVE:
            raise ValidationError({"objective": UNKNOWN_OBJECTIVE})
        text = text or objective.title
    if not text:
        raise ValidationError({"text": TEXT_REQUIRED})
    if len(text) > 2000:
        raise ValidationError({"text": TEXT_TOO_LONG})
    if kind == Item.Kind.PIVOTAL_EVENT:
        if occurred_on is None or trust_effect is None:
            raise ValidationError({"occurred_on": EVENT_NEEDS_DATE})
        if occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": EVENT_IN_FUTURE})
        start = intervention.partnership.start_date
        if start is not None and occurred_on < start:
            raise ValidationError({"occurred_on": EVENT_BEFORE_START})
        if trust_effect not in Item.Effect.values:
            raise ValidationError({"trust_effect": BAD_EFFECT})
    return text, objective


@transaction.atomic
def item_add(
    *,
    intervention: Intervention,
    user: Any,
    kind: str,
    text: str = "",
    objective_id: int | None = None,
    occurred_on: date | None = None,
    trust_effect: int | None = None,
) -> Item:
    intervention = _locked(intervention)
    party = _acting_party(user, intervention)
    text, objective = _check_item(
        intervention,
        kind=kind,
        text=text,
        objective_id=objective_id,
        occurred_on=occurred_on,
        trust_effect=trust_effect,
    )
    submission = _submission(intervention, party)
    if submission.submitted_at:
        raise ValidationError(ALREADY_SUBMITTED)
    if submission.items.count() >= MAX_ITEMS:
        raise ValidationError(TOO_MANY_ENTRIES.format(n=MAX_ITEMS))
    is_event = kind == Item.Kind.PIVOTAL_EVENT
    item = Item.objects.create(
        submission=submission,
        kind=kind,
        text=text,
        objective=objective,
        occurred_on=occurred_on if is_event else None,
        trust_effect=trust_effect if is_event else None,
    )
    _private_event(
        submission,
        user=user,
        action="interventions.item_add",
        summary=f"{_name(user)} added to {party.organization}'s private list "
        f"({item.get_kind_display()}): {text}"[:500],
    )
    return item


@transaction.atomic
def item_remove(*, item: Item, user: Any) -> None:
    intervention = _locked(item.submission.intervention)
    party = _acting_party(user, intervention)
    submission = item.submission
    if submission.party_id != party.pk:
        raise ValidationError(NOT_A_PARTY_CONTRIBUTOR)
    if submission.submitted_at:
        raise ValidationError(ALREADY_SUBMITTED)
    _private_event(
        submission,
        user=user,
        action="interventions.item_remove",
        summary=f"{_name(user)} removed from {party.organization}'s private list: {item.text}"[
            :500
        ],
    )
    item.delete()


@transaction.atomic
def submission_submit(*, intervention: Intervention, user: Any) -> Submission:
    """Hand the party's lists to the process. They no longer change, and stay private until the
    reveal; the joint trail records only that this party submitted."""
    intervention = _locked(intervention)
    party = _acting_party(user, intervention)
    submission = _submission(intervention, party)
    if submission.submitted_at:
        raise ValidationError(ALREADY_SUBMITTED)
    if not submission.strategic_logic:
        raise ValidationError({"strategic_logic": LOGIC_REQUIRED})
    if not submission.items.exists():
        raise ValidationError(NOTHING_TO_SUBMIT)
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["submitted_at"])
    _private_event(
        submission,
        user=user,
        action="interventions.submit_private",
        summary=f"{_name(user)} submitted {party.organization}'s lists "
        f"({submission.items.count()} entries; strategic logic: {submission.strategic_logic})",
    )
    _joint_event(
        intervention,
        user=user,
        action="interventions.submit",
        summary=f"{party.organization} submitted its intervention lists",
    )
    return submission


@transaction.atomic
def lists_submit(
    *,
    intervention: Intervention,
    user: Any,
    strategic_logic: str,
    entries: list[dict[str, Any]],
) -> Submission:
    """Add entries and submit in one step (the signed link's single action): all or nothing."""
    if len(entries) > MAX_ITEMS:
        raise ValidationError(TOO_MANY_ENTRIES.format(n=MAX_ITEMS))
    submission_set_logic(intervention=intervention, user=user, strategic_logic=strategic_logic)
    for entry in entries:
        item_add(intervention=intervention, user=user, **entry)
    return submission_submit(intervention=intervention, user=user)


def _reveal_now(intervention: Intervention, user: Any) -> None:
    intervention.revealed_at = timezone.now()
    intervention.save(update_fields=["revealed_at"])
    intervention.submissions.update(visibility=Visibility.JOINT)
    _joint_event(
        intervention,
        user=user,
        action="interventions.reveal",
        summary="Both sides' intervention lists were revealed together",
    )
    partnership = intervention.partnership
    notify(
        recipients=_people(
            partnership, roles=[*ROLES_FOR[Need.READ], Participant.Role.FACILITATOR]
        ),
        kind="interventions.revealed",
        summary=f"Both sides' intervention lists in {partnership.name} are revealed.",
        partnership=partnership,
        url=intervention_url(intervention),
    )


@transaction.atomic
def intervention_reveal(*, intervention: Intervention, user: Any) -> Intervention:
    """The facilitator reveals both lists at once. Without a facilitator, each party's alliance
    manager agrees, and the lists are revealed when the last one does."""
    intervention = _locked(intervention)
    partnership = intervention.partnership
    if intervention.revealed_at:
        raise ValidationError(ALREADY_REVEALED)
    submissions = list(intervention.submissions.select_related("party__organization"))
    submitted = {s.party_id for s in submissions if s.submitted_at}
    if submitted != set(partnership.parties.values_list("pk", flat=True)):
        raise ValidationError(NOT_ALL_SUBMITTED)
    if has_facilitator(partnership):
        if not is_facilitator(user, partnership):
            raise ValidationError(NOT_ALLOWED_TO_REVEAL)
        _reveal_now(intervention, user)
        return intervention
    party = party_of(user, partnership)
    if party is None or not can(user, partnership, Need.MANAGE):
        raise ValidationError(NOT_ALLOWED_TO_REVEAL)
    mine = next(s for s in submissions if s.party_id == party.pk)
    if mine.reveal_agreed_at is None:
        mine.reveal_agreed_at = timezone.now()
        mine.save(update_fields=["reveal_agreed_at"])
        _joint_event(
            intervention,
            user=user,
            action="interventions.reveal_agree",
            summary=f"{party.organization} agreed to reveal both lists",
        )
    if all(s.reveal_agreed_at or s.pk == mine.pk for s in submissions):
        _reveal_now(intervention, user)
    return intervention


@transaction.atomic
def intervention_close(*, intervention: Intervention, user: Any) -> Intervention:
    """Close the intervention; the partnership returns to active."""
    partnership = intervention.partnership
    if not (can(user, partnership, Need.MANAGE) or is_facilitator(user, partnership)):
        raise ValidationError(NOT_ALLOWED_TO_CLOSE)
    intervention = _locked(intervention)
    intervention.closed_at = timezone.now()
    intervention.save(update_fields=["closed_at"])
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    previous = locked.status
    if locked.status == Partnership.Status.INTERVENTION:
        locked.status = Partnership.Status.ACTIVE
        locked.save(update_fields=["status", "updated_at"])
    record_event(
        partnership=locked,
        actor=user,
        action="interventions.close",
        summary=f"{_name(user)} closed the intervention",
        target=intervention,
        changes={"status": [previous, locked.status]},
    )
    return intervention
