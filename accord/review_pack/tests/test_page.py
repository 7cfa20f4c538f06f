"""The review pack page: the history import is offered once, in the page body (it was repeated
in the breadcrumbs and inside the <title>), and the page costs the same queries for one quarter
or twelve."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.partnerships.models import Partnership
from accord.testing.queries import page_queries

pytestmark = pytest.mark.django_db

OFFER = "Did the partnership run before it joined Accord?"


def test_the_history_import_is_offered_once_and_the_title_is_plain_text(cast, client):
    client.force_login(cast.alice)
    page = client.get(f"/partnerships/{cast.partnership.pk}/review-pack/").content.decode()
    assert page.count(OFFER) == 1
    (title,) = re.findall(r"<title>(.*?)</title>", page, re.S)
    assert "<" not in title
    assert title.startswith("Quarterly review pack · ")


def test_the_page_costs_the_same_queries_for_one_quarter_or_twelve(
    cast, client, django_assert_max_num_queries
):
    url = f"/partnerships/{cast.partnership.pk}/review-pack/"
    client.force_login(cast.alice)
    Partnership.objects.filter(pk=cast.partnership.pk).update(start_date=timezone.localdate())
    few = page_queries(client, url)
    Partnership.objects.filter(pk=cast.partnership.pk).update(
        start_date=timezone.localdate() - timedelta(days=5 * 365)
    )
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert page.count(".pdf") == 12
    assert few <= 9
