"""Every route of the URLconf that names an object: the list the per-role route test walks.

``routes_with_arguments()`` reads ``django.urls.get_resolver()`` recursively, so a route
added by a new app shows up here without anyone listing it; the test then refuses to pass
until the route is given a way to find an object inside and one outside each role's scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# Routes under these prefixes are not the application's own pages: Django's admin site
# (staff only, its own permission system).
FOREIGN_PREFIXES = ("django-admin/",)


@dataclass(frozen=True)
class Route:
    name: str  # namespaced: "orgs:organization_detail"
    pattern: str  # the whole route: "to-chuc/<slug:code>/"
    arguments: tuple[str, ...]  # the arguments taken from the address
    default_args: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            arguments = tuple(entry.pattern.regex.groupindex)
            yield Route(f"{namespace}{entry.name or ''}", prefix + str(entry.pattern), arguments, dict(entry.default_args))


def routes_with_arguments() -> list[Route]:
    """The application's routes that take an argument from the address (an id, a code, a path)."""
    return [r for r in _walk(get_resolver().url_patterns) if r.arguments and not r.pattern.startswith(FOREIGN_PREFIXES)]
