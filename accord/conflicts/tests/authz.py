"""Who may use each conflicts page and API operation (see accord/testing/authz.py)."""

from accord.conflicts import services
from accord.conflicts.models import Principle
from accord.testing.authz import api, web

LOGIN = 302

VIEWERS = dict(owner=200, partner=200, observer=200, facilitator=200, outsider=404)
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)
CONTRIBUTORS = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)
MANAGERS = CONTRIBUTORS
MANAGERS_REDIRECT = dict(owner=302, partner=302, observer=404, facilitator=404, outsider=404)
# Observers see a joint issue but may not act on it: the service refuses (400), it is not hidden.
ACTORS_REDIRECT = dict(owner=302, partner=302, observer=400, facilitator=404, outsider=404)


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def raised(cast):
    return services.issue_raise(
        partnership=cast.partnership,
        user=cast.amos,
        title="Assay transfer slipped",
        description="The assay package arrived three weeks late.",
        conflict_type="timing",
    )


def issue_params(cast):
    return {"pk": cast.partnership.pk, "issue_id": raised(cast).pk}


def api_issue_params(cast):
    return {"partnership_id": cast.partnership.pk, "issue_id": raised(cast).pk}


def principle_of(cast):
    services.principles_seed(partnership=cast.partnership)
    return Principle.objects.filter(partnership=cast.partnership, conflict_type="timing").first()


def resolve_data(cast):
    return {"principle": principle_of(cast).pk, "resolution": "New transfer date agreed."}


def api_resolve_body(cast):
    return {"principle_id": principle_of(cast).pk, "resolution": "New transfer date agreed."}


def principle_params(cast):
    return {"pk": cast.partnership.pk, "principle_id": principle_of(cast).pk}


def api_principle_params(cast):
    return {"partnership_id": cast.partnership.pk, "principle_id": principle_of(cast).pk}


def plan_of(cast, all_done=False):
    plan = services.exit_plan_start(
        partnership=cast.partnership, user=cast.alice, reason="Strategic refocus."
    )
    if all_done:
        plan.steps.update(done_at=plan.started_at)
    return plan


def with_plan(cast):
    plan_of(cast)
    return pk(cast)


def api_with_plan(cast):
    plan_of(cast)
    return pid(cast)


def api_with_done_plan(cast):
    plan_of(cast, all_done=True)
    return pid(cast)


def step_params(cast):
    return {"pk": cast.partnership.pk, "step_id": plan_of(cast).steps.first().pk}


def api_step_params(cast):
    return {"partnership_id": cast.partnership.pk, "step_id": plan_of(cast).steps.first().pk}


