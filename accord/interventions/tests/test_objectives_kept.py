"""Kept objective rows and HTML are never stale: after each kind of change made through the
app, the overview card and the objectives tab (rendered once before, so their rows and HTML are
kept) show it on the next request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.accountability.services.commitments import commitment_create, commitment_set_status
from accord.accountability.services.scheduled import mark_missed
from accord.interventions import selectors, services
from accord.interventions.models import Objective
from accord.interventions.tests.test_objectives_queries import add_objectives, count_queries
from accord.performance.models import Observation
from accord.performance.services import metric_delete, metric_update
from accord.performance.tests.helpers import import_csv, make_metric

pytestmark = pytest.mark.django_db


def pages(cast, client, user) -> tuple[str, str]:
    """The overview's objectives card and the objectives tab's list as ``user`` sees them (the
    overview's recent activity names objectives too, removed ones included)."""
    client.force_login(user)
    overview = client.get(reverse("partnership_detail", args=[cast.partnership.pk]))
    tab = client.get(reverse("objectives:list", args=[cast.partnership.pk]))
    assert overview.status_code == tab.status_code == 200
    return (
        _between(
            overview.content.decode(), 'id="objectives-heading"', "Objectives, their evidence"
        ),
        _between(tab.content.decode(), "Objectives and their evidence", "</section>"),
    )


def _between(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def both_show(cast, client, user, text: str) -> bool:
    overview, tab = pages(cast, client, user)
    return text in overview and text in tab


def neither_shows(cast, client, user, text: str) -> bool:
    overview, tab = pages(cast, client, user)
    return text not in overview and text not in tab


def test_a_new_objective_shows(cast, client):
    services.objective_create(partnership=cast.partnership, user=cast.alice, title="First aim")
    assert both_show(cast, client, cast.alice, "First aim")
    services.objective_create(partnership=cast.partnership, user=cast.alice, title="Second aim")
    assert both_show(cast, client, cast.alice, "Second aim")


def test_an_edited_objective_shows_its_new_title_and_links(cast, client):
    objective = services.objective_create(
        partnership=cast.partnership, user=cast.alice, title="Old title"
    )
    metric = make_metric(cast, code="otif")
    assert both_show(cast, client, cast.alice, "Old title")
    services.objective_update(
        objective=objective,
        user=cast.alice,
        title="New title",
        description="Now with a description",
        scope=Objective.Scope.JOINT,
        owner_party_id=None,
        visibility="joint",
        metric_ids=[metric.pk],
        commitment_ids=[],
    )
    overview, tab = pages(cast, client, cast.alice)
    assert "New title" in overview
    assert "Old title" not in overview
    assert "Now with a description" in tab
    assert "Otif" in tab


def test_a_commitment_status_change_changes_the_objective_status(cast, client):
    today = timezone.localdate()
    commitment = commitment_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Hand over",
        owner_party=cast.party_a,
        due_on=today + timedelta(days=5),
    )
    services.objective_create(
        partnership=cast.partnership, user=cast.alice, title="Aim", commitment_ids=[commitment.pk]
    )
    assert both_show(cast, client, cast.alice, 'class="badge obj-on_track"')
    commitment_set_status(commitment=commitment, user=cast.alice, status="done")
    assert both_show(cast, client, cast.alice, 'class="badge obj-met"')


def test_the_periodic_missed_pass_shows(cast, client):
    today = timezone.localdate()
    commitment = commitment_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Hand over",
        owner_party=cast.party_a,
        due_on=today + timedelta(days=5),
    )
    services.objective_create(
        partnership=cast.partnership, user=cast.alice, title="Aim", commitment_ids=[commitment.pk]
    )
    _, tab = pages(cast, client, cast.alice)
    assert "planned" in tab or "in progress" in tab
    mark_missed(today=today + timedelta(days=10))
    commitment.refresh_from_db()
    assert commitment.status == "missed"
    _, tab = pages(cast, client, cast.alice)
    assert "— missed" in tab


def test_a_deleted_objective_and_a_deleted_metric_go(cast, client):
    metric = make_metric(cast, code="otif")
    objective = services.objective_create(
        partnership=cast.partnership, user=cast.alice, title="Short-lived", metric_ids=[metric.pk]
    )
    services.objective_create(
        partnership=cast.partnership, user=cast.alice, title="Stays", metric_ids=[metric.pk]
    )
    assert both_show(cast, client, cast.alice, "Short-lived")
    services.objective_delete(objective=objective, user=cast.alice)
    assert neither_shows(cast, client, cast.alice, "Short-lived")
    _, tab = pages(cast, client, cast.alice)
    assert "Otif" in tab
    metric_delete(metric=metric, user=cast.alice)
    _, tab = pages(cast, client, cast.alice)
    assert "Otif" not in tab


