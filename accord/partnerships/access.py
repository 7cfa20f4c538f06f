"""The one access layer. Views and API handlers fetch objects through these functions only.

A missing object and a forbidden one raise the same Http404, so nobody can probe what exists in
another organization. Roles decide what a participant may do:

- view: see the partnership, its parties and (unless restricted) participants — every participant
  and every admin of a party organization;
- read: read its joint records and history — everyone above except a neutral facilitator, who
  sees only what is submitted to a process they run;
- contribute: create records — sponsors, alliance managers, team members, party admins;
- manage: change settings and invite — alliance managers and party admins.
"""

from __future__ import annotations

import enum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404

from accord.partnerships.models import (
    Membership,
    Organization,
    Participant,
    Partnership,
    Visibility,
)

NOT_FOUND = "Not found."
OWNER_ONLY = "Only the organization that owns this record may change its visibility or owner."
OWNERSHIP_FIELDS = ("visibility", "owner_org", "owner_party")

Role = Participant.Role


class Need(enum.Enum):
    VIEW = "view"
    READ = "read"
    CONTRIBUTE = "contribute"
    MANAGE = "manage"


ROLES_FOR = {
    Need.VIEW: set(Role),
    Need.READ: {Role.SPONSOR, Role.ALLIANCE_MANAGER, Role.MEMBER, Role.OBSERVER},
    Need.CONTRIBUTE: {Role.SPONSOR, Role.ALLIANCE_MANAGER, Role.MEMBER},
    Need.MANAGE: {Role.ALLIANCE_MANAGER},
}


def user_organization(user: Any) -> Organization | None:
    if not getattr(user, "is_authenticated", False):
        return None
    membership = getattr(user, "membership", None)
    return membership.organization if membership else None


def is_org_admin(user: Any, organization: Organization) -> bool:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return bool(
        membership
        and membership.organization_id == organization.pk
        and membership.role == Membership.Role.ADMIN
    )


def participant_role(user: Any, partnership: Partnership) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Participant.objects.filter(partnership=partnership, user=user)
        .values_list("role", flat=True)
        .first()
    )


def is_party_admin(user: Any, partnership: Partnership) -> bool:
    org = user_organization(user)
    return bool(
        org
        and user.membership.role == Membership.Role.ADMIN
        and partnership.parties.filter(organization=org).exists()
    )


def can(user: Any, partnership: Partnership, need: Need) -> bool:
    role = participant_role(user, partnership)
    if role is not None and role in ROLES_FOR[need]:
        return True
    return is_party_admin(user, partnership)


def can_create_partnership(user: Any) -> bool:
    """Starting a partnership commits one's organization, so it is for those who act for it.

    People who take part only as observers or neutral facilitators may not; someone with no part
    in any partnership yet (a new organization's first user) may, as may an admin of an
    organization that is already a party somewhere.
    """
    org = user_organization(user)
    if org is None:
        return False
    roles = set(Participant.objects.filter(user=user).values_list("role", flat=True))
    if not roles or roles & ROLES_FOR[Need.CONTRIBUTE]:
        return True
    return is_org_admin(user, org) and org.parties.exists()


def access_partnership(user: Any, pk: Any, need: Need = Need.VIEW) -> Partnership:
    try:
        partnership = Partnership.objects.visible_to(user).get(pk=int(pk))
    except (Partnership.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(NOT_FOUND) from None
    if not can(user, partnership, need):
        raise Http404(NOT_FOUND)
    return partnership


def access_organization(user: Any, slug: str, *, admin: bool = False) -> Organization:
    """People see only their own organization; inviting into it needs its admin role."""
    org = user_organization(user)
    if org is None or org.slug != slug or (admin and not is_org_admin(user, org)):
        raise Http404(NOT_FOUND)
    return org


def reader_partnerships(user: Any) -> Any:
    """Partnerships whose records the user may read (the READ need), as a subquery."""
    org = user_organization(user)
    readers = Q(participants__user=user, participants__role__in=ROLES_FOR[Need.READ])
    if org is not None and user.membership.role == Membership.Role.ADMIN:
        readers |= Q(parties__organization=org)
    return Partnership.objects.filter(readers).values("pk")


def record_reader_filter(user: Any) -> Q:
    """Joint records of readable partnerships, plus internal ones of the reader's organization."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    org = user_organization(user)
    own_internal = Q(owner_org=org) if org is not None else Q(pk__in=[])
    return Q(partnership__in=reader_partnerships(user)) & (
        Q(visibility=Visibility.JOINT) | own_internal
    )


def visible_participants(user: Any, partnership: Partnership) -> Any:
    """All participants, unless the partnership keeps each party's list to itself."""
    participants = partnership.participants.select_related("user", "organization")
    if not partnership.restrict_participant_lists:
        return participants
    org = user_organization(user)
    return participants.filter(Q(organization=org) | Q(role=Role.FACILITATOR))


def check_ownership_change(user: Any, record: Any, new_values: dict[str, Any]) -> None:
    """Visibility and ownership belong to the organization that owns a record.

    Another party may co-edit a joint record's content, but making it internal or handing it to
    someone else would take it away from the owner (and, with three parties, from a bystander).
    Call before saving with the values about to be written; raises a per-field ValidationError
    for every ownership field a non-owner tries to change. Internal records of another
    organization never get here: the access layer answers 404 for them.
    """
    changed = [
        name
        for name in OWNERSHIP_FIELDS
        if name in new_values and _ownership_value(new_values[name]) != _current(record, name)
    ]
    if not changed:
        return
    org = user_organization(user)
    if org is None or org.pk != record.owner_org_id:
        raise ValidationError({name: OWNER_ONLY for name in changed})


def _ownership_value(value: Any) -> Any:
    return getattr(value, "pk", value)


def _current(record: Any, name: str) -> Any:
    return getattr(record, f"{name}_id") if name != "visibility" else record.visibility
