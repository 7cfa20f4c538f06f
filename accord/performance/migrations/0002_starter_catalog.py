from django.db import migrations


def load(apps, schema_editor):
    from accord.performance.catalog import starter_rows

    CatalogMetric = apps.get_model("performance", "CatalogMetric")
    for row in starter_rows():
        CatalogMetric.objects.update_or_create(key=row["key"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
