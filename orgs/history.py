"""An organization's change history as its page and the API show it (``lib.history``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lib.history import FieldChange, HistoryEntry, history_entries, recent
from orgs.models import Organization

# The fields a reader follows; the tree's bookkeeping (path, depth) is shown as one line.
HISTORY_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "sector",
    "host_unit",
    "founded_on",
    "founding_decision",
    "dissolved_on",
    "dissolution_decision",
    "successor",
)


def organization_history(
    org: Organization, *, user: Any, limit: int | None = None, name_by_code: bool = False
) -> list[HistoryEntry]:
    """The newest ``limit`` (all if None) history records of ``org`` with each changed
    field, as ``user`` may read them: a successor outside their scope reads "(ẩn)".
    ``name_by_code``: name the successor by its code (the API's identifier)."""
    entries = history_entries(
        recent(org.history, limit),
        limit=limit,
        fields=HISTORY_FIELDS,
        related={"successor": Organization.objects.for_user(user)},
        related_labels={"successor": lambda o: o.code} if name_by_code else None,
    )
    for entry in entries:
        if entry.previous is not None and entry.previous.path != entry.record.path:
            entry.changes.append(FieldChange("path", _("Vị trí trong cây"), _("cấp trên cũ"), _("cấp trên mới")))
    return entries
