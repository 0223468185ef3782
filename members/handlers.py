"""What the members app does when the organization tree changes (registered in apps.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from members.models import IN_PARTY_STATUSES, Member, MembershipKind, TransferKind, TransferStatus
from members.services import move_permanent
from orgs.models import Organization


def move_members_on_merge(*, source: Organization, target: Organization, date: dt.date) -> list[str]:
    """Move the members of cell ``source`` to cell ``target`` on ``date``, keeping the cell history.

    Members attached temporarily to ``source`` follow too (or end the attachment when
    ``target`` is their own cell). A merge into something other than a cell is refused
    while ``source`` still has members: members belong to cells only (domain.md §3).
    """
    permanent = list(Member.objects.filter(organization=source, status__in=IN_PARTY_STATUSES).select_related("organization"))
    temporary = list(Member.objects.filter(temporary_organization=source, status__in=IN_PARTY_STATUSES))
    if not permanent and not temporary:
        return []
    if not target.is_cell:
        raise ValidationError(
            {
                "target": f"«{source.name}» còn {len(permanent) + len(temporary)} đảng viên đang sinh hoạt; "
                f"chỉ có thể hợp nhất vào một chi bộ, «{target.name}» không phải chi bộ. "
                "Hãy chuyển sinh hoạt các đảng viên trước."
            }
        )
    note = f"Hợp nhất «{source.name}» vào «{target.name}»"
    for member in permanent:
        move_permanent(member, target, date, note=note)
    ended = moved_temp = 0
    for member in temporary:
        member.refresh_from_db()
        if member.temporary_organization_id != source.pk:
            continue  # already ended by the permanent move above
        current = member.memberships.get(kind=MembershipKind.TEMPORARY, ended_on__isnull=True)
        current.ended_on = date
        current.save()
        if member.organization_id == target.pk:
            member.temporary_organization = None
            member.transfers.filter(kind=TransferKind.TEMPORARY, status=TransferStatus.OPEN).update(
                status=TransferStatus.COMPLETED
            )
            ended += 1
        else:
            member.memberships.create(organization=target, kind=MembershipKind.TEMPORARY, started_on=date, note=note[:255])
            member.temporary_organization = target
            member.transfers.filter(kind=TransferKind.TEMPORARY, status=TransferStatus.OPEN).update(to_org=target)
            moved_temp += 1
        member.save()
    effects = []
    if permanent:
        effects.append(f"{len(permanent)} đảng viên chuyển sang «{target.name}».")
    if moved_temp:
        effects.append(f"{moved_temp} đảng viên sinh hoạt tạm thời chuyển sang «{target.name}».")
    if ended:
        effects.append(f"{ended} đảng viên kết thúc sinh hoạt tạm thời (đã sinh hoạt chính thức tại «{target.name}»).")
    return effects
