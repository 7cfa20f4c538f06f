"""Commitments: recording, reporting status, evidence, and who may do what."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accord.accountability import services
from accord.accountability.models import Commitment
from accord.accountability.tests.helpers import commitment
from accord.notifications.models import Notification
from accord.partnerships.audit import AuditEvent


def test_recording_a_commitment_audits_it_and_tells_its_owner(cast, client):
    client.force_login(cast.alice)
    response = client.post(
        f"/partnerships/{cast.partnership.pk}/accountability/commitments/new/",
        {
            "title": "Deliver 3 engineering batches",
            "owner_party": cast.party_b.pk,
            "owner": cast.bea.pk,
            "due_on": "2026-09-30",
            "workstream": "CMC",
            "acceptance_criteria": "Certificates of analysis signed by both QA heads",
            "visibility": "joint",
        },
    )
    item = Commitment.objects.get()
    assert response.status_code == 302
    assert (item.owner_party, item.owner, item.status) == (cast.party_b, cast.bea, "planned")
    assert AuditEvent.objects.filter(action="accountability.commitment_create").exists()
    assert Notification.objects.get(kind="accountability.commitment_assigned").recipient == cast.bea


def test_the_owner_must_belong_to_the_owner_party(cast):
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            partnership=cast.partnership,
            user=cast.alice,
            title="x",
            owner_party=cast.party_b,
            owner=cast.amos,
            due_on=date(2026, 9, 30),
        )
    assert services.OWNER_NOT_IN_PARTY in str(error.value)


def test_an_internal_commitment_can_only_be_your_own_partys(cast):
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            partnership=cast.partnership,
            user=cast.alice,
            title="x",
            owner_party=cast.party_b,
            due_on=date(2026, 9, 30),
            visibility="internal",
        )
    assert services.INTERNAL_NOT_OWN_PARTY in str(error.value)


def test_done_is_final_and_missed_only_moves_to_done(cast):
    item = commitment(cast)
    services.commitment_set_status(commitment=item, user=cast.amos, status="done")
    item.refresh_from_db()  # acting on what is stored now, not on a stale copy (that is refused)
    with pytest.raises(ValidationError) as error:
        services.commitment_set_status(commitment=item, user=cast.amos, status="at_risk")
    assert services.STATUS_FROM_DONE in str(error.value)
    missed = commitment(cast, status="missed")
    with pytest.raises(ValidationError) as error:
        services.commitment_set_status(commitment=missed, user=cast.amos, status="on_track")
    assert services.STATUS_FROM_MISSED in str(error.value)


# The boundary is one day wide: a clock crossing midnight during the test would move it.
@time_machine.travel(datetime(2026, 5, 4, 23, 59, 59, tzinfo=UTC), tick=False)
def test_a_done_date_cannot_be_in_the_future(cast):
    item = commitment(cast)
    with pytest.raises(ValidationError) as error:
        services.commitment_set_status(
            commitment=item,
            user=cast.amos,
            status="done",
            done_on=timezone.localdate() + timedelta(days=1),
        )
    assert services.DONE_IN_FUTURE in str(error.value)


def test_only_the_owning_side_reports_status(cast, client):
    item = commitment(cast)
    url = f"/partnerships/{cast.partnership.pk}/accountability/commitments/{item.pk}/status/"
    client.force_login(cast.bob)
    assert client.post(url, {"status": "done"}).status_code == 404
    client.force_login(cast.amos)
    assert client.post(url, {"status": "at_risk", "note": "Supplier late"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "at_risk"


def test_a_bad_status_form_re_renders_with_the_message(cast, client):
    item = commitment(cast, status="done", done_on=date(2026, 1, 1))
    client.force_login(cast.amos)
    response = client.post(
        f"/partnerships/{cast.partnership.pk}/accountability/commitments/{item.pk}/status/",
        {"status": "at_risk"},
    )
    assert response.status_code == 400
    assert services.STATUS_FROM_DONE in response.content.decode()


def test_evidence_files_are_checked_for_size_and_type_and_served_only_to_readers(cast, client):
    item = commitment(cast)
    base = f"/partnerships/{cast.partnership.pk}/accountability/commitments/{item.pk}"
    client.force_login(cast.amos)
    script = SimpleUploadedFile("run.sh", b"#!/bin/sh\n", content_type="text/x-sh")
    refused = client.post(f"{base}/evidence/", {"file": script})
    assert refused.status_code == 400
    assert "Evidence files must be one of" in refused.content.decode()
    big = SimpleUploadedFile("big.txt", b"a" * (services.EVIDENCE_MAX_BYTES + 1))
    refused = client.post(f"{base}/evidence/", {"file": big})
    assert refused.status_code == 400
    assert "at most 10 MB" in refused.content.decode()
    ok = SimpleUploadedFile("coa.csv", b"batch,result\n7,pass\n", content_type="text/csv")
    assert client.post(f"{base}/evidence/", {"file": ok, "note": "CoA"}).status_code == 302
    evidence = item.evidence.get()
    assert evidence.file.name.startswith(f"accountability/evidence/c{item.pk}/")
    assert "coa" not in evidence.file.name  # stored under a random name
    client.force_login(cast.bob)
    download = client.get(f"{base}/evidence/{evidence.pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"batch,result\n7,pass\n"
    assert 'filename="coa.csv"' in download["Content-Disposition"]
    client.force_login(cast.fiona)
    assert client.get(f"{base}/evidence/{evidence.pk}/file/").status_code == 404


def test_the_list_filters_by_party_and_status_and_answers_htmx_with_the_table_only(cast, client):
    commitment(cast, title="Alder open")
    commitment(cast, title="Birch missed", party="b", status="missed")
    client.force_login(cast.alice)
    url = f"/partnerships/{cast.partnership.pk}/accountability/commitments/"
    body = client.get(url, {"party": cast.party_b.pk}).content.decode()
    assert "Birch missed" in body
    assert "Alder open" not in body
    body = client.get(url, {"status": "open"}).content.decode()
    assert "Alder open" in body
    assert "Birch missed" not in body
    partial = client.get(url, {"status": "missed"}, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="results">')
    assert "Birch missed" in partial
    assert client.get(url, {"party": "not-a-number", "status": "nonsense"}).status_code == 200


def test_the_api_creates_and_reports_with_the_same_rules(cast, client):
    client.force_login(cast.bob)
    base = f"/api/v1/partnerships/{cast.partnership.pk}/commitments"
    created = client.post(
        base,
        {
            "title": "Ship batch 7",
            "owner_party_id": cast.party_b.pk,
            "owner_id": cast.bea.pk,
            "due_on": "2026-09-30",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    item_id = created.json()["id"]
    bad = client.post(
        base,
        {
            "title": "x",
            "owner_party_id": cast.party_b.pk,
            "owner_id": cast.amos.pk,
            "due_on": "2026-09-30",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "rejected"
    moved = client.post(
        f"{base}/{item_id}/status", {"status": "on_track"}, content_type="application/json"
    )
    assert moved.status_code == 200
    assert moved.json()["status"] == "on_track"
    client.force_login(cast.alice)
    assert (
        client.post(
            f"{base}/{item_id}/status", {"status": "done"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{base}/{item_id}/status", {"status": "bogus"}, content_type="application/json"
        ).status_code
        == 422
    )


def test_the_overview_reads_as_a_summary(cast, client):
    commitment(
        cast,
        status="at_risk",
        due_on=timezone.localdate() + timedelta(days=3),
        title="Tech transfer",
    )
    client.force_login(cast.oscar)
    body = client.get(f"/partnerships/{cast.partnership.pk}/accountability/").content.decode()
    assert "Tech transfer" in body
    assert "On-time delivery" in body
    assert "Oversight balance" in body
