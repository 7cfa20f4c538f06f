from django.db import transaction
from django.urls import reverse

from accord.partnerships.audit import AuditEvent, record_event
from accord.partnerships.models import Membership, Partnership
from accord.testing.factories import MembershipFactory, PartyFactory


def internal_note(cast, org, text):
    with transaction.atomic():
        return record_event(
            partnership=cast.partnership,
            action="note",
            summary=text,
            owner_org=org,
            visibility="internal",
        )


def test_internal_records_are_seen_only_by_their_own_organization(cast, client):
    internal_note(cast, cast.org_a, "Alder's private worry")
    visible = lambda user: set(  # noqa: E731
        AuditEvent.objects.visible_to(user).values_list("summary", flat=True)
    )
    assert "Alder's private worry" in visible(cast.alice)
    assert "Alder's private worry" in visible(cast.oscar)
    assert "Alder's private worry" not in visible(cast.bob)
    assert "Alder's private worry" not in visible(cast.fiona)
    assert "Alder's private worry" not in visible(cast.olga)
    client.force_login(cast.bob)
    for url in (
        reverse("partnership_activity", args=[cast.partnership.pk]),
        reverse("partnership_detail", args=[cast.partnership.pk]),
        f"/api/v1/partnerships/{cast.partnership.pk}/audit-events",
    ):
        assert "private worry" not in client.get(url).content.decode(), url


def test_an_org_admin_sees_all_partnerships_of_the_organization(cast):
    head = MembershipFactory(organization=cast.org_b, role=Membership.Role.ADMIN).user
    assert cast.partnership in Partnership.objects.visible_to(head)
    plain = MembershipFactory(organization=cast.org_b, role=Membership.Role.MEMBER).user
    assert cast.partnership not in Partnership.objects.visible_to(plain)


def test_restricted_participant_lists_hide_other_parties_people(cast, client):
    cast.partnership.restrict_participant_lists = True
    cast.partnership.save()
    client.force_login(cast.bob)
    page = client.get(reverse("partnership_detail", args=[cast.partnership.pk])).content.decode()
    assert "Bea" in page
    assert "Fiona" in page  # the facilitator stays visible to every party
    assert "Amos" not in page
    api = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/participants").json()
    assert {p["organization"]["slug"] for p in api["items"]} == {"birch", "fennel"}


def test_a_missing_and_a_forbidden_partnership_look_the_same(cast, client):
    other = PartyFactory().partnership
    client.force_login(cast.alice)
    forbidden = client.get(reverse("partnership_detail", args=[other.pk]))
    missing = client.get(reverse("partnership_detail", args=[999_999]))
    assert forbidden.status_code == missing.status_code == 404
    api_forbidden = client.get(f"/api/v1/partnerships/{other.pk}")
    api_missing = client.get("/api/v1/partnerships/999999")
    assert (
        api_forbidden.json() == api_missing.json() == {"detail": "Not found.", "code": "not_found"}
    )
