"""``access_partnership`` opens a partnership with one hand-written query; it must agree with
the ORM rule every list uses (``Partnership.objects.visible_to``) for every kind of person, and
read the same role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accord.partnerships.access import Need, access_partnership
from accord.partnerships.models import Membership, Participant, Partnership
from accord.testing.factories import (
    MembershipFactory,
    ParticipantFactory,
    PartnershipFactory,
    PartyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _opens(user, pk) -> Partnership | None:
    try:
        return access_partnership(user, pk, Need.VIEW)
    except Http404:
        return None


def test_the_hand_written_query_agrees_with_visible_to_for_everyone(cast):
    # A partnership Birch is a party to without Alder; one with no parties at all.
    birch_only = PartnershipFactory(name="Birch–Elm")
    PartyFactory(partnership=birch_only, organization=cast.org_b)
    ParticipantFactory(partnership=birch_only, organization=cast.org_b, user=cast.bea)
    empty = PartnershipFactory(name="Nobody's")
    # An admin of Alder who takes part in nothing; a member with no part; no membership at all.
    alder_admin = MembershipFactory(organization=cast.org_a, role=Membership.Role.ADMIN).user
    alder_member = MembershipFactory(organization=cast.org_a, role=Membership.Role.MEMBER).user
    loner = UserFactory()
    people = [
        cast.alice,
        cast.amos,
        cast.ava,
        cast.bob,
        cast.bea,
        cast.oscar,
        cast.fiona,
        cast.olga,
        alder_admin,
        alder_member,
        loner,
    ]
    partnerships = [cast.partnership, birch_only, empty]
    seen = 0
    for user in people:
        visible = set(Partnership.objects.visible_to(user).values_list("pk", flat=True))
        for partnership in partnerships:
            opened = _opens(user, partnership.pk)
            assert (opened is not None) == (partnership.pk in visible), (user, partnership)
            if opened is not None:
                seen += 1
                role = (
                    Participant.objects.filter(partnership=partnership, user=user)
                    .values_list("role", flat=True)
                    .first()
                )
                assert opened.viewer_role == role
                assert opened.name == partnership.name
    # Alder's admin sees the partnership through Alder's party without taking part in it.
    assert _opens(alder_admin, cast.partnership.pk).viewer_role is None
    assert _opens(alder_admin, birch_only.pk) is None
    assert _opens(cast.bob, birch_only.pk) is not None
    assert seen >= 10


@pytest.mark.parametrize("pk", ["abc", "", None, 2**63, -(2**63) - 1, "1e3", 10**30])
def test_a_key_that_is_no_partnership_is_not_found(cast, pk):
    with pytest.raises(Http404):
        access_partnership(cast.alice, pk)


def test_nobody_signed_in_is_not_found(cast):
    with pytest.raises(Http404):
        access_partnership(AnonymousUser(), cast.partnership.pk)
