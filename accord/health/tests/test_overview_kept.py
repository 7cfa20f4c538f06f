"""The health tab keeps its score sections and history chart as HTML (``kept_overview``): a new
scoring pass, changed weights and the weeks asked for show on the next request, and the "you"
badge of one organization is never served to another."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from accord.health import services
from accord.health.tests.test_scoring import TODAY, score, story_source  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def page(client, cast, user=None, **params) -> str:
    client.force_login(user or cast.alice)
    with time_machine.travel(TODAY):
        response = client.get(
            reverse("health:overview", kwargs={"pk": cast.partnership.pk}), params
        )
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def overall(html: str) -> str:
    return re.search(r"Overall: (\S+ / 100|no evidence yet)", text(html)).group(1)


def test_a_new_scoring_pass_shows_at_once(cast, client, story_source):  # noqa: F811
    assert "No evidence yet: no health has been computed" in text(page(client, cast))
    story_source["story"] = "healthy"
    score(cast)
    healthy = overall(page(client, cast))
    story_source["story"] = "one_sided"
    score(cast)
    assert overall(page(client, cast)) != healthy


def test_changed_weights_show_at_once(cast, client, story_source):  # noqa: F811
    score(cast)
    assert not re.search(r"Trust \d+ 7\.50", text(page(client, cast)))
    services.set_weights(partnership=cast.partnership, weights={"trust": 7.5}, actor=cast.alice)
    assert re.search(r"Trust \d+ 7\.50", text(page(client, cast)))


def test_the_you_badge_is_each_organizations_own(cast, client, story_source):  # noqa: F811
    score(cast)
    mine = re.compile(r'>([^<>]+)</a> <span class="badge">you</span>')
    assert mine.findall(page(client, cast, cast.alice)) == ["Alder Pharma"]
    assert mine.findall(page(client, cast, cast.bob)) == ["Birch Bio"]
    assert mine.findall(page(client, cast, cast.alice)) == ["Alder Pharma"]


def test_the_weeks_asked_for_are_the_weeks_drawn(cast, client, story_source):  # noqa: F811
    score(cast)
    assert "over the last 52 weeks" in page(client, cast)
    assert "over the last 13 weeks" in page(client, cast, weeks=13)
    assert "over the last 52 weeks" in page(client, cast)
