import json
from datetime import timedelta

from django.utils import timezone

from accord.api.services import token_create
from accord.trust import services
from accord.trust.models import Invitee, Response
from accord.trust.tests.helpers import instrument, open_round, staff


def bearer(user):
    _t, raw = token_create(user=user, name="t", days=1)
    return {"Authorization": f"Bearer {raw}"}


def post(client, url, body, headers=None):
    return client.post(
        url, json.dumps(body), content_type="application/json", headers=headers or {}
    )


def test_a_manager_schedules_changes_and_closes_a_round(cast, client):
    base = f"/api/v1/partnerships/{cast.partnership.pk}/surveys/rounds"
    now = timezone.now()
    created = post(
        client,
        base,
        {
            "instrument_id": instrument().pk,
            "title": "Q3",
            "opens_at": (now - timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timedelta(days=5)).isoformat(),
        },
        bearer(cast.alice),
    )
    assert created.status_code == 201
    assert created.json()["state"] == "open"
    rid = created.json()["id"]
    assert created.json()["response_rates"][0]["invited"] == 3
    patched = client.patch(
        f"{base}/{rid}",
        json.dumps({"title": "Q3 pulse"}),
        content_type="application/json",
        headers=bearer(cast.bob),
    )
    assert patched.json()["title"] == "Q3 pulse"
    closed = post(client, f"{base}/{rid}/close", {}, bearer(cast.alice))
    assert closed.json()["state"] == "closed"
    again = post(client, f"{base}/{rid}/close", {}, bearer(cast.alice))
    assert again.status_code == 400
    assert again.json()["detail"] == services.ROUND_ALREADY_CLOSED


def test_bad_times_are_rejected_not_crashed(cast, client):
    now = timezone.now()
    response = post(
        client,
        f"/api/v1/partnerships/{cast.partnership.pk}/surveys/rounds",
        {
            "instrument_id": instrument().pk,
            "title": "Backwards",
            "opens_at": now.isoformat(),
            "closes_at": (now - timedelta(days=1)).isoformat(),
        },
        bearer(cast.alice),
    )
    assert response.status_code == 400


def test_answers_are_submitted_with_the_link_token_once(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.bea)
    body = {
        "token": services.answer_token(invitee),
        "answers": [
            {"rated_party_id": cast.party_a.pk, "item_key": i.key, "value": 6}
            for i in survey.instrument.items.all()
        ],
    }
    url = f"/api/v1/partnerships/{cast.partnership.pk}/surveys/answers"
    first = post(client, url, body)
    assert first.status_code == 201
    assert first.json()["stored"] == 12
    second = post(client, url, body)  # the code was cleared when it was used
    assert second.status_code == 400
    assert second.json()["detail"] == services.LINK_INVALID
    assert Response.objects.count() == 1


def test_a_partial_or_forged_submission_is_rejected(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.bea)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/surveys/answers"
    partial = post(
        client,
        url,
        {
            "token": services.answer_token(invitee),
            "answers": [
                {"rated_party_id": cast.party_a.pk, "item_key": "competence.skills", "value": 6}
            ],
        },
    )
    assert partial.status_code == 400
    assert "missing: 11" in partial.json()["detail"]
    forged = post(
        client,
        url,
        {
            "token": "abc",
            "answers": partial.json() and [{"rated_party_id": 1, "item_key": "x", "value": 3}],
        },
    )
    assert forged.status_code == 400
    assert forged.json()["detail"] == services.LINK_INVALID
    off_scale = post(
        client,
        url,
        {"token": "abc", "answers": [{"rated_party_id": 1, "item_key": "x", "value": 12}]},
    )
    assert off_scale.status_code == 422


def test_results_list_published_cells_only_after_close(cast, client):
    staff(cast, cast.org_b, 3)
    survey = open_round(cast)
    for invitee in Invitee.objects.filter(round=survey, party=cast.party_b):
        services.response_submit(
            invitee=invitee,
            answers={cast.party_a.pk: {i.key: 5 for i in survey.instrument.items.all()}},
        )
    url = f"/api/v1/partnerships/{cast.partnership.pk}/trust/results"
    assert client.get(url, headers=bearer(cast.alice)).json()["cells"] == []
    services.round_close(user=cast.alice, survey=survey)
    cells = client.get(url, headers=bearer(cast.alice)).json()["cells"]
    published = [c for c in cells if c["published"]]
    assert len(published) == 3
    assert all(c["n"] == 3 for c in published)
    assert all(c["rater_party_id"] == cast.party_b.pk for c in published)
