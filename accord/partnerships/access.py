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
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404

from accord.partnerships.models import (
    Membership,
    Organization,
    Participant,
    Partnership,
    Party,
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
    membership = user_membership(user)
    return membership.organization if membership else None


def user_membership(user: Any) -> Membership | None:
    """The person's membership with its organization, read in one query and kept on the user
    object (Django's own cache for `user.membership`) for the rest of the request."""
    if "membership" not in user._state.fields_cache:
        membership = Membership.objects.select_related("organization").filter(user=user).first()
        if membership is None:
            return None
        user.membership = membership
    return cast(Membership | None, user._state.fields_cache["membership"])


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
    # `access_partnership` read the role with the partnership itself; a page asks for it again
    # (the view's `can`, the tab bar), and a query each time was a third of a simple page's.
    known = partnership.__dict__.get(_VIEWER_ROLE)
    if known is not None and known[0] == user.pk:
        return cast(str | None, known[1])
    return _role_rows(user, partnership).first()


_VIEWER_ROLE = "_accord_viewer_role"


def _role_rows(user: Any, partnership: Any) -> Any:
    # No ordering: the model's (by organization and user names) would join both tables into
    # a lookup that has at most one row (one participation per person and partnership).
    return (
        Participant.objects.filter(partnership=partnership, user=user)
        .order_by()
        .values_list("role", flat=True)
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


def _visible_one_sql() -> str:
    """The partnership ``pk`` if ``user`` may see it (the rule of ``PartnershipQuerySet.
    visible_to``: a participant, or an admin of a party's organization), with the user's role in
    it. Written out once because every partnership page opens with it, and composing the same
    rule through the ORM (two subqueries and an annotation) cost a millisecond of CPU a request
    before the query ran; ``test_access_sql`` checks it agrees with ``visible_to``."""
    p, r = Partnership._meta.db_table, Participant._meta.db_table
    y, m = Party._meta.db_table, Membership._meta.db_table
    return (
        f"SELECT p.*, (SELECT r.role FROM {r} r WHERE r.partnership_id = p.id AND r.user_id = %s"  # noqa: S608
        f" LIMIT 1) AS viewer_role FROM {p} p WHERE p.id = %s AND ("
        f"EXISTS (SELECT 1 FROM {r} r WHERE r.partnership_id = p.id AND r.user_id = %s)"
        f" OR EXISTS (SELECT 1 FROM {y} y JOIN {m} m ON m.organization_id = y.organization_id"
        f" WHERE y.partnership_id = p.id AND m.user_id = %s AND m.role = %s))"
    )


_VISIBLE_ONE: list[str] = []


def access_partnership(user: Any, pk: Any, need: Need = Need.VIEW) -> Partnership:
    if not getattr(user, "is_authenticated", False):
        raise Http404(NOT_FOUND)
    try:
        key = int(pk)
        if not -(2**63) <= key < 2**63:
            raise OverflowError
    except (ValueError, TypeError, OverflowError):
        raise Http404(NOT_FOUND) from None
    if not _VISIBLE_ONE:
        _VISIBLE_ONE.append(_visible_one_sql())
    params = [user.pk, key, user.pk, user.pk, Membership.Role.ADMIN.value]
    found = list(Partnership.objects.raw(_VISIBLE_ONE[0], params))
    if not found:
        raise Http404(NOT_FOUND)
    partnership = found[0]
    # Roles never change in place (a participant is added, never re-roled or removed), so the
    # role read here holds for the rest of the request.
    partnership.__dict__[_VIEWER_ROLE] = (user.pk, partnership.viewer_role)  # type: ignore[attr-defined]
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
    # Each branch an indexed IN over one table: an OR across two joins made PostgreSQL plan
    # every scoped query for a millisecond (five times what it then took to run).
    participates = Participant.objects.filter(user=user, role__in=ROLES_FOR[Need.READ])
    readers = Q(pk__in=participates.order_by().values("partnership"))
    if org is not None and user.membership.role == Membership.Role.ADMIN:
        readers |= Q(pk__in=Party.objects.filter(organization=org).order_by().values("partnership"))
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


HIDDEN_PERSON = "a member of {organization}"


class PeopleLens:
    """How people are named to one viewer in one partnership — the one place that decides it.

    Unless the partnership restricts participant lists, everyone is named. When it does, a viewer
    sees by name the people of its own organization and any facilitator; anyone else appears as
    "a member of <their organization>". `scrub` applies the same rule to stored text (audit
    summaries, change records) that names people by their full name or username.
    """

    def __init__(self, viewer: Any, partnership: Partnership) -> None:
        self.restricted = bool(partnership.restrict_participant_lists)
        self._hidden: dict[int, str] = {}
        self._shown: set[int] = set()
        self._replacements: list[tuple[str, str]] = []
        if not self.restricted:
            return
        org = user_organization(viewer)
        viewer_org = org.pk if org is not None else None
        rows = Participant.objects.filter(partnership=partnership).values_list(
            "user_id",
            "organization_id",
            "organization__name",
            "role",
            "user__first_name",
            "user__last_name",
            "user__username",
        )
        party_members = Membership.objects.filter(
            organization__in=partnership.parties.values("organization")
        ).values_list(
            "user_id",
            "organization_id",
            "organization__name",
            "user__first_name",
            "user__last_name",
            "user__username",
        )
        people = {
            uid: (oid, oname, role, first, last, username)
            for uid, oid, oname, role, first, last, username in rows
        }
        for uid, oid, oname, first, last, username in party_members:
            people.setdefault(uid, (oid, oname, "", first, last, username))
        for uid, (oid, oname, role, first, last, username) in people.items():
            if oid == viewer_org or role == Role.FACILITATOR:
                self._shown.add(uid)
                continue
            label = HIDDEN_PERSON.format(organization=oname)
            self._hidden[uid] = label
            full = f"{first} {last}".strip()
            self._replacements += [(text, label) for text in (full, username) if text]
        # Longest first, so "Alice Alder" is replaced before a bare "Alice" could be.
        self._replacements.sort(key=lambda pair: -len(pair[0]))

    def name(self, user: Any = None, *, user_id: int | None = None, name: str = "") -> str:
        """The name to show for a person (a user, or a stored id and name)."""
        if user is not None:
            user_id = user.pk
            name = name or user.get_full_name() or user.get_username()
        if user_id is not None and user_id in self._hidden:
            return self._hidden[user_id]
        return name

    def scrub(self, value: Any) -> Any:
        """Stored text (or JSON of text) with hidden people's names replaced by their label."""
        if not self._replacements:
            return value
        if isinstance(value, str):
            for text, label in self._replacements:
                value = value.replace(text, label)
            return value
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        return value


def people_lens(viewer: Any, partnership: Partnership) -> PeopleLens:
    return PeopleLens(viewer, partnership)


def request_lens(request: Any, partnership: Partnership | int) -> PeopleLens:
    """The lens for the request's user, built once per request and partnership (API schema
    resolvers call it for every row)."""
    cache = request.__dict__.setdefault("_people_lenses", {})
    pk = partnership if isinstance(partnership, int) else partnership.pk
    if pk not in cache:
        if isinstance(partnership, int):
            partnership = Partnership.objects.get(pk=pk)
        cache[pk] = PeopleLens(request.user, partnership)
    return cache[pk]


def lens_audit_events(lens: PeopleLens, events: Any) -> list[Any]:
    """Audit events as the lens's viewer may read them: hidden people's names replaced in the
    actor, summary and changes (in memory only — events are never saved again)."""
    shown = list(events)
    if lens.restricted:
        for event in shown:
            event.actor_name = lens.name(user_id=event.actor_id, name=event.actor_name)
            event.summary = lens.scrub(event.summary)
            event.changes = lens.scrub(event.changes)
    return shown
