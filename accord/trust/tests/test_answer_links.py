"""Answer links (issue 10, item 7): an opaque, single-use code that travels in the URL
fragment and the request body, never in a request line, and decodes to nothing."""

import base64
import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from accord.partnerships.models import hash_secret
from accord.trust import links, services
from accord.trust.models import Invitee, Response
from accord.trust.tests.helpers import open_round


def code_for(invitee):
    return services.answer_token(invitee)


def answer_page(cast):
    return reverse("trust:answer", kwargs={"pk": cast.partnership.pk})


def form_data(survey, invitee, value=5):
    return {
        f"a-{party.pk}-{item.key}": str(value)
        for party in services.rated_parties(invitee)
        for item in survey.instrument.items.all()
    }


def submit(client, cast, code, survey, invitee, value=5):
    data = {"token": code, "step": "answers", **form_data(survey, invitee, value)}
    return client.post(answer_page(cast), data)


def test_the_link_answers_once_without_signing_in(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    code = code_for(invitee)
    assert client.get(answer_page(cast)).status_code == 200
    opened = client.post(answer_page(cast), {"token": code})
    assert opened.status_code == 200
    assert "Birch Bio delivers what it promises" in opened.content.decode()
    done = submit(client, cast, code, survey, invitee)
    assert "Thank you" in done.content.decode()
    assert Response.objects.count() == 1
    assert len(Response.objects.get().values) == 12
    again = submit(client, cast, code, survey, invitee, value=1)
    assert again.status_code == 404  # the code was cleared when it was used
    assert services.LINK_INVALID in again.content.decode()
    assert set(Response.objects.get().values.values()) == {5}


def test_the_emailed_link_keeps_its_code_out_of_the_request_line(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_round(cast)
    message = next(m for m in mail.outbox if cast.amos.email in m.to)
    url = re.search(r"(https?://\S+)", message.body).group(1)
    path, _, fragment = url.partition("#")
    assert path.endswith(answer_page(cast))
    code = fragment.removeprefix("t=")
    assert fragment.startswith("t=")
    assert len(code) >= 43
    assert code not in path
    assert f"\n{code}\n" in message.body  # also on its own line, for pasting
    invitee = Invitee.objects.get(round__partnership=cast.partnership, user=cast.amos)
    assert invitee.token_hash == hash_secret(code)


def test_the_code_decodes_to_no_identity_and_is_stored_only_hashed(cast):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    code = code_for(invitee)
    # 32 random bytes, nothing else: no signed payload, no JSON naming round or invitee.
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", code)
    assert len(base64.urlsafe_b64decode(code + "=")) == 32
    for salt in ("accord.trust.answer", ""):
        with pytest.raises(signing.BadSignature):
            signing.loads(code, salt=salt)
    stored = list(Invitee.objects.values_list("token_hash", flat=True))
    assert code not in stored
    assert hash_secret(code) in stored
    assert code_for(invitee) != code  # a new code every time: nothing derives it from the invitee


def test_the_answer_page_script_is_served_from_static_files_under_the_csp(cast, client):
    page = client.get(answer_page(cast))
    html = page.content.decode()
    assert re.search(r'<script src="/static/accord/answer-link\.js" defer>', html)
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert 'name="token"' in html  # with JavaScript off, the code is pasted here
    assert "#t=" in html  # and the page says where to find it


def test_an_incomplete_form_is_shown_again_with_its_errors(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    code = code_for(invitee)
    data = {"token": code, "step": "answers", **form_data(survey, invitee)}
    data.popitem()
    page = client.post(answer_page(cast), data)
    assert page.status_code == 200
    assert "Please choose an answer." in page.content.decode()
    assert not Response.objects.exists()


def test_a_wrong_code_is_refused(cast, client):
    open_round(cast)
    page = client.post(answer_page(cast), {"token": "not-a-code"})
    assert page.status_code == 404
    assert services.LINK_INVALID in page.content.decode()


def test_a_new_email_voids_the_old_link(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    old = code_for(invitee)
    code_for(invitee)
    assert client.post(answer_page(cast), {"token": old}).status_code == 404


def test_the_link_stops_working_when_the_round_closes(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    code = code_for(invitee)
    services.round_close(user=cast.alice, survey=survey, now=timezone.now())
    page = client.post(answer_page(cast), {"token": code})
    assert page.status_code == 410
    assert services.ROUND_IS_CLOSED in page.content.decode()


def test_the_link_of_one_partnership_does_not_work_under_another(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    code = code_for(invitee)
    other = reverse("trust:answer", kwargs={"pk": cast.partnership.pk + 1})
    assert client.post(other, {"token": code}).status_code == 404


def test_a_pasted_code_may_keep_its_t_equals(cast):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    code = code_for(invitee)
    assert links.invitee_for_code(f" t={code} ") == invitee


def test_the_link_grants_nothing_but_answering(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    client.post(answer_page(cast), {"token": code_for(invitee)})
    for name in ("trust:overview", "trust:export", "culture:overview"):
        response = client.get(reverse(name, kwargs={"pk": cast.partnership.pk}))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_signed_in_invitees_answer_in_the_app(cast, client):
    survey = open_round(cast)
    client.force_login(cast.bea)
    url = reverse("trust:respond", kwargs={"pk": cast.partnership.pk, "round_id": survey.pk})
    invitee = Invitee.objects.get(round=survey, user=cast.bea)
    assert client.get(url).status_code == 200
    client.post(url, form_data(survey, invitee))
    invitee.refresh_from_db()
    assert invitee.responded
    assert invitee.token_hash is None
    assert client.get(url).status_code == 302
