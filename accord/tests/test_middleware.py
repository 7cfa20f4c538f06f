from django.urls import reverse

from accord.api.services import token_create
from accord.middleware import NUL_REFUSED
from accord.partnerships.models import Partnership


def test_nul_characters_are_refused_in_api_bodies_and_queries(cast, client):
    _token, raw = token_create(user=cast.alice, name="t", days=1)
    auth = {"Authorization": f"Bearer {raw}"}
    body = client.post(
        "/api/v1/tokens", {"name": "a\x00b"}, content_type="application/json", headers=auth
    )
    assert body.status_code == 400
    assert body.json() == {"detail": NUL_REFUSED, "code": "invalid"}
    query = client.get("/api/v1/notifications?unread=%00", headers=auth)
    assert query.status_code == 400


def test_nul_characters_are_refused_in_web_forms(cast, client):
    client.force_login(cast.alice)
    url = reverse("partnership_create")
    encoded = client.post(url, "name=x%00y", content_type="application/x-www-form-urlencoded")
    assert encoded.status_code == 400
    assert NUL_REFUSED in encoded.content.decode()
    multipart = client.post(url, {"name": "x\x00y"})  # the form's own validator refuses it
    assert multipart.status_code == 200
    assert "Null characters are not allowed" in multipart.content.decode()
    assert not Partnership.objects.filter(name__startswith="x").exists()


def test_ordinary_requests_pass(cast, client):
    client.force_login(cast.alice)
    assert client.get(reverse("partnership_list") + "?q=plain").status_code == 200
    response = client.post("/api/v1/tokens", {"name": "ok"}, content_type="application/json")
    assert response.status_code == 201
