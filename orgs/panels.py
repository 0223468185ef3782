"""What other apps show on an organization's page (its member counts, later its reviews…).

``orgs`` may not import the apps above it, so each of them registers, from its
``AppConfig.ready``, a function ``panel(user, organization) -> Panel | None``; the page
renders the panels in ``order``. A function returns None when the reader has nothing to
see there, and reads through ``for_user`` like every other read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from orgs.models import Organization


@dataclass(frozen=True)
class Panel:
    template: str  # rendered with ``panel`` set to ``context``
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelFunction = Callable[[Any, Organization], Panel | None]
ORGANIZATION_PANELS: list[PanelFunction] = []


def register_organization_panel(function: PanelFunction) -> None:
    if function not in ORGANIZATION_PANELS:
        ORGANIZATION_PANELS.append(function)


def organization_panels(user: Any, organization: Organization) -> list[Panel]:
    panels = (function(user, organization) for function in ORGANIZATION_PANELS)
    return sorted((p for p in panels if p is not None), key=lambda p: p.order)
