"""The subtree scope every read goes through.

``orgs`` defines the shape; ``accounts`` computes it for a user (``user.scope``), so that
this layer never imports the one above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

# Above every character of treebeard's path alphabet (0-9, A-Z): p <= path < p + "~"
# selects the subtree of p with an index range scan.
PATH_END = "~"


def subtree_q(path: str, field_name: str = "path") -> Q:
    return Q(**{f"{field_name}__gte": path, f"{field_name}__lt": path + PATH_END})


@dataclass(frozen=True)
class Scope:
    """What a user may read and change, as subtrees of the organization tree.

    ``read_paths`` and ``write_paths`` are the current paths of the subtree roots;
    ``exact_org_ids`` are organizations visible without their subtree (a member's cell).
    """

    everything: bool = False
    write_everything: bool = False
    read_paths: tuple[str, ...] = ()
    write_paths: tuple[str, ...] = ()
    exact_org_ids: tuple[int, ...] = ()
    member_ids: tuple[int, ...] = field(default=())

    def org_q(self, prefix: str = "") -> Q:
        """A filter on Organization rows (or on rows reaching one through ``prefix``)."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        for path in self.read_paths:
            q |= subtree_q(path, f"{prefix}path")
        if self.exact_org_ids:
            q |= Q(**{f"{prefix}pk__in": list(self.exact_org_ids)})
        return q

    def can_read_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.read_paths)

    def can_write_path(self, path: str) -> bool:
        return self.write_everything or any(path.startswith(p) for p in self.write_paths)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.read_paths or self.exact_org_ids or self.member_ids)


NO_SCOPE = Scope()
