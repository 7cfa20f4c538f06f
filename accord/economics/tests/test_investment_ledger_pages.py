from decimal import Decimal

from django.urls import reverse
from django.utils.html import escape

from accord.domain import economics as domain
from accord.economics.models import InvestmentEntry
from accord.economics.tests.helpers import days_ago, investment, rates, today
from accord.economics.views.missing_rate import RATE_BELOW


def url(cast, name, **kwargs):
    return reverse(f"economics:{name}", kwargs={"pk": cast.partnership.pk, **kwargs})


def form_data(cast, **overrides):
    data = {
        "description": "Assay team",
        "contributor": cast.party_b.pk,
        "kind": "human",
        "amount": "36",
        "unit": "FTE_MONTH",
        "planned_on": str(days_ago(100)),
        "actual_on": str(days_ago(70)),
        "specificity": "0.6",
        "recoverability": "0",
        "visibility": "joint",
    }
    return {**data, **overrides}


def test_a_contribution_is_recorded_and_its_hostage_and_slippage_explained(cast, client):
    rates(cast)
    client.force_login(cast.bob)
    response = client.post(url(cast, "investment_add"), form_data(cast))
    entry = InvestmentEntry.objects.get()
    assert response.status_code == 302
    assert entry.owner_org == cast.org_b
    assert entry.unit == "FTE_MONTH"
    page = client.get(response.url).content.decode()
    # 36 FTE-months × €14,000 = €504k; × 0.6 specific × (1 − 0) unrecoverable = €302k
    assert "€504k" in page
    assert "€302k" in page
    assert "30 days late" in page


def test_bad_contributions_get_the_domain_rule_on_the_field(cast, client):
    rates(cast)
    client.force_login(cast.alice)
    cases = [
        ({"amount": "-1"}, domain.AMOUNT_NEGATIVE),
        ({"unit": "EUR"}, domain.UNIT_DOES_NOT_FIT_KIND),
        # A manager is asked for the missing rate in the same form (test_missing_rate.py).
        ({"kind": "financial", "unit": "XYZ"}, RATE_BELOW),
        ({"specificity": "1.5"}, domain.SPECIFICITY_OUT_OF_RANGE),
        ({"recoverability": "-0.1"}, domain.RECOVERABILITY_OUT_OF_RANGE),
        (
            {"actual_on": str(today().replace(year=today().year + 1))},
            domain.CONTRIBUTION_MADE_IN_FUTURE,
        ),
    ]
    for change, message in cases:
        response = client.post(url(cast, "investment_add"), form_data(cast, **change))
        assert response.status_code == 200, change
        assert escape(message) in response.content.decode(), change
    assert not InvestmentEntry.objects.exists()


def test_the_late_filter_lists_overdue_and_late_contributions(cast, client):
    investment(cast, description="On time")
    investment(cast, description="Made late", planned_on=days_ago(60), actual_on=days_ago(30))
    investment(cast, description="Overdue", planned_on=days_ago(10), actual_on=None)
    investment(
        cast,
        description="Next month",
        planned_on=today().replace(year=today().year + 1),
        actual_on=None,
    )
    client.force_login(cast.oscar)
    page = client.get(url(cast, "investments"), {"status": "late"}).content.decode()
    assert "Made late" in page
    assert "Overdue" in page
    assert "On time" not in page
    assert "Next month" not in page


def test_editing_keeps_the_rules_and_records_the_change(cast, client):
    entry = investment(cast)
    client.force_login(cast.alice)
    data = form_data(cast, contributor=cast.party_a.pk, kind="financial", unit="EUR", amount="7000")
    response = client.post(url(cast, "investment_edit", entry_id=entry.pk), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.amount == Decimal(7000)
    assert entry.specificity == Decimal("0.6")
    bad = client.post(url(cast, "investment_edit", entry_id=entry.pk), {**data, "specificity": "2"})
    assert domain.SPECIFICITY_OUT_OF_RANGE in bad.content.decode()


def test_internal_contributions_stay_with_their_organization(cast, client):
    investment(cast, description="Our internal attention cost", visibility="internal")
    client.force_login(cast.bob)
    assert "internal attention" not in client.get(url(cast, "investments")).content.decode()
    export = b"".join(client.get(url(cast, "investments_export")).streaming_content).decode()
    assert "internal attention" not in export
