from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accord.trust import services
from accord.trust.models import Invitee, Response
from accord.trust.tests.helpers import open_round


def link(invitee):
    return services.answer_url(invitee)


def form_data(survey, invitee, value=5):
    return {
        f"a-{party.pk}-{item.key}": str(value)
        for party in services.rated_parties(invitee)
        for item in survey.instrument.items.all()
    }


def test_the_link_answers_once_without_signing_in(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    page = client.get(link(invitee))
    assert page.status_code == 200
    assert "Birch Bio delivers what it promises" in page.content.decode()
    done = client.post(link(invitee), form_data(survey, invitee))
    assert "Thank you" in done.content.decode()
    assert Response.objects.count() == 1
    assert len(Response.objects.get().values) == 12
    again = client.post(link(invitee), form_data(survey, invitee, 1))
    assert again.status_code == 410
    assert services.ALREADY_ANSWERED in again.content.decode()
    assert set(Response.objects.get().values.values()) == {5}


def test_an_incomplete_form_is_shown_again_with_its_errors(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    data = form_data(survey, invitee)
    data.popitem()
    page = client.post(link(invitee), data)
    assert page.status_code == 200
    assert "Please choose an answer." in page.content.decode()
    assert not Response.objects.exists()


def test_a_token_signed_for_another_purpose_is_refused(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    forged = signing.dumps({"r": survey.pk, "i": invitee.pk, "n": invitee.nonce}, salt="other")
    page = client.get(reverse("trust:answer", kwargs={"pk": cast.partnership.pk, "token": forged}))
    assert page.status_code == 404
    assert services.LINK_INVALID in page.content.decode()


def test_a_reissued_nonce_voids_the_old_link(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    old = link(invitee)
    Invitee.objects.filter(pk=invitee.pk).update(nonce="fresh")
    assert client.get(old).status_code == 404


def test_the_link_stops_working_when_the_round_closes(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    services.round_close(user=cast.alice, survey=survey)
    page = client.get(link(invitee))
    assert page.status_code == 410
    assert services.ROUND_IS_CLOSED in page.content.decode()


def test_an_old_signature_expires(cast):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    token = services.answer_token(invitee)
    later = timezone.now() + services.LINK_MAX_AGE + timedelta(days=1)
    with time_machine.travel(later), pytest.raises(ValidationError) as error:
        services.invitee_from_token(token)
    assert services.LINK_EXPIRED in str(error.value)


def test_the_link_of_one_partnership_does_not_work_under_another(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    token = services.answer_token(invitee)
    other = reverse("trust:answer", kwargs={"pk": cast.partnership.pk + 1, "token": token})
    assert client.get(other).status_code == 404


def test_the_link_grants_nothing_but_answering(cast, client):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    client.get(link(invitee))
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
    assert client.get(url).status_code == 302
