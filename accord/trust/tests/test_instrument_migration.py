"""Migration 0007 writes the trust and culture questionnaires as instruments in the common form;
every result reads the same before and after, and the common engine reads exactly the numbers
the trust and culture pages have always shown (issue 15)."""

import importlib

import pytest
from django.apps import apps as django_apps

from accord.culture.selectors import culture_results
from accord.domain.instruments.definition import DefinitionError
from accord.domain.trust import Aggregate
from accord.trust.definitions import definition_of
from accord.trust.instrument_results import instrument_results
from accord.trust.models import Instrument, Invitee, Item
from accord.trust.services import round_close
from accord.trust.tests.helpers import answer_all, instrument, open_round, staff

describe = importlib.import_module("accord.trust.migrations.0007_builtin_definitions").describe


def answered(cast, kind: str):
    """Four people per party answer, each differently: person i gives item j of party p a value
    that cycles over the whole scale."""
    for org in (cast.org_a, cast.org_b):
        staff(cast, org, 4)
    survey = open_round(cast, kind=kind, title=f"{kind} round")
    for i, invitee in enumerate(Invitee.objects.filter(round=survey).order_by("pk")):
        answer_all(
            survey,
            invitee,
            lambda party, item, i=i: 1 + (3 * i + 2 * item.position + party.pk) % 7,
        )
    round_close(user=cast.alice, survey=survey)


@pytest.fixture
def history(cast):
    """A closed trust round and a closed culture round whose questionnaire has two statements
    on formality (a partnership may add them), answered before the migration."""
    questionnaire = instrument("culture")
    Item.objects.create(
        instrument=questionnaire,
        position=99,
        key="formality-written-record",
        text="{partner} wants decisions written down before acting on them.",
        construct="formality",
    )
    answered(cast, "trust")
    answered(cast, "culture")
    # The state before the migration: no instrument has a definition yet.
    Instrument.objects.update(definition={})
    return cast


def trust_numbers(cast):
    from accord.trust.selectors import partnership_trust

    return {
        (c.cell.rater, c.cell.rated, str(c.cell.form)): (c.n, c.mean, c.sd)
        for c in partnership_trust(partnership=cast.partnership).cells
        if isinstance(c, Aggregate)
    }


def culture_profiles(cast):
    profiles = {}
    for r in culture_results(partnership=cast.partnership).readings:
        a, b, d = r.party_a, r.party_b, str(r.dimension)
        profiles[(a, a, d)], profiles[(b, b, d)] = r.self_a, r.self_b
        profiles[(a, b, d)], profiles[(b, a, d)] = r.a_sees_b, r.b_sees_a
    return profiles


def engine_numbers(cast, kind):
    results = instrument_results(partnerships=[cast.partnership], kind=kind)[cast.partnership.pk]
    return {(c.rater, c.rated, c.construct): (c.n, c.mean) for c in results.cells}


def test_the_migration_leaves_trust_and_culture_results_exactly_as_they_were(history):
    cast = history
    trust_before, culture_before = trust_numbers(cast), culture_profiles(cast)
    assert len(trust_before) == 6
    assert len(culture_before) == 24
    assert all(v is not None for v in culture_before.values())
    with pytest.raises(DefinitionError):  # before: the questionnaires are not instruments yet
        definition_of(instrument("trust"))

    describe(django_apps, None)

    assert trust_numbers(cast) == trust_before
    assert culture_profiles(cast) == culture_before
    # The common engine reads the migrated definitions to exactly the same numbers.
    trust_after = engine_numbers(cast, "trust")
    assert {key: (n, mean) for key, (n, mean, _sd) in trust_before.items()} == trust_after
    culture_after = engine_numbers(cast, "culture")
    assert {key: mean for key, (_n, mean) in culture_after.items()} == culture_before
    assert {n for n, _mean in culture_after.values()} == {4}


def test_the_migrated_questionnaires_are_instruments_with_their_constructs(history):
    describe(django_apps, None)
    trust = definition_of(instrument("trust"))
    assert [c.key for c in trust.constructs()] == ["competence", "contractual", "goodwill"]
    assert trust.directions == ("other",)
    assert trust.scale.points == 7
    culture = definition_of(instrument("culture"))
    assert len(culture.constructs()) == 6
    assert set(culture.directions) == {"self", "other"}
    formality = [i for i in culture.items if i.construct == "formality"]
    assert len(formality) == 2
