from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.api.models import PersonalAccessToken
from accord.api.services import token_create, token_revoke


def me(client, raw):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})


def test_a_token_authenticates_as_its_owner_and_is_stored_hashed(cast, client):
    token, raw = token_create(user=cast.alice, name="BI export", days=30)
    assert raw.startswith("acc_")
    assert token.token_hash != raw
    assert not PersonalAccessToken.objects.filter(token_hash=raw).exists()
    response = me(client, raw)
    assert response.status_code == 200
    assert response.json()["organization"] == "Alder Pharma"


def test_an_expired_token_is_refused(cast, client):
    _token, raw = token_create(user=cast.alice, name="short", days=1)
    with time_machine.travel(timedelta(days=2)):
        response = me(client, raw)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_revoked_token_is_refused(cast, client):
    token, raw = token_create(user=cast.alice, name="leaked", days=30)
    token_revoke(token=token)
    assert me(client, raw).status_code == 401
    with pytest.raises(ValidationError):
        token_revoke(token=token)


def test_the_token_page_shows_a_new_token_once(cast, client):
    client.force_login(cast.alice)
    created = client.post(reverse("token_list"), {"name": "sync", "days": "30"})
    raw = created.context["created"]
    assert raw in created.content.decode()
    assert raw not in client.get(reverse("token_list")).content.decode()
    assert me(client, raw).status_code == 200


def test_a_token_lifetime_outside_the_limits_is_refused(cast):
    with pytest.raises(ValidationError, match="between 1 and"):
        token_create(user=cast.alice, name="forever", days=10_000)
