"""Tabs and actions are offered only to those who may use them, decided by the access layer that
guards their routes (the crawl in test_guard_links.py checks the same over the whole demo)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.accountability.services.signed_links import (
    OWN_COMMITMENT,
    commitment_send_update_link,
)
from accord.accountability.tests.authz import a_commitment
from accord.partnerships.access import can_create_partnership

ASK_FOR_UPDATE = "Ask the owner for an update"


def tabs_seen(client, user, partnership) -> list[str]:
    client.force_login(user)
    page = client.get(reverse("partnership_detail", args=[partnership.pk])).content.decode()
    nav = re.search(r'<nav class="tabs"[^>]*>(.*?)</nav>', page, re.DOTALL)
    assert nav, "no tabs on the overview"
    return re.findall(r">([^<>]+)</a>", nav.group(1))


def test_a_neutral_facilitator_sees_only_the_tabs_they_can_open(cast, client):
    # Conflicts for tier-4 facilitation, Intervention for the shortfall review they run.
    assert tabs_seen(client, cast.fiona, cast.partnership) == [
        "Overview",
        "Intervention",
        "Conflicts",
    ]


def test_a_reader_sees_every_capability_tab(cast, client):
    tabs = tabs_seen(client, cast.oscar, cast.partnership)
    assert tabs[0] == "Overview"
    assert tabs[-1] == "Activity"
    assert {"Trust", "Economics", "Governance", "Conflicts", "Performance"} <= set(tabs)


@pytest.mark.parametrize(
    ("persona", "offered"),
    [
        ("owner", True),
        ("partner", True),
        ("outsider", True),
        ("observer", False),
        ("facilitator", False),
    ],
)
def test_new_partnership_is_offered_only_to_those_who_may_start_one(cast, client, persona, offered):
    user = cast.persona(persona)
    client.force_login(user)
    page = client.get(reverse("partnership_list")).content.decode()
    assert (f'href="{reverse("partnership_create")}"' in page) is offered
    assert can_create_partnership(user) is offered
    assert client.get(reverse("partnership_create")).status_code == (200 if offered else 404)


def test_the_owner_is_not_offered_to_ask_herself_for_an_update(cast, client):
    mine = a_commitment(cast, owner=cast.alice)
    url = reverse("accountability:commitment_detail", args=[cast.partnership.pk, mine.pk])
    client.force_login(cast.alice)
    assert ASK_FOR_UPDATE not in client.get(url).content.decode()
    client.force_login(cast.bob)
    assert ASK_FOR_UPDATE in client.get(url).content.decode()


def test_asking_oneself_for_an_update_is_refused(cast, mailoutbox):
    mine = a_commitment(cast, owner=cast.alice)
    with pytest.raises(ValidationError) as refused:
        commitment_send_update_link(commitment=mine, user=cast.alice)
    assert refused.value.message_dict == {"owner": [OWN_COMMITMENT]}
    assert mailoutbox == []
