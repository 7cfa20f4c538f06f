"""A write with a bad bearer token is a 401 `unauthenticated`, never a 403 about CSRF.

Token clients send no cookies and no CSRF token, so the API must not fall back to the session's
CSRF check when their token fails: they would be told the wrong thing ("CSRF check Failed").
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from accord.api.services import token_create, token_revoke
from accord.partnerships.models import Partnership

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def client():
    """A client that enforces CSRF like a real server (Django's test client skips it by default)."""
    return Client(enforce_csrf_checks=True)


def _url(cast, method: str) -> str:
    p = cast.partnership.pk
    return {
        "get": f"/api/v1/partnerships/{p}",
        "post": "/api/v1/partnerships",
        "put": f"/api/v1/partnerships/{p}/economics/rates",
        "patch": f"/api/v1/partnerships/{p}",
        "delete": f"/api/v1/partnerships/{p}/economics/rates/hour",
    }[method]


def _call(client, cast, method: str, raw: str):
    headers = {"Authorization": f"Bearer {raw}"}
    if method == "get":
        return client.get(_url(cast, method), headers=headers)
    return getattr(client, method)(
        _url(cast, method),
        data='{"name": "Renamed by a stranger"}',
        content_type="application/json",
        headers=headers,
    )


def _assert_unauthenticated(response) -> None:
    assert response.status_code == 401, response.content[:300]
    assert response.json() == {
        "detail": "Authentication required: a bearer token or a session.",
        "code": "unauthenticated",
    }


@pytest.mark.parametrize("method", METHODS)
def test_an_invalid_bearer_token_is_unauthenticated_for_every_method(cast, client, method):
    _assert_unauthenticated(_call(client, cast, method, "acc_not-a-real-token"))
    assert Partnership.objects.get(pk=cast.partnership.pk).name == "Alder–Birch Alliance"


@pytest.mark.parametrize("method", METHODS)
def test_an_expired_bearer_token_is_unauthenticated_for_every_method(cast, client, method):
    _token, raw = token_create(user=cast.alice, name="short", days=1)
    with time_machine.travel(timedelta(days=2)):
        _assert_unauthenticated(_call(client, cast, method, raw))


@pytest.mark.parametrize("method", METHODS)
def test_a_revoked_bearer_token_is_unauthenticated_for_every_method(cast, client, method):
    token, raw = token_create(user=cast.alice, name="leaked", days=30)
    token_revoke(token=token)
    _assert_unauthenticated(_call(client, cast, method, raw))
    assert Partnership.objects.get(pk=cast.partnership.pk).name == "Alder–Birch Alliance"


def test_a_live_bearer_token_writes_without_a_csrf_token(cast, client):
    _token, raw = token_create(user=cast.alice, name="live", days=30)
    response = _call(client, cast, "patch", raw)
    assert response.status_code == 200, response.content[:300]
    assert Partnership.objects.get(pk=cast.partnership.pk).name == "Renamed by a stranger"


def test_a_session_write_without_a_csrf_token_is_still_refused(cast, client):
    client.force_login(cast.alice)
    response = client.patch(
        _url(cast, "patch"), data='{"name": "Forged"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert Partnership.objects.get(pk=cast.partnership.pk).name == "Alder–Birch Alliance"
