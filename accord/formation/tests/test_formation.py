"""The formation playbook read from records: each item follows from the record that shows it,
the page and the API show it per party, and moving to active warns without blocking."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.accountability.models import ReviewCadence
from accord.accountability.tests.helpers import commitment
from accord.communication.models import Message, Thread
from accord.conflicts.models import Principle, TierOwner
from accord.formation.selectors import formation_facts, playbook
from accord.governance.models import CharterSignoff, DecisionDomain
from accord.partnerships.models import Partnership, Visibility
from accord.testing.factories import PartnershipFactory, PartyFactory
from accord.testing.queries import page_queries
from accord.trust.models import SurveyRound
from accord.trust.tests.helpers import instrument


def done(cast) -> dict[str, bool]:
    return {item.key: item.done for item in playbook(cast.partnership).items}


def post(cast, org, party, visibility=Visibility.JOINT) -> Message:
    thread = Thread.objects.create(
        partnership=cast.partnership, owner_org=org, title="Kick-off", visibility=visibility
    )
    return Message.objects.create(
        partnership=cast.partnership,
        owner_org=org,
        visibility=visibility,
        thread=thread,
        author_party=party,
        body="Our norms",
        body_html="<p>Our norms</p>",
    )


def closed_round(cast, kind: str, visibility=Visibility.JOINT) -> SurveyRound:
    now = timezone.now()
    return SurveyRound.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        visibility=visibility,
        instrument=instrument(kind),
        kind=kind,
        number=1,
        title="Baseline",
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=1),
    )


def everything(cast) -> None:
    for party in (cast.party_a, cast.party_b):
        CharterSignoff.objects.create(partnership=cast.partnership, party=party, charter_hash="v1")
    post(cast, cast.org_a, cast.party_a)
    post(cast, cast.org_b, cast.party_b)
    closed_round(cast, "culture")
    closed_round(cast, "trust")
    DecisionDomain.objects.create(
        partnership=cast.partnership, owner_org=cast.org_a, key="budget", label="Budget"
    )
    for org, user in ((cast.org_a, cast.alice), (cast.org_b, cast.bob)):
        TierOwner.objects.create(
            partnership=cast.partnership, tier="alliance_managers", organization=org, user=user
        )
    Principle.objects.create(
        partnership=cast.partnership, conflict_type="any", title="Talk first", text="Talk first."
    )
    ReviewCadence.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        name="Monthly JSC",
        frequency="monthly",
        starts_on=date(2026, 1, 5),
        time_of_day=time(9),
    )
    for side in ("a", "b"):
        commitment(cast, party=side, status="done", done_on=date(2026, 6, 1))


def test_a_new_partnership_has_only_its_notice_period_in_place(cast):
    assert done(cast) == {
        "rules_agreed": False,
        "notice_period": True,
        "information_shared": False,
        "culture_due_diligence": False,
        "governance_set": False,
        "review_cadences": False,
        "baseline_trust": False,
        "first_exchanges": False,
    }


def test_every_item_follows_from_its_record(cast):
    everything(cast)
    assert all(done(cast).values())


def test_a_charter_signed_by_one_party_only_names_the_other(cast):
    CharterSignoff.objects.create(
        partnership=cast.partnership, party=cast.party_a, charter_hash="v1"
    )
    item = next(i for i in playbook(cast.partnership).items if i.key == "rules_agreed")
    assert not item.done
    assert dict(item.parties) == {cast.org_a.name: True, cast.org_b.name: False}
    expected = f"Still to sign off the charter (the latest version signed): {cast.org_b.name}."
    assert item.missing == [expected]


def test_internal_records_of_one_party_do_not_count(cast):
    post(cast, cast.org_a, cast.party_a, visibility=Visibility.INTERNAL)
    closed_round(cast, "trust", visibility=Visibility.INTERNAL)
    facts = formation_facts([cast.partnership.pk])[cast.partnership.pk]
    assert facts.joint_posters == frozenset()
    assert not facts.trust_round_closed


def test_a_missed_first_commitment_keeps_exchanges_open(cast):
    commitment(cast, party="a", status="done", done_on=date(2026, 6, 1))
    commitment(cast, party="b", status="missed", missed_on=date(2026, 7, 1))
    item = next(i for i in playbook(cast.partnership).items if i.key == "first_exchanges")
    assert dict(item.parties) == {cast.org_a.name: True, cast.org_b.name: False}


def test_an_ended_cadence_and_a_zero_notice_period_do_not_count(cast):
    everything(cast)
    ReviewCadence.objects.update(ended_on=date(2026, 2, 1))
    Partnership.objects.filter(pk=cast.partnership.pk).update(notice_lead_days=0)
    cast.partnership.refresh_from_db()
    state = done(cast)
    assert (state["review_cadences"], state["notice_period"]) == (False, False)


def test_dates_times_and_versions_compare_as_the_records_say(cast):
    """The facts are plain SQL: dates and times compare as stored (text on SQLite)."""
    today, now = timezone.localdate(), timezone.now()
    everything(cast)
    ReviewCadence.objects.update(ended_on=today)
    commitment(cast, party="a", status="done", due_on=today, done_on=today + timedelta(days=1))
    CharterSignoff.objects.filter(party=cast.party_b).update(
        charter_hash="v2", signed_at=now + timedelta(seconds=1)
    )
    SurveyRound.objects.filter(kind="trust").update(closes_at=now + timedelta(minutes=1))
    facts = formation_facts([cast.partnership.pk])[cast.partnership.pk]
    assert facts.review_cadences == 0  # ended today
    assert facts.late_or_missed == {cast.party_a.pk: 1, cast.party_b.pk: 0}
    assert facts.on_time == {cast.party_a.pk: 1, cast.party_b.pk: 1}
    assert facts.charter_latest == "v2"
    assert facts.charter_signoffs == {cast.party_a.pk: "v1", cast.party_b.pk: "v2"}
    assert (facts.trust_round_closed, facts.culture_round_closed) == (False, True)
    ReviewCadence.objects.update(ended_on=today + timedelta(days=1))
    assert formation_facts([cast.partnership.pk])[cast.partnership.pk].review_cadences == 1
    assert formation_facts([]) == {}


def test_facts_for_many_partnerships_take_a_constant_number_of_queries(cast):
    everything(cast)
    few = [cast.partnership.pk]
    with CaptureQueriesContext(connection) as one:
        formation_facts(few)
    many = few + [PartyFactory(partnership=PartnershipFactory()).partnership_id for _ in range(6)]
    with CaptureQueriesContext(connection) as seven:
        facts = formation_facts(many)
    assert len(seven.captured_queries) == len(one.captured_queries)
    assert facts[many[1]].decision_domains == 0
    assert facts[few[0]].decision_domains == 1


def test_the_page_shows_progress_per_party_and_links_to_what_is_missing(cast, client):
    CharterSignoff.objects.create(
        partnership=cast.partnership, party=cast.party_a, charter_hash="v1"
    )
    client.force_login(cast.bob)
    page = client.get(reverse("formation:overview", kwargs={"pk": cast.partnership.pk}))
    assert page.status_code == 200
    book = page.context["book"]
    assert [(p.name, p.done, p.mine) for p in book.progress] == [
        (cast.org_b.name, 1, True),
        (cast.org_a.name, 2, False),
    ]
    charter = reverse("governance:charter", kwargs={"pk": cast.partnership.pk})
    assert f'href="{charter}"' in page.content.decode()


def test_a_member_is_sent_to_the_settings_page_not_the_edit_form(cast):
    Partnership.objects.filter(pk=cast.partnership.pk).update(notice_lead_days=0)
    cast.partnership.refresh_from_db()
    book = playbook(cast.partnership, can_manage=False)
    notice = next(i for i in book.items if i.key == "notice_period")
    assert notice.link == reverse("partnership_detail", kwargs={"pk": cast.partnership.pk})


@pytest.fixture
def forming(cast):
    Partnership.objects.filter(pk=cast.partnership.pk).update(status="forming")
    cast.partnership.refresh_from_db()
    return cast


def test_the_api_gives_the_checklist(forming, client):
    client.force_login(forming.alice)
    body = client.get(f"/api/v1/partnerships/{forming.partnership.pk}/formation").json()
    assert body["forming"] is True
    assert body["open_items"] == 7
    assert [i["key"] for i in body["items"] if i["done"]] == ["notice_period"]


def test_moving_to_active_through_the_api_warns_and_saves(forming, client):
    client.force_login(forming.alice)
    url = f"/api/v1/partnerships/{forming.partnership.pk}"
    body = client.patch(url, {"status": "active"}, content_type="application/json").json()
    assert body["status"] == "active"
    assert len(body["warnings"]) == 7
    assert body["warnings"][0].startswith("Formation item still open: Rules agreed")
    forming.partnership.refresh_from_db()
    assert forming.partnership.status == "active"


def test_moving_to_active_with_everything_done_has_no_warning(forming, client):
    everything(forming)
    client.force_login(forming.alice)
    url = f"/api/v1/partnerships/{forming.partnership.pk}"
    body = client.patch(url, {"status": "active"}, content_type="application/json").json()
    assert (body["status"], body["warnings"]) == ("active", [])


def test_other_changes_never_warn(forming, client):
    client.force_login(forming.alice)
    url = f"/api/v1/partnerships/{forming.partnership.pk}"
    body = client.patch(url, {"name": "Renamed"}, content_type="application/json").json()
    assert body["warnings"] == []


def test_moving_to_active_on_the_edit_page_warns_and_saves(forming, client):
    from accord.partnerships.forms import PartnershipForm

    client.force_login(forming.alice)
    form = PartnershipForm(instance=forming.partnership)
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["status"] = "active"
    if isinstance(data.get("escalation_windows"), dict):
        data.pop("escalation_windows")
    response = client.post(
        reverse("partnership_edit", kwargs={"pk": forming.partnership.pk}), data, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert "Changes saved." in shown
    assert sum(m.startswith("Formation item still open:") for m in shown) == 7
    forming.partnership.refresh_from_db()
    assert forming.partnership.status == "active"


def test_the_page_costs_the_same_queries_for_few_or_many_records_and_parties(
    cast, client, django_assert_max_num_queries
):
    everything(cast)
    url = reverse("formation:overview", kwargs={"pk": cast.partnership.pk})
    client.force_login(cast.bob)
    few = page_queries(client, url)
    third = PartyFactory(partnership=cast.partnership)
    for n in range(3):
        post(cast, cast.org_a, cast.party_a)
        post(cast, third.organization, third)
        commitment(cast, party="b", status="missed", missed_on=date(2026, 7, n + 1))
        CharterSignoff.objects.create(
            partnership=cast.partnership, party=third, charter_hash=f"v{n + 2}"
        )
    with django_assert_max_num_queries(few):
        page = client.get(url)
    assert [p.name for p in page.context["book"].progress][-1] == third.organization.name
    assert few <= 12
