"""Number each partnership's questionnaire versions on their own (issue 10, item 6).

Versions used to be counted across all partnerships, so a partnership's next version number
told it how often others had edited the same questionnaire. Each partnership's own versions of
a key are renumbered in order, right after the built-in version. Numbers only ever go down, and
they are assigned in ascending order, so the per-partnership unique constraint holds at every
step. Audit events written before keep the old number in their text."""

from django.db import migrations
from django.db.models import Max


def renumber(apps, schema_editor):
    Instrument = apps.get_model("trust", "Instrument")
    builtin = dict(
        Instrument.objects.filter(partnership__isnull=True)
        .values("key")
        .annotate(v=Max("version"))
        .values_list("key", "v")
    )
    own = Instrument.objects.filter(partnership__isnull=False).order_by(
        "partnership_id", "key", "version"
    )
    series: dict[tuple[int, str], int] = {}
    for instrument in own.iterator():
        group = (instrument.partnership_id, instrument.key)
        number = series.get(group, builtin.get(instrument.key, 0)) + 1
        series[group] = number
        if instrument.version != number:
            instrument.version = number
            instrument.save(update_fields=["version"])


class Migration(migrations.Migration):
    dependencies = [("trust", "0003_round_anonymity_k")]

    operations = [migrations.RunPython(renumber, migrations.RunPython.noop)]
