from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.partnerships import services
from accord.partnerships.models import Invitation, Membership, Participant
from accord.testing.factories import MembershipFactory


def invite_partner(cast, email="dana@dogwood.test"):
    return services.invitation_create(
        created_by=cast.alice,
        kind=Invitation.Kind.PARTY,
        partnership=cast.partnership,
        email=email,
        organization_name="Dogwood Devices",
    )


def test_the_invitation_email_carries_a_link_and_only_the_hash_is_stored(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw = invite_partner(cast)
    assert len(mail.outbox) == 1
    assert raw in mail.outbox[0].body
    assert raw not in invitation.token_hash
    assert Invitation.objects.filter(token_hash__contains=raw).count() == 0


def test_a_new_person_creates_an_account_and_their_organization_joins(cast, client):
    _invitation, raw = invite_partner(cast)
    response = client.post(
        reverse("invitation_accept", args=[raw]),
        {
            "first_name": "Dana",
            "last_name": "Dogwood",
            "password1": "a sturdy passphrase 42",
            "password2": "a sturdy passphrase 42",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="dana@dogwood.test")
    assert membership.organization.name == "Dogwood Devices"
    assert membership.role == Membership.Role.ADMIN
    assert cast.partnership.parties.filter(organization=membership.organization).exists()
    assert Participant.objects.get(user=membership.user).role == Participant.Role.ALLIANCE_MANAGER
    assert client.get(response.url).status_code == 200


def test_an_invitation_works_only_once(cast):
    _invitation, raw = invite_partner(cast)
    newcomer = MembershipFactory(role=Membership.Role.ADMIN).user
    services.invitation_accept(raw_token=raw, user=newcomer)
    other = MembershipFactory().user
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(raw_token=raw, user=other)


def test_an_expired_invitation_is_refused(cast, client):
    _invitation, raw = invite_partner(cast)
    with time_machine.travel(timedelta(days=15)):
        with pytest.raises(ValidationError, match="expired"):
            services.invitation_accept(raw_token=raw, user=MembershipFactory().user)
        assert client.get(reverse("invitation_accept", args=[raw])).status_code == 410


def test_a_withdrawn_invitation_is_refused(cast):
    invitation, raw = invite_partner(cast)
    services.invitation_revoke(user=cast.alice, invitation=invitation)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_accept(raw_token=raw, user=MembershipFactory().user)


def test_an_unknown_token_shows_a_clear_page(client, db):
    response = client.get(reverse("invitation_accept", args=["inv_nope"]))
    assert response.status_code == 404
    assert b"not valid" in response.content


def test_a_participant_invitation_adds_a_colleague_with_the_role(cast):
    _invitation, raw = services.invitation_create(
        created_by=cast.alice,
        kind=Invitation.Kind.PARTICIPANT,
        partnership=cast.partnership,
        organization=cast.org_a,
        email="new.colleague@alder.test",
        participant_role=Participant.Role.SPONSOR,
    )
    user = services.user_create_and_accept(
        raw_token=raw, first_name="Nia", last_name="Alder", password="x-9-y-8-z-7-w"
    )
    assert user.membership.organization == cast.org_a
    assert Participant.objects.get(user=user).role == Participant.Role.SPONSOR


def test_someone_from_another_organization_cannot_take_a_colleague_invitation(cast):
    _invitation, raw = services.invitation_create(
        created_by=cast.alice,
        kind=Invitation.Kind.PARTICIPANT,
        partnership=cast.partnership,
        organization=cast.org_a,
        email="colleague@alder.test",
        participant_role=Participant.Role.MEMBER,
    )
    with pytest.raises(ValidationError, match="this invitation is for Alder Pharma"):
        services.invitation_accept(raw_token=raw, user=cast.olga)


def test_an_org_admin_invites_a_colleague_into_the_organization(cast, client):
    client.force_login(cast.alice)
    response = client.post(
        reverse("organization_detail", args=[cast.org_a.slug]),
        {"email": "zoe@alder.test", "membership_role": "member"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="zoe@alder.test")
    assert invitation.kind == Invitation.Kind.ORGANIZATION
    assert invitation.organization == cast.org_a


def test_a_member_who_is_not_admin_cannot_invite_into_the_organization(cast, client):
    client.force_login(cast.amos)
    response = client.post(
        reverse("organization_detail", args=[cast.org_a.slug]),
        {"email": "zoe@alder.test", "membership_role": "admin"},
    )
    assert response.status_code == 404
    assert not Invitation.objects.filter(email="zoe@alder.test").exists()
