"""A culture questionnaire may have several statements on one dimension: each person's answers
on it are averaged, and the Culture tab, the readings API and the report show the result (they
answered 500 with "rates party 1 on formality twice" before)."""

import pytest
from django.urls import reverse

from accord.trust.models import Item
from accord.trust.tests.helpers import answered_round, instrument


@pytest.fixture
def two_formality_statements(cast):
    """The culture questionnaire gains a second formality statement; Alder answers 2 and 4 to
    the two (a mean of 3), Birch 6 and 6; every other dimension stays at 4 on both sides."""
    questionnaire = instrument("culture")
    last = questionnaire.items.order_by("-position").first()
    Item.objects.create(
        instrument=questionnaire,
        position=last.position + 1,
        key="formality-written-record",
        text="{partner} wants decisions written down before acting on them.",
        construct="formality",
    )

    def value(party, item):
        if item.construct != "formality":
            return 4
        if party == cast.party_b:
            return 6
        return 4 if item.key == "formality-written-record" else 2

    return answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=value, kind="culture")


def test_the_culture_tab_shows_the_averaged_dimension(cast, client, two_formality_statements):
    client.force_login(cast.alice)
    response = client.get(reverse("culture:overview", kwargs={"pk": cast.partnership.pk}))
    assert response.status_code == 200
    assert "Formality" in response.content.decode()


def test_the_readings_api_averages_the_statements(cast, client, two_formality_statements):
    client.force_login(cast.bob)
    response = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/culture/readings")
    assert response.status_code == 200, response.content[:300]
    readings = {r["dimension"]: r for r in response.json()["readings"]}
    formality = readings["formality"]
    assert (formality["self_a"], formality["self_b"], formality["distance"]) == (3.0, 6.0, 3.0)
    assert readings["risk_tolerance"]["distance"] == 0.0


def test_the_report_reads_the_averaged_dimension(cast, client, two_formality_statements):
    client.force_login(cast.alice)
    kw = {"pk": cast.partnership.pk}
    markdown = client.get(reverse("culture:report_markdown", kwargs=kw))
    assert markdown.status_code == 200
    row = "| Formality | 3.0 | 6.0 | 3.0 | 6.0 (+0.0) | 3.0 (+0.0) | friction |"
    assert row in markdown.content.decode().splitlines()
    assert client.get(reverse("culture:report", kwargs=kw)).status_code == 200
    assert client.get(reverse("culture:report_pdf", kwargs=kw)).status_code == 200
    api = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/culture/report")
    assert api.status_code == 200
