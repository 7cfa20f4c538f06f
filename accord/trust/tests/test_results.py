import pytest
from django.urls import reverse

from accord.domain import trust as domain
from accord.trust import evidence, selectors
from accord.trust.tests.helpers import answered_round


def test_a_round_shows_mean_sd_n_per_direction_and_form(cast, client):
    answered_round(
        cast,
        {cast.org_a: 3, cast.org_b: 3},
        value=lambda party, item: 6 if party == cast.party_b else 3,
    )
    results = selectors.partnership_trust(partnership=cast.partnership)
    cells = {(c.cell.rater, c.cell.form): c for c in results.cells}
    a_in_b = cells[(cast.party_a.pk, domain.TrustForm.GOODWILL)]
    # Alder answered 6 on every statement about Birch; reverse items score 8 - 6 = 2.
    assert a_in_b.n == 3
    assert a_in_b.mean == pytest.approx((6 * 3 + 2) / 4)
    client.force_login(cast.bob)
    page = client.get(
        reverse("trust:overview", kwargs={"pk": cast.partnership.pk})
    ).content.decode()
    assert "Alder Pharma → Birch Bio" in page
    assert "n 3" in page


def test_alpha_is_withheld_below_twice_k_respondents(cast):
    def noisy(party, item):
        # Items of a form disagree with each other: low internal consistency.
        return [1, 7, 2, 6, 3][item.position % 5] if party == cast.party_b else 5

    answered_round(cast, {cast.org_a: 6, cast.org_b: 5}, value=noisy)
    results = selectors.partnership_trust(partnership=cast.partnership)
    a_cells = [c for c in results.cells if c.cell.rater == cast.party_a.pk]
    b_cells = [c for c in results.cells if c.cell.rater == cast.party_b.pk]
    assert all(c.alpha is None for c in b_cells)  # n = 5 < 2k = 6
    assert all(c.n == 6 and c.spread_shown for c in a_cells)


def test_asymmetry_above_one_point_is_flagged(cast, client):
    answered_round(
        cast,
        {cast.org_a: 3, cast.org_b: 3},
        value=lambda party, item: (2 if item.reverse else 6) if party == cast.party_b else 4,
    )
    results = selectors.partnership_trust(partnership=cast.partnership)
    assert results.asymmetries
    assert all(g.flagged for g in results.asymmetries)
    assert all(abs(g.gap) == pytest.approx(2.0) for g in results.asymmetries)
    client.force_login(cast.alice)
    page = client.get(
        reverse("trust:overview", kwargs={"pk": cast.partnership.pk})
    ).content.decode()
    assert "asymmetric" in page
    assert "+2.00" in page


def test_trends_run_across_rounds(cast, client):
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=6, title="Q1")
    answered_round(
        cast, {cast.org_a: 3, cast.org_b: 3}, value=lambda p, i: 3 if i.reverse else 5, title="Q2"
    )
    results = selectors.partnership_trust(partnership=cast.partnership)
    goodwill = [t for t in results.trends if t.form is domain.TrustForm.GOODWILL]
    assert len(goodwill) == 2
    assert all(t.rounds == (1, 2) for t in goodwill)
    client.force_login(cast.alice)
    page = client.get(
        reverse("trust:overview", kwargs={"pk": cast.partnership.pk})
    ).content.decode()
    assert "Trend across rounds" in page
    assert 'class="chart"' in page


def test_the_stage_rules_say_no_evidence_yet_without_a_source(cast, client):
    client.force_login(cast.alice)
    page = client.get(reverse("trust:stage", kwargs={"pk": cast.partnership.pk})).content.decode()
    assert page.count("no evidence yet") >= 6
    assert "The partnership is at the <strong>assessment</strong> stage" in page


def test_a_later_capability_plugs_its_evidence_into_the_same_rules(cast, monkeypatch):
    monkeypatch.setitem(
        evidence.PROVIDERS,
        "accountability.commitments",
        lambda p: {"completed_small_exchanges": 3},
    )
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=lambda p, i: 2 if i.reverse else 6)
    judgement, collected = evidence.judge(cast.partnership)
    assert judgement.stage is domain.Stage.VERIFICATION
    assert collected.sources["completed_small_exchanges"] == "accountability.commitments"
    assert collected.sources["competence_trust"] == "trust.surveys"


def test_a_provider_cannot_invent_evidence_fields(cast, monkeypatch):
    monkeypatch.setitem(evidence.PROVIDERS, "bad", lambda p: {"vibes": 1})
    with pytest.raises(ValueError, match="vibes"):
        evidence.collect_evidence(cast.partnership)


def test_managers_set_the_stage_thresholds(cast, client):
    client.force_login(cast.alice)
    url = reverse("trust:stage_rules", kwargs={"pk": cast.partnership.pk})
    data = {f: v for f, v in domain.StageRules().__dict__.items()}
    data["min_small_exchanges"] = 1
    data["min_competence_trust"] = 9
    page = client.post(url, data)
    assert page.status_code == 200
    assert "not valid" in page.content.decode()
    data["min_competence_trust"] = 4.5
    assert client.post(url, data).status_code == 302
    assert selectors.stage_rules(partnership=cast.partnership).min_competence_trust == 4.5
