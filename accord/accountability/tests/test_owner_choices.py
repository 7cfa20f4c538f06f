"""The commitment form offers as owner only the people of the chosen owner party, follows a new
party choice with htmx, and still refuses a person of another party; the evidence form is on the
commitment page (issue 12, forms without dead ends)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.accountability.models import Commitment
from accord.accountability.tests.helpers import commitment

pytestmark = pytest.mark.django_db


def owner_options(html: str) -> list[str]:
    select = re.search(r'<select name="owner"[^>]*>(.*?)</select>', html, re.S)
    assert select, html
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select.group(1))


def url(cast) -> str:
    return f"/partnerships/{cast.partnership.pk}/accountability/commitments/new/"


def test_the_owner_list_starts_with_the_people_of_my_own_party(cast, client):
    client.force_login(cast.alice)
    page = client.get(url(cast)).content.decode()
    assert owner_options(page) == ["Alice Alder", "Amos Alder", "Ava Alder"]
    assert f'hx-get="{url(cast)}"' in page


def test_choosing_another_party_swaps_in_its_people_with_htmx(cast, client):
    client.force_login(cast.alice)
    partial = client.get(
        url(cast), {"owner_party": cast.party_b.pk}, headers={"HX-Request": "true"}
    )
    html = partial.content.decode()
    assert html.startswith('<div id="owner-field">')
    assert owner_options(html) == ["Bea Birch", "Bob Birch"]


def test_the_server_still_refuses_an_owner_of_another_party(cast, client):
    client.force_login(cast.alice)
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = {
        "title": "Transfer the assay",
        "owner_party": cast.party_a.pk,
        "owner": cast.bea.pk,
        "due_on": due,
        "visibility": "joint",
    }
    page = client.post(url(cast), data)
    assert page.status_code == 200
    assert "Select a valid choice." in page.content.decode()
    assert not Commitment.objects.exists()

    data["owner"] = cast.amos.pk
    assert client.post(url(cast), data).status_code == 302
    assert Commitment.objects.get().owner == cast.amos


def test_the_evidence_form_is_on_the_commitment_page_for_the_owner_party(cast, client):
    target = commitment(cast)
    client.force_login(cast.amos)
    page = client.get(
        f"/partnerships/{cast.partnership.pk}/accountability/commitments/{target.pk}/"
    ).content.decode()
    assert '<a class="button" href="#add-evidence">Add evidence</a>' in page
    assert '<details id="add-evidence" open>' in page
    assert (
        f'action="/partnerships/{cast.partnership.pk}/accountability/commitments/{target.pk}/evidence/"'
        in page
    )


def test_a_review_action_form_follows_the_party_choice_the_same_way(cast, client):
    from accord.accountability.tests.helpers import review

    meeting = review(cast)
    client.force_login(cast.alice)
    page = client.get(
        f"/partnerships/{cast.partnership.pk}/accountability/reviews/{meeting.pk}/"
    ).content.decode()
    assert '<div id="owner-field">' in page
    assert f'hx-get="{url(cast)}"' in page
    assert owner_options(page) == ["Alice Alder", "Amos Alder", "Ava Alder"]
