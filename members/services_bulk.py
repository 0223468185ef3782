"""Changes to many members at once, each through the service that changes one.

Kept apart from ``members.services`` (which passes 800 lines); the rules stay there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Member
from members.services import MemberResult, member_transfer_within
from orgs.models import Organization


@transaction.atomic
def members_transfer_bulk(
    *,
    members: Iterable[Member],
    to_organization: Organization,
    transferred_on: dt.date,
    reason: str,
    letter_no: str = "",
    user: Any = None,
) -> MemberResult:
    """Move every member of ``members`` to ``to_organization`` on ``transferred_on``, in one transaction.

    Each member goes through ``member_transfer_within`` with the letter issued and
    presented on ``transferred_on`` (a completed transfer: the cell history, the transfer
    row and the record's history are written for each, as for one member). If any member
    is refused, nothing is saved and the error lists every refused member by name.
    Callers decide who may move whom (the form offers the members whose register the user
    keeps, and the cells they keep).
    """
    reason = (reason or "").strip()
    chosen = list(members)
    if not chosen:
        raise ValidationError({"members": _("Hãy chọn ít nhất một đảng viên.")})
    if to_organization is None:
        raise ValidationError({"to_organization": _("Hãy chọn chi bộ chuyển đến.")})
    if transferred_on is None:
        raise ValidationError({"transferred_on": _("Hãy nhập ngày chuyển.")})
    if not reason:
        raise ValidationError({"reason": _("Hãy nhập lý do chuyển sinh hoạt.")})
    result = MemberResult()
    errors: list[str] = []
    for member in sorted(chosen, key=lambda m: (m.sort_key, m.pk)):
        try:
            # Each call runs in its own savepoint, so a refusal leaves the others' checks intact;
            # any refusal then undoes the whole batch below.
            with transaction.atomic():
                one = member_transfer_within(
                    member=member,
                    to_organization=to_organization,
                    cause_on=transferred_on,
                    letter_no=letter_no,
                    letter_on=transferred_on,
                    presented_on=transferred_on,
                    note=reason,
                    user=user,
                )
        except ValidationError as exc:
            errors.append(_("%(name)s: %(error)s") % {"name": member.full_name, "error": " ".join(exc.messages)})
            continue
        result.effects += one.effects
        result.warnings += one.warnings
    if errors:
        raise ValidationError(errors)
    result.effects.append(
        _("Chuyển %(count)s đảng viên sang «%(cell)s»; lý do: %(reason)s.")
        % {"count": len(chosen), "cell": to_organization.name, "reason": reason}
    )
    return result
