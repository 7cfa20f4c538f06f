"""Internal issues stay inside their organization; facilitators see only what reached them."""

import pytest
from django.urls import reverse

from accord.api.services import token_create
from accord.conflicts import services
from accord.conflicts.models import Issue, TierKey
from accord.conflicts.signals import conflict_signals, signals_for_viewer
from accord.partnerships.audit import AuditEvent


@pytest.fixture
def internal(cast):
    return services.issue_raise(
        partnership=cast.partnership,
        user=cast.amos,
        title="Our walk-away point on royalties",
        description="Internal: agree Alder's position first.",
        conflict_type="commercial",
        visibility="internal",
    )


@pytest.fixture
def joint(cast):
    return services.issue_raise(
        partnership=cast.partnership,
        user=cast.bea,
        title="Late data transfer",
        description="The dataset came two weeks late.",
        conflict_type="timing",
    )


def api_get(client, user, path):
    _token, raw = token_create(user=user, name="t", days=1)
    return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {raw}"})


def test_the_other_party_never_sees_an_internal_issue(cast, client, internal, joint):
    client.force_login(cast.bob)
    overview = client.get(reverse("conflicts:overview", kwargs={"pk": cast.partnership.pk}))
    page = overview.content.decode()
    assert "Late data transfer" in page
    assert "walk-away" not in page
    detail = reverse(
        "conflicts:issue_detail", kwargs={"pk": cast.partnership.pk, "issue_id": internal.pk}
    )
    assert client.get(detail).status_code == 404


def test_the_owning_side_sees_its_internal_issue(cast, client, internal):
    client.force_login(cast.oscar)  # an observer of Alder reads Alder's internal records
    detail = reverse(
        "conflicts:issue_detail", kwargs={"pk": cast.partnership.pk, "issue_id": internal.pk}
    )
    assert client.get(detail).status_code == 200


def test_the_api_hides_internal_issues_from_the_other_party(cast, client, internal, joint):
    base = f"/partnerships/{cast.partnership.pk}/conflicts/issues"
    titles = [row["title"] for row in api_get(client, cast.bob, base).json()["items"]]
    assert titles == ["Late data transfer"]
    assert api_get(client, cast.bob, f"{base}/{internal.pk}").status_code == 404
    assert api_get(client, cast.alice, f"{base}/{internal.pk}").status_code == 200


def test_counts_on_the_overview_leave_out_what_the_viewer_cannot_see(cast, internal, joint):
    assert signals_for_viewer(partnership=cast.partnership, viewer=cast.bob).open_issues == 1
    assert signals_for_viewer(partnership=cast.partnership, viewer=cast.alice).open_issues == 2


def test_the_health_signals_count_joint_issues_unless_asked(cast, internal, joint):
    assert conflict_signals([cast.partnership.pk])[cast.partnership.pk].open_issues == 1
    both = conflict_signals([cast.partnership.pk], include_internal=True)
    assert both[cast.partnership.pk].open_issues == 2


def test_the_audit_trail_of_an_internal_issue_is_internal(cast, internal):
    event = AuditEvent.objects.get(action="conflicts.issue_raise")
    assert event.visibility == "internal"
    assert event.owner_org == cast.org_a
    assert not AuditEvent.objects.visible_to(cast.bob).filter(action="conflicts.issue_raise")


def test_a_facilitator_sees_only_joint_issues_that_reached_neutral_facilitation(
    cast, client, joint, internal
):
    client.force_login(cast.fiona)
    detail = reverse(
        "conflicts:issue_detail", kwargs={"pk": cast.partnership.pk, "issue_id": joint.pk}
    )
    assert client.get(detail).status_code == 404
    for issue in (joint, internal):
        for _ in range(3):
            issue = services.issue_escalate(issue=issue, user=cast.alice, note="Stuck again.")
    assert Issue.objects.get(pk=internal.pk).tier == TierKey.NEUTRAL_FACILITATION
    assert client.get(detail).status_code == 200
    internal_detail = reverse(
        "conflicts:issue_detail", kwargs={"pk": cast.partnership.pk, "issue_id": internal.pk}
    )
    assert client.get(internal_detail).status_code == 404


def test_a_facilitator_may_resolve_at_neutral_facilitation(cast, joint):
    for _ in range(3):
        joint = services.issue_escalate(issue=joint, user=cast.alice, note="Stuck.")
    principle = cast.partnership.conflict_principles.get(title="Protect the critical path")
    resolved = services.issue_resolve(
        issue=joint, user=cast.fiona, principle=principle, resolution="Re-sequenced the work."
    )
    assert resolved.resolved_by == cast.fiona
