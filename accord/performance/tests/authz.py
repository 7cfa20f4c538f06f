"""Every performance route × every persona.

Reading (scorecard, metrics, series) needs the READ right: the neutral facilitator gets 404.
Defining metrics needs MANAGE; recording values and creating actions need CONTRIBUTE. An
internal metric of Alder (party A) answers 404 to Birch's Bob, also where he has the right.
"""

from datetime import date

from accord.partnerships.models import Visibility
from accord.performance.models import Metric, Observation
from accord.testing.authz import api, everyone, web

LOGIN = 302
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)
MANAGERS = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)


def metric(cast, *, internal=False, code=None):
    made = Metric.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        visibility=Visibility.INTERNAL if internal else Visibility.JOINT,
        created_by=cast.alice,
        code=code or ("secret-margin" if internal else "otif"),
        name="Internal margin" if internal else "On-time in full",
        category="financial" if internal else "operational",
        unit="%",
        direction="higher",
        target=95,
        amber_threshold=90,
        red_threshold=80,
        owner_party=cast.party_a,
    )
    Observation.objects.create(metric=made, period=date(2026, 1, 1), value=91)
    return made


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def joint(cast):
    return {"pk": cast.partnership.pk, "metric_id": metric(cast).pk}


def internal(cast):
    return {"pk": cast.partnership.pk, "metric_id": metric(cast, internal=True).pk}


def joint_value(cast):
    return {**joint(cast), "period": "2026-01-01"}


def api_joint(cast):
    return {"partnership_id": cast.partnership.pk, "metric_id": metric(cast).pk}


def api_internal(cast):
    return {"partnership_id": cast.partnership.pk, "metric_id": metric(cast, internal=True).pk}


def new_metric(cast):
    return {
        "code": "new-metric",
        "name": "New metric",
        "category": "market",
        "direction": "lower",
        "target": 10,
        "amber_threshold": 12,
        "red_threshold": 15,
        "owner_party_id": cast.party_a.pk,
    }


def bulk(cast):
    metric(cast)
    return [{"metric": "otif", "period": "2026-02", "value": 93}]


EXPECTATIONS = [
    web("performance:observations_export", params=pk, anonymous=LOGIN, **READERS),
    web("performance:overview", params=pk, anonymous=LOGIN, **READERS),
    web("performance:scorecard_export", params=pk, anonymous=LOGIN, **READERS),
    web("performance:metrics", params=pk, anonymous=LOGIN, **READERS),
    web("performance:metric_create", params=pk, anonymous=LOGIN, **MANAGERS),
    web(
        "performance:catalog_adopt",
        method="POST",
        params=lambda c: {"pk": c.partnership.pk, "key": "on-time-delivery"},
        data=lambda c: {"owner_party": c.party_a.pk, "visibility": "joint"},
        anonymous=LOGIN,
        **{**MANAGERS, "owner": 302, "partner": 302},
    ),
    # Internal to Alder: Bob (Birch) gets 404; Alder's observer Oscar may read it.
    web(
        "performance:metric_detail", params=internal, anonymous=LOGIN, **{**READERS, "partner": 404}
    ),
    web("performance:metric_edit", params=joint, anonymous=LOGIN, **MANAGERS),
    web(
        "performance:metric_delete",
        method="POST",
        params=joint,
        anonymous=LOGIN,
        **{**MANAGERS, "owner": 302, "partner": 302},
    ),
    web(
        "performance:action_create",
        params=internal,
        anonymous=LOGIN,
        **{**MANAGERS, "partner": 404},
    ),
    web(
        "performance:observation_delete",
        method="POST",
        params=joint_value,
        anonymous=LOGIN,
        **{**MANAGERS, "owner": 302, "partner": 302},
    ),
    api("GET", "/performance/catalog", **everyone(200, anonymous=401)),
    api("GET", "/partnerships/{partnership_id}/metrics", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/metrics",
        params=pid,
        body=new_metric,
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/metrics/adopt",
        params=pid,
        body=lambda c: {"key": "joint-revenue", "owner_party_id": c.party_b.pk},
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/metrics/{metric_id}",
        params=api_internal,
        **{**READERS, "partner": 404},
    ),
    api(
        "PATCH",
        "/partnerships/{partnership_id}/metrics/{metric_id}",
        params=api_joint,
        body=lambda c: {"name": "OTIF"},
        **MANAGERS,
    ),
    api(
        "DELETE",
        "/partnerships/{partnership_id}/metrics/{metric_id}",
        params=api_joint,
        **{**MANAGERS, "owner": 204, "partner": 204},
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/metrics/{metric_id}/observations",
        params=api_joint,
        **READERS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/metrics/{metric_id}/observations",
        params=api_joint,
        body=lambda c: {"period": "2026-02", "value": 94},
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
    api(
        "DELETE",
        "/partnerships/{partnership_id}/metrics/{metric_id}/observations/{period}",
        params=lambda c: {**api_joint(c), "period": "2026-01"},
        **{**MANAGERS, "owner": 204, "partner": 204},
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/observations/bulk",
        params=pid,
        body=bulk,
        **MANAGERS,
    ),
    api("GET", "/partnerships/{partnership_id}/scorecard", params=pid, **READERS),
]
