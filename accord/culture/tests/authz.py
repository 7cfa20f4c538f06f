from accord.culture.models import BridgingPractice
from accord.testing.authz import api, web

LOGIN = 302

MANAGERS = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)
REDIRECT_MANAGERS = {**MANAGERS, "owner": 302, "partner": 302}


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def practice_params(cast):
    practice = BridgingPractice.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        created_by=cast.alice,
        dimension="formality",
        fit="friction",
        title="Minimum written record",
        description="Agree which decisions are written down.",
    )
    return {"pk": cast.partnership.pk, "practice_id": practice.pk}


EXPECTATIONS = [
    web("culture:overview", params=pk, anonymous=LOGIN, **READERS),
    web("culture:report", params=pk, anonymous=LOGIN, **READERS),
    web("culture:report_markdown", params=pk, anonymous=LOGIN, **READERS),
    web("culture:report_pdf", params=pk, anonymous=LOGIN, **READERS),
    web("culture:practices", params=pk, anonymous=LOGIN, **READERS),
    web(
        "culture:catalog_customize",
        method="POST",
        params=pk,
        anonymous=LOGIN,
        **REDIRECT_MANAGERS,
    ),
    web("culture:practice_edit", params=practice_params, anonymous=LOGIN, **MANAGERS),
    web(
        "culture:practice_remove",
        method="POST",
        params=practice_params,
        anonymous=LOGIN,
        **REDIRECT_MANAGERS,
    ),
    api("GET", "/partnerships/{partnership_id}/culture/readings", params=pid, **READERS),
    api("GET", "/partnerships/{partnership_id}/culture/report", params=pid, **READERS),
    api("GET", "/partnerships/{partnership_id}/culture/practices", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/culture/practices",
        params=pid,
        body=lambda c: {
            "dimension": "formality",
            "fit": "friction",
            "title": "Shared glossary",
            "description": "Write down what each side means by 'approved'.",
        },
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
]
