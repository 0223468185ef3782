"""Permission predicates (django-rules) on top of the one write-rights function.

Reading is decided by ``for_user`` (outside the scope: 404). These predicates decide
writes for an object already inside the scope (refused: 403); who holds which action is
the table ``accounts.rights.WRITE_RIGHTS``.
"""

from __future__ import annotations

import rules

from accounts.rights import Action, can_write


@rules.predicate
def can_write_org(user, org) -> bool:
    return org is not None and can_write(user, org, action=Action.WRITE)


@rules.predicate
def can_restructure_org(user, org) -> bool:
    """Found, rename, move, merge, split or dissolve ``org`` or under it.

    The administrator, the upper level's organization board, and a base committee for
    what lies below its base organization. A cell secretary may not restructure.
    """
    return org is not None and can_write(user, org, action=Action.RESTRUCTURE)


@rules.predicate
def can_found_under(user, parent) -> bool:
    """Found a new organization directly under ``parent`` (a base committee: its own cells;
    at the top of the tree: the administrator)."""
    return can_write(user, parent, action=Action.FOUND_UNDER)


@rules.predicate
def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_admin)


rules.add_perm("orgs.restructure", can_restructure_org)
rules.add_perm("orgs.write", can_write_org)
rules.add_perm("orgs.found_under", can_found_under)
rules.add_perm("accounts.manage_users", is_admin)
