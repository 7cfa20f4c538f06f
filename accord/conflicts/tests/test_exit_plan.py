"""The exit procedure: a dissolution plan with tracked steps."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.conflicts import services
from accord.conflicts.models import ExitStep
from accord.partnerships.audit import AuditEvent
from accord.partnerships.models import Partnership


@pytest.fixture
def plan(cast):
    return services.exit_plan_start(
        partnership=cast.partnership, user=cast.alice, reason="The parties agreed to part."
    )


def test_starting_the_plan_moves_the_partnership_to_dissolving(cast, plan):
    cast.partnership.refresh_from_db()
    assert cast.partnership.status == Partnership.Status.DISSOLVING
    assert AuditEvent.objects.filter(action="partnership.update").exists()
    assert AuditEvent.objects.filter(action="conflicts.exit_plan_start").exists()


def test_the_plan_covers_every_area(plan):
    assert set(plan.steps.values_list("area", flat=True)) == set(ExitStep.Area.values)
    assert all(step.due_on for step in plan.steps.all())


def test_a_second_plan_is_refused(cast, plan):
    with pytest.raises(ValidationError, match=services.EXIT_PLAN_EXISTS):
        services.exit_plan_start(partnership=cast.partnership, user=cast.bob, reason="Again.")


def test_only_managers_start_it(cast):
    with pytest.raises(ValidationError, match=services.NOT_A_MANAGER):
        services.exit_plan_start(partnership=cast.partnership, user=cast.amos, reason="Out.")
    cast.partnership.refresh_from_db()
    assert cast.partnership.status != Partnership.Status.DISSOLVING


def test_a_step_owner_may_tick_their_step_but_not_reassign_it(cast, plan):
    step = plan.steps.get(area="data")
    services.exit_step_update(step=step, user=cast.alice, owner=cast.bea)
    services.exit_step_update(step=step, user=cast.bea, done=True)
    step.refresh_from_db()
    assert step.is_done
    assert step.done_by == cast.bea
    with pytest.raises(ValidationError, match=services.NOT_A_MANAGER):
        services.exit_step_update(step=step, user=cast.bea, owner=cast.amos)


def test_a_step_owner_must_take_part(cast, plan):
    with pytest.raises(ValidationError) as caught:
        services.exit_step_update(step=plan.steps.first(), user=cast.alice, owner=cast.olga)
    assert caught.value.message_dict["owner"] == [services.STEP_OWNER_NOT_PARTICIPANT]


def test_completing_needs_every_step_done_then_dissolves(cast, plan):
    with pytest.raises(ValidationError, match="6 step"):
        services.exit_plan_complete(plan=plan, user=cast.alice)
    for step in plan.steps.all():
        services.exit_step_update(step=step, user=cast.bob, done=True)
    services.exit_plan_complete(plan=plan, user=cast.bob)
    cast.partnership.refresh_from_db()
    assert cast.partnership.status == Partnership.Status.DISSOLVED


def test_the_page_shows_progress(cast, plan, client):
    first = plan.steps.first()
    services.exit_step_update(step=first, user=cast.alice, done=True)
    client.force_login(cast.bob)
    page = client.get(reverse("conflicts:exit_plan", kwargs={"pk": cast.partnership.pk}))
    text = page.content.decode()
    assert "1 of 6 steps done (17%)" in text
    assert "Dissolving" in text


def test_starting_on_the_page_links_the_issue(cast, client):
    issue = services.issue_raise(
        partnership=cast.partnership,
        user=cast.amos,
        title="Irreconcilable strategy",
        description="Alder exits the indication.",
        conflict_type="relationship",
    )
    client.force_login(cast.alice)
    url = reverse("conflicts:exit_start", kwargs={"pk": cast.partnership.pk})
    response = client.post(url, {"reason": "Strategy diverged.", "issue": issue.pk})
    assert response.status_code == 302
    assert cast.partnership.exit_plan.issue == issue


def test_an_empty_reason_re_renders_the_form(cast, client):
    client.force_login(cast.alice)
    url = reverse("conflicts:exit_start", kwargs={"pk": cast.partnership.pk})
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    cast.partnership.refresh_from_db()
    assert cast.partnership.status != Partnership.Status.DISSOLVING
