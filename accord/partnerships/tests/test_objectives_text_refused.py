"""The partnership API no longer takes objectives as free text: they are records of their own, and
a client still sending the old field is told so instead of having it silently dropped."""

from __future__ import annotations

import json

import pytest

from accord.partnerships.api import OBJECTIVES_ARE_RECORDS
from accord.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _send(client, method, url, body):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_creating_a_partnership_with_objectives_text_is_refused_and_stores_nothing(cast, client):
    client.force_login(cast.alice)
    before = Partnership.objects.count()
    response = _send(
        client, "post", "/api/v1/partnerships", {"name": "New alliance", "objectives": "Launch"}
    )
    assert response.status_code == 422
    assert OBJECTIVES_ARE_RECORDS in json.dumps(response.json())
    assert Partnership.objects.count() == before


def test_patching_objectives_text_is_refused_and_changes_nothing(cast, client):
    client.force_login(cast.alice)
    url = f"/api/v1/partnerships/{cast.partnership.pk}"
    old = Partnership.objects.get(pk=cast.partnership.pk).objectives
    response = _send(client, "patch", url, {"objectives": "Something new"})
    assert response.status_code == 422
    assert OBJECTIVES_ARE_RECORDS in json.dumps(response.json())
    assert Partnership.objects.get(pk=cast.partnership.pk).objectives == old
    assert _send(client, "patch", url, {"purpose": "Still editable"}).status_code == 200
