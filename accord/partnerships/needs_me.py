"""The "needs me" list: what waits on one person across all their partnerships.

One selector feeds the home page and the daily e-mail digest, so both always say the same thing.
It costs a fixed number of queries however many partnerships the person takes part in (a test
holds it to that). Each entry links to the page where the person can act.

Who is asked what follows the rules that already send the notifications:
- consensus approvals and consultations go to a party's leads (alliance managers and sponsors,
  `governance.rules.party_leads`); one stance or answer from the party settles it for all leads;
- delegated decisions wait on each member of the joint body who has not voted;
- a conflict waits on the owners of its current tier on the person's side (configured tier
  owners, else the default roles of `conflicts.selectors.DEFAULT_TIER_ROLES`) until someone of
  their organization has commented at that tier;
- overdue commitments and actions are those the person owns, past due and not done (a missed
  commitment that was re-planned waits on its re-plan instead);
- a survey waits on an invitee whose `responded` flag is still false while the round is open —
  the flag the survey already keeps for reminders; nothing links an answer to a person;
- a change notice from another party waits on the receiving party's leads until that party has
  acknowledged it (for 30 days after it takes effect).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accord.accountability.models import Commitment, ReviewAction
from accord.communication.models import ChangeNotice, NoticeAcknowledgement
from accord.conflicts.models import TIER_ORDER, Comment, Issue, TierKey, TierOwner
from accord.conflicts.selectors import DEFAULT_TIER_ROLES
from accord.governance.models import InputRequest, JointBodyMember, Mode, Proposal, Stance
from accord.partnerships.access import user_organization
from accord.partnerships.models import Participant, Visibility
from accord.trust.models import Invitee

LEAD_ROLES = (Participant.Role.ALLIANCE_MANAGER, Participant.Role.SPONSOR)
NOTICE_ACK_DAYS = 30


@dataclass(frozen=True)
class Item:
    kind: str  # approval, vote, consultation, conflict, commitment, action, survey, notice
    label: str  # what to do, in words ("Approve or object")
    title: str
    partnership_id: int
    partnership: str
    url: str
    due: date | None = None  # when it was due or closes, if it has a date
    overdue: bool = False


def _open_proposals() -> Any:
    return Proposal.objects.filter(
        decided_at__isnull=True, closed_at__isnull=True, withdrawn_at__isnull=True
    )


def needs_for(user: Any, *, now: datetime | None = None) -> list[Item]:
    """Everything waiting on `user`, overdue first, then by date. A fixed number of queries."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    org = user_organization(user)
    roles = list(
        Participant.objects.filter(user=user).values_list(
            "partnership_id", "role", "organization_id"
        )
    )
    lead_in = [pid for pid, role, oid in roles if role in LEAD_ROLES and org and oid == org.pk]
    facilitating = [pid for pid, role, _ in roles if role == Participant.Role.FACILITATOR]
    needs: list[Item] = []
    if org is not None and lead_in:
        needs += _approvals(user, org, lead_in)
        needs += _consultations(user, org, lead_in)
        needs += _notices(user, org, lead_in, today)
    needs += _votes(user)
    if org is not None:
        needs += _conflicts(user, org, [pid for pid, _, _ in roles], facilitating)
    elif facilitating:
        needs += _conflicts(user, None, [], facilitating)
    needs += _commitments(user, today)
    needs += _actions(user, today)
    needs += _surveys(user, now)
    return sorted(needs, key=lambda n: (not n.overdue, n.due or date.max, n.partnership, n.title))


def _url(name: str, pk: int, **kwargs: Any) -> str:
    return reverse(name, kwargs={"pk": pk, **kwargs})


def _approvals(user: Any, org: Any, lead_in: list[int]) -> list[Item]:
    party_stance = Stance.objects.filter(proposal=OuterRef("pk"), party__organization=org)
    rows = (
        _open_proposals()
        .visible_to(user)
        .filter(partnership_id__in=lead_in, mode=Mode.CONSENSUS)
        .exclude(Exists(party_stance))
        .select_related("partnership")
    )
    return [
        Item(
            "approval",
            "Approve or object",
            p.title,
            p.partnership_id,
            p.partnership.name,
            _url("governance:proposal_detail", p.partnership_id, proposal_id=p.pk),
        )
        for p in rows
    ]


def _votes(user: Any) -> list[Item]:
    on_body = JointBodyMember.objects.filter(
        body_id=OuterRef("joint_body_id"), participant__user=user
    )
    mine = Stance.objects.filter(proposal=OuterRef("pk"), user=user)
    rows = (
        _open_proposals()
        .visible_to(user)
        .filter(Exists(on_body), mode=Mode.DELEGATED)
        .exclude(Exists(mine))
        .select_related("partnership")
    )
    return [
        Item(
            "vote",
            "Vote (joint body)",
            p.title,
            p.partnership_id,
            p.partnership.name,
            _url("governance:proposal_detail", p.partnership_id, proposal_id=p.pk),
        )
        for p in rows
    ]


def _consultations(user: Any, org: Any, lead_in: list[int]) -> list[Item]:
    rows = InputRequest.objects.filter(
        party__organization=org,
        answered_at__isnull=True,
        proposal__partnership_id__in=lead_in,
        proposal__decided_at__isnull=True,
        proposal__closed_at__isnull=True,
        proposal__withdrawn_at__isnull=True,
        proposal__in=Proposal.objects.visible_to(user),
    ).select_related("proposal__partnership")
    return [
        Item(
            "consultation",
            "Give your party's input",
            r.proposal.title,
            r.proposal.partnership_id,
            r.proposal.partnership.name,
            _url(
                "governance:proposal_detail", r.proposal.partnership_id, proposal_id=r.proposal_id
            ),
            due=timezone.localdate(r.proposal.consultation_closes_at)
            if r.proposal.consultation_closes_at
            else None,
        )
        for r in rows
    ]


