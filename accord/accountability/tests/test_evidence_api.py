"""Evidence through the API: a multipart file is stored (alone or with a note and a link) and
checked exactly as on the commitment page, and the schema declares the multipart body."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.accountability import services
from accord.accountability.tests.helpers import commitment
from accord.api.services import token_create

CSV = b"batch,result\n7,pass\n"


@pytest.fixture
def evidence_url(cast):
    item = commitment(cast)
    return item, f"/api/v1/partnerships/{cast.partnership.pk}/commitments/{item.pk}/evidence"


@pytest.fixture
def amos_headers(cast):
    _token, raw = token_create(user=cast.amos, name="evidence", days=1)
    return {"Authorization": f"Bearer {raw}"}


def test_a_file_with_a_note_and_a_link_is_stored_whole(cast, client, evidence_url, amos_headers):
    item, url = evidence_url
    upload = SimpleUploadedFile("coa.csv", CSV, content_type="text/csv")
    response = client.post(
        url,
        {"note": "CoA for batch 7", "url": "https://qa.example.org/coa/7", "file": upload},
        headers=amos_headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["original_name"], body["size"]) == ("file", "coa.csv", len(CSV))
    assert (body["note"], body["url"]) == ("CoA for batch 7", "https://qa.example.org/coa/7")
    stored = item.evidence.get()
    with stored.file.open("rb") as handle:
        assert handle.read() == CSV


def test_a_file_alone_is_evidence(cast, client, evidence_url, amos_headers):
    item, url = evidence_url
    upload = SimpleUploadedFile("minutes.txt", b"Signed off by both QA heads.\n")
    response = client.post(url, {"file": upload}, headers=amos_headers)
    assert response.status_code == 201, response.content
    assert response.json()["size"] == len(b"Signed off by both QA heads.\n")
    assert item.evidence.get().original_name == "minutes.txt"


def test_a_file_of_a_refused_type_gets_the_pages_message(cast, client, evidence_url, amos_headers):
    item, url = evidence_url
    script = SimpleUploadedFile("run.sh", b"#!/bin/sh\n", content_type="text/x-sh")
    response = client.post(url, {"file": script}, headers=amos_headers)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rejected"
    assert body["errors"][0]["loc"] == ["file"]
    assert body["errors"][0]["msg"].startswith("Evidence files must be one of")
    assert not item.evidence.exists()


def test_a_renamed_binary_is_refused_by_its_first_bytes(cast, client, evidence_url, amos_headers):
    item, url = evidence_url
    fake_pdf = SimpleUploadedFile("report.pdf", b"MZ\x90\x00binary")
    response = client.post(url, {"file": fake_pdf}, headers=amos_headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["loc"] == ["file"]
    assert not item.evidence.exists()


def test_a_file_over_the_limit_is_refused(cast, client, evidence_url, amos_headers):
    item, url = evidence_url
    big = SimpleUploadedFile("big.txt", b"a" * (services.EVIDENCE_MAX_BYTES + 1))
    response = client.post(url, {"file": big}, headers=amos_headers)
    assert response.status_code == 400
    expected = services.EVIDENCE_TOO_BIG.format(mb=services.EVIDENCE_MAX_BYTES // 2**20)
    assert response.json()["errors"] == [{"loc": ["file"], "msg": expected}]
    assert not item.evidence.exists()


def test_an_empty_submission_is_refused(cast, client, evidence_url, amos_headers):
    item, url = evidence_url
    response = client.post(url, {}, headers=amos_headers)
    assert response.status_code == 400
    assert response.json()["detail"] == services.EVIDENCE_EMPTY
    assert not item.evidence.exists()


def test_the_schema_declares_a_multipart_body_with_the_file(client):
    schema = client.get("/api/v1/openapi.json").json()
    path = "/api/v1/partnerships/{partnership_id}/commitments/{commitment_id}/evidence"
    operation = schema["paths"][path]["post"]
    assert list(operation["requestBody"]["content"]) == ["multipart/form-data"]
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    file = body["properties"]["file"]
    assert (file["type"], file["format"]) == ("string", "binary")  # one part, never null
    assert set(body["properties"]) == {"note", "url", "file"}
    assert not body.get("required")
    assert all(p["in"] == "path" for p in operation["parameters"])
