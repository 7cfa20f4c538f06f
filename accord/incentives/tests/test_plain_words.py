"""The analysis page explains every technical term where it stands, and labels its two
cooperation figures for the same tit-for-tat pair with the span each averages over."""

from __future__ import annotations

import html

import numpy as np
import pytest
from django.urls import reverse

from accord.domain import games
from accord.incentives.glossary import STRATEGIES, TERMS
from accord.incentives.tests.helpers import make_model

pytestmark = pytest.mark.django_db


def analysis_page(client, cast, model):
    url = reverse("incentives:analysis", kwargs={"pk": cast.partnership.pk, "model_id": model.pk})
    return client.get(url)


def test_every_term_and_strategy_is_explained_on_the_page(cast, client):
    client.force_login(cast.bob)
    text = html.unescape(analysis_page(client, cast, make_model(cast)).content.decode())
    missing = [key for key, sentence in TERMS.items() if sentence not in text]
    assert missing == []
    assert [s.label for s, sentence in STRATEGIES.items() if sentence not in text] == []


@pytest.mark.parametrize(
    ("horizon_days", "page_reviews", "horizon_reviews"),
    [(910, 20, 10), (91 * 300, 200, 300)],  # a short horizon played longer; a long one capped
)
def test_the_two_tit_for_tat_figures_are_labelled_with_their_span(
    cast, client, horizon_days, page_reviews, horizon_reviews
):
    model = make_model(cast, horizon_days=horizon_days)
    client.force_login(cast.alice)
    response = analysis_page(client, cast, model)
    analysis, whatif = response.context["analysis"], response.context["whatif"]
    both = analysis.reconciled
    assert (both.page_reviews, both.horizon_reviews) == (page_reviews, horizon_reviews)
    tft = next(r for r in analysis.rows if r.strategy == games.Strategy.TIT_FOR_TAT)
    # The page's figure is the table's exact expectation; the horizon's is the What-if figure.
    assert both.page_share == pytest.approx(np.mean(tft.expected_cooperation))
    assert both.horizon_share == pytest.approx(whatif.rows[0].pair_cooperation)
    assert both.page_share != pytest.approx(both.horizon_share, abs=0.005)
    text = html.unescape(response.content.decode())
    page_pct = f"{100 * both.page_share:.0f}%"
    horizon_pct = f"{100 * both.horizon_share:.0f}%"
    assert (
        f"{page_pct} averaged over the {page_reviews} reviews played on this page, "
        f"{horizon_pct} over the {horizon_reviews} reviews the horizon holds" in text
    )
    assert f"Contributes over {page_reviews} reviews, simulated" in text
    assert f"Chosen pair contributes over the horizon ({horizon_reviews} reviews)" in text