EXPECTATIONS = [
    web("conflicts:overview", params=pk, anonymous=LOGIN, **VIEWERS),
    web("conflicts:issue_new", params=pk, anonymous=LOGIN, **CONTRIBUTORS),
    web("conflicts:issue_detail", params=issue_params, anonymous=LOGIN, **READERS),
    web(
        "conflicts:issue_comment",
        method="POST",
        params=issue_params,
        data=lambda c: {"body": "Can we meet on Friday?", "kind": "comment"},
        anonymous=LOGIN,
        **ACTORS_REDIRECT,
    ),
    web(
        "conflicts:issue_resolve",
        method="POST",
        params=issue_params,
        data=resolve_data,
        anonymous=LOGIN,
        **ACTORS_REDIRECT,
    ),
    web(
        "conflicts:issue_escalate",
        method="POST",
        params=issue_params,
        data=lambda c: {"note": "The leads cannot agree on a date."},
        anonymous=LOGIN,
        **ACTORS_REDIRECT,
    ),
    web(
        "conflicts:issue_withdraw",
        method="POST",
        params=issue_params,
        anonymous=LOGIN,
        # a refused withdrawal redirects back with a message
        **{**ACTORS_REDIRECT, "observer": 302},
    ),
    web("conflicts:principles_for_type", params=pk, anonymous=LOGIN, **CONTRIBUTORS),
    web("conflicts:ladder", params=pk, anonymous=LOGIN, **VIEWERS),
    web(
        "conflicts:ladder_windows",
        method="POST",
        params=pk,
        data=lambda c: {
            "operational_leads": 7,
            "alliance_managers": 7,
            "executive_sponsors": 14,
            "neutral_facilitation": 21,
        },
        anonymous=LOGIN,
        **MANAGERS_REDIRECT,
    ),
    web(
        "conflicts:ladder_owners",
        method="POST",
        params=pk,
        data=lambda c: {"tier": "operational_leads", "people": []},
        anonymous=LOGIN,
        **MANAGERS_REDIRECT,
    ),
    web("conflicts:principles", params=pk, anonymous=LOGIN, **VIEWERS),
    web("conflicts:principle_edit", params=principle_params, anonymous=LOGIN, **MANAGERS),
    web(
        "conflicts:principle_delete",
        method="POST",
        params=principle_params,
        anonymous=LOGIN,
        **MANAGERS_REDIRECT,
    ),
    web("conflicts:exit_plan", params=pk, anonymous=LOGIN, **VIEWERS),
    web(
        "conflicts:exit_start",
        method="POST",
        params=pk,
        data=lambda c: {"reason": "Strategic refocus."},
        anonymous=LOGIN,
        **MANAGERS_REDIRECT,
    ),
    web(
        "conflicts:exit_step_add",
        method="POST",
        params=with_plan,
        data=lambda c: {"area": "data", "title": "Delete the shared lab data"},
        anonymous=LOGIN,
        **MANAGERS_REDIRECT,
    ),
    web(
        "conflicts:exit_step_update",
        method="POST",
        params=step_params,
        data=lambda c: {"done": "on"},
        anonymous=LOGIN,
        **MANAGERS_REDIRECT,
    ),
    web(
        "conflicts:exit_complete",
        method="POST",
        params=with_plan,
        anonymous=LOGIN,
        **MANAGERS_REDIRECT,
    ),
    api("GET", "/partnerships/{partnership_id}/conflicts/issues", params=pid, **VIEWERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/conflicts/issues",
        params=pid,
        body=lambda c: {
            "title": "Scope creep",
            "description": "Three analyses were added without a change request.",
            "conflict_type": "scope",
        },
        **{**CONTRIBUTORS, "owner": 201, "partner": 201},
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/conflicts/issues/{issue_id}",
        params=api_issue_params,
        **READERS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/conflicts/issues/{issue_id}/comments",
        params=api_issue_params,
        body=lambda c: {"body": "Proposal: a joint re-plan on Monday.", "kind": "comment"},
        owner=201,
        partner=201,
        observer=400,
        facilitator=404,
        outsider=404,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/conflicts/issues/{issue_id}/resolve",
        params=api_issue_params,
        body=api_resolve_body,
        **{**READERS, "observer": 400},
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/conflicts/issues/{issue_id}/escalate",
        params=api_issue_params,
        body=lambda c: {"note": "Stuck."},
        **{**READERS, "observer": 400},
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/conflicts/issues/{issue_id}/withdraw",
        params=api_issue_params,
        **{**READERS, "observer": 400},
    ),
    api("GET", "/partnerships/{partnership_id}/conflicts/signals", params=pid, **VIEWERS),
    api("GET", "/partnerships/{partnership_id}/conflicts/ladder", params=pid, **VIEWERS),
    api(
        "PUT",
        "/partnerships/{partnership_id}/conflicts/ladder/windows",
        params=pid,
        body=lambda c: {
            "operational_leads": 5,
            "alliance_managers": 5,
            "executive_sponsors": 10,
            "neutral_facilitation": 20,
        },
        **MANAGERS,
    ),
    api(
        "PUT",
        "/partnerships/{partnership_id}/conflicts/ladder/owners",
        params=pid,
        body=lambda c: {"tier": "operational_leads", "user_ids": []},
        **MANAGERS,
    ),
    api("GET", "/partnerships/{partnership_id}/conflicts/principles", params=pid, **VIEWERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/conflicts/principles",
        params=pid,
        body=lambda c: {"conflict_type": "ip", "title": "Publish after 60 days", "text": "…"},
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
    api(
        "PATCH",
        "/partnerships/{partnership_id}/conflicts/principles/{principle_id}",
        params=api_principle_params,
        body=lambda c: {"text": "Re-plan before re-dating."},
        **MANAGERS,
    ),
    api(
        "DELETE",
        "/partnerships/{partnership_id}/conflicts/principles/{principle_id}",
        params=api_principle_params,
        **{**MANAGERS, "owner": 204, "partner": 204},
    ),
    api(
        "GET", "/partnerships/{partnership_id}/conflicts/exit-plan", params=api_with_plan, **VIEWERS
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/conflicts/exit-plan",
        params=pid,
        body=lambda c: {"reason": "Strategic refocus."},
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/conflicts/exit-plan/steps",
        params=api_with_plan,
        body=lambda c: {"area": "assets", "title": "Sell the shared bioreactor"},
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
    api(
        "PATCH",
        "/partnerships/{partnership_id}/conflicts/exit-plan/steps/{step_id}",
        params=api_step_params,
        body=lambda c: {"done": True},
        **MANAGERS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/conflicts/exit-plan/complete",
        params=api_with_done_plan,
        **MANAGERS,
    ),
]
