"""Read and write rights: one function each.

``can_read`` answers for one organization what ``Model.objects.for_user`` answers for a
list: the subtrees of the user's assignments, and a member's own cell.

``can_write`` decides every change: which role (and which board of the upper level's
staff) may do which action, and where, is the table ``WRITE_RIGHTS`` below. The rules
permissions (``accounts.rules``, ``members.permissions``) are built on it; no other code
looks at roles to decide a change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from accounts.models import Board, Role


class Action(StrEnum):
    WRITE = "write"  # change something of an organization or under it
    RESTRUCTURE = "restructure"  # rename, move, merge, split or dissolve; terms and seats
    FOUND_UNDER = "found_under"  # found a new organization directly under this one
    KEEP_REGISTER = "keep_register"  # change the member register (and see CCCD and phone)


@dataclass(frozen=True)
class Grant:
    """A role that holds an action on the subtree of its assignment.

    ``boards``: for the upper level's staff, the boards that hold it ("" is staff of no
    named board); None means every board. ``below_only``: the assigned organization
    itself is left out (a base committee restructures its cells, not itself).
    """

    role: str
    boards: frozenset[str] | None = None
    below_only: bool = False


ORGANIZATION_BOARD = frozenset({"", Board.ORGANIZATION})

# The administrator holds every action everywhere. Members and viewers hold none.
WRITE_RIGHTS: dict[Action, tuple[Grant, ...]] = {
    Action.WRITE: (Grant(Role.UPPER_STAFF), Grant(Role.BASE_COMMITTEE), Grant(Role.CELL_SECRETARY)),
    Action.RESTRUCTURE: (
        Grant(Role.UPPER_STAFF, ORGANIZATION_BOARD),
        Grant(Role.BASE_COMMITTEE, below_only=True),
    ),
    Action.FOUND_UNDER: (Grant(Role.UPPER_STAFF, ORGANIZATION_BOARD), Grant(Role.BASE_COMMITTEE)),
    # The inspection commission, propaganda board and office do not keep the register.
    Action.KEEP_REGISTER: (
        Grant(Role.UPPER_STAFF, ORGANIZATION_BOARD),
        Grant(Role.BASE_COMMITTEE),
        Grant(Role.CELL_SECRETARY),
    ),
}


def _path(target: Any) -> str:
    return target if isinstance(target, str) else target.path


def can_read(user: Any, target: Any) -> bool:
    """Whether ``user`` may read the organization ``target`` (an Organization, or a path)."""
    if not getattr(user, "is_authenticated", False) or target is None:
        return False
    scope = user.scope
    if scope.can_read_path(_path(target)):
        return True
    return not isinstance(target, str) and target.pk in scope.exact_org_ids


def _granting_paths(user: Any, action: Action | str) -> Iterator[tuple[str, Grant]]:
    """(path of the assignment, grant) for each active assignment of ``user`` that holds ``action``."""
    grants = WRITE_RIGHTS[Action(action)]
    for a in user.active_assignments:
        for grant in grants:
            if a.role == grant.role and (grant.boards is None or a.board in grant.boards):
                yield a.organization.path, grant
                break


def can_write(user: Any, target: Any, *, action: Action | str = Action.WRITE) -> bool:
    """Whether ``user`` may do ``action`` on the organization ``target`` (an Organization or a path).

    No query beyond the user's assignments, which are read once per request. A ``None``
    target (the top of the tree) is the administrator's alone.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_admin:
        return True
    if target is None:
        return False
    path = _path(target)
    if not path:
        return False
    return any(path.startswith(root) and not (grant.below_only and path == root) for root, grant in _granting_paths(user, action))


def write_roots(user: Any, *, action: Action | str) -> list[str] | None:
    """The roots of the subtrees where ``user`` may do ``action``; None means everywhere.

    For a grant that holds only below its organization, the root itself is not writable:
    ask ``can_write`` about a single organization.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    if user.is_admin:
        return None
    return [root for root, _grant in _granting_paths(user, action)]


def can_write_somewhere(user: Any, *, action: Action | str) -> bool:
    """Whether ``user`` may do ``action`` anywhere (shows the "add" buttons)."""
    return write_roots(user, action=action) != []
