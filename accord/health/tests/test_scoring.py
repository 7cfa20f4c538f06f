"""Scoring end to end: registry → index and detector → stored weeks and alerts; the alert
lifecycle with notifications and audit; the pages and API reading stored results."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from accord.accountability.tests.helpers import commitment
from accord.domain.health import SIGNALS
from accord.domain.health_stories import story_evidence
from accord.health import registry, services
from accord.health.models import Alert, HealthScore
from accord.health.registry import EvidenceRow, week_of
from accord.health.sources import accountability_evidence
from accord.notifications.models import Notification
from accord.partnerships.audit import AuditEvent
from accord.partnerships.models import Visibility

TODAY = date(2026, 11, 20)


@pytest.fixture
def story_source(monkeypatch, cast):
    """Replace every registered source with one archetype's weekly story for the cast."""
    chosen = {"story": "healthy"}

    def source(ids, *, start, end):
        ev = story_evidence([chosen["story"]], weeks=services.HORIZON_WEEKS, seed=3)
        first = services.horizon(TODAY)[0]
        parties = [cast.party_a.pk, cast.party_b.pk]
        rows = []
        for i in range(len(ev.value)):
            f, t = int(ev.from_side[i]), int(ev.to_side[i])
            rows.append(
                EvidenceRow(
                    cast.partnership.pk,
                    first + timedelta(weeks=int(ev.period[i])),
                    parties[f] if f >= 0 else None,
                    parties[t] if t >= 0 else None,
                    SIGNALS[int(ev.signal[i])].name,
                    float(ev.value[i]),
                    float(ev.weight[i]),
                )
            )
        return rows

    monkeypatch.setattr(registry, "SOURCES", {"story": source})
    return chosen


def score(cast) -> int:
    with time_machine.travel(TODAY):
        return services.score_partnerships([cast.partnership.pk], today=TODAY)


def test_without_evidence_nothing_is_stored_and_the_page_says_no_evidence_yet(cast, client):
    assert score(cast) == 0
    assert not HealthScore.objects.exists()
    client.force_login(cast.alice)
    page = client.get(reverse("health:overview", kwargs={"pk": cast.partnership.pk}))
    assert "No evidence yet" in page.content.decode()


