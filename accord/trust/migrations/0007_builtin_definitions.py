"""Write the trust and culture questionnaires as instruments in the common form (issue 15).

Every existing trust or culture instrument — built-in versions and partnerships' own revisions —
gets the definition it always implied: its scale with labelled points, who rates whom, one
category holding its constructs (the three forms of trust, or the six culture dimensions), and
no bands. Items and answers are untouched, so every result reads the same before and after
(accord/trust/tests/test_instrument_migration.py compares them exactly)."""

from django.db import migrations


def describe(apps, schema_editor):
    from accord.trust.instruments import builtin_definition

    Instrument = apps.get_model("trust", "Instrument")
    for instrument in Instrument.objects.filter(kind__in=["trust", "culture"]).iterator():
        if instrument.definition:
            continue
        instrument.definition = builtin_definition(instrument.kind, instrument.scale_points)
        instrument.save(update_fields=["definition"])


def forget(apps, schema_editor):
    apps.get_model("trust", "Instrument").objects.filter(kind__in=["trust", "culture"]).update(
        definition={}
    )


class Migration(migrations.Migration):
    dependencies = [("trust", "0006_instrument_definitions")]

    operations = [migrations.RunPython(describe, forget)]
