"""Opaque answer-link codes instead of signed tokens naming the invitee, and answers stored in
a random order (issue 10, item 7).

Links e-mailed before this migration stop working; the next reminder carries a new one, and
signed-in invitees answer from the Trust tab. Existing answers are rewritten, round by round,
in a random order with new keys, so storage order no longer follows the order of answering."""

import random
import uuid

from django.db import migrations, models


def shuffle_existing_answers(apps, schema_editor):
    Response = apps.get_model("trust", "Response")
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    rng = random.SystemRandom()
    rounds = Response.objects.values_list("round_id", flat=True).distinct().order_by()
    for round_id in list(rounds):
        rows = list(
            Response.objects.filter(round_id=round_id).values_list(
                "rater_party_id", "rated_party_id", "values"
            )
        )
        rng.shuffle(rows)
        Response.objects.filter(round_id=round_id).delete()
        Response.objects.bulk_create(
            [
                Response(
                    id=uuid.uuid4(),
                    round_id=round_id,
                    rater_party_id=rater,
                    rated_party_id=rated,
                    values=values,
                )
                for rater, rated, values in rows
            ],
            batch_size=1000,
        )


class Migration(migrations.Migration):
    dependencies = [("trust", "0004_instrument_versions_per_partnership")]

    operations = [
        migrations.RemoveField(model_name="invitee", name="nonce"),
        migrations.AddField(
            model_name="invitee",
            name="token_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
        migrations.RunPython(shuffle_existing_answers, migrations.RunPython.noop),
    ]
