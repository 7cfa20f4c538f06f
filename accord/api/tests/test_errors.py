"""Bad input gets a clear 4xx in the one error format, {"detail": ..., "code": ...}, never a 500."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accord.api.services import token_create, token_revoke
from accord.partnerships.models import Partnership

HUGE_ID = "99999999999999999999"


@pytest.fixture
def auth(cast):
    _token, raw = token_create(user=cast.alice, name="errors", days=30)
    return {"Authorization": f"Bearer {raw}"}


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert isinstance(body["code"], str)
    return body


def post_json(client, url, body: str, headers=None):
    return client.post(url, data=body, content_type="application/json", headers=headers or {})


def test_a_malformed_json_body_is_a_400(client, auth):
    body = error_of(post_json(client, "/api/v1/partnerships", '{"name": "Half', auth), 400)
    assert body["code"] == "malformed"
    assert not Partnership.objects.filter(name__startswith="Half").exists()


def test_a_form_encoded_body_where_json_is_expected_is_a_400(client, auth):
    response = client.post(
        "/api/v1/partnerships",
        data="name=Form",
        content_type="application/x-www-form-urlencoded",
        headers=auth,
    )
    assert error_of(response, 400)["code"] == "malformed"


def test_json_of_the_wrong_shape_is_a_422_naming_the_field(client, auth):
    body = error_of(post_json(client, "/api/v1/partnerships", "[1, 2, 3]", auth), 422)
    assert body["code"] == "invalid"


def test_wrong_types_are_a_422_listing_every_field(client, auth):
    payload = json.dumps({"name": 5, "anonymity_k": "many", "start_date": "yesterday"})
    body = error_of(post_json(client, "/api/v1/partnerships", payload, auth), 422)
    assert body["code"] == "invalid"
    fields = {error["loc"][-1] for error in body["errors"]}
    assert fields == {"name", "anonymity_k", "start_date"}
    assert body["detail"].startswith("payload.name: ")


def test_a_value_outside_its_range_is_a_422(client, auth):
    payload = json.dumps({"name": "Tiny crowd", "anonymity_k": 2})
    body = error_of(post_json(client, "/api/v1/partnerships", payload, auth), 422)
    assert body["errors"][0]["loc"][-1] == "anonymity_k"


def test_a_business_rule_violation_is_a_400_naming_the_field(client, auth):
    payload = json.dumps(
        {"name": "Backwards", "start_date": "2026-05-01", "end_date": "2026-01-01"}
    )
    body = error_of(post_json(client, "/api/v1/partnerships", payload, auth), 400)
    assert body["code"] == "rejected"
    assert body["errors"][0]["loc"] == ["end_date"]


def test_a_null_for_a_required_field_in_a_patch_is_a_422_not_a_500(cast, client, auth):
    url = f"/api/v1/partnerships/{cast.partnership.pk}"
    response = client.patch(
        url,
        data=json.dumps({"continuum_stage": None}),
        content_type="application/json",
        headers=auth,
    )
    assert error_of(response, 422)["code"] == "invalid"
    cast.partnership.refresh_from_db()
    assert cast.partnership.continuum_stage == Partnership.Stage.COOPERATIVE


def test_a_null_date_in_a_patch_clears_it(cast, client, auth):
    cast.partnership.end_date = date(2030, 12, 31)
    cast.partnership.save()
    url = f"/api/v1/partnerships/{cast.partnership.pk}"
    response = client.patch(
        url, data=json.dumps({"end_date": None}), content_type="application/json", headers=auth
    )
    assert response.status_code == 200
    assert response.json()["end_date"] is None
    cast.partnership.refresh_from_db()
    assert cast.partnership.end_date is None


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/partnerships/999999", 404),
        (f"/api/v1/partnerships/{HUGE_ID}", 422),
        (f"/api/v1/partnerships/{HUGE_ID}/parties", 422),
        ("/api/v1/partnerships/0", 422),
        ("/api/v1/partnerships/-1", 422),
        ("/api/v1/partnerships/abc", 422),
        ("/api/v1/no-such-thing", 404),
        ("/api/v1/partnerships/1/no-such-thing", 404),
    ],
)
def test_an_unknown_id_or_path_is_a_clear_4xx(client, auth, path, status):
    error_of(client.get(path, headers=auth), status)


def test_another_organizations_partnership_looks_missing(cast, client):
    _token, raw = token_create(user=cast.olga, name="outsider", days=1)
    response = client.get(
        f"/api/v1/partnerships/{cast.partnership.pk}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert error_of(response, 404)["code"] == "not_found"


def test_huge_numbers_in_a_body_or_query_are_a_422(cast, client, auth):
    response = post_json(client, "/api/v1/notifications/read", json.dumps({"ids": [10**20]}), auth)
    error_of(response, 422)
    response = client.get(f"/api/v1/partnerships?offset={HUGE_ID}", headers=auth)
    error_of(response, 422)
    response = client.get("/api/v1/partnerships?limit=0", headers=auth)
    error_of(response, 422)


def test_a_method_an_operation_does_not_have_is_a_405_in_the_error_format(client, auth):
    body = error_of(client.put("/api/v1/me", headers=auth), 405)
    assert body["code"] == "method_not_allowed"


def test_an_oversized_body_is_a_413(client, auth):
    oversized = json.dumps({"name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    body = error_of(post_json(client, "/api/v1/partnerships", oversized, auth), 413)
    assert body["code"] == "too_large"
    assert not Partnership.objects.filter(name__startswith="xxx").exists()


def test_no_credentials_is_a_401(client):
    assert error_of(client.get("/api/v1/me"), 401)["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "authorization",
    ["Bearer acc_not-a-real-token", "Bearer ", "Basic YWxpY2U6c2VjcmV0", "acc_without_scheme"],
)
def test_a_bad_token_is_a_401(cast, client, authorization):
    response = client.get("/api/v1/me", headers={"Authorization": authorization})
    assert error_of(response, 401)["code"] == "unauthenticated"


def test_an_expired_token_is_a_401(cast, client):
    _token, raw = token_create(user=cast.alice, name="short-lived", days=1)
    with time_machine.travel(timedelta(days=1, minutes=1)):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert error_of(response, 401)["code"] == "unauthenticated"


def test_a_revoked_token_is_a_401(cast, client):
    token, raw = token_create(user=cast.alice, name="leaked", days=30)
    token_revoke(token=token)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert error_of(response, 401)["code"] == "unauthenticated"


def test_a_session_write_without_csrf_is_a_403(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.alice)
    response = post_json(browser, "/api/v1/partnerships", json.dumps({"name": "Forged"}))
    assert error_of(response, 403)["code"] == "forbidden"
    assert not Partnership.objects.filter(name="Forged").exists()


def test_garbage_in_the_partnership_form_redisplays_it_with_errors(cast, client):
    client.force_login(cast.alice)
    garbage = {
        "name": "",
        "continuum_stage": "sideways",
        "status": "<script>alert(1)</script>",
        "start_date": "31/31/2026",
        "anonymity_k": "1e309",
        "notice_lead_days": "-5",
        "window_operational_leads": HUGE_ID,
        "window_alliance_managers": "\x00",
    }
    response = client.post(reverse("partnership_create"), garbage)
    assert response.status_code == 200
    form = response.context["form"]
    assert {
        "name",
        "continuum_stage",
        "status",
        "start_date",
        "anonymity_k",
        "notice_lead_days",
        "window_operational_leads",
        "window_alliance_managers",
    } <= set(form.errors)
    assert b"<script>alert(1)</script>" not in response.content
    assert Partnership.objects.count() == 1


def test_a_huge_id_in_a_page_url_is_a_404(cast, client):
    client.force_login(cast.alice)
    assert client.get(f"/partnerships/{HUGE_ID}/").status_code == 404


def test_a_moment_with_any_offset_is_read_as_the_same_instant_in_utc():
    from datetime import UTC, datetime

    from accord.api.fields import _in_utc

    odd = datetime.fromisoformat("2026-07-25T16:41:25+16:36")
    assert _in_utc(odd) == odd
    assert _in_utc(odd).utcoffset().total_seconds() == 0
    assert _in_utc(datetime(2026, 1, 1, 9)) == datetime(2026, 1, 1, 9, tzinfo=UTC)
