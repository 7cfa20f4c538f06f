"""Questionnaire version numbers are counted per partnership (issue 10, item 6): one
partnership's next version number must not tell it that another edited the same questionnaire."""

import importlib

from django.apps import apps

from accord.testing.factories import PartnershipFactory
from accord.trust import services
from accord.trust.models import Instrument
from accord.trust.tests.helpers import instrument

renumbering = importlib.import_module(
    "accord.trust.migrations.0004_instrument_versions_per_partnership"
)


def edit(user, partnership, version):
    """Change one statement's wording: a built-in (or used) version yields a new version."""
    new, _ = services.instrument_item_save(
        user=user,
        partnership=partnership,
        instrument=version,
        item_key="goodwill.beyond_contract",
        key="goodwill.beyond_contract",
        text=f"{{partner}} helps us beyond the contract ({partnership.pk}).",
        construct="goodwill",
        reverse=False,
    )
    return new


def test_another_partnerships_edits_do_not_move_this_partnerships_version_numbers(cast, client):
    builtin = instrument()
    elsewhere = PartnershipFactory()
    for _ in range(3):  # the built-in version edited three times over there
        edit(cast.alice, elsewhere, builtin)
    assert sorted(
        Instrument.objects.filter(partnership=elsewhere).values_list("version", flat=True)
    ) == [2, 3, 4]
    own = edit(cast.alice, cast.partnership, builtin)
    assert (own.partnership, own.version) == (cast.partnership, 2)
    client.force_login(cast.bob)
    listed = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/surveys/instruments").json()
    assert {i["key"]: i["version"] for i in listed}["accord-trust"] == 2


def test_the_migration_renumbers_versions_counted_across_partnerships(cast):
    builtin = instrument()
    elsewhere = PartnershipFactory()
    # As numbered before: v2 here, then v3 and v4 in another partnership.
    mine = edit(cast.alice, cast.partnership, builtin)
    theirs = [edit(cast.alice, elsewhere, builtin) for _ in range(2)]
    Instrument.objects.filter(pk=theirs[1].pk).update(version=4)
    Instrument.objects.filter(pk=theirs[0].pk).update(version=3)
    renumbering.renumber(apps, None)
    assert Instrument.objects.get(pk=mine.pk).version == 2
    assert [Instrument.objects.get(pk=i.pk).version for i in theirs] == [2, 3]
    assert Instrument.objects.get(pk=builtin.pk).version == 1
