from datetime import timedelta

from django.utils import timezone

from accord.accountability import links
from accord.interventions import services
from accord.interventions.tests.helpers import complete_plan, fill, open_intervention, revealed
from accord.testing.authz import api, everyone, web

LOGIN = 302
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)
TAKING_PART = dict(owner=200, partner=200, observer=200, facilitator=200, outsider=404)
# Parties act; an observer or the facilitator can open the page but the rule refuses (400).
PARTY_ACTS = dict(owner=302, partner=302, observer=400, facilitator=400, outsider=404)
API_PARTY = dict(owner=200, partner=200, observer=400, facilitator=400, outsider=404)
API_PARTY_NEW = dict(owner=201, partner=201, observer=400, facilitator=400, outsider=404)
FUTURE = (timezone.localdate() + timedelta(days=30)).isoformat()


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def _objective(cast):
    return services.objective_create(
        partnership=cast.partnership, user=cast.alice, title="Phase II readout by Q3"
    )


def objective_params(cast):
    return {"pk": cast.partnership.pk, "objective_id": _objective(cast).pk}


def objective_api(cast):
    return {"partnership_id": cast.partnership.pk, "objective_id": _objective(cast).pk}


def _web(cast, intervention):
    return {"pk": cast.partnership.pk, "intervention_id": intervention.pk}


def _api(cast, intervention):
    return {"partnership_id": cast.partnership.pk, "intervention_id": intervention.pk}


def opened(cast):
    return _web(cast, open_intervention(cast))


def opened_api(cast):
    return _api(cast, open_intervention(cast))


def drafted(cast):
    return _web(cast, fill(cast, open_intervention(cast), submit=False))


def drafted_api(cast):
    return _api(cast, fill(cast, open_intervention(cast), submit=False))


def submitted(cast):
    return _web(cast, fill(cast, open_intervention(cast)))


def submitted_api(cast):
    return _api(cast, fill(cast, open_intervention(cast)))


def shown(cast):
    return _web(cast, revealed(cast))


def shown_api(cast):
    return _api(cast, revealed(cast))


def planned(cast):
    return _web(cast, complete_plan(cast, revealed(cast)))


def planned_api(cast):
    return _api(cast, complete_plan(cast, revealed(cast)))


def _item_of(intervention, organization):
    return intervention.submissions.get(party__organization=organization).items.first()


def own_draft_item(cast):
    intervention = fill(cast, open_intervention(cast), submit=False)
    return {**_web(cast, intervention), "item_id": _item_of(intervention, cast.org_a).pk}


def partner_item(cast):
    intervention = revealed(cast)
    return {**_web(cast, intervention), "item_id": _item_of(intervention, cast.org_b).pk}


def partner_item_api(cast):
    intervention = revealed(cast)
    return {**_api(cast, intervention), "item_id": _item_of(intervention, cast.org_b).pk}


def link_params(cast):
    intervention = open_intervention(cast)
    token = links.make_token(links.INTERVENTION_LISTS, intervention.pk, cast.bob)
    return {"pk": cast.partnership.pk, "token": token}


OBJECTIVE = {"title": "Two joint publications a year", "scope": "joint", "visibility": "joint"}
ITEM = {"kind": "difficulty", "text": "Answers take weeks."}
PLAN = {"cadence": "Weekly call", "issue_rule": "Forum within two days"}
ROUND = {"opens_on": FUTURE, "closes_on": (timezone.localdate() + timedelta(days=40)).isoformat()}


def plan_commitment_body(cast):
    return {"title": "Weekly status note", "owner_party_id": cast.party_b.pk, "due_on": FUTURE}


def plan_commitment_form(cast):
    return {"title": "Weekly status note", "owner_party": cast.party_b.pk, "due_on": FUTURE}


