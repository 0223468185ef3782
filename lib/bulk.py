"""Inserting many rows fast, with their django-simple-history rows, for imports.

``QuerySet.bulk_create`` (and simple-history's ``bulk_create_with_history`` on top of it)
compiles every value of every row through the field API and, on SQLite, sends about 30
rows per statement: on this kind of machine that is about a millisecond a member with its
history, three minutes for a province's 150,000. Here each column gets one converter,
rows go to the driver's ``executemany`` as plain tuples, and primary keys are reserved
before the insert (so that the rows which point at them can be written the same way):
from the table's sequence on PostgreSQL, above the highest key ever used on SQLite, whose
write lock the open transaction already holds.

The rows written are the ones ``bulk_create_with_history`` would write: the records, and
one history row each (``+``, the user, the reason, the date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, cast

from django.db import connections, models
from django.utils import timezone

CHUNK = 5000
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


class BulkUnsupported(RuntimeError):
    """The database cannot reserve keys this way; callers fall back to ``bulk_create``."""


def supported(using: str = "default") -> bool:
    return connections[using].vendor in ("sqlite", "postgresql")


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any] | None:
    """How a Python value of ``field`` goes to the driver; None when it goes as it is."""
    kind = field.get_internal_type()
    if kind in _PLAIN:
        return None
    ops = connection.ops
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DateTimeField":
        adapt = ops.adapt_datetimefield_value
        last: list[Any] = [object(), None]

        def datetime_value(value: Any) -> Any:
            # History rows share one timestamp: convert it once.
            if value is not last[0]:
                last[0], last[1] = value, adapt(value)
            return last[1]

        return datetime_value
    return lambda value: field.get_db_prep_save(value, connection)


def reserve_ids(model: type[models.Model], count: int, *, using: str = "default") -> list[int]:
    """``count`` primary keys no other row has or will get. Must run inside ``transaction.atomic``."""
    if count <= 0:
        return []
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("reserve_ids needs an open transaction (the keys are only safe inside it).")
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count])
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # The transaction holds SQLite's write lock (transaction_mode IMMEDIATE), so no
            # other writer can take these keys; AUTOINCREMENT's counter is respected too.
            cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')
            highest = cursor.fetchone()[0]
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
            if cursor.fetchone():
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                highest = max(highest, row[0] if row else 0)
            return list(range(highest + 1, highest + 1 + count))
    raise BulkUnsupported(connection.vendor)


def complete(model: type[models.Model], rows: Sequence[dict[str, Any]], now: dt.datetime) -> None:
    """Add to each row the columns it lacks, with the value a save would give them.

    The rows must all have the same keys (the first is looked at). The primary key is left
    to the database when missing.
    """
    missing: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        name = field.attname
        if name in rows[0] or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            missing[name] = now
        elif field.has_default():
            missing[name] = field.get_default()
        elif field.null:
            missing[name] = None
        elif field.empty_strings_allowed:
            missing[name] = ""
        else:
            raise ValueError(f"{model.__name__}.{name}: no value and no default")
    if missing:
        for row in rows:
            row.update(missing)


def insert(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, using: str = "default", now: dt.datetime | None = None
) -> int:
    """Insert ``rows`` (dicts by attname) into ``model``'s table; missing columns take their defaults.

    A row without its primary key gets one from the database. Returns the number of rows.
    """
    if not rows:
        return 0
    connection = connections[using]
    complete(model, rows, now or timezone.now())
    fields = [f for f in model._meta.concrete_fields if f.attname in rows[0]]
    # A concrete field always has a column; only the typing allows None.
    columns = [connection.ops.quote_name(cast(str, f.column)) for f in fields]
    pick = itemgetter(*(f.attname for f in fields))
    converters = [(i, c) for i, f in enumerate(fields) if (c := _converter(f, connection)) is not None]
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) VALUES ({placeholders})"

    def values(row: dict[str, Any]) -> Any:
        out = pick(row)
        if len(fields) == 1:
            out = (out,)
        if not converters:
            return out
        out = list(out)
        for i, convert in converters:
            value = out[i]
            if value is not None:
                out[i] = convert(value)
        return out

    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, [values(row) for row in rows[start : start + CHUNK]])
    return len(rows)


def insert_with_history(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    user_id: int | None,
    reason: str,
    using: str = "default",
    history_type: str = "+",
) -> list[int]:
    """Insert ``rows`` with reserved keys and one history row each; returns the keys, in order."""
    if not rows:
        return []
    ids = reserve_ids(model, len(rows), using=using)
    for row, pk in zip(rows, ids, strict=True):
        row[model._meta.pk.attname] = pk
    now = timezone.now()
    insert(model, rows, using=using, now=now)
    history_model = model.history.model  # type: ignore[attr-defined]
    kept = [f.attname for f in history_model._meta.concrete_fields if f.attname in rows[0]]
    history = [
        {
            **{name: row[name] for name in kept},
            "history_date": now,
            "history_change_reason": reason,
            "history_type": history_type,
            "history_user_id": user_id,
        }
        for row in rows
    ]
    insert(history_model, history, using=using, now=now)
    return ids
