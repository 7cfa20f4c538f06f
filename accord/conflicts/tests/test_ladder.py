"""The ladder: windows from the partnership, owners per tier and side."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.conflicts import selectors, services
from accord.conflicts.models import TierKey


def owners(cast, key):
    tier = selectors.tier_of(selectors.ladder(partnership=cast.partnership), key)
    return dict(tier.owners)


def test_the_default_ladder_has_five_tiers_with_the_partnership_windows(cast):
    tiers = selectors.ladder(partnership=cast.partnership)
    assert [(t.order, t.key, t.window_days) for t in tiers] == [
        (1, "operational_leads", 10),
        (2, "alliance_managers", 10),
        (3, "executive_sponsors", 20),
        (4, "neutral_facilitation", 30),
        (5, "exit_procedure", None),
    ]
    assert tiers[0].label == "Operational leads"


def test_default_owners_come_from_participant_roles(cast):
    assert owners(cast, TierKey.OPERATIONAL_LEADS) == {
        "Alder Pharma": ["Amos Alder"],
        "Birch Bio": ["Bea Birch"],
    }
    assert owners(cast, TierKey.EXECUTIVE_SPONSORS) == {
        "Alder Pharma": ["Ava Alder"],
        "Birch Bio": ["Bob Birch"],  # no sponsor at Birch: its alliance manager
    }
    neutral = owners(cast, TierKey.NEUTRAL_FACILITATION)
    assert neutral["Fennel Mediation"] == ["Fiona Fennel"]


def test_each_side_names_its_own_owners(cast):
    services.tier_owners_set(
        partnership=cast.partnership,
        user=cast.alice,
        tier=TierKey.OPERATIONAL_LEADS,
        organization=cast.org_a,
        users=[cast.ava, cast.alice],
    )
    assert owners(cast, TierKey.OPERATIONAL_LEADS)["Alder Pharma"] == ["Alice Alder", "Ava Alder"]
    with pytest.raises(ValidationError, match=services.OWN_SIDE_ONLY):
        services.tier_owners_set(
            partnership=cast.partnership,
            user=cast.alice,
            tier=TierKey.OPERATIONAL_LEADS,
            organization=cast.org_b,
            users=[],
        )


def test_an_owner_must_be_a_participant_of_that_side(cast):
    with pytest.raises(ValidationError, match="not a participant from Alder Pharma"):
        services.tier_owners_set(
            partnership=cast.partnership,
            user=cast.alice,
            tier=TierKey.ALLIANCE_MANAGERS,
            organization=cast.org_a,
            users=[cast.bea],
        )


def test_an_empty_list_returns_to_the_default(cast):
    for users in ([cast.alice], []):
        services.tier_owners_set(
            partnership=cast.partnership,
            user=cast.alice,
            tier=TierKey.OPERATIONAL_LEADS,
            organization=cast.org_a,
            users=users,
        )
    assert owners(cast, TierKey.OPERATIONAL_LEADS)["Alder Pharma"] == ["Amos Alder"]


def test_windows_are_saved_on_the_partnership(cast, client):
    client.force_login(cast.bob)
    url = reverse("conflicts:ladder_windows", kwargs={"pk": cast.partnership.pk})
    data = {
        "operational_leads": 5,
        "alliance_managers": 7,
        "executive_sponsors": 14,
        "neutral_facilitation": 21,
    }
    assert client.post(url, data).status_code == 302
    cast.partnership.refresh_from_db()
    assert cast.partnership.escalation_windows == data


def test_a_bad_window_re_renders_with_a_message(cast, client):
    client.force_login(cast.bob)
    url = reverse("conflicts:ladder_windows", kwargs={"pk": cast.partnership.pk})
    data = {"operational_leads": 0, "alliance_managers": 7, "executive_sponsors": 14}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "greater than or equal to 1" in response.content.decode()


def test_the_ladder_page_lists_tiers_and_owners(cast, client):
    client.force_login(cast.oscar)
    page = client.get(reverse("conflicts:ladder", kwargs={"pk": cast.partnership.pk}))
    text = page.content.decode()
    for label in ("Operational leads", "Neutral facilitation", "Exit procedure", "Fiona Fennel"):
        assert label in text
    assert "Save windows" not in text  # observers read only


def test_principles_are_the_catalog_until_edited(cast):
    assert selectors.principles(partnership=cast.partnership)[0].pk is None
    services.principle_save(
        partnership=cast.partnership,
        user=cast.alice,
        conflict_type="ip",
        title="Publish after a 60-day review",
        text="Either party may publish joint results after the other had 60 days to review.",
    )
    rows = selectors.principles(partnership=cast.partnership, conflict_type="ip")
    assert all(p.pk for p in rows)
    assert "Publish after a 60-day review" in [p.title for p in rows]
    assert "Background stays with its owner" in [p.title for p in rows]


def test_a_duplicate_principle_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        services.principle_save(
            partnership=cast.partnership,
            user=cast.alice,
            conflict_type="ip",
            title="Background stays with its owner",
            text="Again.",
        )
    assert caught.value.message_dict["title"] == [services.PRINCIPLE_DUPLICATE]


def test_an_observer_cannot_own_a_tier(cast):
    with pytest.raises(ValidationError, match="observers only read"):
        services.tier_owners_set(
            partnership=cast.partnership,
            user=cast.alice,
            tier=TierKey.ALLIANCE_MANAGERS,
            organization=cast.org_a,
            users=[cast.oscar],
        )
