"""On PostgreSQL the stored paths sort byte-wise (COLLATE "C"), as orgs' do: tallies roll up
by path range (lib/collation.py)."""

from django.db import migrations

from lib.collation import byte_order_collation

COLUMNS = [
    ("reviews_memberreview", "cell_path"),
    ("reviews_historicalmemberreview", "cell_path"),
    ("reviews_organizationreview", "path"),
    ("reviews_historicalorganizationreview", "path"),
    ("reviews_ratingtally", "path"),
]


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [byte_order_collation(COLUMNS)]
