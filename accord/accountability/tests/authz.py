"""Who may use each accountability route. Commitments in these fixtures belong to Alder (party A,
the "owner" persona's side), so the partner (Birch) may read and ask about them but not report on
them; the observer reads; the facilitator and the outsider see nothing."""

from datetime import UTC, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accord.accountability import links
from accord.accountability.models import (
    Commitment,
    Evidence,
    MonitoringRequest,
    Review,
    ReviewAction,
    ReviewCadence,
)
from accord.testing.authz import api, everyone, web

LOGIN = 302


def today():
    return timezone.localdate()


def a_commitment(cast, **fields):
    values = dict(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        created_by=cast.alice,
        title="Transfer the assay protocol",
        owner_party=cast.party_a,
        owner=cast.amos,
        due_on=today() + timedelta(days=10),
        workstream="Assay",
    )
    return Commitment.objects.create(**{**values, **fields})


def missed_twice(cast):
    first = a_commitment(cast, status="missed", due_on=today() - timedelta(days=40))
    return a_commitment(
        cast, status="missed", due_on=today() - timedelta(days=5), replanned_from=first
    )


def a_request(cast):
    commitment = a_commitment(cast)
    return MonitoringRequest.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_b,
        created_by=cast.bob,
        commitment=commitment,
        kind="status_check",
        requesting_party=cast.party_b,
        question="Where are we?",
    )


def a_review(cast):
    cadence = ReviewCadence.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        name="Joint operating committee",
        frequency="monthly",
        kind="operational",
        starts_on=today(),
        time_of_day=time(9),
    )
    return Review.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        cadence=cadence,
        title=cadence.name,
        scheduled_at=datetime.combine(today(), time(9), tzinfo=UTC),
    )


def an_action(cast, overdue=False):
    return ReviewAction.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        title="Send the revised budget",
        owner_party=cast.party_a,
        owner=cast.amos,
        due_on=today() - timedelta(days=30) if overdue else today() + timedelta(days=7),
    )


def an_evidence(cast):
    evidence = Evidence(commitment=a_commitment(cast), original_name="report.txt", size=5)
    evidence.file.save("report.txt", ContentFile(b"done\n"), save=True)
    return evidence


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def web_c(make=a_commitment):
    return lambda cast: {"pk": cast.partnership.pk, "commitment_id": make(cast).pk}


def api_c(make=a_commitment):
    return lambda cast: {"partnership_id": cast.partnership.pk, "commitment_id": make(cast).pk}


def later(days=30):
    return (today() + timedelta(days=days)).isoformat()


READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)
CONTRIBUTORS = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)
MANAGERS = CONTRIBUTORS
OWNER_SIDE = dict(owner=200, partner=404, observer=404, facilitator=404, outsider=404)
OTHER_SIDE = dict(owner=404, partner=200, observer=404, facilitator=404, outsider=404)


def moved(outcomes, status=302):
    """The same people, answering with a redirect (or 201) instead of 200."""
    return {k: (status if v == 200 else v) for k, v in outcomes.items()}


def link_params(cast):
    commitment = a_commitment(cast)
    token = links.make_token(links.COMMITMENT_UPDATE, commitment.pk, cast.amos)
    return {"pk": cast.partnership.pk, "token": token}


def link_request_params(cast):
    request = a_request(cast)
    token = links.make_token(links.MONITORING_ANSWER, request.pk, cast.amos)
    return {"pk": cast.partnership.pk, "token": token}


