"""What the members app does when the organization tree changes (registered in apps.py)."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.dates import format_date
from members import counts
from members.checks import check_cell
from members.models import IN_PARTY_STATUSES, CellMembership, Member, MembershipKind, TransferKind, TransferStatus
from members.services import member_end_temporary, move_permanent
from orgs import labels as org_labels
from orgs.models import Organization
from orgs.scope import subtree_q
from orgs.services import SplitShareHandler


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
                "target": gettext(
                    "«%(source)s» còn %(count)s đảng viên đang sinh hoạt; "
                    "chỉ có thể hợp nhất vào một chi bộ, «%(target)s» không phải chi bộ. "
                    "Hãy chuyển sinh hoạt các đảng viên trước."
                )
                % {"source": source.name, "count": len(permanent) + len(temporary), "target": target.name}
            }
        )
    names = org_labels.labels([source, target], user=None)
    note = f"Hợp nhất «{names[source.pk]}» vào «{names[target.pk]}»"
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
        effects.append(
            gettext("%(count)s đảng viên chuyển sang «%(target)s».") % {"count": len(permanent), "target": target.name}
        )
    if moved_temp:
        effects.append(
            gettext("%(count)s đảng viên sinh hoạt tạm thời chuyển sang «%(target)s».")
            % {"count": moved_temp, "target": target.name}
        )
    if ended:
        effects.append(
            gettext("%(count)s đảng viên kết thúc sinh hoạt tạm thời (đã sinh hoạt chính thức tại «%(target)s»).")
            % {"count": ended, "target": target.name}
        )
    return effects


def refuse_dissolving_with_members(*, organization: Organization, date: dt.date, user: Any = None) -> list[str]:
    """Refuse to end ``organization`` while a cell of its subtree still has members in the party.

    Dissolving does not say where the members go, so they must be transferred first (or
    the cell merged into another, which moves them). Members attached there only
    temporarily keep their own cell: their attachment ends on ``date``. Nobody may have
    been in the subtree after ``date`` either, so the cell history stays consistent with
    the tree as of any date.
    """
    org = organization
    staying = Member.objects.in_party().in_organization(org)
    count = staying.count()
    if count:
        names = ", ".join(m.full_name for m in staying[:5]) + (", …" if count > 5 else "")
        where = gettext("«%(name)s»") % {"name": org.name}
        if staying.exclude(organization=org).exists():
            where = gettext("«%(name)s» (kể cả các tổ chức trực thuộc đã giải thể)") % {"name": org.name}
        raise ValidationError(
            gettext(
                "%(where)s còn %(count)s đảng viên đang sinh hoạt (%(names)s). "
                "Hãy chuyển sinh hoạt các đảng viên này sang chi bộ khác trước khi giải thể, "
                "hoặc hợp nhất «%(name)s» vào một chi bộ khác để đảng viên chuyển theo."
            )
            % {"where": where, "count": count, "names": names, "name": org.name}
        )
    late = (
        CellMembership.objects.filter(subtree_q(org.path, "organization__path"))
        .filter(Q(ended_on__gt=date) | Q(started_on__gt=date))
        .select_related("member", "organization")
        .order_by("-ended_on", "-started_on")
        .first()
    )
    if late is not None:
        last = max(d for d in (late.started_on, late.ended_on) if d is not None)
        raise ValidationError(
            {
                "effective_on": gettext(
                    "%(member)s sinh hoạt tại «%(organization)s» đến ngày %(date)s; "
                    "ngày hiệu lực giải thể phải từ ngày đó trở đi."
                )
                % {"member": late.member.full_name, "organization": late.organization.name, "date": format_date(last)}
            }
        )
    attached = list(Member.objects.in_party().attached_to(org))
    note = f"Giải thể «{org.name}»"
    for member in attached:
        member_end_temporary(member=member, ended_on=date, user=user, note=note)
    if not attached:
        return []
    return [
        gettext(
            "%(count)s đảng viên sinh hoạt tạm thời tại «%(name)s» kết thúc sinh hoạt tạm thời "
            "ngày %(date)s; họ vẫn sinh hoạt chính thức tại chi bộ của mình."
        )
        % {"count": len(attached), "name": org.name, "date": format_date(date)}
    ]


def members_to_split(organization: Organization) -> list[tuple[int, str]]:
    """The members in the party whose cell is ``organization``, as the split form offers
    them: id and "full name (birth date)", by Vietnamese name order."""
    members = Member.objects.in_party().filter(organization=organization).order_by("sort_key", "pk")
    return [(m.pk, f"{m.full_name} ({format_date(m.birth_date)})") for m in members]


def move_members_on_split(
    *, organization: Organization, destinations: dict[int, Organization], date: dt.date, user: Any = None
) -> list[str]:
    """Move each member of cell ``organization`` to the new cell ``destinations`` names on
    ``date`` (a dated cell-history row each, as a merge does), in the split's transaction.

    Only members still in the party in that cell may be given; each destination must be a
    cell. Whoever is not given stays, and the split's dissolve check then refuses.
    """
    members = {
        m.pk: m
        for m in Member.objects.in_party()
        .filter(organization=organization, pk__in=list(destinations))
        .select_related("organization")
    }
    missing = [pk for pk in destinations if pk not in members]
    if missing:
        raise ValidationError(
            {
                "parts": gettext("%(count)s đảng viên được giao không còn sinh hoạt tại «%(name)s»; hãy tải lại trang.")
                % {"count": len(missing), "name": organization.name}
            }
        )
    for cell in {org.pk: org for org in destinations.values()}.values():
        check_cell(cell, date, "parts")
    note = f"Chia tách «{org_labels.label(organization, user=None)}»"
    moved: dict[int, int] = {}
    for pk, member in members.items():
        target = destinations[pk]
        move_permanent(member, target, date, note=note)
        moved[target.pk] = moved.get(target.pk, 0) + 1
    cells = {org.pk: org for org in destinations.values()}
    return [
        gettext("%(count)s đảng viên chuyển sang «%(target)s».") % {"count": count, "target": cells[pk].name}
        for pk, count in moved.items()
    ]


SPLIT_MEMBERS = SplitShareHandler(key="members", title=_("Đảng viên"), items=members_to_split, distribute=move_members_on_split)


def follow_moved_subtree(organization: Organization) -> AbstractContextManager[None]:
    """Keep the per-organization member counts across a move of ``organization``'s subtree:
    every member who ever belonged to a cell in it is counted before the paths change and
    after (``members.counts.following``), so a move to another province moves their counts."""
    cells = Organization.objects.filter(subtree_q(organization.path)).values("pk")
    ids = set(CellMembership.objects.filter(organization__in=cells).values_list("member_id", flat=True))
    ids |= set(
        Member.objects.filter(Q(organization__in=cells) | Q(temporary_organization__in=cells)).values_list("pk", flat=True)
    )
    return counts.following(ids)
