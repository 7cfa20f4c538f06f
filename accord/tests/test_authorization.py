"""Every page and every API operation, for every persona, against a declared expectation."""

from __future__ import annotations

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accord.api.router import api as ninja_api
from accord.api.services import token_create
from accord.testing.authz import declared_expectations
from accord.testing.personas import PERSONAS


def web_route_names(patterns=None, namespace="") -> set[str]:
    names: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "api":
                continue
            inner = f"{entry.namespace}:" if entry.namespace else namespace
            names |= web_route_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"URL pattern {entry.pattern} needs a name to be covered"
            names.add(namespace + entry.name)
    return names


def api_operation_keys() -> set[str]:
    schema = ninja_api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


EXPECTATIONS = declared_expectations()


def test_every_route_has_a_declared_expectation():
    routes = web_route_names() | api_operation_keys()
    assert routes - set(EXPECTATIONS) == set(), "routes without an authorization expectation"
    assert set(EXPECTATIONS) - routes == set(), "expectations for routes that do not exist"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", sorted(EXPECTATIONS))
def test_route_answers_each_persona_as_declared(key, persona, cast, client):
    expect = EXPECTATIONS[key]
    user = cast.persona(persona)
    params = expect.params(cast)
    headers = {}
    if expect.key.startswith(("GET ", "POST ", "PATCH ", "PUT ", "DELETE ")):
        url = expect.key.split(" ", 1)[1].format(**params)
        if user is not None:
            _token, raw = token_create(user=user, name="authz", days=1)
            headers["Authorization"] = f"Bearer {raw}"
    else:
        url = reverse(expect.key, kwargs=params)
        if user is not None:
            client.force_login(user)
    body = expect.body(cast) if expect.body else None
    send = getattr(client, expect.method.lower())
    if expect.multipart:
        response = send(url, data=body, headers=headers)
    elif expect.key.startswith(expect.method + " "):
        response = send(
            url,
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            headers=headers,
        )
    else:
        response = send(url, data=body or {})
    assert response.status_code == expect.outcomes[persona], (
        f"{expect.method} {url} as {persona}: got {response.status_code}, "
        f"expected {expect.outcomes[persona]}"
    )
