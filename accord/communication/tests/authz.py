from accord.accountability import links
from accord.communication import services
from accord.testing.authz import api, everyone, web

LOGIN = 302
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)
CONTRIBUTORS = dict(owner=302, partner=302, observer=404, facilitator=404, outsider=404)
API_CONTRIB = dict(owner=201, partner=201, observer=404, facilitator=404, outsider=404)


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def _thread(cast):
    return services.thread_start(
        partnership=cast.partnership, user=cast.amos, title="Kick-off", body="Agenda below."
    )


def thread_params(cast):
    return {"pk": cast.partnership.pk, "thread_id": _thread(cast).pk}


def thread_api(cast):
    return {"partnership_id": cast.partnership.pk, "thread_id": _thread(cast).pk}


def _notice(cast):
    from datetime import timedelta

    from django.utils import timezone

    return services.notice_give(
        partnership=cast.partnership,
        user=cast.bea,
        category="staffing",
        summary="A new project lead from March.",
        effective_on=timezone.localdate() + timedelta(days=60),
    )


def _report(cast):
    from django.utils import timezone

    return services.notice_report(
        partnership=cast.partnership,
        user=cast.bea,
        changing_party_id=cast.party_a.pk,
        category="budget",
        summary="Budget cut without a word.",
        effective_on=timezone.localdate(),
    )


def notice_params(cast):
    return {"pk": cast.partnership.pk, "notice_id": _notice(cast).pk}


def notice_api(cast):
    return {"partnership_id": cast.partnership.pk, "notice_id": _notice(cast).pk}


def report_params(cast):
    return {"pk": cast.partnership.pk, "notice_id": _report(cast).pk}


def report_api(cast):
    return {"partnership_id": cast.partnership.pk, "notice_id": _report(cast).pk}


def link_params(cast):
    notice = _notice(cast)
    token = links.make_token(links.NOTICE_ACKNOWLEDGE, notice.pk, cast.amos)
    return {"pk": cast.partnership.pk, "token": token}


def _concern(cast):
    return services.concern_raise(
        partnership=cast.partnership, user=cast.amos, title="Slow answers", body="We wait weeks."
    )


def concern_params(cast):
    return {"pk": cast.partnership.pk, "concern_id": _concern(cast).pk}


def concern_api(cast):
    return {"partnership_id": cast.partnership.pk, "concern_id": _concern(cast).pk}


OK = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)
# Only party B's people can answer a report about A, so the partner gets 200; A's alliance
# manager is refused with a 400 (a rule, not an access question: A can see the report).
ANSWER = dict(owner=200, partner=400, observer=404, facilitator=404, outsider=404)
# The notice was given by B: A acknowledges it; B's own acknowledgement is refused with a 400.
ACK = dict(owner=200, partner=400, observer=404, facilitator=404, outsider=404)


def consultation_params(cast):
    from accord.governance.tests.helpers import propose

    proposal = propose(cast, "consultative", owner=cast.party_a)
    return {
        "pk": cast.partnership.pk,
        "token": action_links_token(links.CONSULTATION_ANSWER, proposal, cast),
    }


def stance_params(cast):
    from accord.governance.tests.helpers import propose

    proposal = propose(cast, "consensus")
    return {
        "pk": cast.partnership.pk,
        "token": action_links_token(links.CONSENSUS_STANCE, proposal, cast),
    }


def action_links_token(purpose, proposal, cast):
    return links.make_token(purpose, proposal.pk, cast.bob)


def conflict_params(cast):
    from accord.conflicts.services import issue_raise

    issue = issue_raise(
        partnership=cast.partnership,
        user=cast.amos,
        title="Late samples",
        description="Samples arrive a week late.",
        conflict_type="timing",
    )
    return {
        "pk": cast.partnership.pk,
        "token": links.make_token(links.CONFLICT_RESPONSE, issue.pk, cast.bea),
    }