def _notices(user: Any, org: Any, lead_in: list[int], today: date) -> list[Item]:
    acked = NoticeAcknowledgement.objects.filter(notice=OuterRef("pk"), party__organization=org)
    rows = (
        ChangeNotice.objects.visible_to(user)
        .filter(
            partnership_id__in=lead_in,
            kind=ChangeNotice.Kind.NOTICE,
            effective_on__gte=today - timedelta(days=NOTICE_ACK_DAYS),
        )
        .exclude(changing_party__organization=org)
        .exclude(Exists(acked))
        .select_related("partnership", "changing_party__organization")
    )
    return [
        Item(
            "notice",
            "Acknowledge a change notice",
            f"{n.changing_party.organization.name}: {n.summary[:120]}",
            n.partnership_id,
            n.partnership.name,
            _url("communication:notices", n.partnership_id),
            due=n.effective_on,
        )
        for n in rows
    ]


def _owned_tiers(user: Any, org: Any, partnership_ids: list[int]) -> dict[int, set[str]]:
    """Per partnership, the ladder tiers the user owns on their organization's side."""
    configured: dict[tuple[int, str], set[int]] = {}
    for pid, tier, uid in TierOwner.objects.filter(
        partnership_id__in=partnership_ids, organization=org
    ).values_list("partnership_id", "tier", "user_id"):
        configured.setdefault((pid, tier), set()).add(uid)
    side: dict[int, list[tuple[int, str]]] = {}
    for pid, uid, role in Participant.objects.filter(
        partnership_id__in=partnership_ids, organization=org
    ).values_list("partnership_id", "user_id", "role"):
        side.setdefault(pid, []).append((uid, role))
    owned: dict[int, set[str]] = {}
    for pid in partnership_ids:
        for key in TIER_ORDER:
            owners = configured.get((pid, key))
            if owners is None:
                owners = set()
                for group in DEFAULT_TIER_ROLES[key]:
                    owners = {uid for uid, role in side.get(pid, []) if role in group}
                    if owners:
                        break
            if user.pk in owners:
                owned.setdefault(pid, set()).add(key)
    return owned


def _conflicts(
    user: Any, org: Any, partnership_ids: list[int], facilitating: list[int]
) -> list[Item]:
    owned = _owned_tiers(user, org, partnership_ids) if org is not None else {}
    wanted = Q()
    for pid, tiers in owned.items():
        wanted |= Q(partnership_id=pid, tier__in=tiers)
    if facilitating:
        wanted |= Q(
            partnership_id__in=facilitating,
            tier=TierKey.NEUTRAL_FACILITATION,
            visibility=Visibility.JOINT,
        )
    if not wanted:
        return []
    side = Q(author=user) | (Q(organization=org) if org is not None else Q())
    answered = Comment.objects.filter(side, issue=OuterRef("pk"), tier=OuterRef("tier"))
    readable = Q(pk__in=Issue.objects.visible_to(user).values("pk"))
    if facilitating:
        readable |= Q(partnership_id__in=facilitating, visibility=Visibility.JOINT)
    rows = (
        Issue.objects.filter(wanted, readable, resolved_at__isnull=True, withdrawn_at__isnull=True)
        .exclude(Exists(answered))
        .select_related("partnership")
    )
    return [
        Item(
            "conflict",
            f"Respond (tier {i.tier_number}: {i.get_tier_display()})",
            i.title,
            i.partnership_id,
            i.partnership.name,
            _url("conflicts:issue_detail", i.partnership_id, issue_id=i.pk),
        )
        for i in rows
    ]


def _commitments(user: Any, today: date) -> list[Item]:
    replanned = Commitment.objects.filter(replanned_from=OuterRef("pk"))
    rows = (
        Commitment.objects.visible_to(user)
        .filter(owner=user, due_on__lt=today)
        .exclude(status=Commitment.Status.DONE)
        .exclude(Exists(replanned))
        .select_related("partnership")
    )
    return [
        Item(
            "commitment",
            "Overdue commitment: report or re-plan",
            c.title,
            c.partnership_id,
            c.partnership.name,
            _url("accountability:commitment_detail", c.partnership_id, commitment_id=c.pk),
            due=c.due_on,
            overdue=True,
        )
        for c in rows
    ]


def _actions(user: Any, today: date) -> list[Item]:
    rows = (
        ReviewAction.objects.visible_to(user)
        .filter(owner=user, due_on__lt=today, done_on__isnull=True)
        .select_related("partnership")
    )
    return [
        Item(
            "action",
            "Overdue action: mark done",
            a.title,
            a.partnership_id,
            a.partnership.name,
            _url("accountability:actions", a.partnership_id),
            due=a.due_on,
            overdue=True,
        )
        for a in rows
    ]


def _surveys(user: Any, now: datetime) -> list[Item]:
    rows = Invitee.objects.filter(
        user=user, responded=False, round__opens_at__lte=now, round__closes_at__gt=now
    ).select_related("round__partnership")
    return [
        Item(
            "survey",
            "Answer the survey",
            i.round.title,
            i.round.partnership_id,
            i.round.partnership.name,
            _url("trust:respond", i.round.partnership_id, round_id=i.round_id),
            due=timezone.localdate(i.round.closes_at),
        )
        for i in rows
    ]
