"""Who may change the member register (django-rules predicates on top of the subtree scope).

Reading is decided by ``Member.objects.for_user`` (outside the scope: 404). These
predicates decide writes on what is already inside it (refused: 403):

- ``members.change`` (a ``Member``): change status, transfer, attach, award a badge;
- ``members.add_to`` (an ``Organization``, a cell): record a member there.

Both hold where the user holds the action ``keep_register`` of ``accounts.rights``
(the table ``WRITE_RIGHTS``: the administrator, the upper level's staff of the
organization board or of no named board, a base committee and a cell secretary, each
within their subtree). Members and viewers read only; the other boards (inspection,
propaganda, office) do not keep the member register.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from accounts.rights import Action, can_write, can_write_somewhere, write_roots
from orgs.scope import subtree_q


def keeps_register_at(user: Any, path: str) -> bool:
    """Whether ``user`` keeps the member register of the organization at ``path``
    (``accounts.rights.WRITE_RIGHTS``, action ``keep_register``)."""
    return can_write(user, path, action=Action.KEEP_REGISTER)


@rules.predicate
def can_change_member(user: Any, member: Any) -> bool:
    return member is not None and keeps_register_at(user, member.organization.path)


@rules.predicate
def can_add_member_to(user: Any, org: Any) -> bool:
    return org is not None and org.is_cell and keeps_register_at(user, org.path)


@rules.predicate
def keeps_any_register(user: Any) -> bool:
    """Whether ``user`` keeps the register somewhere (shows the "add" buttons)."""
    return can_write_somewhere(user, action=Action.KEEP_REGISTER)


rules.add_perm("members.change", can_change_member)
rules.add_perm("members.add_to", can_add_member_to)
rules.add_perm("members.add", keeps_any_register)


def register_roots(user: Any) -> list[str] | None:
    """The subtree roots whose register ``user`` keeps; None means everywhere."""
    return write_roots(user, action=Action.KEEP_REGISTER)


def can_see_personal_data(user: Any, member: Any) -> bool:
    """CCCD and phone: for the member themself and for those who keep their register."""
    return member.user_id == getattr(user, "pk", None) or can_change_member(user, member)


def personal_data_q(user: Any) -> Q:
    """The members whose personal data (CCCD, phone) ``user`` may see, as a filter."""
    roots = register_roots(user)
    if roots is None:
        return Q()
    q = Q(user_id=getattr(user, "pk", None))
    for path in roots:
        q |= subtree_q(path, "organization__path")
    return q
