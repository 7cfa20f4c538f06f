"""The example proxy configuration in docs/deploy/nginx.conf is valid nginx and does what the
README's production section says gunicorn's sync workers need: it buffers whole requests (and
answers) and drops clients that stall, so slow clients cannot tie up the workers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import crossplane
import pytest
from django.conf import settings

from accord.imports.services import MAX_UPLOAD_BYTES

ROOT = Path(settings.BASE_DIR)
CONF = ROOT / "docs" / "deploy" / "nginx.conf"
UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


@pytest.fixture(scope="module")
def parsed() -> list[dict[str, Any]]:
    # strict: unknown directives fail; check_ctx/check_args: each directive in a place and with
    # a number of arguments nginx accepts (what `nginx -t` would say about the syntax).
    result = crossplane.parse(str(CONF), single=True, strict=True, check_ctx=True, check_args=True)
    assert result["status"] == "ok", result["errors"]
    return result["config"][0]["parsed"]


def find(block: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [d for d in block if d["directive"] == name]


def one(block: list[dict[str, Any]], name: str) -> list[str]:
    found = find(block, name)
    assert len(found) == 1, f"{name}: {len(found)} times"
    return found[0]["args"]


def seconds(value: str) -> int:
    match = re.fullmatch(r"(\d+)(s|m)?", value)
    assert match, value
    return int(match.group(1)) * (60 if match.group(2) == "m" else 1)


def size(value: str) -> int:
    match = re.fullmatch(r"(\d+)([kmg]?)", value.lower())
    assert match, value
    return int(match.group(1)) * UNITS[match.group(2)]


@pytest.fixture(scope="module")
def app_server(parsed) -> list[dict[str, Any]]:
    """The server block whose location passes requests on to the gunicorn upstream."""
    (http_block,) = find(parsed, "http")
    http = http_block["block"]
    servers = [s["block"] for s in find(http, "server")]
    proxied = [
        s for s in servers for loc in find(s, "location") if find(loc["block"], "proxy_pass")
    ]
    assert len(proxied) == 1
    return proxied[0]


def test_the_file_is_valid_nginx(parsed):
    assert find(parsed, "events")
    assert find(parsed, "http")


def test_the_upstream_is_the_gunicorn_the_readme_starts(parsed):
    http = find(parsed, "http")[0]["block"]
    upstream = find(http, "upstream")[0]
    (address,) = one(upstream["block"], "server")
    readme = (ROOT / "README.md").read_text()
    assert f"gunicorn config.wsgi --workers 4 --bind {address}" in readme


def test_requests_and_answers_are_buffered_by_the_proxy(app_server):
    assert one(app_server, "proxy_request_buffering") == ["on"]
    assert one(app_server, "proxy_buffering") == ["on"]
    for location in find(app_server, "location"):
        for name in ("proxy_request_buffering", "proxy_buffering"):
            assert all(d["args"] == ["on"] for d in find(location["block"], name))


def test_stalled_clients_are_dropped_within_a_minute(app_server):
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        (value,) = one(app_server, name)
        assert seconds(value) <= 60, name


def test_the_largest_import_gets_through(app_server):
    (limit,) = one(app_server, "client_max_body_size")
    assert size(limit) > MAX_UPLOAD_BYTES  # the app refuses larger files with its own message


def test_the_app_learns_the_original_scheme(app_server):
    location = find(app_server, "location")[0]["block"]
    headers = [tuple(d["args"]) for d in find(location, "proxy_set_header")]
    assert ("X-Forwarded-Proto", "$scheme") in headers
    assert ("Host", "$host") in headers


def test_the_readme_says_the_proxy_must_buffer_and_points_at_the_example():
    readme = (ROOT / "README.md").read_text()
    production = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    assert "docs/deploy/nginx.conf" in production
    assert "proxy_request_buffering on" in production
