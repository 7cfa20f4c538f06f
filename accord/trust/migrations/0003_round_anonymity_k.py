"""Each round keeps the anonymity threshold it promised its respondents (issue 10, item 2).

Rounds that exist already take their partnership's k of today: the best record of what their
invitations said, and never lower than what the pages showed until now."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_partnership_k(apps, schema_editor):
    SurveyRound = apps.get_model("trust", "SurveyRound")
    Partnership = apps.get_model("partnerships", "Partnership")
    k = Partnership.objects.filter(pk=OuterRef("partnership_id")).values("anonymity_k")[:1]
    SurveyRound.objects.update(anonymity_k=Subquery(k))


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("trust", "0002_builtin_instruments"),
    ]

    operations = [
        migrations.AddField(
            model_name="surveyround",
            name="anonymity_k",
            field=models.PositiveSmallIntegerField(
                default=3,
                editable=False,
                help_text="The anonymity threshold promised to respondents; fixed when the round "
                "opens.",
            ),
        ),
        migrations.RunPython(copy_partnership_k, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="surveyround",
            constraint=models.CheckConstraint(
                condition=models.Q(("anonymity_k__gte", 3)), name="round_k_at_least_3"
            ),
        ),
    ]
