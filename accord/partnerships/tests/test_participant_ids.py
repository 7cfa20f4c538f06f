"""Owner fields take user ids, and the participants list gives each participant's user id, so a
client can name any participant as an owner (not only itself)."""

import pytest

from accord.api.services import token_create
from accord.partnerships.models import Participant


@pytest.fixture
def alice_api(cast, client):
    _token, raw = token_create(user=cast.alice, name="ids", days=1)
    headers = {"Authorization": f"Bearer {raw}"}
    base = f"/api/v1/partnerships/{cast.partnership.pk}"

    def call(method, path, body=None):
        send = getattr(client, method)
        if body is None:
            return send(base + path, headers=headers)
        return send(base + path, body, content_type="application/json", headers=headers)

    return call


def test_the_participants_list_gives_each_persons_user_id(cast, alice_api):
    listed = alice_api("get", "/participants").json()["items"]
    rows = {p.pk: p.user_id for p in Participant.objects.filter(partnership=cast.partnership)}
    assert {entry["id"]: entry["user_id"] for entry in listed} == rows


def test_a_listed_user_id_names_another_person_as_commitment_owner(cast, alice_api):
    listed = alice_api("get", "/participants").json()["items"]
    amos = next(entry for entry in listed if entry["name"].startswith("Amos"))
    assert amos["user_id"] == cast.amos.pk
    response = alice_api(
        "post",
        "/commitments",
        {
            "title": "Send the batch records",
            "owner_party_id": cast.party_a.pk,
            "owner_id": amos["user_id"],
            "due_on": "2026-09-30",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["owner_id"] == cast.amos.pk


def test_the_schema_says_which_id_owner_fields_take(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for model in ("CommitmentIn", "CommitmentPatch", "ActionIn", "ExitStepIn", "ExitStepPatch"):
        assert "user_id" in schemas[model]["properties"]["owner_id"]["description"], model
    assert "user_id" in schemas["OwnersIn"]["properties"]["user_ids"]["description"]
    assert "user_id" in schemas["ParticipantOut"]["required"]
