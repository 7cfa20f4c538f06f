"""More than DATA_UPLOAD_MAX_NUMBER_FIELDS query or form fields sent to the API get the API's
JSON error, not Django's HTML 400 page. Checked through the real WSGI application: Django's test
client raises TooManyFieldsSent while it builds the request, before any middleware runs."""

from __future__ import annotations

import io
import json
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from accord.accountability.tests.helpers import commitment
from accord.api.services import token_create
from accord.middleware import too_many_fields_detail

TOO_MANY = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1


@pytest.fixture
def wsgi(db):
    """Call the WSGI app in this thread, on the test's own database connection (Django closes
    it when a request ends; the test client disconnects these signals for the same reason)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    app = get_wsgi_application()

    def call(method, path, *, query="", body=b"", content_type="", headers=None):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "HTTP_HOST": "localhost",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": content_type,
        }
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        started = {}

        def start_response(status, response_headers, exc_info=None):
            started["status"] = int(status.split()[0])
            started["headers"] = dict(response_headers)

        chunks = app(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return started["status"], started["headers"], content

    yield call
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def fields(n: int) -> str:
    return urlencode([(f"f{i}", "x") for i in range(n)])


def assert_json_error(status, headers, content):
    assert status == 400, content[:300]
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(content) == {"detail": too_many_fields_detail(), "code": "too_many_fields"}


def test_too_many_query_fields_get_the_json_error(wsgi):
    assert_json_error(*wsgi("GET", "/api/v1/partnerships", query=fields(TOO_MANY)))


def test_too_many_form_fields_get_the_json_error(wsgi):
    body = fields(TOO_MANY).encode()
    assert_json_error(
        *wsgi(
            "POST",
            "/api/v1/partnerships",
            body=body,
            content_type="application/x-www-form-urlencoded",
        )
    )


def test_too_many_multipart_fields_get_the_json_error(wsgi, cast):
    item = commitment(cast)
    _token, raw = token_create(user=cast.amos, name="fields", days=1)
    boundary = "accordboundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\nx\r\n'
        for i in range(TOO_MANY)
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    status, headers, content = wsgi(
        "POST",
        f"/api/v1/partnerships/{cast.partnership.pk}/commitments/{item.pk}/evidence",
        body=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert_json_error(status, headers, content)
    assert not item.evidence.exists()


def test_a_request_at_the_limit_is_answered_normally(wsgi):
    status, _headers, content = wsgi(
        "GET", "/api/v1/partnerships", query=fields(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    )
    assert status == 401  # no token: the request got past the field count to authentication
    assert json.loads(content)["code"] == "unauthenticated"


def test_pages_keep_djangos_answer(wsgi):
    status, headers, _content = wsgi("GET", "/accounts/login/", query=fields(TOO_MANY))
    assert status == 400
    assert not headers["Content-Type"].startswith("application/json")
