"""On PostgreSQL the materialized path must sort byte-wise (COLLATE "C"): see lib/collation.py."""

from django.db import migrations

from lib.collation import byte_order_collation

COLUMNS = [("orgs_organization", "path"), ("orgs_orgversion", "path"), ("orgs_historicalorganization", "path")]


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [byte_order_collation(COLUMNS)]
