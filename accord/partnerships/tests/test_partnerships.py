from django.urls import reverse

from accord.partnerships.audit import AuditEvent
from accord.partnerships.models import Participant, Partnership

VALID = {
    "name": "Cedar Data Alliance",
    "purpose": "Share registry data.",
    "continuum_stage": "coordinated",
    "status": "forming",
    "start_date": "2026-01-01",
    "end_date": "2028-12-31",
    "anonymity_k": "4",
    "notice_lead_days": "45",
    "window_operational_leads": "7",
    "window_alliance_managers": "10",
    "window_executive_sponsors": "20",
    "window_neutral_facilitation": "30",
}


def test_creating_a_partnership_makes_my_organization_a_party_and_me_its_manager(cast, client):
    client.force_login(cast.alice)
    response = client.post(reverse("partnership_create"), VALID)
    partnership = Partnership.objects.get(name="Cedar Data Alliance")
    assert response.url == reverse("partnership_detail", args=[partnership.pk])
    assert list(partnership.parties.values_list("organization__name", flat=True)) == [
        "Alder Pharma"
    ]
    me = Participant.objects.get(partnership=partnership, user=cast.alice)
    assert me.role == Participant.Role.ALLIANCE_MANAGER
    assert partnership.escalation_windows["operational_leads"] == 7


def test_it_refuses_an_anonymity_threshold_below_three(cast, client):
    client.force_login(cast.alice)
    response = client.post(reverse("partnership_create"), {**VALID, "anonymity_k": "2"})
    assert response.status_code == 200
    assert "at least 3" in response.content.decode()
    assert not Partnership.objects.filter(name="Cedar Data Alliance").exists()


def test_it_refuses_an_end_date_before_the_start(cast, client):
    client.force_login(cast.alice)
    response = client.post(reverse("partnership_create"), {**VALID, "end_date": "2025-01-01"})
    assert response.status_code == 200
    assert "must not be before the start date" in response.content.decode()


def test_every_edit_shows_in_the_activity_history(cast, client):
    client.force_login(cast.bob)
    data = {**VALID, "name": cast.partnership.name, "notice_lead_days": "60"}
    assert (
        client.post(reverse("partnership_edit", args=[cast.partnership.pk]), data).status_code
        == 302
    )
    event = AuditEvent.objects.filter(partnership=cast.partnership).first()
    assert event.action == "partnership.update"
    assert event.changes["notice_lead_days"] == [30, 60]
    assert event.actor == cast.bob
    client.force_login(cast.alice)
    page = client.get(reverse("partnership_activity", args=[cast.partnership.pk])).content.decode()
    assert "changed" in page
    assert "30 → 60" in page


def test_saving_without_changes_records_nothing(cast, client):
    client.force_login(cast.alice)
    url = reverse("partnership_edit", args=[cast.partnership.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({f.html_name: f.value() for f in form if f.value() is not None})
    data.pop("restrict_participant_lists", None)
    client.post(url, data)
    assert not AuditEvent.objects.filter(
        partnership=cast.partnership, action="partnership.update"
    ).exists()


def test_my_partnerships_lists_only_mine(cast, client):
    client.force_login(cast.olga)
    assert cast.partnership.name not in client.get(reverse("partnership_list")).content.decode()
    client.force_login(cast.bea)
    assert cast.partnership.name in client.get(reverse("partnership_list")).content.decode()
