"""On PostgreSQL the stored paths must sort byte-wise (COLLATE "C"), as orgs' do
(orgs/migrations/0002_path_collation.py): tallies roll up by path range."""

from django.db import migrations

COLUMNS = [
    ("reviews_memberreview", "cell_path"),
    ("reviews_historicalmemberreview", "cell_path"),
    ("reviews_organizationreview", "path"),
    ("reviews_historicalorganizationreview", "path"),
    ("reviews_ratingtally", "path"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(255) COLLATE "C"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(255) COLLATE "default"')


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
