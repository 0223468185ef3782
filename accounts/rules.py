"""Permission predicates (django-rules) on top of the subtree scope.

Reading is decided by ``for_user`` (outside the scope: 404). These predicates decide
writes for an object already inside the scope (refused: 403).
"""

from __future__ import annotations

import rules

from accounts.models import Board, Role


@rules.predicate
def can_write_org(user, org) -> bool:
    return bool(user.is_authenticated and org is not None and user.scope.can_write_path(org.path))


@rules.predicate
def can_restructure_org(user, org) -> bool:
    """Found, rename, move, merge, split or dissolve ``org`` or under it.

    The administrator, the upper level's organization board, and a base committee for
    what lies below its base organization. A cell secretary may not restructure.
    """
    if not user.is_authenticated or org is None:
        return False
    if user.is_admin:
        return True
    for a in user.active_assignments:
        root = a.organization.path
        if not org.path.startswith(root):
            continue
        if a.role == Role.UPPER_STAFF and a.board in ("", Board.ORGANIZATION):
            return True
        if a.role == Role.BASE_COMMITTEE and org.path != root:
            return True
    return False


@rules.predicate
def can_found_under(user, parent) -> bool:
    """Found a new organization directly under ``parent`` (a base committee: its own cells)."""
    if not user.is_authenticated or parent is None:
        return bool(user.is_authenticated and user.is_admin)
    if user.is_admin:
        return True
    for a in user.active_assignments:
        if not parent.path.startswith(a.organization.path):
            continue
        if a.role == Role.UPPER_STAFF and a.board in ("", Board.ORGANIZATION):
            return True
        if a.role == Role.BASE_COMMITTEE:
            return True
    return False


@rules.predicate
def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_admin)


rules.add_perm("orgs.restructure", can_restructure_org)
rules.add_perm("orgs.write", can_write_org)
rules.add_perm("orgs.found_under", can_found_under)
rules.add_perm("accounts.manage_users", is_admin)
