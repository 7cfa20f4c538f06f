"""Anonymity is real: the schema cannot join answers to people, and no route, export, admin or
audit event shows an individual answer or a group below k."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from accord.api.services import token_create
from accord.partnerships.audit import AuditEvent
from accord.testing.numbers import decimals_in, shows_value
from accord.trust import services
from accord.trust.models import Invitee, Response
from accord.trust.tests.helpers import answered_round, open_round, staff

INDIVIDUAL_KEYS = {
    "value",
    "values",
    "answers",
    "answer",
    "response_id",
    "respondent",
    "user",
    "invitee",
}


def test_answers_are_stored_without_the_respondent():
    for model in (Response,):
        fields = model._meta.get_fields()
        related = {f.related_model for f in fields if f.is_relation and f.concrete}
        assert settings.AUTH_USER_MODEL not in {m._meta.label for m in related if m}
        assert Invitee not in related
        assert not any(isinstance(f, (models.DateTimeField, models.DateField)) for f in fields)
        assert isinstance(model._meta.pk, models.UUIDField)


def test_the_record_of_having_answered_holds_no_time():
    assert not any(
        isinstance(f, (models.DateTimeField, models.DateField)) for f in Invitee._meta.get_fields()
    )


def test_answering_writes_no_audit_event(cast):
    survey = open_round(cast)
    before = AuditEvent.objects.count()
    services.response_submit(
        invitee=Invitee.objects.get(round=survey, user=cast.amos),
        answers={cast.party_b.pk: {i.key: 6 for i in survey.instrument.items.all()}},
    )
    assert AuditEvent.objects.count() == before


def test_no_admin_view_exists_for_answers():
    if apps.is_installed("django.contrib.admin"):
        from django.contrib import admin

        assert Response not in admin.site._registry

    else:
        assert "django.contrib.admin" not in settings.INSTALLED_APPS


def test_a_second_answer_is_refused(cast):
    survey = open_round(cast)
    invitee = Invitee.objects.get(round=survey, user=cast.amos)
    answers = {cast.party_b.pk: {i.key: 6 for i in survey.instrument.items.all()}}
    services.response_submit(invitee=invitee, answers=answers)
    with pytest.raises(Exception, match="already answered"):
        services.response_submit(invitee=invitee, answers=answers)
    assert Response.objects.count() == 1


def _walk(obj, path=""):
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield f"{path}.{key}", key, value
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _walk(value, f"{path}[{i}]")


@pytest.fixture
def below_k(cast):
    """Closed round: 3 of Alder answered (published), 2 of Birch answered with a distinctive
    pattern (withheld); then an open round in which 3 of Birch answered (hidden until close)."""
    staff(cast, cast.org_a, 3)

    def birch_pattern(party, item):
        return 7 if item.reverse else 1  # every Birch answer scores 1: mean 1.00

    closed = answered_round(cast, {cast.org_a: 3}, value=4, close=False)
    for invitee in Invitee.objects.filter(round=closed, party=cast.party_b)[:2]:
        from accord.trust.tests.helpers import answer_all

        answer_all(closed, invitee, birch_pattern)
    services.round_close(user=cast.alice, survey=closed)
    staff(cast, cast.org_b, 3)
    still_open = answered_round(cast, {cast.org_b: 3}, value=2, close=False, title="Open")
    return closed, still_open


TRUST_PAGES = ["trust:overview", "trust:stage", "trust:export"]


@pytest.mark.parametrize("persona", ["alice", "bob", "oscar"])
def test_no_page_or_export_shows_a_group_below_k(cast, client, below_k, persona):
    closed, still_open = below_k
    client.force_login(getattr(cast, persona))
    kw = {"pk": cast.partnership.pk}
    pages = [reverse(n, kwargs=kw) for n in TRUST_PAGES] + [
        reverse("trust:round_detail", kwargs={**kw, "round_id": closed.pk}),
        reverse("trust:round_detail", kwargs={**kw, "round_id": still_open.pk}),
        reverse("culture:overview", kwargs=kw),
        reverse("culture:report", kwargs=kw),
        reverse("culture:report_markdown", kwargs=kw),
        reverse("partnership_activity", kwargs=kw),
        reverse("partnership_detail", kwargs=kw),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        # Birch's two answers score exactly 1 on every form; that mean must appear nowhere,
        # nor the open round's 2.00 (its results are hidden until it closes). Values are read
        # as numbers written like a mean (two or more decimals), so a clock ("11:32:11.004598")
        # or an id cannot pass for one, nor a rule's "1.0 points".
        for leaked in (1, 2):
            assert not shows_value(body, leaked, min_places=2), (
                f"{url} shows {leaked}: {decimals_in(body)}"
            )
    overview = client.get(reverse("trust:overview", kwargs=kw)).content.decode()
    assert overview.count("not enough responses") >= 3
    csv = client.get(reverse("trust:export", kwargs=kw)).content.decode()
    assert csv.count("not enough responses") == 3
    assert csv.count(",published,") == 3


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_no_api_route_returns_an_individual_answer_or_a_group_below_k(
    cast, client, below_k, persona
):
    closed, still_open = below_k
    _token, raw = token_create(user=getattr(cast, persona), name="t", days=1)
    headers = {"Authorization": f"Bearer {raw}"}
    base = f"/api/v1/partnerships/{cast.partnership.pk}"
    routes = [
        "/surveys/rounds",
        f"/surveys/rounds/{closed.pk}",
        f"/surveys/rounds/{still_open.pk}",
        "/surveys/instruments",
        "/trust/results",
        "/trust/results?round=1",
        "/trust/results?round=2",
        "/trust/stage",
        "/culture/readings",
        "/culture/report",
        "/audit",
    ]
    for route in routes:
        response = client.get(base + route, headers=headers)
        if response.status_code == 404 and route == "/audit":
            continue
        assert response.status_code == 200, route
        data = response.json()
        for path, key, value in _walk(data):
            assert key not in INDIVIDUAL_KEYS, f"{route} exposes {path}"
            if key == "mean":
                assert value is None or abs(value - 1.0) > 1e-9, f"{route} leaks {path}"
    results = client.get(base + "/trust/results", headers=headers).json()
    withheld = [c for c in results["cells"] if not c["published"]]
    assert len(withheld) == 3
    assert all(c["mean"] is None and c["n"] is None and c["sd"] is None for c in withheld)
    assert {c["round"] for c in results["cells"]} == {1}  # the open round shows nothing


def test_audit_events_carry_no_answers(cast, below_k):
    for event in AuditEvent.objects.filter(partnership=cast.partnership):
        text = json.dumps(event.changes) + event.summary
        assert "value" not in text
        assert not shows_value(text, 1, min_places=2)


def test_the_threshold_follows_the_partnership_setting(cast):
    cast.partnership.anonymity_k = 4
    cast.partnership.save()
    answered_round(cast, {cast.org_a: 3}, value=5)
    from accord.trust.selectors import partnership_trust

    results = partnership_trust(partnership=cast.partnership)
    assert results.cells
    assert all(not hasattr(c, "mean") for c in results.cells)