def test_joint_commitments_become_on_time_evidence_per_party_internal_ones_never(cast):
    due = date(2026, 6, 30)
    commitment(cast, due_on=due, status="done", done_on=due)
    commitment(cast, due_on=due, status="done", done_on=due - timedelta(days=1))
    commitment(cast, due_on=due, status="done", done_on=due + timedelta(days=6))
    commitment(cast, due_on=due, status="missed", visibility=Visibility.INTERNAL)
    rows = accountability_evidence(
        [cast.partnership.pk], start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    on_time = [r for r in rows if r.signal == "on_time"]
    assert on_time == [
        EvidenceRow(
            cast.partnership.pk, week_of(due), cast.party_a.pk, cast.party_b.pk, "on_time", 2 / 3, 3
        )
    ]
    slip = next(r for r in rows if r.signal == "slippage_days")
    assert slip.value == pytest.approx(2.0)  # (0 + 0 + 6) / 3 days late


def test_scores_are_stored_per_week_with_the_latest_marked_and_none_for_missing(cast, story_source):
    stored = score(cast)
    assert stored == HealthScore.objects.count() > 100
    latest = HealthScore.objects.get(latest=True)
    assert latest.period_start == week_of(TODAY)
    assert latest.economics is None  # the story has no economic evidence: missing, not 0
    assert latest.governance is not None
    assert 80 < latest.overall <= 100
    assert set(latest.own_views) == {str(cast.party_a.pk), str(cast.party_b.pk)}
    assert not Alert.objects.exists()


def test_a_drifting_story_opens_one_alert_notifies_both_managers_and_is_audited(cast, story_source):
    story_source["story"] = "drifting"
    score(cast)
    score(cast)  # scoring again changes nothing: still one alert
    alert = Alert.objects.get()
    assert alert.state == Alert.State.OPEN
    assert alert.kind in (Alert.Kind.CIRCLE, Alert.Kind.ONE_SIDED)
    assert alert.evidence, "the alert names its chain of evidence"
    assert all("/health/evidence/" in link["url"] for link in alert.evidence)
    notified = set(
        Notification.objects.filter(kind="health_alert").values_list("recipient", flat=True)
    )
    assert notified == {cast.alice.pk, cast.bob.pk}
    opened = AuditEvent.objects.filter(partnership=cast.partnership, action="health.alert_opened")
    assert opened.count() == 1

    story_source["story"] = "healthy"  # recovery
    score(cast)
    alert.refresh_from_db()
    assert alert.state == Alert.State.CLEARED
    assert AuditEvent.objects.filter(action="health.alert_cleared").count() == 1


def test_alerts_are_acknowledged_and_resolved_through_the_api_with_clear_errors(
    cast, story_source, client
):
    story_source["story"] = "drifting"
    score(cast)
    alert = Alert.objects.get()
    client.force_login(cast.bob)
    base = f"/api/v1/partnerships/{cast.partnership.pk}/health/alerts/{alert.pk}"
    ack = client.post(f"{base}/acknowledge")
    assert ack.status_code == 200
    assert ack.json()["state"] == "acknowledged"
    again = client.post(f"{base}/acknowledge")
    assert again.status_code == 400
    assert again.json()["code"] == "alert_state"
    resolved = client.post(f"{base}/resolve")
    assert resolved.json()["state"] == "resolved"
    actions = set(
        AuditEvent.objects.filter(partnership=cast.partnership).values_list("action", flat=True)
    )
    assert {"health.alert_acknowledged", "health.alert_resolved"} <= actions
    score(cast)  # still declining: a resolved alert is not reopened in the same episode
    assert Alert.objects.filter(state__in=Alert.ACTIVE).count() == 0


def test_the_health_page_links_each_number_to_its_inputs_and_says_what_moved(
    cast, story_source, client
):
    story_source["story"] = "drifting"
    score(cast)
    client.force_login(cast.alice)
    page = client.get(reverse("health:overview", kwargs={"pk": cast.partnership.pk}))
    html = page.content.decode()
    assert "?group=trust" in html
    assert "computed" in html
    latest = HealthScore.objects.get(latest=True)
    assert latest.movements, "a drifting partnership's last review period moved"
    assert latest.movements[0] in html
    api = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/health").json()
    assert api["overall"] == latest.overall
    assert api["movements"] == latest.movements
    history = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/health/history?weeks=13")
    assert len(history.json()) == 13


def test_weights_change_the_index_and_bad_weights_are_refused(cast, story_source, client):
    score(cast)
    before = HealthScore.objects.get(latest=True)
    client.force_login(cast.alice)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/health/weights"
    zero = dict.fromkeys(
        ("trust", "behaviour", "economics", "governance", "performance", "communication"), 0
    )
    refused = client.put(url, zero, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_weights"
    negative = client.put(url, {"trust": -1}, content_type="application/json")
    assert negative.status_code == 422
    only_trust = {**zero, "trust": 1}
    assert client.put(url, only_trust, content_type="application/json").status_code == 200
    score(cast)
    after = HealthScore.objects.get(latest=True)
    assert after.overall == pytest.approx(before.trust, abs=0.01)


def test_accord_score_command_refuses_unknown_partnerships(cast, story_source, capsys):
    with pytest.raises(CommandError, match="No partnership with id 999999"):
        call_command("accord_score", "--partnership", "999999")
    with time_machine.travel(TODAY):
        call_command("accord_score", "--partnership", str(cast.partnership.pk))
    assert "Scored 1 partnership(s)" in capsys.readouterr().out


def test_the_history_chart_alone_answers_htmx_and_a_browser_gets_the_whole_tab(cast, client):
    client.force_login(cast.alice)
    url = f"/partnerships/{cast.partnership.pk}/health/history/?weeks=13"
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert fragment.templates[0].name == "health/_history.html"
    opened = client.get(url)
    assert opened.status_code == 302
    assert (
        opened["Location"] == f"/partnerships/{cast.partnership.pk}/health/?weeks=13#health-history"
    )
    tab = client.get(opened["Location"])
    assert tab.status_code == 200
    assert tab.context["weeks"] == 13
