"""The change history of any model kept by django-simple-history, as the pages and the API
show it: who changed what, when, each changed field under its model label with its values
formatted for reading, and what the reader may not see hidden.

One function for every model (``history_entries``) and one template partial
(``templates/_history.html``). Imports nothing of ours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

HIDDEN = _("(ẩn)")
TYPE_CODES = {"+": "created", "~": "changed", "-": "deleted"}
TYPE_LABELS = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str
    hidden: bool = False


@dataclass
class HistoryEntry:
    date: dt.datetime
    user: str
    type: str  # created, changed, deleted
    type_label: str
    reason: str
    subject: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    record: Any = None  # the historical record
    previous: Any = None  # the record it was compared with (None for the first)


def recent(history: Any, limit: int | None) -> list[Any]:
    """The newest ``limit`` records of a simple-history manager or queryset (all if None),
    plus the one before them, so that the oldest shown can be compared. One query."""
    records = history.select_related("history_user").order_by("-history_date", "-history_id")
    return list(records if limit is None else records[: limit + 1])


def history_entries(
    records: Iterable[Any],
    *,
    limit: int | None = None,
    fields: Collection[str] | None = None,
    hidden_fields: Collection[str] = (),
    labels: Mapping[str, Any] | None = None,
    formatters: Mapping[str, Callable[[Any], str]] | None = None,
    related: Mapping[str, models.QuerySet] | None = None,
    related_labels: Mapping[str, Callable[[Any], str]] | None = None,
    subject: Callable[[Any], str] | None = None,
) -> list[HistoryEntry]:
    """The history ``records`` (of one object or several, of one model or several, in any
    order) as entries, newest first, at most ``limit``.

    Each record is compared with the previous record of the same object: a field whose
    stored value differs is a change, labelled with the model field's ``verbose_name``
    (or ``labels[name]``) and shown for reading: dates dd/mm/yyyy, choices by their label,
    yes/no, foreign keys by ``str`` of the row. Only ``fields`` are compared (default:
    every field the history tracks that a form could edit).

    ``hidden_fields``: fields the reader may not see; a change to one is listed with
    "(ẩn)" for both values. ``related[name]``: the rows the reader may see for a foreign
    key (e.g. ``Model.objects.for_user(user)``); a row outside them reads "(ẩn)".
    ``related_labels[name]``: how to name a row of that foreign key (default ``str``).
    ``formatters[name]``: how to show a value of that field. ``subject``: what the entry is
    about, when the records are of several objects.

    Queries: one per related model named, plus one for each shown change whose previous
    record is not among ``records`` (none when the records come from ``recent``).
    """
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous_of: dict[int, Any] = {}
    last: dict[tuple[type, Any], Any] = {}
    for record in ordered:
        key = (type(record), _object_id(record))
        previous_of[id(record)] = last.get(key)
        last[key] = record
    shown = ordered[::-1][:limit] if limit is not None else ordered[::-1]

    pairs = []
    for record in shown:
        previous = previous_of[id(record)]
        if previous is None and record.history_type != "+":
            previous = record.prev_record
        pairs.append((record, previous, _changed_fields(record, previous, fields)))

    names = _related_names(pairs, related or {}, related_labels or {})
    hidden = set(hidden_fields)
    labels = labels or {}
    formatters = formatters or {}
    entries = []
    for record, previous, changed in pairs:
        entry = HistoryEntry(
            date=record.history_date,
            user=str(record.history_user) if record.history_user_id else "",
            type=TYPE_CODES.get(record.history_type, record.history_type),
            type_label=str(TYPE_LABELS.get(record.history_type, record.history_type)),
            reason=record.history_change_reason or "",
            subject=subject(record) if subject else "",
            record=record,
            previous=previous,
        )
        for model_field in changed:
            label = str(labels.get(model_field.name) or capfirst(str(model_field.verbose_name)))
            if model_field.name in hidden:
                entry.changes.append(FieldChange(model_field.name, label, str(HIDDEN), str(HIDDEN), hidden=True))
                continue
            show = formatters.get(model_field.name)
            old, new = (_value(r, model_field) for r in (previous, record))
            if show is not None:
                before, after = show(old), show(new)
            else:
                before, after = (format_value(model_field, v, names) for v in (old, new))
            entry.changes.append(FieldChange(model_field.name, label, before, after))
        entries.append(entry)
    return entries


def format_value(model_field: models.Field, value: Any, names: Mapping[tuple[Any, Any], str] | None = None) -> str:
    """A stored value of ``model_field`` as a reader sees it; "" for nothing."""
    if value is None or value == "":
        return ""
    if model_field.is_relation:
        found = (names or {}).get((model_field.name, value))
        return found if found is not None else str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Có") if value else gettext("Không")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _object_id(record: Any) -> Any:
    return getattr(record, record.instance_type._meta.pk.attname)


def _value(record: Any, model_field: models.Field) -> Any:
    return getattr(record, model_field.attname) if record is not None else None


def _changed_fields(record: Any, previous: Any, wanted: Collection[str] | None) -> list[models.Field]:
    if previous is None:
        return []
    tracked = [f for f in record.tracked_fields if f.editable and not f.primary_key]
    if wanted is not None:
        by_name = {f.name: f for f in tracked}
        tracked = [by_name[name] for name in wanted if name in by_name]
    return [f for f in tracked if _value(record, f) != _value(previous, f)]


def _related_names(
    pairs: list[tuple[Any, Any, list[models.Field]]],
    related: Mapping[str, models.QuerySet],
    row_labels: Mapping[str, Callable[[Any], str]],
) -> dict[tuple[str, Any], str]:
    """``str`` of every row a shown change names, keyed by (field name, id); one query per
    field. Rows outside ``related[name]`` read "(ẩn)"."""
    wanted: dict[str, tuple[models.Field, set[Any]]] = {}
    for record, previous, changed in pairs:
        for model_field in changed:
            if model_field.is_relation:
                ids = wanted.setdefault(model_field.name, (model_field, set()))[1]
                ids.update(v for v in (_value(previous, model_field), _value(record, model_field)) if v is not None)
    names: dict[tuple[str, Any], str] = {}
    for name, (model_field, ids) in wanted.items():
        assert model_field.related_model is not None
        target = model_field.target_field.attname  # type: ignore[attr-defined]
        rows = related.get(name, model_field.related_model._default_manager.all())  # type: ignore[union-attr]
        label = row_labels.get(name, str)
        found = {getattr(obj, target): label(obj) for obj in rows.filter(**{f"{target}__in": ids})}
        for value in ids:
            names[(name, value)] = found.get(value, str(HIDDEN) if name in related else str(value))
    return names
