from datetime import date

from accord.health.models import Alert
from accord.testing.authz import api, web

LOGIN = 302
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)
MANAGERS = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)


def make_alert(cast) -> Alert:
    return Alert.objects.create(
        partnership=cast.partnership,
        kind=Alert.Kind.CIRCLE,
        summary="Trust and behaviour worsening on both sides.",
        raised_for=date(2026, 1, 5),
    )


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def web_alert(cast):
    return {"pk": cast.partnership.pk, "alert_id": make_alert(cast).pk}


def api_alert(cast):
    return {"partnership_id": cast.partnership.pk, "alert_id": make_alert(cast).pk}


EXPECTATIONS = [
    web("health:overview", params=pk, anonymous=LOGIN, **READERS),
    # Opened as an address (not by htmx) the chart fragment sends readers to the whole tab.
    web(
        "health:history",
        params=pk,
        anonymous=LOGIN,
        owner=302,
        partner=302,
        observer=302,
        facilitator=404,
        outsider=404,
    ),
    web("health:evidence", params=pk, anonymous=LOGIN, **READERS),
    web("health:alerts", params=pk, anonymous=LOGIN, **READERS),
    web(
        "health:alert_acknowledge",
        method="POST",
        params=web_alert,
        anonymous=LOGIN,
        **{**MANAGERS, "owner": 302, "partner": 302},
    ),
    web(
        "health:alert_resolve",
        method="POST",
        params=web_alert,
        anonymous=LOGIN,
        **{**MANAGERS, "owner": 302, "partner": 302},
    ),
    api("GET", "/partnerships/{partnership_id}/health", params=pid, **READERS),
    api("GET", "/partnerships/{partnership_id}/health/history", params=pid, **READERS),
    api("GET", "/partnerships/{partnership_id}/health/evidence", params=pid, **READERS),
    api("GET", "/partnerships/{partnership_id}/health/alerts", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/health/alerts/{alert_id}/acknowledge",
        params=api_alert,
        **MANAGERS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/health/alerts/{alert_id}/resolve",
        params=api_alert,
        **MANAGERS,
    ),
    api(
        "PUT",
        "/partnerships/{partnership_id}/health/weights",
        params=pid,
        body=lambda c: {"trust": 0.4},
        **MANAGERS,
    ),
]