EXPECTATIONS = [
    web("objectives:list", params=pk, anonymous=LOGIN, **READERS),
    web(
        "objectives:edit",
        params=objective_params,
        anonymous=LOGIN,
        owner=200,
        partner=200,
        observer=404,
        facilitator=404,
        outsider=404,
    ),
    # Only the owning organization removes an objective; the partner's refusal is a message.
    web(
        "objectives:delete",
        method="POST",
        params=objective_params,
        anonymous=LOGIN,
        owner=302,
        partner=302,
        observer=404,
        facilitator=404,
        outsider=404,
    ),
    web("interventions:overview", params=pk, anonymous=LOGIN, **TAKING_PART),
    web("interventions:detail", params=opened, anonymous=LOGIN, **TAKING_PART),
    web(
        "interventions:logic",
        method="POST",
        params=opened,
        data=lambda c: {"strategic_logic": "yes"},
        anonymous=LOGIN,
        **PARTY_ACTS,
    ),
    web(
        "interventions:item_add",
        method="POST",
        params=opened,
        data=lambda c: ITEM,
        anonymous=LOGIN,
        **PARTY_ACTS,
    ),
    # Before the reveal an item is visible to its own organization only: 404 for the others.
    web(
        "interventions:item_remove",
        method="POST",
        params=own_draft_item,
        anonymous=LOGIN,
        owner=302,
        partner=404,
        observer=400,
        facilitator=404,
        outsider=404,
    ),
    # Birch's entry: Alder acknowledges it; Birch's own acknowledgement is refused.
    web(
        "interventions:acknowledge",
        method="POST",
        params=partner_item,
        anonymous=LOGIN,
        owner=302,
        partner=400,
        observer=400,
        facilitator=400,
        outsider=404,
    ),
    web("interventions:submit", method="POST", params=drafted, anonymous=LOGIN, **PARTY_ACTS),
    # The cast has a neutral facilitator, so only she reveals.
    web(
        "interventions:reveal",
        method="POST",
        params=submitted,
        anonymous=LOGIN,
        owner=400,
        partner=400,
        observer=400,
        facilitator=302,
        outsider=404,
    ),
    web(
        "interventions:contribution",
        method="POST",
        params=shown,
        data=lambda c: {"contribution": "We went quiet when our budget froze."},
        anonymous=LOGIN,
        **PARTY_ACTS,
    ),
    web(
        "interventions:plan",
        method="POST",
        params=shown,
        data=lambda c: PLAN,
        anonymous=LOGIN,
        **PARTY_ACTS,
    ),
    web(
        "interventions:plan_commitment",
        method="POST",
        params=shown,
        data=plan_commitment_form,
        anonymous=LOGIN,
        **PARTY_ACTS,
    ),
    web(
        "interventions:plan_round",
        method="POST",
        params=shown,
        data=lambda c: ROUND,
        anonymous=LOGIN,
        **PARTY_ACTS,
    ),
    web("interventions:plan_agree", method="POST", params=planned, anonymous=LOGIN, **PARTY_ACTS),
    web(
        "interventions:close",
        method="POST",
        params=opened,
        anonymous=LOGIN,
        **{**PARTY_ACTS, "facilitator": 302},
    ),
    # The signed link is the credential: it opens for whoever holds it, signed in or not.
    web("interventions:link_lists", params=link_params, **everyone(200)),
    api("GET", "/partnerships/{partnership_id}/objectives", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/objectives",
        params=pid,
        body=lambda c: OBJECTIVE,
        owner=201,
        partner=201,
        observer=404,
        facilitator=404,
        outsider=404,
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/objectives/{objective_id}",
        params=objective_api,
        **READERS,
    ),
    api(
        "PUT",
        "/partnerships/{partnership_id}/objectives/{objective_id}",
        params=objective_api,
        body=lambda c: OBJECTIVE,
        owner=200,
        partner=200,
        observer=404,
        facilitator=404,
        outsider=404,
    ),
    api(
        "DELETE",
        "/partnerships/{partnership_id}/objectives/{objective_id}",
        params=objective_api,
        owner=204,
        partner=400,
        observer=404,
        facilitator=404,
        outsider=404,
    ),
    api("GET", "/partnerships/{partnership_id}/interventions", params=pid, **TAKING_PART),
    api(
        "POST",
        "/partnerships/{partnership_id}/interventions",
        params=pid,
        body=lambda c: {"reason": "Trust is falling on both sides."},
        owner=201,
        partner=201,
        observer=400,
        facilitator=201,
        outsider=404,
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/interventions/{intervention_id}",
        params=opened_api,
        **TAKING_PART,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/interventions/{intervention_id}/logic",
        params=opened_api,
        body=lambda c: {"strategic_logic": "no"},
        **API_PARTY,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/interventions/{intervention_id}/items",
        params=opened_api,
        body=lambda c: ITEM,
        **API_PARTY_NEW,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/interventions/{intervention_id}/submit",
        params=drafted_api,
        **API_PARTY,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/interventions/{intervention_id}/reveal",
        params=submitted_api,
        owner=400,
        partner=400,
        observer=400,
        facilitator=200,
        outsider=404,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/interventions/{intervention_id}/items/{item_id}/acknowledge",
        params=partner_item_api,
        owner=200,
        partner=400,
        observer=400,
        facilitator=400,
        outsider=404,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/interventions/{intervention_id}/contribution",
        params=shown_api,
        body=lambda c: {"contribution": "We stopped writing."},
        **API_PARTY,
    ),
    api(
        "PUT",
        "/partnerships/{partnership_id}/interventions/{intervention_id}/plan",
        params=shown_api,
        body=lambda c: PLAN,
        **API_PARTY,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/interventions/{intervention_id}/plan/commitments",
        params=shown_api,
        body=plan_commitment_body,
        **API_PARTY_NEW,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/interventions/{intervention_id}/plan/round",
        params=shown_api,
        body=lambda c: ROUND,
        **API_PARTY,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/interventions/{intervention_id}/plan/agree",
        params=planned_api,
        **API_PARTY,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/interventions/{intervention_id}/close",
        params=opened_api,
        **{**API_PARTY, "facilitator": 200},
    ),
]
