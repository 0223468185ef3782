from django.db import migrations, models


def build_counts(apps, schema_editor):
    # The kept counts of an existing register (members/counts.py), unless kept already (a
    # database that ran 0009 before the build moved here keeps depth 1, the default). It
    # reads the register through today's code: the counts' rule lives in one place, and a
    # migration that copied it would drift. On a large register this takes minutes
    # (README: rebuild).
    from members.counts import kept_range, rebuild

    if kept_range() is None:
        rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0013_probation_from_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="keptrange",
            name="depths",
            field=models.CharField(default="1", max_length=20),
        ),
        migrations.RunPython(build_counts, migrations.RunPython.noop),
    ]
