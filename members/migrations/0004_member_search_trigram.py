"""A trigram index on ``Member.search_text`` for PostgreSQL, so that the list's search
(``search_text LIKE '%word%'``) does not scan every member.

CREATE EXTENSION needs a superuser (or a trusted-extension setup): when it cannot be
created the migration leaves the index out and the search still works, only slower.
Other databases are skipped.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "members_member_search_trgm"


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except DatabaseError:
                return
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member USING gin (search_text gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_importjob")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