def test_imported_values_and_new_thresholds_change_the_light(cast, client):
    month = timezone.localdate().replace(day=1)
    metric = make_metric(cast, code="otif")
    Observation.objects.create(metric=metric, period=month, value=99.0)
    services.objective_create(
        partnership=cast.partnership, user=cast.alice, title="Aim", metric_ids=[metric.pk]
    )
    assert both_show(cast, client, cast.alice, 'class="badge obj-met"')
    # A re-import replaces the value in place: same rows, same count.
    assert import_csv(cast, f"metric,period,value\notif,{month:%Y-%m},50\n").ok
    assert both_show(cast, client, cast.alice, 'class="badge obj-unmet"')
    metric_update(metric=metric, user=cast.alice, amber_threshold=40.0, red_threshold=30.0)
    _, tab = pages(cast, client, cast.alice)
    assert "rag-red" not in tab


def test_one_partys_internal_objective_is_never_shown_to_the_other(cast, client):
    services.objective_create(partnership=cast.partnership, user=cast.alice, title="Joint aim")
    assert both_show(cast, client, cast.bob, "Joint aim")
    assert both_show(cast, client, cast.alice, "Joint aim")
    services.objective_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Keep our own margin",
        scope="party",
        owner_party_id=cast.party_a.pk,
        visibility="internal",
    )
    assert both_show(cast, client, cast.alice, "Keep our own margin")
    assert neither_shows(cast, client, cast.bob, "Keep our own margin")
    services.objective_create(
        partnership=cast.partnership,
        user=cast.bob,
        title="Our side only",
        visibility="internal",
        scope="party",
        owner_party_id=cast.party_b.pk,
    )
    assert both_show(cast, client, cast.bob, "Our side only")
    assert neither_shows(cast, client, cast.alice, "Our side only")


def test_an_open_commitment_turns_overdue_when_the_day_passes(cast):
    today = timezone.localdate()
    commitment = commitment_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Hand over",
        owner_party=cast.party_a,
        due_on=today + timedelta(days=1),
    )
    services.objective_create(
        partnership=cast.partnership, user=cast.alice, title="Aim", commitment_ids=[commitment.pk]
    )
    rows = selectors.objective_rows(partnership=cast.partnership, viewer=cast.alice, today=today)
    assert rows[0].status == "on_track"
    later = today + timedelta(days=3)
    rows = selectors.objective_rows(partnership=cast.partnership, viewer=cast.alice, today=later)
    assert rows[0].status == "unmet"


def test_the_forms_choices_follow_new_metrics_and_commitments(cast, client):
    client.force_login(cast.alice)
    url = reverse("objectives:list", args=[cast.partnership.pk])
    assert "Fresh Metric" not in client.get(url).content.decode()
    make_metric(cast, code="fresh-metric")
    commitment_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Fresh deliverable",
        owner_party=cast.party_a,
        due_on=timezone.localdate() + timedelta(days=9),
    )
    page = client.get(url).content.decode()
    assert "Fresh Metric</option>" in page
    assert "Fresh deliverable (due" in page


def test_a_second_look_reads_only_the_key(cast, client):
    """Kept: the objective rows' four queries and the form choices' three are read once per
    state; a second request reads the one key query instead."""
    add_objectives(cast, 0, 3)
    client.force_login(cast.alice)
    tab = reverse("objectives:list", args=[cast.partnership.pk])
    overview = reverse("partnership_detail", args=[cast.partnership.pk])
    first, _ = count_queries(client, tab)
    second, page = count_queries(client, tab)
    assert second <= first - 7
    assert page.count('class="obj-row"') == 3
    client.force_login(cast.bob)  # another organization: its own rows, then kept
    first, _ = count_queries(client, overview)
    second, _ = count_queries(client, overview)
    assert second <= first - 4


def test_two_values_swapped_between_months_or_metrics_are_a_new_key(cast):
    """Observations have no stamp: a correction that swaps two values keeps every count and
    plain sum, so the key also weighs values by period and by metric."""
    from accord.interventions import kept_objectives

    first, second = make_metric(cast, code="otif"), make_metric(cast, code="nps")
    june, july = (
        timezone.localdate().replace(month=6, day=1),
        timezone.localdate().replace(month=7, day=1),
    )
    Observation.objects.create(metric=first, period=june, value=10.0)
    Observation.objects.create(metric=first, period=july, value=20.0)
    Observation.objects.create(metric=second, period=june, value=30.0)
    today = timezone.localdate()

    def key():
        return kept_objectives.key(cast.partnership, cast.alice, today)

    before = key()
    Observation.objects.filter(metric=first, period=june).update(value=20.0)
    Observation.objects.filter(metric=first, period=july).update(value=10.0)
    between_months = key()
    assert between_months != before
    Observation.objects.filter(metric=first, period=june).update(value=30.0)
    Observation.objects.filter(metric=second, period=june).update(value=20.0)
    assert key() not in (before, between_months)


def test_the_kept_form_fields_are_each_organizations_own_and_a_refused_form_keeps_its_values(
    cast, client
):
    make_metric(cast, code="alder-secret", internal=True)
    url = reverse("objectives:list", args=[cast.partnership.pk])
    client.force_login(cast.alice)
    assert "Alder Secret</option>" in client.get(url).content.decode()
    client.force_login(cast.bob)
    assert "Alder Secret</option>" not in client.get(url).content.decode()
    client.force_login(cast.alice)
    refused = client.post(url, {"title": "", "description": "Typed before the error"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Typed before the error</textarea>" in page
    assert 'class="error" role="alert"' in page
    assert "Typed before the error" not in client.get(url).content.decode()
