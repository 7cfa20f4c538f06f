"""Spread is published only for groups of at least 2k (issue 10, item 8): with k = 3,
"sd 0.00 · n 3" would tell every reader what each respondent answered."""

import csv
import io

from django.urls import reverse

from accord.domain import trust as domain
from accord.trust import selectors
from accord.trust.tests.helpers import answered_round

WHY = "A group of fewer than 6 shows its mean and n only"


def small_and_large(cast):
    """Alder: 3 respondents who all answered 6 (a group of k); Birch: 6 respondents."""
    return answered_round(cast, {cast.org_a: 3, cast.org_b: 6}, value=6)


def test_a_group_below_twice_k_shows_mean_and_n_without_spread(cast):
    small_and_large(cast)
    results = selectors.partnership_trust(partnership=cast.partnership)
    for cell in results.cells:
        assert isinstance(cell, domain.Aggregate)
        small = cell.cell.rater == cast.party_a.pk
        assert cell.n == (3 if small else 6)
        assert cell.spread_shown is (not small)
        assert (cell.sd is None) is small
        if small:
            assert cell.alpha is None
        else:
            assert cell.sd == 0.0


def test_the_results_api_leaves_spread_empty_below_twice_k(cast, client):
    small_and_large(cast)
    client.force_login(cast.bob)
    data = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/trust/results").json()
    for cell in data["cells"]:
        small = cell["rater_party_id"] == cast.party_a.pk
        assert cell["published"] is True
        assert cell["spread_shown"] is (not small)
        assert (cell["sd"] is None) is small
        if small:
            assert (cell["n"], cell["alpha"]) == (3, None)


def test_the_csv_export_leaves_spread_empty_below_twice_k(cast, client):
    small_and_large(cast)
    client.force_login(cast.bob)
    response = client.get(reverse("trust:export", kwargs={"pk": cast.partnership.pk}))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    for row in rows:
        small = row["rater_party"] == "Alder Pharma"
        assert row["status"] == "published"
        assert (row["sd"] == "") is small
        assert (row["alpha"] == "") or not small


def test_the_pages_show_no_sd_below_twice_k_and_say_why(cast, client):
    survey = small_and_large(cast)
    client.force_login(cast.bob)
    for url in (
        reverse("trust:overview", kwargs={"pk": cast.partnership.pk}),
        reverse("trust:round_detail", kwargs={"pk": cast.partnership.pk, "round_id": survey.pk}),
    ):
        page = client.get(url).content.decode()
        assert page.count("sd 0.00 · n 6") == 3  # Birch's three forms
        assert "· n 3" not in page  # no spread beside Alder's n
        assert page.count('<small class="muted">n 3</small>') == 3
        assert WHY in page
