"""Every governance page and API operation, for every persona."""

from __future__ import annotations

from accord.governance.tests.helpers import domain, govern, propose, steering_committee
from accord.testing.authz import api, web

LOGIN = 302
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)
MANAGERS = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)
CONTRIBUTORS = MANAGERS
DONE = dict(owner=302, partner=302, observer=404, facilitator=404, outsider=404)
NOBODY_ELSE = dict(observer=404, facilitator=404, outsider=404)
BASE = "/partnerships/{partnership_id}/governance"


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def governed(cast):
    govern(cast)
    return pk(cast)


def governed_api(cast):
    govern(cast)
    return pid(cast)


def with_domain(cast):
    govern(cast)
    return {"pk": cast.partnership.pk, "domain_id": domain(cast).pk}


def with_domain_api(cast):
    govern(cast)
    return {"partnership_id": cast.partnership.pk, "domain_id": domain(cast).pk}


def with_body(cast):
    govern(cast)
    return {"pk": cast.partnership.pk, "body_id": steering_committee(cast).pk}


def with_body_api(cast):
    govern(cast)
    return {"partnership_id": cast.partnership.pk, "body_id": steering_committee(cast).pk}


def proposal_params(mode, *, api_style=False, by="alice", owner="a"):
    def build(cast):
        proposal = propose(
            cast,
            mode,
            by=getattr(cast, by),
            owner=cast.party_a if owner == "a" else cast.party_b,
        )
        key = "partnership_id" if api_style else "pk"
        return {key: cast.partnership.pk, "proposal_id": proposal.pk}

    return build


def scores(cast):
    d = domain(cast)
    return {
        f"d{d.pk}-expertise": 4,
        f"d{d.pk}-resources": 3,
        f"d{d.pk}-risk_exposure": 2,
        f"d{d.pk}-strategic_importance": 5,
    }


def body_payload(cast):
    from accord.governance.tests.helpers import participant

    return {
        "name": "Operations Board",
        "mandate": "",
        "quorum": 2,
        "member_ids": [participant(cast, cast.alice).pk, participant(cast, cast.bob).pk],
    }


