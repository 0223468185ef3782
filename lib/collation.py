"""Materialized paths sort byte-wise on PostgreSQL: a migration operation for their columns.

Under an ICU or libc locale collation '0001Z' < '0001~' can be false, which breaks the
subtree range ``path >= p AND path < p || '~'``. SQLite compares bytes already.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import migrations


def byte_order_collation(columns: Sequence[tuple[str, str]], *, length: int = 255) -> migrations.RunPython:
    """Give each (table, column) ``COLLATE "C"`` on PostgreSQL (and the default back on reversal)."""

    def alter(collation: str):
        def run(apps, schema_editor) -> None:
            if schema_editor.connection.vendor != "postgresql":
                return
            for table, column in columns:
                schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar({length}) COLLATE {collation}")

        return run

    return migrations.RunPython(alter('"C"'), alter('"default"'))
