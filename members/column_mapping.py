"""The column-mapping step shared by the member import and the reconciliation of the 7-HSĐV list.

Both read a list with ``lib.importer.parse`` over the member columns; both show each file
column beside the field it feeds (``templates/members/_column_mapping.html``), take the
user's choice with ``mapping_from_post`` and remember it for the user's next file with the
same headers (``members.importing.remember_mapping``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lib.importer import HeaderColumn, ImportSpec
from members.columns import REGISTRY


def field_choices() -> list[tuple[str, str]]:
    """The fields a file column may feed, for the selects: none, those an import writes, then
    the read-only ones (an exported list has them; they are read and not written)."""
    choices = [("", str(_("— không dùng —")))]
    choices += [(c.key, _(c.label)) for c in REGISTRY if c.imported]
    choices += [(c.key, _("%(label)s (chỉ để đọc, không nhập)") % {"label": _(c.label)}) for c in REGISTRY if not c.imported]
    return choices


def headers_json(headers: Iterable[HeaderColumn], spec: ImportSpec) -> list[dict[str, Any]]:
    """Every file column and its field as stored on a job (``ImportJob.headers``, ``Reconciliation.headers``)."""
    return [
        {"name": h.name, "key": h.key or "", "auto": h.auto or "", "mapped": h.mapped, "label": spec.label(h.key) or ""}
        for h in headers
    ]


def show_mapping(headers: Iterable[Mapping[str, Any]]) -> bool:
    """Whether the mapping card opens by itself: a column feeds nothing, or the user chose its field."""
    return any(not h["key"] or h["mapped"] for h in headers)


def mapping_from_post(post: Mapping[str, Any], headers: list[Mapping[str, Any]]) -> dict[str, str]:
    """The mapping posted by the card (``map-<i>`` per file column): {file header: field key, or ""},
    holding only the columns whose field differs from the match by name (what the user chose).

    Raises ``ValidationError`` when a field is not one of ``field_choices``: nothing is then kept.
    """
    allowed = {key for key, _label in field_choices()}
    mapping: dict[str, str] = {}
    for i, header in enumerate(headers):
        value = post.get(f"map-{i}", header["key"])
        if value not in allowed:
            raise ValidationError(_("Trường «%(value)s» không có trong danh sách để ghép.") % {"value": value})
        if value != header["auto"]:
            mapping[header["name"]] = value
    return mapping