EXPECTATIONS = [
    # pages
    web("governance:overview", params=pk, anonymous=LOGIN, **READERS),
    web("governance:setup", method="POST", params=pk, anonymous=LOGIN, **DONE),
    web(
        "governance:domain_add",
        method="POST",
        params=governed,
        data=lambda c: {"label": "Regulatory strategy"},
        anonymous=LOGIN,
        **DONE,
    ),
    web("governance:domain_edit", params=with_domain, anonymous=LOGIN, **MANAGERS),
    web("governance:domain_remove", method="POST", params=with_domain, anonymous=LOGIN, **DONE),
    web("governance:recommender", params=governed, anonymous=LOGIN, **READERS),
    web(
        "governance:domain_scores",
        method="POST",
        params=with_domain,
        data=scores,
        anonymous=LOGIN,
        **DONE,
    ),
    web(
        "governance:domain_flags",
        method="POST",
        params=with_domain,
        data=lambda c: {f"f{domain(c).pk}-has_joint_team": "on"},
        anonymous=LOGIN,
        **DONE,
    ),
    web("governance:domain_accept", method="POST", params=with_domain, anonymous=LOGIN, **DONE),
    web("governance:domain_override", params=with_domain, anonymous=LOGIN, **MANAGERS),
    web("governance:bodies", params=governed, anonymous=LOGIN, **READERS),
    web("governance:body_edit", params=with_body, anonymous=LOGIN, **MANAGERS),
    web("governance:body_delete", method="POST", params=with_body, anonymous=LOGIN, **DONE),
    web("governance:proposals", params=governed, anonymous=LOGIN, **READERS),
    web("governance:proposal_new", params=governed, anonymous=LOGIN, **CONTRIBUTORS),
    web(
        "governance:proposal_detail",
        params=proposal_params("consensus"),
        anonymous=LOGIN,
        **READERS,
    ),
    web(
        "governance:proposal_stance",
        method="POST",
        params=proposal_params("consensus"),
        data=lambda c: {"choice": "approve"},
        anonymous=LOGIN,
        **DONE,
    ),
    # Birch proposes in Alder's consultative domain: only Alder may ask for input (Bob is told
    # why on the page).
    web(
        "governance:proposal_request_input",
        method="POST",
        params=proposal_params("consultative", by="bob"),
        data=lambda c: {"days": 5},
        anonymous=LOGIN,
        owner=302,
        partner=200,
        **NOBODY_ELSE,
    ),
    # Alder proposes in its consultative domain and so asks Birch: only Birch answers.
    web(
        "governance:proposal_answer",
        method="POST",
        params=proposal_params("consultative"),
        data=lambda c: {"answer": "Fine with us if the milestones hold."},
        anonymous=LOGIN,
        owner=200,
        partner=302,
        **NOBODY_ELSE,
    ),
    # Alder owns the independent domain: Alice decides, Bob is refused on the page.
    web(
        "governance:proposal_decide",
        method="POST",
        params=proposal_params("independent"),
        data=lambda c: {"statement": "Approved."},
        anonymous=LOGIN,
        owner=302,
        partner=200,
        **NOBODY_ELSE,
    ),
    web(
        "governance:proposal_withdraw",
        method="POST",
        params=proposal_params("consensus"),
        anonymous=LOGIN,
        owner=302,
        partner=200,
        **NOBODY_ELSE,
    ),
    web("governance:decision_speed", params=governed, anonymous=LOGIN, **READERS),
    web("governance:charter", params=governed, anonymous=LOGIN, **READERS),
    web("governance:charter_markdown", params=governed, anonymous=LOGIN, **READERS),
    web("governance:charter_pdf", params=governed, anonymous=LOGIN, **READERS),
    web("governance:charter_sign", method="POST", params=governed, anonymous=LOGIN, **DONE),
    web("governance:settings", params=governed, anonymous=LOGIN, **MANAGERS),
    # API
    api("POST", f"{BASE}/setup", params=pid, **{**MANAGERS, "owner": 201, "partner": 201}),
    api("GET", f"{BASE}/settings", params=governed_api, **READERS),
    api(
        "PATCH",
        f"{BASE}/settings",
        params=governed_api,
        body=lambda c: {"hide_stances_until_closed": True},
        **MANAGERS,
    ),
    api("GET", f"{BASE}/domains", params=governed_api, **READERS),
    api(
        "POST",
        f"{BASE}/domains",
        params=governed_api,
        body=lambda c: {"label": "Regulatory strategy"},
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
    api(
        "PATCH",
        f"{BASE}/domains/{{domain_id}}",
        params=with_domain_api,
        body=lambda c: {"label": "Budget and forecasts"},
        **MANAGERS,
    ),
    api(
        "DELETE",
        f"{BASE}/domains/{{domain_id}}",
        params=with_domain_api,
        **{**MANAGERS, "owner": 204, "partner": 204},
    ),
    api(
        "PUT",
        f"{BASE}/domains/{{domain_id}}/scores",
        params=with_domain_api,
        body=lambda c: {
            "expertise": 4,
            "resources": 3.5,
            "risk_exposure": 2,
            "strategic_importance": 5,
        },
        **MANAGERS,
    ),
    api("GET", f"{BASE}/domains/{{domain_id}}/recommendation", params=with_domain_api, **READERS),
    # Nobody has scored yet, so accepting is refused for the managers (400) and hidden from
    # everyone else.
    api(
        "POST",
        f"{BASE}/domains/{{domain_id}}/accept",
        params=with_domain_api,
        body=lambda c: {},
        **{**MANAGERS, "owner": 400, "partner": 400},
    ),
    api(
        "POST",
        f"{BASE}/domains/{{domain_id}}/override",
        params=with_domain_api,
        body=lambda c: {
            "mode": "independent",
            "owner_party_id": c.party_a.pk,
            "reason": "Alder funds it all.",
        },
        **MANAGERS,
    ),
    api("GET", f"{BASE}/joint-bodies", params=governed_api, **READERS),
    api(
        "POST",
        f"{BASE}/joint-bodies",
        params=governed_api,
        body=body_payload,
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
    api(
        "PUT",
        f"{BASE}/joint-bodies/{{body_id}}",
        params=with_body_api,
        body=body_payload,
        **MANAGERS,
    ),
    api(
        "DELETE",
        f"{BASE}/joint-bodies/{{body_id}}",
        params=with_body_api,
        **{**MANAGERS, "owner": 204, "partner": 204},
    ),
    api("GET", f"{BASE}/proposals", params=governed_api, **READERS),
    api(
        "POST",
        f"{BASE}/proposals",
        params=governed_api,
        body=lambda c: {"domain_id": domain(c).pk, "title": "Hire two CMC scientists"},
        **{**CONTRIBUTORS, "owner": 201, "partner": 201},
    ),
    api(
        "GET",
        f"{BASE}/proposals/{{proposal_id}}",
        params=proposal_params("consensus", api_style=True),
        **READERS,
    ),
    api(
        "POST",
        f"{BASE}/proposals/{{proposal_id}}/stances",
        params=proposal_params("consensus", api_style=True),
        body=lambda c: {"choice": "approve"},
        **CONTRIBUTORS,
    ),
    api(
        "POST",
        f"{BASE}/proposals/{{proposal_id}}/input-requests",
        params=proposal_params("consultative", api_style=True, by="bob"),
        body=lambda c: {"days": 5},
        owner=200,
        partner=400,
        **NOBODY_ELSE,
    ),
    api(
        "POST",
        f"{BASE}/proposals/{{proposal_id}}/input",
        params=proposal_params("consultative", api_style=True),
        body=lambda c: {"answer": "Fine with us."},
        owner=400,
        partner=200,
        **NOBODY_ELSE,
    ),
    api(
        "POST",
        f"{BASE}/proposals/{{proposal_id}}/decide",
        params=proposal_params("independent", api_style=True),
        body=lambda c: {"statement": "Approved."},
        owner=200,
        partner=400,
        **NOBODY_ELSE,
    ),
    api(
        "POST",
        f"{BASE}/proposals/{{proposal_id}}/withdraw",
        params=proposal_params("consensus", api_style=True),
        owner=200,
        partner=400,
        **NOBODY_ELSE,
    ),
    api("GET", f"{BASE}/cycle-times", params=governed_api, **READERS),
    api("GET", f"{BASE}/charter", params=governed_api, **READERS),
    api(
        "POST",
        f"{BASE}/charter/sign-offs",
        params=governed_api,
        **{**CONTRIBUTORS, "owner": 201, "partner": 201},
    ),
]
