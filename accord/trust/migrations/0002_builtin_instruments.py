"""Seed the built-in trust and culture questionnaires (the same data as accord.trust.instruments,
written through the historical models)."""

from django.db import migrations


def seed(apps, schema_editor):
    from accord.trust.instruments import BUILTIN

    Instrument = apps.get_model("trust", "Instrument")
    Item = apps.get_model("trust", "Item")
    for key, spec in BUILTIN.items():
        if Instrument.objects.filter(partnership__isnull=True, key=key).exists():
            continue
        instrument = Instrument.objects.create(
            key=key,
            version=1,
            kind=spec["kind"],
            name=spec["name"],
            description=spec["description"],
            scale_points=spec["scale_points"],
        )
        Item.objects.bulk_create(
            Item(instrument=instrument, position=i, **fields)
            for i, fields in enumerate(spec["items"], start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("trust", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
