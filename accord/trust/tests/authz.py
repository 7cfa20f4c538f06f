from datetime import timedelta

from django.utils import timezone

from accord.testing.authz import api, web
from accord.trust import services
from accord.trust.models import Instrument, Invitee, SurveyRound

LOGIN = 302

MANAGERS = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)


def trust_instrument():
    services.ensure_builtin_instruments()
    return Instrument.objects.get(key="accord-trust", partnership__isnull=True)


def make_round(cast, *, opens_in=timedelta(hours=-1), closes_in=timedelta(days=7), title="Q1"):
    now = timezone.now()
    return SurveyRound.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        created_by=cast.alice,
        instrument=trust_instrument(),
        kind="trust",
        number=SurveyRound.objects.filter(partnership=cast.partnership).count() + 1,
        title=title,
        opens_at=now + opens_in,
        closes_at=now + closes_in,
    )


def open_round(cast):
    survey = make_round(cast)
    services.round_open(survey=survey, now=timezone.now())
    return survey


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def round_params(cast):
    return {"pk": cast.partnership.pk, "round_id": open_round(cast).pk}


def scheduled_params(cast):
    survey = make_round(cast, opens_in=timedelta(days=1), closes_in=timedelta(days=8))
    return {"pk": cast.partnership.pk, "round_id": survey.pk}


def api_round(cast):
    return {"partnership_id": cast.partnership.pk, "round_id": open_round(cast).pk}


def api_scheduled(cast):
    survey = make_round(cast, opens_in=timedelta(days=1), closes_in=timedelta(days=8))
    return {"partnership_id": cast.partnership.pk, "round_id": survey.pk}


def item_params(cast):
    return {"pk": cast.partnership.pk, "key": "accord-trust", "item_key": "competence.skills"}


def instrument_params(cast):
    trust_instrument()
    return {"pk": cast.partnership.pk, "key": "accord-trust"}


def new_round_body(cast):
    now = timezone.now()
    return {
        "instrument_id": trust_instrument().pk,
        "title": "API round",
        "opens_at": (now + timedelta(days=1)).isoformat(),
        "closes_at": (now + timedelta(days=10)).isoformat(),
    }


def submission_body(cast):
    """A valid token for Amos (who is not a persona): every persona sends it, so the status
    shows the route needs no sign-in — and the first sender uses it up."""
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    return {
        "token": services.answer_token(invitee),
        "answers": [
            {"rated_party_id": cast.party_b.pk, "item_key": item.key, "value": 5}
            for item in survey.instrument.items.all()
        ],
    }


def own_params(cast):
    from accord.trust.tests.instrument_helpers import own_instrument

    own_instrument(cast)
    return {"partnership_id": cast.partnership.pk, "key": "pulse"}


def own_version_params(cast):
    return {**own_params(cast), "version": 1}


def library_params(cast):
    from accord.trust.tests.instrument_helpers import library_instrument

    library_instrument(cast)
    return {"slug": cast.org_a.slug, "key": "pulse"}


def alder(cast):
    return {"slug": cast.org_a.slug}


def pulse_body(cast):
    from accord.trust.tests.instrument_helpers import pulse

    return pulse()


def adopt_body(cast):
    from accord.trust.tests.instrument_helpers import library_instrument

    return {"library_instrument_id": library_instrument(cast).pk}


CREATORS = dict(owner=201, partner=201, observer=404, facilitator=404, outsider=404)
LIBRARY_READERS = dict(owner=200, partner=404, observer=200, facilitator=404, outsider=404)
LIBRARY_ADMINS = dict(owner=201, partner=404, observer=404, facilitator=404, outsider=404)
INSTRUMENTS = "/partnerships/{partnership_id}/surveys/instruments"


def own_page(cast):
    own_params(cast)
    return {"pk": cast.partnership.pk, "key": "pulse"}


def own_export_page(cast):
    return {**own_page(cast), "fmt": "yaml"}


def adopt_page(cast):
    from accord.trust.tests.instrument_helpers import library_instrument

    return {"pk": cast.partnership.pk, "instrument_id": library_instrument(cast).pk}


