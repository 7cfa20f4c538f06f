from django.urls import reverse

from accord.culture import selectors, services
from accord.culture.models import BridgingPractice
from accord.culture.report import latin1
from accord.domain import culture as domain
from accord.trust.tests.helpers import answered_round


def culture_round(cast):
    """Alder is at 2 on every dimension, Birch at 6 on formality and 3 elsewhere, and both
    parties see each other (and themselves) exactly so."""

    def rated_value(party, construct):
        if party == cast.party_a:
            return 2
        return 6 if construct == "formality" else 3

    def value(party, item):
        return rated_value(party, item.construct)

    return answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=value, kind="culture")


def test_each_dimension_is_classified_by_the_stated_thresholds(cast):
    culture_round(cast)
    results = selectors.culture_results(partnership=cast.partnership)
    fits = {str(r.dimension): r.fit for r in results.readings}
    assert fits["formality"] is domain.Fit.FRICTION  # 4 apart where difference hurts
    assert fits["risk_tolerance"] is domain.Fit.ALIGNED  # 1 apart
    reading = next(r for r in results.readings if str(r.dimension) == "formality")
    assert (reading.self_a, reading.self_b, reading.distance) == (2, 6, 4)
    assert reading.gap_a_about_b == 0
    assert reading.gap_b_about_a == 0


def test_profiles_below_k_are_not_shown(cast, client):
    answered_round(cast, {cast.org_a: 3, cast.org_b: 2}, value=4, kind="culture")
    results = selectors.culture_results(partnership=cast.partnership)
    assert all(r.self_b is None and r.a_sees_b is not None for r in results.readings)
    client.force_login(cast.alice)
    page = client.get(
        reverse("culture:overview", kwargs={"pk": cast.partnership.pk})
    ).content.decode()
    assert "not enough responses" in page
    assert "not classified yet" in page


def test_the_overview_shows_profiles_side_by_side_with_rules(cast, client):
    culture_round(cast)
    client.force_login(cast.bob)
    page = client.get(
        reverse("culture:overview", kwargs={"pk": cast.partnership.pk})
    ).content.decode()
    assert 'class="chart"' in page
    assert "at most 1.0 points apart" in page
    assert "Minimum written record" in page  # a friction practice for formality


def test_the_due_diligence_report_exports_markdown_and_pdf(cast, client):
    culture_round(cast)
    client.force_login(cast.alice)
    kw = {"pk": cast.partnership.pk}
    md = client.get(reverse("culture:report_markdown", kwargs=kw))
    assert md["Content-Type"].startswith("text/markdown")
    text = md.content.decode()
    assert "# Cultural due diligence: Alder–Birch Alliance" in text
    assert "| Formality | 2.0 | 6.0 | 4.0 |" in text
    pdf = client.get(reverse("culture:report_pdf", kwargs=kw))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    page = client.get(reverse("culture:report", kwargs=kw)).content.decode()
    assert "Friction" in page
    assert "Download PDF" in page


def test_the_report_says_so_when_there_is_nothing_yet(cast, client):
    client.force_login(cast.alice)
    pdf = client.get(reverse("culture:report_pdf", kwargs={"pk": cast.partnership.pk}))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_pdf_text_is_cleaned_for_the_core_fonts():
    assert (
        latin1("Alder–Birch → “ok” ≥ 3 … Zürich α ŝ")
        == 'Alder-Birch -> "ok" >= 3 ... Zürich alpha s'
    )


def test_the_catalog_is_copied_on_first_edit_and_then_editable(cast, client):
    assert selectors.practice_catalog(partnership=cast.partnership) is domain.BRIDGING_PRACTICES
    practice = services.practice_save(
        user=cast.alice,
        partnership=cast.partnership,
        practice_id=None,
        dimension="formality",
        fit="friction",
        title="Shared glossary",
        description="Write down what 'approved' means on each side.",
    )
    total = sum(len(v) for v in domain.BRIDGING_PRACTICES.values())
    assert BridgingPractice.objects.filter(partnership=cast.partnership).count() == total + 1
    catalog = selectors.practice_catalog(partnership=cast.partnership)
    assert "Shared glossary" in [p.title for p in catalog[domain.Dimension.FORMALITY]]
    client.force_login(cast.bob)
    url = reverse(
        "culture:practice_remove", kwargs={"pk": cast.partnership.pk, "practice_id": practice.pk}
    )
    assert client.post(url).status_code == 302
    assert not BridgingPractice.objects.filter(pk=practice.pk).exists()


def test_aligned_differences_need_no_practice(cast, client):
    client.force_login(cast.alice)
    page = client.post(
        reverse("culture:practices", kwargs={"pk": cast.partnership.pk}),
        {"dimension": "formality", "fit": "aligned", "title": "x", "description": "y"},
    )
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


def test_observers_cannot_edit_the_catalog(cast, client):
    client.force_login(cast.oscar)
    response = client.post(
        reverse("culture:practices", kwargs={"pk": cast.partnership.pk}),
        {"dimension": "formality", "fit": "friction", "title": "x", "description": "y"},
    )
    assert response.status_code == 404


def test_the_api_reads_culture(cast, client):
    culture_round(cast)
    client.force_login(cast.alice)
    data = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/culture/readings").json()
    assert len(data["readings"]) == 6
    assert data["k"] == 3
    report = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/culture/report").json()
    assert report["pairs"][0]["sections"][2]["reading"]["fit"] == "friction"
