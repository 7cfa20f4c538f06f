"""The starter catalog and the built-in questionnaires are seeded by data migrations; a flush
(``manage.py flush``, or a test that runs in transactions) must not leave a database without
them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accord.performance.catalog import starter_rows
from accord.performance.models import CatalogMetric
from accord.trust.instruments import BUILTIN
from accord.trust.models import Instrument


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_starter_catalog_and_built_in_questionnaires_in_place():
    call_command("flush", interactive=False, verbosity=0)
    assert sorted(CatalogMetric.objects.values_list("key", flat=True)) == sorted(
        row["key"] for row in starter_rows()
    )
    builtin = Instrument.objects.filter(partnership__isnull=True, organization__isnull=True)
    assert sorted(builtin.values_list("key", flat=True)) == sorted(BUILTIN)