def attachment_params(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    thread = services.thread_start(
        partnership=cast.partnership,
        user=cast.amos,
        title="Files",
        body="See the plan.",
        files=[SimpleUploadedFile("plan.txt", b"the plan", "text/plain")],
    )
    attachment = thread.messages.get().attachments.get()
    return {"pk": cast.partnership.pk, "thread_id": thread.pk, "attachment_id": attachment.pk}


def unsubscribe_params(cast):
    return {"token": links.make_token(links.DIGEST_UNSUBSCRIBE, cast.amos.pk, cast.amos)}


EXPECTATIONS = [
    web("digest_settings", **everyone(200, anonymous=LOGIN)),
    web("digest_unsubscribe", params=unsubscribe_params, **everyone(200)),
    web("communication:overview", params=pk, anonymous=LOGIN, **READERS),
    web("communication:thread", params=thread_params, anonymous=LOGIN, **READERS),
    web("communication:notices", params=pk, anonymous=LOGIN, **READERS),
    web(
        "communication:notice_answer",
        method="POST",
        params=report_params,
        anonymous=LOGIN,
        **CONTRIBUTORS,
    ),
    web(
        "communication:notice_acknowledge",
        method="POST",
        params=notice_params,
        anonymous=LOGIN,
        **CONTRIBUTORS,
    ),
    # The signed link is the credential: it opens for whoever holds it, signed in or not.
    web("communication:link_acknowledge", params=link_params, **everyone(200)),
    web("communication:link_consultation", params=consultation_params, **everyone(200)),
    web("communication:link_stance", params=stance_params, **everyone(200)),
    web("communication:link_conflict", params=conflict_params, **everyone(200)),
    web("communication:attachment", params=attachment_params, anonymous=LOGIN, **READERS),
    web(
        "communication:anonymity",
        method="POST",
        params=pk,
        anonymous=LOGIN,
        owner=302,
        partner=302,
        observer=404,
        facilitator=404,
        outsider=404,
    ),
    web("communication:concerns", params=pk, anonymous=LOGIN, **READERS),
    web("communication:concern", params=concern_params, anonymous=LOGIN, **READERS),
    web(
        "communication:concern_close",
        method="POST",
        params=concern_params,
        anonymous=LOGIN,
        **CONTRIBUTORS,
    ),
    web(
        "communication:concern_issue",
        method="POST",
        params=concern_params,
        anonymous=LOGIN,
        **CONTRIBUTORS,
    ),
    api("GET", "/partnerships/{partnership_id}/communication/threads", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/communication/threads",
        params=pid,
        body=lambda c: {"title": "Pricing", "body": "Shall we meet on **Tuesday**?"},
        **API_CONTRIB,
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/communication/threads/{thread_id}",
        params=thread_api,
        **READERS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/communication/threads/{thread_id}/messages",
        params=thread_api,
        body=lambda c: {"body": "Agreed."},
        multipart=True,
        **API_CONTRIB,
    ),
    api("GET", "/partnerships/{partnership_id}/communication/notices", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/communication/notices",
        params=pid,
        body=lambda c: {
            "category": "scope",
            "summary": "Phase 2 drops",
            "effective_on": "2999-01-01",
        },
        **API_CONTRIB,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/communication/notices/{notice_id}/acknowledge",
        params=notice_api,
        **ACK,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/communication/reports",
        params=pid,
        body=lambda c: {
            "changing_party_id": c.party_b.pk,
            "category": "timeline",
            "summary": "Launch moved",
            "effective_on": "2020-01-01",
        },
        # B reporting a change by B itself is refused: own changes are announced, not reported.
        **{**API_CONTRIB, "partner": 400},
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/communication/reports/{notice_id}/answer",
        params=report_api,
        body=lambda c: {"answer": "We told your team lead in person."},
        **ANSWER,
    ),
    api("GET", "/partnerships/{partnership_id}/communication/concerns", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/communication/concerns",
        params=pid,
        body=lambda c: {"title": "Silence", "body": "No reply for a month.", "hide_name": True},
        **API_CONTRIB,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/communication/concerns/{concern_id}/responses",
        params=concern_api,
        body=lambda c: {"body": "Sorry, we will answer this week."},
        **API_CONTRIB,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/communication/concerns/{concern_id}/close",
        params=concern_api,
        **OK,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/communication/concerns/{concern_id}/issue",
        params=concern_api,
        body=lambda c: {"conflict_type": "relationship"},
        **OK,
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/communication/signals",
        params=pid,
        **READERS,
    ),
]
