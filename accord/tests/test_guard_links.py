"""Every link a page shows a person answers that person with 200: no dead links, and no tab,
button or link to a page the access layer would refuse them (it answers 404).

The crawl starts at home and follows every same-origin link shown, one page per route pattern
(accord/testing/crawl.py); the links it saw are then requested as the same person — every link
of each route pattern up to PER_PATTERN, beyond that an even spread from first to last (a list of
seventy commitments costs four requests, not seventy).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accord.testing.crawl import crawl, route_pattern
from accord.testing.guard import GUARD_PERSONAS, client_fetch, load_guard_demo

PER_PATTERN = 4


def links_to_check(links: dict[str, str]) -> list[tuple[str, str]]:
    """Every link of a pattern up to PER_PATTERN; for longer lists first, last and between."""
    by_pattern: dict[str, list[str]] = {}
    for link in sorted(links):
        by_pattern.setdefault(route_pattern(link), []).append(link)
    chosen = []
    for group in by_pattern.values():
        if len(group) > PER_PATTERN:
            step = (len(group) - 1) / (PER_PATTERN - 1)
            group = [group[round(i * step)] for i in range(PER_PATTERN)]
        chosen += [(link, links[link]) for link in group]
    return sorted(chosen)


@pytest.mark.parametrize("persona", sorted(GUARD_PERSONAS))
def test_every_link_shown_answers_the_person_with_200(persona, db):
    load_guard_demo()
    client = Client()
    client.force_login(get_user_model().objects.get(username=GUARD_PERSONAS[persona]))
    fetch = client_fetch(client)

    result = crawl(fetch)

    assert len(result.pages) >= 10, [v.path for v in result.pages]  # the crawl got past home
    dead = []
    for link, shown_on in links_to_check(result.links):
        status, _type, _body = fetch(link)
        if status != 200:
            dead.append(f"{link} answers {status} (shown on {shown_on})")
    assert dead == [], f"{persona} is shown links that do not open:\n" + "\n".join(dead)
