"""The served /api/v1/openapi.json tells the truth to a client generated from it: every key once,
a valid OpenAPI 3.1 document, and a model for every JSON answer. (What each operation actually
answers is checked against this schema by the fuzzing in test_schema.py.)"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

SCHEMA_URL = "/api/v1/openapi.json"


class DuplicateKeyError(ValueError):
    pass


def refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`json.loads` keeps the last of two equal keys without a word; a client may keep either."""
    twice = sorted(key for key, n in Counter(key for key, _ in pairs).items() if n > 1)
    if twice:
        raise DuplicateKeyError(
            f"keys given twice: {twice} in an object with keys {[*dict(pairs)]}"
        )
    return dict(pairs)


def strict_json(raw: bytes) -> Any:
    return json.loads(raw, object_pairs_hook=refuse_duplicate_keys)


@pytest.fixture(scope="module")
def served_raw(django_db_blocker) -> bytes:
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get(SCHEMA_URL)
    assert response.status_code == 200
    return response.content


@pytest.fixture(scope="module")
def served(served_raw) -> dict[str, Any]:
    return strict_json(served_raw)


def operations(schema: dict[str, Any]):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def free_form_objects(schema: dict[str, Any], node: Any, where: str, seen: set[str]):
    """Objects a client cannot type: no properties and any value allowed for any key."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref is not None:
            if ref not in seen:
                seen.add(ref)
                yield from free_form_objects(schema, resolve(schema, node), ref, seen)
            return
        extra = node.get("additionalProperties")
        untyped_values = extra is None or extra is True or extra == {}
        if node.get("type") == "object" and not node.get("properties") and untyped_values:
            yield where
        for key, value in node.items():
            if key != "default":
                yield from free_form_objects(schema, value, f"{where}/{key}", seen)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from free_form_objects(schema, value, f"{where}[{i}]", seen)


def test_the_duplicate_key_check_catches_what_json_loads_hides():
    raw = b'{"responses": {"400": {"a": 1}, "400": {"b": 2}}}'
    assert json.loads(raw) == {"responses": {"400": {"b": 2}}}
    with pytest.raises(DuplicateKeyError, match=r"\['400'\]"):
        strict_json(raw)


def test_the_served_schema_has_every_key_once(served_raw):
    strict_json(served_raw)  # raises DuplicateKeyError naming the keys


def test_the_served_schema_is_valid_openapi_3_1(served):
    assert served["openapi"].startswith("3.1.")
    errors = [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in OpenAPIV31SpecValidator(served).iter_errors()
    ]
    assert errors == []


def test_the_validator_would_notice_a_broken_schema(served):
    broken = json.loads(json.dumps(served))
    operation = next(op for _, op in operations(broken) if op.get("parameters"))
    operation["parameters"][0]["in"] = "nowhere"
    assert list(OpenAPIV31SpecValidator(broken).iter_errors())


def test_every_status_is_declared_once_with_a_string_key(served):
    for name, operation in operations(served):
        codes = list(operation["responses"])
        assert all(isinstance(code, str) and code.isdigit() for code in codes), name
        assert len(codes) == len(set(codes)), name


# Free-form on purpose, each with its reason; anything else untyped fails the test below.
FREE_FORM_ON_PURPOSE = {
    # What an audited change touched differs per action (a field → [before, after] map, a
    # note, a count); the event's summary says it in words.
    "#/components/schemas/AuditEventOut/properties/changes",
    # An import job's report is empty while it runs and the row report when it ends; what a
    # failed job's report holds is being settled with the background-job work (issue 11, 6).
    "#/components/schemas/ImportJobOut/properties/report",
}


def test_every_json_answer_has_a_model(served):
    loose = []
    for name, operation in operations(served):
        for code, response in operation["responses"].items():
            for media, content in response.get("content", {}).items():
                where = f"{name} {code} {media}"
                found = free_form_objects(served, content.get("schema", {}), where, set())
                loose += [spot for spot in found if spot not in FREE_FORM_ON_PURPOSE]
    assert sorted(set(loose)) == []


def test_the_free_form_check_notices_an_untyped_object(served):
    schema = {"components": {"schemas": {"M": {"type": "object", "additionalProperties": True}}}}
    node = {"type": "array", "items": {"$ref": "#/components/schemas/M"}}
    assert list(free_form_objects(schema, node, "x", set())) == ["#/components/schemas/M"]
    typed_map = {"type": "object", "additionalProperties": {"type": "number"}}
    assert list(free_form_objects(schema, typed_map, "y", set())) == []


def test_a_row_report_and_the_generic_error_are_both_documented_for_bulk_ingest(served):
    path = "/api/v1/partnerships/{partnership_id}/observations/bulk"
    rejected = served["paths"][path]["post"]["responses"]["400"]
    schema = rejected["content"]["application/json"]["schema"]
    assert schema == {
        "anyOf": [
            {"$ref": "#/components/schemas/IngestRejectedOut"},
            {"$ref": "#/components/schemas/Error"},
        ]
    }
    report = served["components"]["schemas"]["IngestRejectedOut"]
    assert {"errors", "detail", "code"} <= set(report["required"])
