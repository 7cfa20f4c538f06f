"""Each line of a partnership's free-text objectives becomes a joint objective record.

Owned by the partnership's first party (the one that wrote the text: the creator's organization
joins first). The text field itself stays on the partnership, readable as it was; the records are
what pages and the API show from now on. Reversing removes only the records this made."""

from django.db import migrations

MADE_BY = "Recorded from the partnership's objectives text."


def forwards(apps, schema_editor):
    Partnership = apps.get_model("partnerships", "Partnership")
    Party = apps.get_model("partnerships", "Party")
    Objective = apps.get_model("interventions", "Objective")
    rows = []
    for partnership in Partnership.objects.exclude(objectives="").iterator():
        first = Party.objects.filter(partnership=partnership).order_by("joined_at", "pk").first()
        if first is None:
            continue
        for line in partnership.objectives.splitlines():
            title = line.strip()[:200]
            if title:
                rows.append(
                    Objective(
                        partnership=partnership,
                        owner_org_id=first.organization_id,
                        visibility="joint",
                        created_by_id=partnership.created_by_id,
                        title=title,
                        description=MADE_BY,
                        scope="joint",
                    )
                )
    Objective.objects.bulk_create(rows, batch_size=1000)


def backwards(apps, schema_editor):
    apps.get_model("interventions", "Objective").objects.filter(description=MADE_BY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0001_initial"),
        ("partnerships", "0002_audit_chain_per_audience"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
