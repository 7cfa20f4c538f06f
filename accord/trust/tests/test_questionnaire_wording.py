"""A questionnaire reads as its respondents will read it: the other party's name in place of
``{partner}``, and constructs by their label, never an item key."""

import re

from django.urls import reverse


def page(client, user, cast):
    client.force_login(user)
    url = reverse(
        "trust:instrument_detail", kwargs={"pk": cast.partnership.pk, "key": "accord-trust"}
    )
    html = client.get(url).content.decode()
    return re.sub(r"<[^>]+>", " ", html)  # what a person reads: text, not links' addresses


def test_statements_name_the_other_party_and_never_show_keys(cast, client):
    alice = page(client, cast.alice, cast)
    assert "Birch Bio delivers what it promises, on time and to the agreed standard." in alice
    assert "{partner}" not in alice
    assert "competence.delivers" not in alice
    assert "Competence trust" in alice
    bob = page(client, cast.bob, cast)
    assert "Alder Pharma delivers what it promises, on time and to the agreed standard." in bob