EXPECTATIONS = [
    web("trust:own_list", params=pk, anonymous=LOGIN, **READERS),
    web("trust:own_detail", params=own_page, anonymous=LOGIN, **READERS),
    web("trust:own_results_csv", params=own_page, anonymous=LOGIN, **READERS),
    web("trust:own_export", params=own_export_page, anonymous=LOGIN, **READERS),
    web(
        "trust:own_adopt",
        method="POST",
        params=adopt_page,
        anonymous=LOGIN,
        **dict(MANAGERS, owner=302, partner=404),  # only Alder has the library instrument
    ),
    api("POST", INSTRUMENTS, params=pid, body=pulse_body, **CREATORS),
    api("GET", INSTRUMENTS + "/{key}", params=own_params, **READERS),
    api("GET", INSTRUMENTS + "/{key}/versions/{version}", params=own_version_params, **READERS),
    api("POST", INSTRUMENTS + "/{key}/versions", params=own_params, body=pulse_body, **CREATORS),
    api(
        "POST",
        INSTRUMENTS + "/adopt",
        params=pid,
        body=adopt_body,
        **dict(CREATORS, partner=404),  # Bob's organization has no such library instrument
    ),
    api("GET", INSTRUMENTS + "/{key}/results", params=own_params, **READERS),
    api("GET", "/organizations/{slug}/instruments", params=alder, **LIBRARY_READERS),
    api(
        "POST", "/organizations/{slug}/instruments", params=alder, body=pulse_body, **LIBRARY_ADMINS
    ),
    api("GET", "/organizations/{slug}/instruments/{key}", params=library_params, **LIBRARY_READERS),
    api(
        "POST",
        "/organizations/{slug}/instruments/{key}/versions",
        params=library_params,
        body=pulse_body,
        **LIBRARY_ADMINS,
    ),
    web("trust:overview", params=pk, anonymous=LOGIN, **READERS),
    web("trust:stage", params=pk, anonymous=LOGIN, **READERS),
    web("trust:stage_rules", params=pk, anonymous=LOGIN, **MANAGERS),
    web("trust:export", params=pk, anonymous=LOGIN, **READERS),
    web("trust:round_create", params=pk, anonymous=LOGIN, **MANAGERS),
    web("trust:round_detail", params=round_params, anonymous=LOGIN, **READERS),
    web("trust:round_edit", params=round_params, anonymous=LOGIN, **MANAGERS),
    web(
        "trust:round_close",
        method="POST",
        params=round_params,
        anonymous=LOGIN,
        **{**MANAGERS, "owner": 302, "partner": 302},
    ),
    web(
        "trust:round_delete",
        method="POST",
        params=scheduled_params,
        anonymous=LOGIN,
        **{**MANAGERS, "owner": 302, "partner": 302},
    ),
    # Alice and Bob are invited; the observer, facilitator and outsider are not.
    web(
        "trust:respond",
        params=round_params,
        anonymous=LOGIN,
        owner=200,
        partner=200,
        observer=404,
        facilitator=404,
        outsider=404,
    ),
    # The page that takes a link's code is the same for everyone; the code (POSTed) is the
    # credential and works for whoever holds it, signed in or not.
    web(
        "trust:answer",
        params=pk,
        owner=200,
        partner=200,
        observer=200,
        facilitator=200,
        outsider=200,
        anonymous=200,
    ),
    web("trust:instrument_list", params=pk, anonymous=LOGIN, **READERS),
    web("trust:instrument_detail", params=instrument_params, anonymous=LOGIN, **READERS),
    web("trust:item_add", params=instrument_params, anonymous=LOGIN, **MANAGERS),
    web("trust:item_edit", params=item_params, anonymous=LOGIN, **MANAGERS),
    web(
        "trust:item_remove",
        method="POST",
        params=item_params,
        anonymous=LOGIN,
        **{**MANAGERS, "owner": 302, "partner": 302},
    ),
    api("GET", "/partnerships/{partnership_id}/surveys/instruments", params=pid, **READERS),
    api("GET", "/partnerships/{partnership_id}/surveys/rounds", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/surveys/rounds",
        params=pid,
        body=new_round_body,
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/surveys/rounds/{round_id}",
        params=api_round,
        **READERS,
    ),
    api(
        "PATCH",
        "/partnerships/{partnership_id}/surveys/rounds/{round_id}",
        params=api_round,
        body=lambda c: {"title": "Renamed"},
        **MANAGERS,
    ),
    api(
        "DELETE",
        "/partnerships/{partnership_id}/surveys/rounds/{round_id}",
        params=api_scheduled,
        **{**MANAGERS, "owner": 204, "partner": 204},
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/surveys/rounds/{round_id}/close",
        params=api_round,
        **MANAGERS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/surveys/answers",
        params=pid,
        body=submission_body,
        owner=201,
        partner=201,
        observer=201,
        facilitator=201,
        outsider=201,
        anonymous=201,
    ),
    api("GET", "/partnerships/{partnership_id}/trust/results", params=pid, **READERS),
    api("GET", "/partnerships/{partnership_id}/trust/stage", params=pid, **READERS),
]
