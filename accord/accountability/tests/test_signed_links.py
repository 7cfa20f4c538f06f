"""Answering without a portal: a signed, expiring, single-purpose link that works once."""

from datetime import timedelta
from urllib.parse import urlsplit

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accord.accountability import links, services
from accord.accountability.tests.helpers import commitment, request
from accord.testing.factories import PartnershipFactory


def _url(cast, token, name="answer"):
    return f"/partnerships/{cast.partnership.pk}/accountability/{name}/{token}/"


def test_the_link_updates_status_and_evidence_without_signing_in_once(cast, client):
    item = commitment(cast, due_on=timezone.localdate() + timedelta(days=5))
    token = links.make_token(links.COMMITMENT_UPDATE, item.pk, cast.amos)
    assert client.get(_url(cast, token)).status_code == 200
    response = client.post(
        _url(cast, token),
        {"status": "done", "note": "Shipped", "url": "https://files.example/coa.pdf"},
    )
    assert response.status_code == 200
    assert "This link has now been used" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "done"
    assert item.done_on == timezone.localdate()
    change = item.status_changes.get()
    assert change.via_link
    assert change.changed_by == cast.amos
    assert item.evidence.get().via_link
    again = client.post(_url(cast, token), {"status": "at_risk"})
    assert again.status_code == 410
    assert services.LINK_USED in again.content.decode()
    assert client.get(_url(cast, token)).status_code == 410


def test_a_file_can_be_sent_through_the_link_and_bad_files_are_refused(cast, client):
    item = commitment(cast, due_on=timezone.localdate() + timedelta(days=5))
    token = links.make_token(links.COMMITMENT_UPDATE, item.pk, cast.amos)
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(_url(cast, token), {"file": exe})
    assert refused.status_code == 400
    assert "Evidence files must be one of" in refused.content.decode()
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    assert client.post(_url(cast, token), {"file": pdf}).status_code == 200
    assert item.evidence.get().original_name == "report.pdf"


def test_a_tampered_link_is_refused_with_a_clear_page(cast, client):
    item = commitment(cast)
    token = links.make_token(links.COMMITMENT_UPDATE, item.pk, cast.amos)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(_url(cast, forged))
    assert response.status_code == 400
    assert links.LINK_TAMPERED in response.content.decode()
    assert client.post(_url(cast, forged), {"status": "done"}).status_code == 400
    item.refresh_from_db()
    assert item.status == "planned"


def test_an_expired_link_is_refused(cast, client):
    item = commitment(cast)
    with time_machine.travel(timezone.now() - timedelta(days=links.MAX_AGE_DAYS, hours=1)):
        token = links.make_token(links.COMMITMENT_UPDATE, item.pk, cast.amos)
    response = client.post(_url(cast, token), {"status": "done"})
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "planned"


def test_a_link_for_one_purpose_does_not_work_for_another(cast, client):
    item = commitment(cast)
    question = request(cast, item, on=timezone.localdate())
    update = links.make_token(links.COMMITMENT_UPDATE, item.pk, cast.amos)
    answer = links.make_token(links.MONITORING_ANSWER, question.pk, cast.amos)
    assert client.get(_url(cast, update, "answer-request")).status_code == 400
    assert client.get(_url(cast, answer, "answer")).status_code == 400
    assert client.get(_url(cast, answer, "answer-request")).status_code == 200


def test_the_link_grants_nothing_else(cast, client):
    item = commitment(cast)
    token = links.make_token(links.COMMITMENT_UPDATE, item.pk, cast.amos)
    client.get(_url(cast, token))
    # Holding a link signs nobody in: the partnership's pages still ask for a sign-in.
    page = client.get(f"/partnerships/{cast.partnership.pk}/accountability/commitments/")
    assert page.status_code == 302
    # Nor does it reach the commitment under another partnership's address.
    other = PartnershipFactory()
    assert client.get(f"/partnerships/{other.pk}/accountability/answer/{token}/").status_code == 404


def test_a_link_stops_working_when_its_holder_no_longer_owns_the_commitment(cast, client):
    item = commitment(cast)
    token = links.make_token(links.COMMITMENT_UPDATE, item.pk, cast.amos)
    item.owner = cast.alice
    item.save()
    response = client.post(_url(cast, token), {"status": "on_track"})
    assert response.status_code == 410
    item.refresh_from_db()
    assert item.status == "planned"


def test_a_monitoring_request_can_be_answered_from_its_link_once(cast, client):
    item = commitment(cast)
    question = request(cast, item, on=timezone.localdate())
    token = links.make_token(links.MONITORING_ANSWER, question.pk, cast.amos)
    assert (
        client.post(_url(cast, token, "answer-request"), {"answer": "On track"}).status_code == 200
    )
    question.refresh_from_db()
    assert question.answer == "On track"
    assert question.answered_by == cast.amos
    assert client.post(_url(cast, token, "answer-request"), {"answer": "x"}).status_code == 410


def test_the_owner_is_emailed_a_link_when_asked_for_an_update(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    item = commitment(cast)
    client.force_login(cast.bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/partnerships/{cast.partnership.pk}/accountability/commitments/{item.pk}/send-link/"
        )
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == [cast.amos.email]
    link = next(w for w in mail.body.split() if "/accountability/answer/" in w)
    client.logout()
    assert client.get(urlsplit(link).path).status_code == 200
