"""The k a round promised its respondents holds for that round, whatever the partnership's k
becomes later (issue 10, item 2): raise k to 5, run a round, close it with a group of 4, lower
k to 3 — the group of 4 stays withheld on every route that shows results."""

import csv
import io

import pytest
from django.urls import reverse

from accord.culture import selectors as culture_selectors
from accord.domain import trust as domain
from accord.trust import presenters, selectors
from accord.trust.models import SurveyRound
from accord.trust.tests.helpers import answered_round, open_round


def set_k(cast, client, k: int) -> None:
    """Change the partnership's k the way an alliance manager does, through the API."""
    client.force_login(cast.alice)
    response = client.patch(
        f"/api/v1/partnerships/{cast.partnership.pk}",
        {"anonymity_k": k},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    cast.partnership.refresh_from_db()
    assert cast.partnership.anonymity_k == k


@pytest.fixture
def promised_five(cast, client):
    """A closed trust round run at k = 5: Alder's 4 respondents withheld, Birch's 5 shown;
    afterwards the partnership's k is lowered to 3."""
    set_k(cast, client, 5)
    survey = answered_round(cast, {cast.org_a: 4, cast.org_b: 5}, value=6)
    set_k(cast, client, 3)
    return survey


def test_a_round_keeps_the_k_its_invitations_promised(cast, client, promised_five):
    assert promised_five.anonymity_k == 5
    assert SurveyRound.objects.get(pk=promised_five.pk).threshold() == 5


def test_lowering_k_does_not_publish_a_group_withheld_by_its_round(cast, promised_five):
    results = selectors.partnership_trust(partnership=cast.partnership)
    by_rater = {}
    for cell in results.cells:
        by_rater.setdefault(cell.cell.rater, []).append(cell)
    assert all(isinstance(c, domain.BelowThreshold) for c in by_rater[cast.party_a.pk])
    assert all(c.k == 5 for c in by_rater[cast.party_a.pk])
    assert all(isinstance(c, domain.Aggregate) for c in by_rater[cast.party_b.pk])


def test_the_results_api_keeps_the_group_of_four_withheld(cast, client, promised_five):
    client.force_login(cast.bob)
    data = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/trust/results").json()
    alder = [c for c in data["cells"] if c["rater_party_id"] == cast.party_a.pk]
    birch = [c for c in data["cells"] if c["rater_party_id"] == cast.party_b.pk]
    assert len(alder) == 3
    assert all(c["published"] is False and c["mean"] is None for c in alder)
    assert all(c["n"] is None and c["k"] == 5 for c in alder)
    assert all(c["published"] is True and c["n"] == 5 for c in birch)
    rounds = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/surveys/rounds").json()
    assert [r["anonymity_k"] for r in rounds["items"]] == [5]


def test_the_csv_export_keeps_the_group_of_four_withheld(cast, client, promised_five):
    client.force_login(cast.bob)
    response = client.get(reverse("trust:export", kwargs={"pk": cast.partnership.pk}))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    alder = [r for r in rows if r["rater_party"] == "Alder Pharma"]
    assert len(alder) == 3
    assert all(r["status"] == "not enough responses" and r["mean"] == "" for r in alder)


def test_the_pages_and_charts_keep_the_group_of_four_withheld(cast, client, promised_five):
    client.force_login(cast.bob)
    results = selectors.partnership_trust(partnership=cast.partnership)
    rows = presenters.direction_rows(results, promised_five.number)
    alder = next(r for r in rows if r.rater == cast.party_a.pk)
    assert [c.published for c in alder.cells] == [False, False, False]
    # The chart of Alder → Birch has no point at all: every series is a gap.
    (chart,) = [c for c in presenters.direction_charts(results) if c["title"].startswith("Alder")]
    assert "Competence –; Contractual –; Goodwill –" in chart["chart"].alt
    for name in ("trust:overview", "trust:round_detail"):
        kwargs = {"pk": cast.partnership.pk}
        if name == "trust:round_detail":
            kwargs["round_id"] = promised_five.pk
        page = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert page.count("not enough responses") >= 3
        assert "fewer than 5 respondents" in page


def test_a_culture_round_keeps_its_k_too(cast, client):
    set_k(cast, client, 5)
    answered_round(cast, {cast.org_a: 5, cast.org_b: 4}, value=4, kind="culture")
    set_k(cast, client, 3)
    results = culture_selectors.culture_results(partnership=cast.partnership)
    assert all(r.self_b is None and r.self_a is not None for r in results.readings)
    data = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/culture/readings").json()
    assert data["k"] == 5
    assert all(r["self_b"] is None for r in data["readings"])


def test_a_round_opening_takes_the_partnerships_k_of_that_moment(cast, client):
    set_k(cast, client, 4)
    survey = open_round(cast)
    assert survey.anonymity_k == 4
    set_k(cast, client, 6)
    survey.refresh_from_db()
    assert (survey.anonymity_k, survey.threshold()) == (4, 6)  # raising always applies
