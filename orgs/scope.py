"""The subtree scope every read goes through (``Model.objects.for_user`` builds on it).

``orgs`` defines the shape; ``accounts`` computes it for a user (``user.scope``), so that
this layer never imports the one above it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

# Above every character of treebeard's path alphabet (0-9, A-Z): p <= path < p + "~"
# selects the subtree of p with an index range scan.
PATH_END = "~"


def subtree_q(path: str, field_name: str = "path") -> Q:
    return Q(**{f"{field_name}__gte": path, f"{field_name}__lt": path + PATH_END})


@dataclass(frozen=True)
class Scope:
    """What a user may read, as subtrees of the organization tree.

    ``read_paths`` are the current paths of the subtree roots; ``exact_org_ids`` are
    organizations visible without their subtree (a member's cell). What a user may
    change is decided by ``accounts.rights.can_write``, not here.
    """

    everything: bool = False
    read_paths: tuple[str, ...] = ()
    exact_org_ids: tuple[int, ...] = ()

    def org_q(self, prefix: str = "", *, exact: bool = True) -> Q:
        """A filter on Organization rows (or on rows reaching one through ``prefix``).

        ``exact=False`` leaves out the organizations seen without their subtree: a member
        sees their cell, not the other members' records in it.
        """
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        for path in self.read_paths:
            q |= subtree_q(path, f"{prefix}path")
        if exact and self.exact_org_ids:
            q |= Q(**{f"{prefix}pk__in": list(self.exact_org_ids)})
        return q

    def roots_q(self) -> Q:
        """The tops of the scope: the tree's roots for everything, else the assigned organizations."""
        if self.everything:
            return Q(depth=1)
        return Q(path__in=self.read_paths) | Q(pk__in=self.exact_org_ids)

    def can_read_path(self, path: str) -> bool:
        """Whether the subtree part of the scope holds ``path`` (``accounts.rights.can_read``
        also counts the organizations seen without their subtree)."""
        return self.everything or any(path.startswith(p) for p in self.read_paths)