EXPECTATIONS = [
    # --- pages ---
    web("accountability:overview", params=pk, anonymous=LOGIN, **READERS),
    web("accountability:commitments", params=pk, anonymous=LOGIN, **READERS),
    web("accountability:commitment_new", params=pk, anonymous=LOGIN, **CONTRIBUTORS),
    web("accountability:commitment_detail", params=web_c(), anonymous=LOGIN, **READERS),
    web("accountability:commitment_edit", params=web_c(), anonymous=LOGIN, **CONTRIBUTORS),
    web(
        "accountability:commitment_status",
        method="POST",
        params=web_c(),
        data=lambda c: {"status": "on_track"},
        anonymous=LOGIN,
        **moved(OWNER_SIDE),
    ),
    web(
        "accountability:commitment_evidence",
        method="POST",
        params=web_c(),
        data=lambda c: {"note": "Protocol v2 shared"},
        anonymous=LOGIN,
        **moved(OWNER_SIDE),
    ),
    web(
        "accountability:evidence_download",
        params=lambda c: {
            "pk": c.partnership.pk,
            "commitment_id": (e := an_evidence(c)).commitment_id,
            "evidence_id": e.pk,
        },
        anonymous=LOGIN,
        **READERS,
    ),
    web(
        "accountability:commitment_replan",
        method="POST",
        params=web_c(
            lambda c: a_commitment(c, status="missed", due_on=today() - timedelta(days=3))
        ),
        data=lambda c: {"due_on": later()},
        anonymous=LOGIN,
        **moved(CONTRIBUTORS),
    ),
    web(
        "accountability:commitment_consequence",
        method="POST",
        params=web_c(),
        data=lambda c: {"kind": "replan_checkins", "description": "Weekly check-ins"},
        anonymous=LOGIN,
        **moved(MANAGERS),
    ),
    web(
        "accountability:commitment_escalate",
        method="POST",
        params=web_c(missed_twice),
        anonymous=LOGIN,
        **moved(MANAGERS),
    ),
    web(
        "accountability:commitment_send_link",
        method="POST",
        params=web_c(),
        anonymous=LOGIN,
        **moved(CONTRIBUTORS),
    ),
    web(
        "accountability:monitoring_new",
        method="POST",
        params=web_c(),
        data=lambda c: {"kind": "status_check", "question": "On track?"},
        anonymous=LOGIN,
        **moved(OTHER_SIDE),
    ),
    web(
        "accountability:monitoring_answer",
        method="POST",
        params=lambda c: {"pk": c.partnership.pk, "request_id": a_request(c).pk},
        data=lambda c: {"answer": "Shipping Friday"},
        anonymous=LOGIN,
        **moved(OWNER_SIDE),
    ),
    web("accountability:on_time", params=pk, anonymous=LOGIN, **READERS),
    web("accountability:oversight", params=pk, anonymous=LOGIN, **READERS),
    web("accountability:reviews", params=pk, anonymous=LOGIN, **READERS),
    web("accountability:review_calendar", params=pk, anonymous=LOGIN, **READERS),
    web("accountability:review_new", params=pk, anonymous=LOGIN, **CONTRIBUTORS),
    web("accountability:cadence_new", params=pk, anonymous=LOGIN, **MANAGERS),
    web(
        "accountability:cadence_end",
        method="POST",
        params=lambda c: {"pk": c.partnership.pk, "cadence_id": a_review(c).cadence_id},
        anonymous=LOGIN,
        **moved(MANAGERS),
    ),
    web(
        "accountability:review_detail",
        params=lambda c: {"pk": c.partnership.pk, "review_id": a_review(c).pk},
        anonymous=LOGIN,
        **READERS,
    ),
    web(
        "accountability:review_minutes",
        method="POST",
        params=lambda c: {"pk": c.partnership.pk, "review_id": a_review(c).pk},
        data=lambda c: {"decisions": "Go ahead", "notes": ""},
        anonymous=LOGIN,
        **moved(CONTRIBUTORS),
    ),
    web(
        "accountability:review_cancel",
        method="POST",
        params=lambda c: {"pk": c.partnership.pk, "review_id": a_review(c).pk},
        anonymous=LOGIN,
        **moved(MANAGERS),
    ),
    web(
        "accountability:review_action_new",
        method="POST",
        params=lambda c: {"pk": c.partnership.pk, "review_id": a_review(c).pk},
        data=lambda c: {
            "title": "Share the forecast",
            "owner_party": c.party_b.pk,
            "due_on": later(14),
        },
        anonymous=LOGIN,
        **moved(CONTRIBUTORS),
    ),
    web("accountability:actions", params=pk, anonymous=LOGIN, **READERS),
    web(
        "accountability:action_done",
        method="POST",
        params=lambda c: {"pk": c.partnership.pk, "action_id": an_action(c).pk},
        anonymous=LOGIN,
        **moved(CONTRIBUTORS),
    ),
    web(
        "accountability:action_escalate",
        method="POST",
        params=lambda c: {"pk": c.partnership.pk, "action_id": an_action(c, overdue=True).pk},
        anonymous=LOGIN,
        **moved(MANAGERS),
    ),
    web("accountability:settings", params=pk, anonymous=LOGIN, **MANAGERS),
    # The signed link is the credential: whoever holds it may use it, signed in or not.
    web("accountability:link_commitment", params=link_params, **everyone(200)),
    web("accountability:link_monitoring", params=link_request_params, **everyone(200)),
    # --- API ---
    api("GET", "/partnerships/{partnership_id}/commitments", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/commitments",
        params=pid,
        body=lambda c: {
            "title": "Deliver batch 3",
            "owner_party_id": c.party_b.pk,
            "due_on": later(),
        },
        **moved(CONTRIBUTORS, 201),
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/commitments/{commitment_id}",
        params=api_c(),
        **READERS,
    ),
    api(
        "PATCH",
        "/partnerships/{partnership_id}/commitments/{commitment_id}",
        params=api_c(),
        body=lambda c: {"acceptance_criteria": "Signed off by both QA leads"},
        **CONTRIBUTORS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/commitments/{commitment_id}/status",
        params=api_c(),
        body=lambda c: {"status": "at_risk", "note": "Supplier late"},
        **OWNER_SIDE,
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/commitments/{commitment_id}/evidence",
        params=api_c(),
        **READERS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/commitments/{commitment_id}/evidence",
        params=api_c(),
        body=lambda c: {"note": "Minutes of the hand-over"},
        multipart=True,
        **moved(OWNER_SIDE, 201),
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/commitments/{commitment_id}/replan",
        params=api_c(
            lambda c: a_commitment(c, status="missed", due_on=today() - timedelta(days=3))
        ),
        body=lambda c: {"due_on": later()},
        **moved(CONTRIBUTORS, 201),
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/commitments/{commitment_id}/consequences",
        params=api_c(),
        **READERS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/commitments/{commitment_id}/consequences",
        params=api_c(),
        body=lambda c: {"kind": "fee_reduction", "description": "5% off Q3 fees"},
        **moved(MANAGERS, 201),
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/commitments/{commitment_id}/escalate",
        params=api_c(missed_twice),
        **moved(MANAGERS, 201),
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/commitments/{commitment_id}/update-link",
        params=api_c(),
        **CONTRIBUTORS,
    ),
    api("GET", "/partnerships/{partnership_id}/monitoring-requests", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/commitments/{commitment_id}/monitoring-requests",
        params=api_c(),
        body=lambda c: {"kind": "evidence_request", "question": "Please share the report"},
        # Alder's alliance manager may not check on Alder's own commitment: 400, not 404 —
        # she can see it, the request is simply not hers to make.
        **{**moved(OTHER_SIDE, 201), "owner": 400},
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/monitoring-requests/{request_id}/answer",
        params=lambda c: {"partnership_id": c.partnership.pk, "request_id": a_request(c).pk},
        body=lambda c: {"answer": "Report attached to the commitment"},
        **OWNER_SIDE,
    ),
    api("GET", "/partnerships/{partnership_id}/on-time", params=pid, **READERS),
    api("GET", "/partnerships/{partnership_id}/oversight", params=pid, **READERS),
    api("GET", "/partnerships/{partnership_id}/review-cadences", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/review-cadences",
        params=pid,
        body=lambda c: {
            "name": "Quarterly steering",
            "frequency": "quarterly",
            "kind": "strategic",
            "starts_on": later(5),
            "time_of_day": "14:00",
            "participant_ids": [
                c.partnership.participants.get(user=c.alice).pk,
                c.partnership.participants.get(user=c.bob).pk,
            ],
        },
        **moved(MANAGERS, 201),
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/review-cadences/{cadence_id}/end",
        params=lambda c: {"partnership_id": c.partnership.pk, "cadence_id": a_review(c).cadence_id},
        **MANAGERS,
    ),
    api("GET", "/partnerships/{partnership_id}/reviews", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/reviews",
        params=pid,
        body=lambda c: {"title": "Recovery check-in", "scheduled_at": f"{later(3)}T10:00:00Z"},
        **moved(CONTRIBUTORS, 201),
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/reviews/{review_id}",
        params=lambda c: {"partnership_id": c.partnership.pk, "review_id": a_review(c).pk},
        **READERS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/reviews/{review_id}/minutes",
        params=lambda c: {"partnership_id": c.partnership.pk, "review_id": a_review(c).pk},
        body=lambda c: {"decisions": "Approve the plan"},
        **CONTRIBUTORS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/reviews/{review_id}/cancel",
        params=lambda c: {"partnership_id": c.partnership.pk, "review_id": a_review(c).pk},
        **MANAGERS,
    ),
    api("GET", "/partnerships/{partnership_id}/review-actions", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/review-actions",
        params=pid,
        body=lambda c: {
            "title": "Book the audit",
            "owner_party_id": c.party_a.pk,
            "due_on": later(),
        },
        **moved(CONTRIBUTORS, 201),
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/review-actions/{action_id}/done",
        params=lambda c: {"partnership_id": c.partnership.pk, "action_id": an_action(c).pk},
        body=lambda c: {},
        **CONTRIBUTORS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/review-actions/{action_id}/escalate",
        params=lambda c: {
            "partnership_id": c.partnership.pk,
            "action_id": an_action(c, overdue=True).pk,
        },
        **moved(MANAGERS, 201),
    ),
    api("GET", "/partnerships/{partnership_id}/loop-closure", params=pid, **READERS),
    api("GET", "/partnerships/{partnership_id}/accountability-settings", params=pid, **READERS),
    api(
        "PATCH",
        "/partnerships/{partnership_id}/accountability-settings",
        params=pid,
        body=lambda c: {"action_overdue_window_days": 21},
        **MANAGERS,
    ),
]
