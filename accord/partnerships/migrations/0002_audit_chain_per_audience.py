"""One audit chain per audience (issue 10, item 5).

Until now each partnership had one chain mixing joint and internal events, so the other parties
saw gaps in `seq` where internal events sat. This re-chains existing history: each partnership's
joint events, and each organization's internal events in it, become their own chains, numbered
from 1 in their old order and re-linked and re-hashed.

Re-hashing must not launder tampering, so every old chain is verified first; if any is broken the
migration stops and names it (run `manage.py audit_verify`, investigate, restore from a backup).
"""

from collections import defaultdict

from django.db import migrations, models

GENESIS_HASH = "0" * 64


def _verify_old_chain(events, label):
    from accord.partnerships.audit import event_hash

    prev, expected = GENESIS_HASH, 1
    for event in events:
        if event.seq != expected or event.prev_hash != prev or event_hash(event) != event.hash:
            raise RuntimeError(
                f"The audit chain of {label} is broken at event #{event.seq} (id {event.pk}); "
                "it is not re-chained. Investigate with `manage.py audit_verify` before migrating."
            )
        prev, expected = event.hash, expected + 1


def rechain_by_audience(apps, schema_editor):
    from accord.partnerships.audit import event_hash

    AuditEvent = apps.get_model("partnerships", "AuditEvent")
    partnership_ids = (
        AuditEvent.objects.filter(partnership__isnull=False)
        .order_by()
        .values_list("partnership_id", flat=True)
        .distinct()
    )
    for partnership_id in list(partnership_ids):
        events = list(AuditEvent.objects.filter(partnership_id=partnership_id).order_by("seq"))
        _verify_old_chain(events, f"partnership {partnership_id}")
        chains = defaultdict(list)
        for event in events:
            audience = event.owner_org_id if event.visibility == "internal" else None
            chains[audience].append(event)
        changed = []
        for chain in chains.values():
            prev = GENESIS_HASH
            for seq, event in enumerate(chain, start=1):
                if event.seq == seq and event.prev_hash == prev:
                    prev = event.hash
                    continue
                event.seq, event.prev_hash = seq, prev
                event.hash = event_hash(event)
                prev = event.hash
                changed.append(event)
        AuditEvent.objects.bulk_update(changed, ["seq", "prev_hash", "hash"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="auditevent",
            name="audit_seq_unique_per_partnership",
        ),
        # Irreversible: the per-audience chains cannot be merged back into one.
        migrations.RunPython(rechain_by_audience),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("partnership__isnull", False),
                    models.Q(("visibility", "internal"), _negated=True),
                ),
                fields=("partnership", "seq"),
                name="audit_seq_unique_per_joint_chain",
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("partnership__isnull", False), ("visibility", "internal")),
                fields=("partnership", "owner_org", "seq"),
                name="audit_seq_unique_per_internal_chain",
            ),
        ),
    ]
