"""On PostgreSQL the materialized path must sort byte-wise (COLLATE "C").

Under an ICU or libc locale collation '0001Z' < '0001~' can be false, which breaks the
subtree range ``path >= p AND path < p || '~'``. SQLite compares bytes already.
"""

from django.db import migrations

COLUMNS = [("orgs_organization", "path"), ("orgs_orgversion", "path"), ("orgs_historicalorganization", "path")]


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
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
