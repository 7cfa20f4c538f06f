"""The home list says where attention is needed — open alerts, latest health, red metrics,
conflicts at tier 3 or higher — and lists those partnerships first; the organization page links
the partnerships the viewer can open (issue 12)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accord.conflicts.models import Issue, TierKey
from accord.health.models import Alert, HealthScore
from accord.partnerships.attention import attention_for
from accord.performance.tests.helpers import make_metric, observe
from accord.testing.factories import ParticipantFactory, PartnershipFactory, PartyFactory

pytestmark = pytest.mark.django_db


def last_month() -> str:
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).isoformat()


@pytest.fixture
def troubled(cast):
    """The cast's partnership has an alert, low health, a red metric and a tier-4 conflict."""
    p = cast.partnership
    Alert.objects.create(
        partnership=p, kind="circle", summary="Trust falls on both sides", raised_for=last_month()
    )
    HealthScore.objects.create(partnership=p, period_start=last_month(), overall=41.6, latest=True)
    observe(make_metric(cast, code="otif"), (last_month(), 70.0))
    observe(make_metric(cast, code="birch-margin", org="b", internal=True), (last_month(), 1.0))
    Issue.objects.create(
        partnership=p,
        owner_org=cast.org_a,
        title="Scope dispute",
        description="…",
        conflict_type="scope",
        tier=TierKey.NEUTRAL_FACILITATION,
    )
    return p


@pytest.fixture
def calm(cast):
    """A second partnership, earlier in the alphabet, with nothing wrong."""
    other = PartnershipFactory(name="Aardvark Alliance")
    PartyFactory(partnership=other, organization=cast.org_a)
    ParticipantFactory(
        partnership=other, organization=cast.org_a, user=cast.alice, role="alliance_manager"
    )
    return other


def test_it_counts_only_what_the_viewer_may_see(cast, troubled):
    mine = attention_for(cast.alice, [troubled.pk])[troubled.pk]
    assert (mine.alerts, mine.health, mine.red_metrics, mine.high_conflicts) == (1, 41.6, 1, 1)
    birch = attention_for(cast.bob, [troubled.pk])[troubled.pk]
    assert birch.red_metrics == 2  # Birch's own internal metric counts for Birch only


def test_a_facilitator_gets_no_figures(cast, troubled):
    assert attention_for(cast.fiona, [troubled.pk])[troubled.pk].readable is False


def test_partnerships_needing_attention_come_first_on_the_home_list(cast, client, troubled, calm):
    client.force_login(cast.alice)
    page = client.get("/partnerships/").content.decode()

    assert page.index("Alder–Birch Alliance") < page.index("Aardvark Alliance")
    assert f'<a class="rag-red" href="/partnerships/{troubled.pk}/health/">1 open alert</a>' in page
    assert "Health <strong>42</strong>" in page
    assert "1 red metric<" in page
    assert "1 conflict at tier 3+" in page


def test_the_organization_page_links_only_partnerships_the_viewer_can_open(
    cast, client, troubled, calm
):
    client.force_login(cast.alice)
    page = client.get(f"/organizations/{cast.org_a.slug}/").content.decode()
    assert f'<a href="/partnerships/{calm.pk}/">Aardvark Alliance</a>' in page

    client.force_login(cast.amos)  # not taking part in Aardvark
    page = client.get(f"/organizations/{cast.org_a.slug}/").content.decode()
    assert f'<a href="/partnerships/{troubled.pk}/">Alder–Birch Alliance</a>' in page
    assert f'href="/partnerships/{calm.pk}/"' not in page
    assert "<li>Aardvark Alliance <small" in page


def test_the_figures_cost_the_same_queries_for_one_partnership_or_many(
    cast, troubled, django_assert_max_num_queries
):
    ids = [troubled.pk]
    for n in range(5):
        other = PartnershipFactory(name=f"Alliance {n}")
        PartyFactory(partnership=other, organization=cast.org_a)
        ParticipantFactory(
            partnership=other, organization=cast.org_a, user=cast.alice, role="alliance_manager"
        )
        metric = make_metric(cast, code=f"m{n}")
        metric.partnership = other
        metric.save()
        observe(metric, (last_month(), 10.0))
        ids.append(other.pk)
    with django_assert_max_num_queries(6):
        figures = attention_for(cast.alice, ids)
    assert [figures[pid].red_metrics for pid in ids] == [1, 1, 1, 1, 1, 1]
