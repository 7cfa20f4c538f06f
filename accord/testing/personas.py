"""The people every test talks about.

Alder Pharma (party A) and Birch Bio (party B) run "Alder–Birch Alliance". Each side has an alliance
manager, a member and a sponsor; Alder has a read-only observer; Fennel Mediation provides a neutral
facilitator; Oak Labs is an outsider with no part in the partnership.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.partnerships.models import Membership, Organization, Participant, Partnership, Party
from accord.testing.factories import (
    MembershipFactory,
    OrganizationFactory,
    ParticipantFactory,
    PartnershipFactory,
    PartyFactory,
)

PERSONAS = ("owner", "partner", "outsider", "anonymous", "observer", "facilitator")
Role = Participant.Role


@dataclass
class Cast:
    partnership: Partnership
    org_a: Organization
    org_b: Organization
    org_outsider: Organization
    org_facilitator: Organization
    party_a: Party
    party_b: Party
    alice: Any  # A's alliance manager and Alder's admin ("owner")
    amos: Any  # A's team member
    ava: Any  # A's executive sponsor
    bob: Any  # B's alliance manager and Birch's admin ("partner")
    bea: Any  # B's team member
    oscar: Any  # A's read-only observer ("observer")
    fiona: Any  # the neutral facilitator ("facilitator")
    olga: Any  # Oak Labs, no part in the partnership ("outsider")

    def persona(self, name: str) -> Any:
        return {
            "owner": self.alice,
            "partner": self.bob,
            "outsider": self.olga,
            "anonymous": None,
            "observer": self.oscar,
            "facilitator": self.fiona,
        }[name]


def _person(
    partnership: Partnership, org: Organization, first: str, role: str, admin: bool = False
) -> Any:
    user = MembershipFactory(
        organization=org,
        user__username=f"{first.lower()}@{org.slug}.test",
        user__first_name=first,
        user__last_name=org.name.split()[0],
        role=Membership.Role.ADMIN if admin else Membership.Role.MEMBER,
    ).user
    ParticipantFactory(partnership=partnership, organization=org, user=user, role=role)
    return user


def build_cast() -> Cast:
    partnership = PartnershipFactory(name="Alder–Birch Alliance")
    org_a = OrganizationFactory(name="Alder Pharma", slug="alder")
    org_b = OrganizationFactory(name="Birch Bio", slug="birch")
    org_f = OrganizationFactory(name="Fennel Mediation", slug="fennel")
    org_o = OrganizationFactory(name="Oak Labs", slug="oak")
    party_a = PartyFactory(partnership=partnership, organization=org_a)
    party_b = PartyFactory(partnership=partnership, organization=org_b)
    olga = MembershipFactory(
        organization=org_o,
        user__username="olga@oak.test",
        user__first_name="Olga",
        role=Membership.Role.ADMIN,
    ).user
    return Cast(
        partnership=partnership,
        org_a=org_a,
        org_b=org_b,
        org_outsider=org_o,
        org_facilitator=org_f,
        party_a=party_a,
        party_b=party_b,
        alice=_person(partnership, org_a, "Alice", Role.ALLIANCE_MANAGER, admin=True),
        amos=_person(partnership, org_a, "Amos", Role.MEMBER),
        ava=_person(partnership, org_a, "Ava", Role.SPONSOR),
        bob=_person(partnership, org_b, "Bob", Role.ALLIANCE_MANAGER, admin=True),
        bea=_person(partnership, org_b, "Bea", Role.MEMBER),
        oscar=_person(partnership, org_a, "Oscar", Role.OBSERVER),
        fiona=_person(partnership, org_f, "Fiona", Role.FACILITATOR),
        olga=olga,
    )
