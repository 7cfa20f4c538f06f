"""A round of an own instrument: answered anonymously through the usual page, scored per
construct and category with bands per direction, withheld below k on every route (page, CSV,
API), and trended across rounds (issue 15)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.trust import services
from accord.trust.instrument_answers import instrument_response_submit
from accord.trust.models import Invitee, Response
from accord.trust.tests.helpers import staff
from accord.trust.tests.instrument_helpers import own_instrument

# Alder's three people about Birch (open.1, open.2 reversed, rel.1, val.1, val.2):
ALDER = [
    {"open.1": 4, "open.2": 1, "rel.1": 3, "val.1": 2, "val.2": 0},
    {"open.1": 3, "open.2": 2, "rel.1": 3, "val.1": 3, "val.2": 3},
    {"open.1": 2, "open.2": 2, "rel.1": 2, "val.1": 4, "val.2": 4},
]


def closed_round(cast, title="Q1 pulse", alder=ALDER, birch_people=2):
    staff(cast, cast.org_a, 3)
    staff(cast, cast.org_b, birch_people)
    now = timezone.now()
    survey = services.round_create(
        user=cast.alice,
        partnership=cast.partnership,
        instrument=own_instrument(cast) if not title.startswith("Q2") else _latest(cast),
        title=title,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=3),
    )
    invitees = Invitee.objects.filter(round=survey).select_related("party", "round")
    alder_people = [i for i in invitees if i.party_id == cast.party_a.pk][:3]
    for invitee, answers in zip(alder_people, alder, strict=True):
        instrument_response_submit(
            invitee=invitee,
            answers={cast.party_b.pk: answers, 0: {k: 3 for k in answers}},
        )
    for invitee in [i for i in invitees if i.party_id == cast.party_b.pk][:birch_people]:
        row = {"open.1": 1, "open.2": 4, "rel.1": 1, "val.1": 1, "val.2": 1}
        instrument_response_submit(invitee=invitee, answers={cast.party_a.pk: row, 0: row})
    services.round_close(user=cast.alice, survey=survey)
    return survey


def _latest(cast):
    from accord.trust.models import Instrument

    return Instrument.objects.filter(partnership=cast.partnership, key="pulse").latest("version")


def api_results(client, user, cast):
    client.force_login(user)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/surveys/instruments/pulse/results"
    response = client.get(url)
    assert response.status_code == 200
    return response.json()


def test_constructs_and_categories_read_the_hand_computed_means_and_bands(cast, client):
    closed_round(cast)
    results = api_results(client, cast.bob, cast)
    alder = {
        c["construct_key"]: (c["n"], c["mean"], c["band"])
        for c in results["constructs"]
        if c["rater_party_id"] == cast.party_a.pk and c["rated_party_id"] == cast.party_b.pk
    }
    # openness: persons (4+4)/2, (3+3)/2, (2+3)/2 → 4, 3, 2.5 → 9.5/3; reliability 8/3;
    # value: person 1 answered only val.1 (val.2 "does not apply") → 2, 3, 4 → 3.
    assert alder["openness"] == (3, pytest.approx(9.5 / 3), "strength")
    assert alder["reliability"] == (3, pytest.approx(8 / 3), "borderline")
    assert alder["value"] == (3, 3.0, "strength")
    categories = {
        c["category"]: (c["constructs_shown"], c["mean"], c["band"])
        for c in results["categories"]
        if c["rater_party_id"] == cast.party_a.pk and c["rated_party_id"] == cast.party_b.pk
    }
    assert categories["relationship"] == (2, pytest.approx(17.5 / 6), "borderline")
    # About the partnership every answer was 3; open.2 is reversed (3 scores 2): (3 + 2) / 2.
    whole = {
        c["construct_key"]: c["mean"]
        for c in results["constructs"]
        if c["rated_party_id"] is None and c["rater_party_id"] == cast.party_a.pk
    }
    assert whole == {"openness": 2.5, "reliability": 3.0, "value": 3.0}


def test_a_party_with_fewer_than_k_respondents_is_withheld_on_every_route(cast, client):
    survey = closed_round(cast)
    results = api_results(client, cast.alice, cast)
    birch = [c for c in results["constructs"] if c["rater_party_id"] == cast.party_b.pk]
    assert birch
    assert all((c["published"], c["n"], c["mean"], c["band"]) == (False, None, None, None)
               for c in birch)  # fmt: skip
    kw = {"pk": cast.partnership.pk, "key": "pulse"}
    exported = client.get(reverse("trust:own_results_csv", kwargs=kw)).content.decode()
    birch_rows = [line for line in exported.splitlines() if line.split(",")[2].startswith("Birch")]
    assert birch_rows
    assert all(",construct," not in row or ",,fewer than k answered," in row for row in birch_rows)
    page = client.get(reverse("trust:own_detail", kwargs=kw))
    assert page.status_code == 200
    assert "withheld" in page.content.decode()
    round_page = client.get(
        reverse("trust:round_detail", kwargs={"pk": cast.partnership.pk, "round_id": survey.pk})
    )
    assert round_page.status_code == 200
    # Nothing stored names a person: answers are rows of parties and values only.
    assert {f.name for f in Response._meta.get_fields()} == {
        "id",
        "round",
        "rater_party",
        "rated_party",
        "values",
    }


def test_the_answer_page_offers_the_labelled_scale_and_does_not_apply(cast, client):
    staff(cast, cast.org_a, 3)
    now = timezone.now()
    survey = services.round_create(
        user=cast.alice,
        partnership=cast.partnership,
        instrument=own_instrument(cast),
        title="Pulse",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=3),
    )
    client.force_login(cast.alice)
    page = client.get(
        reverse("trust:respond", kwargs={"pk": cast.partnership.pk, "round_id": survey.pk})
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Rather disagree" in text
    assert "Does not apply" in text
    assert f"About the partnership {cast.partnership.name} as a whole" in text
    assert f"{cast.partnership.name} creates value for us." in text
