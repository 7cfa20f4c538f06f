"""Who may use each economics route. Readers (not the facilitator, who sees only what is
submitted to a process they run) see the ledgers and indices; contributors record; only the
recording organization changes its entries; alliance managers keep the rate table."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from accord.economics.models import InvestmentEntry, ValueEntry
from accord.testing.authz import api, web

LOGIN = 302
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)
CONTRIBUTORS = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)
OWNER_ONLY = dict(owner=200, partner=404, observer=404, facilitator=404, outsider=404)
MANAGERS = dict(owner=302, partner=302, observer=404, facilitator=404, outsider=404)
PREFIX = "/partnerships/{partnership_id}/economics"


def _past(days: int) -> str:
    return str(date.today() - timedelta(days=days))


def value_entry(cast, with_file=False):
    entry = ValueEntry(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        created_by=cast.alice,
        source="scale",
        beneficiary=cast.party_a,
        amount=Decimal(1000),
        currency="EUR",
        status="realized",
        period_start=date.today() - timedelta(days=90),
        period_end=date.today() - timedelta(days=1),
    )
    if with_file:
        entry.evidence_file.save("report.txt", ContentFile(b"evidence"), save=False)
    entry.save()
    return entry


def investment(cast):
    return InvestmentEntry.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        created_by=cast.alice,
        contributor=cast.party_a,
        kind="financial",
        amount=Decimal(5000),
        unit="EUR",
        planned_on=date.today() - timedelta(days=60),
        actual_on=date.today() - timedelta(days=50),
        specificity=Decimal("0.5"),
        recoverability=Decimal("0.2"),
    )


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def value_params(cast):
    return {"pk": cast.partnership.pk, "entry_id": value_entry(cast).pk}


def value_file_params(cast):
    return {"pk": cast.partnership.pk, "entry_id": value_entry(cast, with_file=True).pk}


def investment_params(cast):
    return {"pk": cast.partnership.pk, "entry_id": investment(cast).pk}


def api_value_params(cast):
    return {"partnership_id": cast.partnership.pk, "entry_id": value_entry(cast).pk}


def api_investment_params(cast):
    return {"partnership_id": cast.partnership.pk, "entry_id": investment(cast).pk}


def value_body(cast):
    return {
        "source": "knowledge_exchange",
        "beneficiary_party_id": cast.party_a.pk,
        "amount": "2500.50",
        "currency": "EUR",
        "status": "realized",
        "period_start": _past(60),
        "period_end": _past(30),
    }


def investment_body(cast):
    return {
        "contributor_party_id": cast.party_b.pk,
        "kind": "financial",
        "amount": "10000",
        "unit": "EUR",
        "planned_on": _past(40),
        "actual_on": _past(35),
        "specificity": "0.6",
        "recoverability": "0.1",
    }


EXPECTATIONS = [
    web("economics:overview", params=pk, anonymous=LOGIN, **READERS),
    web("economics:values", params=pk, anonymous=LOGIN, **READERS),
    web("economics:values_export", params=pk, anonymous=LOGIN, **READERS),
    web("economics:value_add", params=pk, anonymous=LOGIN, **CONTRIBUTORS),
    web("economics:value_detail", params=value_params, anonymous=LOGIN, **READERS),
    web("economics:value_edit", params=value_params, anonymous=LOGIN, **OWNER_ONLY),
    web(
        "economics:value_delete",
        method="POST",
        params=value_params,
        anonymous=LOGIN,
        **{**OWNER_ONLY, "owner": 302},
    ),
    web("economics:value_evidence", params=value_file_params, anonymous=LOGIN, **READERS),
    web("economics:investments", params=pk, anonymous=LOGIN, **READERS),
    web("economics:investments_export", params=pk, anonymous=LOGIN, **READERS),
    web("economics:investment_add", params=pk, anonymous=LOGIN, **CONTRIBUTORS),
    web("economics:investment_detail", params=investment_params, anonymous=LOGIN, **READERS),
    web("economics:investment_edit", params=investment_params, anonymous=LOGIN, **OWNER_ONLY),
    web(
        "economics:investment_delete",
        method="POST",
        params=investment_params,
        anonymous=LOGIN,
        **{**OWNER_ONLY, "owner": 302},
    ),
    web("economics:rates", params=pk, anonymous=LOGIN, **READERS),
    web(
        "economics:rate_set",
        method="POST",
        params=pk,
        data=lambda c: {"unit": "USD", "per_unit": "0.92"},
        anonymous=LOGIN,
        **MANAGERS,
    ),
    web(
        "economics:rate_delete",
        method="POST",
        params=pk,
        data=lambda c: {"unit": "USD"},
        anonymous=LOGIN,
        **MANAGERS,
    ),
    web(
        "economics:base_currency",
        method="POST",
        params=pk,
        data=lambda c: {"currency": "EUR"},
        anonymous=LOGIN,
        **MANAGERS,
    ),
    api("GET", f"{PREFIX}/value-entries", params=pid, **READERS),
    api(
        "POST",
        f"{PREFIX}/value-entries",
        params=pid,
        body=value_body,
        **{**CONTRIBUTORS, "owner": 201, "partner": 201},
    ),
    api("GET", f"{PREFIX}/value-entries/{{entry_id}}", params=api_value_params, **READERS),
    api(
        "PATCH",
        f"{PREFIX}/value-entries/{{entry_id}}",
        params=api_value_params,
        body=lambda c: {"amount": "1200"},
        **OWNER_ONLY,
    ),
    api(
        "DELETE",
        f"{PREFIX}/value-entries/{{entry_id}}",
        params=api_value_params,
        **{**OWNER_ONLY, "owner": 204},
    ),
    api("GET", f"{PREFIX}/investments", params=pid, **READERS),
    api(
        "POST",
        f"{PREFIX}/investments",
        params=pid,
        body=investment_body,
        **{**CONTRIBUTORS, "owner": 201, "partner": 201},
    ),
    api("GET", f"{PREFIX}/investments/{{entry_id}}", params=api_investment_params, **READERS),
    api(
        "PATCH",
        f"{PREFIX}/investments/{{entry_id}}",
        params=api_investment_params,
        body=lambda c: {"actual_on": None},
        **OWNER_ONLY,
    ),
    api(
        "DELETE",
        f"{PREFIX}/investments/{{entry_id}}",
        params=api_investment_params,
        **{**OWNER_ONLY, "owner": 204},
    ),
    api("GET", f"{PREFIX}/rates", params=pid, **READERS),
    api(
        "PUT",
        f"{PREFIX}/rates",
        params=pid,
        body=lambda c: {"unit": "FTE_MONTH", "per_unit": "14000"},
        **{**MANAGERS, "owner": 200, "partner": 200},
    ),
    api(
        "DELETE",
        f"{PREFIX}/rates/{{unit}}",
        params=lambda c: {"partnership_id": c.partnership.pk, "unit": "USD"},
        **{**MANAGERS, "owner": 200, "partner": 200},
    ),
    api("GET", f"{PREFIX}/indices", params=pid, **READERS),
]
