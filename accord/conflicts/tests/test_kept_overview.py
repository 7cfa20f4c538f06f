"""The conflicts overview keeps its signals, ladder and issue list as HTML
(``kept_overview``): every kind of change made through the app shows on the next render, and
no viewer is served another's rendering."""

from datetime import timedelta

from django.urls import reverse

from accord.conflicts import services
from accord.partnerships.models import Visibility


def _page(client, cast, user=None, state="open") -> str:
    client.force_login(user or cast.alice)
    url = reverse("conflicts:overview", kwargs={"pk": cast.partnership.pk})
    response = client.get(url, {"state": state})
    assert response.status_code == 200
    return response.content.decode()


def _raise(cast, user=None, title="Late samples", **extra):
    return services.issue_raise(
        partnership=cast.partnership,
        user=user or cast.amos,
        title=title,
        description="Two weeks late.",
        conflict_type="timing",
        **extra,
    )


def test_raising_escalating_resolving_and_withdrawing_show_at_once(cast, client):
    assert "of 0 raised" in _page(client, cast)
    issue = _raise(cast)
    page = _page(client, cast)
    assert "of 1 raised" in page
    assert "Late samples" in page
    services.issue_escalate(issue=issue, user=cast.amos, note="Stuck.")
    assert "escalated 1×" in _page(client, cast)
    principle = cast.partnership.conflict_principles.get(title="The agreed work plan decides")
    issue.refresh_from_db()
    services.issue_resolve(issue=issue, user=cast.alice, principle=principle, resolution="CR.")
    assert "Late samples" not in _page(client, cast)
    assert "Late samples" in _page(client, cast, state="resolved")
    other = _raise(cast, title="Budget overrun")
    assert "Budget overrun" in _page(client, cast)
    services.issue_withdraw(issue=other, user=cast.amos)
    assert "Budget overrun" not in _page(client, cast)
    assert "Budget overrun" in _page(client, cast, state="withdrawn")


def test_the_escalation_pass_shows_at_once(cast, client):
    issue = _raise(cast)
    assert "escalated" not in _page(client, cast)
    services.escalate_due(issue.tier_entered_at + timedelta(days=400))
    assert "escalated 1×" in _page(client, cast)


def test_new_escalation_windows_show_at_once(cast, client):
    _raise(cast)
    windows = dict(cast.partnership.escalation_windows)
    first = next(iter(windows))
    assert f"{windows[first]} day window" in _page(client, cast)
    windows[first] = 41
    cast.partnership.escalation_windows = windows
    cast.partnership.save()
    assert "41 day window" in _page(client, cast)


def test_another_partys_internal_issue_is_its_own(cast, client):
    _raise(cast, user=cast.bea, title="Birch only", visibility=Visibility.INTERNAL)
    assert "Birch only" not in _page(client, cast, cast.alice)
    assert "Birch only" in _page(client, cast, cast.bob)
    assert "Birch only" not in _page(client, cast, cast.alice)


def test_a_facilitator_is_not_served_a_readers_list(cast, client):
    _raise(cast)
    assert "Late samples" in _page(client, cast, cast.alice)
    assert "Late samples" not in _page(client, cast, cast.fiona)


def test_restricted_lists_name_raisers_per_organization(cast, client):
    cast.partnership.restrict_participant_lists = True
    cast.partnership.save()
    _raise(cast, user=cast.amos)
    assert "Amos" in _page(client, cast, cast.alice)
    assert "Amos" not in _page(client, cast, cast.bob)
