"""Changes to the member register: records, statuses, movements, badges.

Every function here is keyword-only and atomic, validates first (Vietnamese messages in
``ValidationError``, keyed by field where there is one), writes history through
django-simple-history and dated rows (``StatusChange``, ``CellMembership``,
``Transfer``), and returns a ``MemberResult`` whose ``effects`` say in Vietnamese what
happened and whose ``warnings`` say what deserves a look without blocking (a late
letter, CCCD digits that do not match the year of birth). ``lib.services.preview`` runs
any of them and rolls it back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from lib.dates import format_date
from members import rules
from members.checks import (
    DETAIL_FIELDS,
    actor,
    apply_details,
    check_after_status,
    check_cell,
    check_identity,
    check_in_party,
    check_party_dates,
    history_reason,
    not_future,
    required,
)
from members.counts import follow
from members.initial_history import InitialHistory, initial_history_of, write_initial_history
from members.models import (
    BadgeAward,
    CellMembership,
    Member,
    MembershipKind,
    Status,
    StatusChange,
    TemporaryReason,
    Transfer,
    TransferKind,
    TransferStatus,
)
from orgs.models import Organization


@dataclass
class MemberResult:
    member: Member | None = None
    effects: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    status_change: StatusChange | None = None
    transfer: Transfer | None = None
    badge: BadgeAward | None = None


# The reasons of the history rows these services write (in Vietnamese whatever the writer
# reads: the register's language, see ``members.checks.history_reason``).
CREATED_REASON = "Tạo hồ sơ"
BACKFILL_REASON = "Bổ sung lịch sử của hồ sơ ghi hàng loạt"

IDENTITY_FIELDS = {"family_name", "middle_name", "given_name", "sex", "birth_date"}
PARTY_DATE_FIELDS = {"admitted_on", "ceremony_on", "full_member_on"}

# Which status may follow which through ``member_change_status``. Leaving for another
# party committee goes through ``member_transfer_out``, coming back through
# ``member_transfer_in``; removal, expulsion and death end the record (re-admission is a
# new admission). A suspended member returns to the status held before the suspension.
TRANSITIONS: dict[str, set[str]] = {
    Status.PROBATIONARY: {Status.FULL, Status.SUSPENDED, Status.REMOVED, Status.EXPELLED, Status.DECEASED},
    Status.FULL: {Status.EXEMPT, Status.SUSPENDED, Status.REMOVED, Status.EXPELLED, Status.DECEASED},
    Status.EXEMPT: {Status.FULL, Status.SUSPENDED, Status.REMOVED, Status.EXPELLED, Status.DECEASED},
    Status.SUSPENDED: {Status.REMOVED, Status.EXPELLED, Status.DECEASED},
    Status.TRANSFERRED_OUT: set(),
    Status.REMOVED: set(),
    Status.EXPELLED: set(),
    Status.DECEASED: set(),
}
ENDING_STATUSES = {Status.REMOVED, Status.EXPELLED, Status.DECEASED, Status.TRANSFERRED_OUT}


# ---------------------------------------------------------------------------------------
# Records


@transaction.atomic
def member_create(
    *,
    family_name: str,
    given_name: str,
    sex: str,
    birth_date: dt.date,
    organization: Organization,
    admitted_on: dt.date,
    middle_name: str = "",
    ceremony_on: dt.date | None = None,
    full_member_on: dt.date | None = None,
    cell_since: dt.date | None = None,
    decision_no: str = "",
    full_decision_no: str = "",
    user: Any = None,
    **details: Any,
) -> MemberResult:
    """Record a member: probationary from ``admitted_on``, full from ``full_member_on`` if given.

    ``cell_since`` is when the member joined ``organization`` (default: the admission, or
    the cell's founding when later). ``details`` are the other fields of the form
    (``DETAIL_FIELDS``; ``account`` links a user account).
    """
    warnings = check_party_dates(
        birth_date=birth_date, admitted_on=admitted_on, ceremony_on=ceremony_on, full_member_on=full_member_on
    )
    required("organization", organization, _("chi bộ"))
    since = cell_since or max(admitted_on, organization.founded_on)
    not_future("cell_since", since, _("Ngày bắt đầu sinh hoạt tại chi bộ"))
    check_cell(organization, since)
    member = Member(
        family_name=family_name,
        middle_name=middle_name,
        given_name=given_name,
        sex=sex,
        birth_date=birth_date,
        organization=organization,
        admitted_on=admitted_on,
        ceremony_on=ceremony_on,
        full_member_on=full_member_on,
        status=Status.FULL if full_member_on else Status.PROBATIONARY,
        status_since=full_member_on or admitted_on,
    )
    apply_details(member, details, user=user)
    warnings += check_identity(member)
    member.save()
    history_reason(member, CREATED_REASON)
    by = getattr(actor(user), "pk", None)
    history = initial_history_of(
        member, cell_since=since, recorded_by_id=by, decision_no=decision_no, full_decision_no=full_decision_no
    )
    write_initial_history(history, user_id=by, reason=CREATED_REASON)
    effects = [
        _("Tạo hồ sơ đảng viên %(name)s, sinh hoạt tại «%(cell)s» từ ngày %(date)s.")
        % {"name": member.full_name, "cell": organization.name, "date": format_date(since)}
    ]
    if full_member_on:
        effects.append(_("Đảng viên chính thức từ ngày %(date)s.") % {"date": format_date(full_member_on)})
    else:
        effects.append(_("Đảng viên dự bị từ ngày %(date)s.") % {"date": format_date(admitted_on)})
    return MemberResult(member=member, effects=effects, warnings=warnings)


@transaction.atomic
@follow
def member_update(*, member: Member, user: Any = None, **fields: Any) -> MemberResult:
    """Correct the record: identity, details, and the dates of admission, ceremony and full membership.

    A corrected admission or full-membership date moves the matching status-history row;
    making a probationary member full goes through ``member_change_status``.
    """
    allowed = DETAIL_FIELDS | IDENTITY_FIELDS | PARTY_DATE_FIELDS
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Không thể sửa trực tiếp: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    member = Member.objects.select_for_update().get(pk=member.pk)
    old = {name: getattr(member, "user" if name == "account" else name) for name in fields}
    changed = [name for name, value in fields.items() if old[name] != value]
    if not changed:
        return MemberResult(member=member, effects=[_("Không có gì thay đổi.")])
    if "full_member_on" in changed and (member.full_member_on is None or fields["full_member_on"] is None):
        raise ValidationError(
            {
                "full_member_on": _(
                    "Công nhận chính thức (hoặc hủy) là thay đổi trạng thái: hãy dùng chức năng thay đổi trạng thái."
                )
            }
        )
    for name in IDENTITY_FIELDS | PARTY_DATE_FIELDS:
        if name in fields:
            setattr(member, name, fields[name])
    apply_details(member, {k: v for k, v in fields.items() if k in DETAIL_FIELDS}, user=user)
    warnings = check_identity(member)
    warnings += check_party_dates(
        birth_date=member.birth_date,
        admitted_on=member.admitted_on,
        ceremony_on=member.ceremony_on,
        full_member_on=member.full_member_on,
    )
    history = member.status_changes.all()
    if "admitted_on" in changed:
        first = history.order_by("effective_on", "id").first()
        later = (history if first is None else history.exclude(pk=first.pk)).filter(effective_on__lt=member.admitted_on)
        if later.exists():
            raise ValidationError({"admitted_on": _("Ngày vào Đảng phải trước mọi thay đổi trạng thái đã ghi.")})
        if first is not None and first.status == Status.PROBATIONARY:
            StatusChange.objects.filter(pk=first.pk).update(effective_on=member.admitted_on)
    if "full_member_on" in changed:
        StatusChange.objects.filter(member=member, status=Status.FULL, effective_on=old["full_member_on"]).update(
            effective_on=member.full_member_on
        )
    latest = member.status_changes.order_by("-effective_on", "-id").first()
    member.status_since = latest.effective_on if latest else member.status_since
    member.save()
    history_reason(member, "Cập nhật hồ sơ")
    labels = [_field_label("user" if n == "account" else n) for n in changed]
    effect = _("Cập nhật %(fields)s của %(name)s.") % {"fields": ", ".join(labels), "name": member.full_name}
    return MemberResult(member=member, effects=[effect], warnings=warnings)


# ---------------------------------------------------------------------------------------
# Status


def _record_status(member: Member, status: str, date: dt.date, decision_no: str, note: str, user: Any) -> StatusChange:
    change = StatusChange.objects.create(
        member=member, status=status, effective_on=date, decision_no=decision_no, note=note, recorded_by=actor(user)
    )
    member.status = status
    member.status_since = date
    return change


def _field_label(name: str) -> str:
    field = Member._meta.get_field(name)
    assert isinstance(field, models.Field)  # a field of the record itself, not a reverse relation
    return str(field.verbose_name)


def _close_memberships(member: Member, date: dt.date, note: str) -> list[str]:
    effects = []
    for ms in member.memberships.filter(ended_on__isnull=True).select_related("organization"):
        if ms.started_on > date:
            raise ValidationError(
                {
                    "effective_on": _("%(name)s sinh hoạt tại «%(cell)s» từ ngày %(date)s.")
                    % {"name": member.full_name, "cell": ms.organization.name, "date": format_date(ms.started_on)}
                }
            )
        ms.ended_on = date
        ms.note = note[:255]
        ms.save()
        if ms.kind == MembershipKind.TEMPORARY:
            ended = _("Kết thúc sinh hoạt tạm thời tại «%(cell)s» ngày %(date)s.")
        else:
            ended = _("Kết thúc sinh hoạt chính thức tại «%(cell)s» ngày %(date)s.")
        effects.append(ended % {"cell": ms.organization.name, "date": format_date(date)})
    member.temporary_organization = None
    return effects


def _previous_status(member: Member) -> str:
    """The status held before the current one (for a return from suspension or transfer)."""
    rows = list(member.status_changes.order_by("-effective_on", "-id").values_list("status", flat=True)[:2])
    if len(rows) == 2:
        return rows[1]
    return Status.FULL if member.full_member_on else Status.PROBATIONARY


@transaction.atomic
@follow
def member_change_status(
    *,
    member: Member,
    status: str,
    effective_on: dt.date,
    decision_no: str = "",
    note: str = "",
    user: Any = None,
) -> MemberResult:
    """Record a new status from ``effective_on``.

    Probationary → full sets ``full_member_on`` and needs 12 months of probation (Điều
    lệ Đảng, Điều 5). Removal, expulsion and death close the member's cell memberships
    and cancel open transfers.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    required("effective_on", effective_on, _("ngày hiệu lực"))
    not_future("effective_on", effective_on, _("Ngày hiệu lực"))
    if status not in Status.values:
        raise ValidationError({"status": _("Trạng thái không hợp lệ.")})
    current, target = Status(member.status), Status(status)
    if target == current:
        raise ValidationError({"status": _("Đảng viên đang ở trạng thái «%(status)s».") % {"status": current.label}})
    if target == Status.TRANSFERRED_OUT:
        raise ValidationError({"status": _("Chuyển sinh hoạt ra ngoài Đảng bộ được ghi bằng chức năng chuyển sinh hoạt đảng.")})
    allowed = set(TRANSITIONS[current])
    if current == Status.SUSPENDED:
        allowed.add(Status(_previous_status(member)))
    if target not in allowed:
        raise ValidationError(
            {
                "status": _("Không thể chuyển từ trạng thái «%(old)s» sang «%(new)s».")
                % {"old": current.label, "new": target.label}
            }
        )
    if effective_on < member.admitted_on:
        raise ValidationError({"effective_on": _("Ngày hiệu lực phải từ ngày vào Đảng trở đi.")})
    check_after_status(member, effective_on)
    warnings: list[str] = []
    effects = [
        _("%(name)s: «%(old)s» → «%(new)s» từ ngày %(date)s.")
        % {"name": member.full_name, "old": current.label, "new": target.label, "date": format_date(effective_on)}
    ]
    if target == Status.FULL and member.full_member_on is None:
        error = rules.full_membership_error(admitted_on=member.admitted_on, ceremony_on=member.ceremony_on, full_on=effective_on)
        if error:
            raise ValidationError({"effective_on": error})
        end = member.probation_ends_on()
        if effective_on > end:
            warnings.append(
                _(
                    "Đảng viên đủ điều kiện là đảng viên chính thức kể từ ngày hết %(months)s tháng dự bị (%(date)s), "
                    "kể cả khi chi bộ xét muộn (Điều lệ Đảng, Điều 5)."
                )
                % {"months": rules.PROBATION_MONTHS, "date": format_date(end)}
            )
        member.full_member_on = effective_on
    change = _record_status(member, target, effective_on, decision_no, note, user)
    if target in ENDING_STATUSES:
        effects += _close_memberships(member, effective_on, note or str(target.label))
        cancelled = member.transfers.filter(status=TransferStatus.OPEN).update(status=TransferStatus.CANCELLED)
        if cancelled:
            effects.append(_("Hủy %(count)s thủ tục chuyển sinh hoạt đang thực hiện.") % {"count": cancelled})
    member.save()
    history_reason(member, f"Trạng thái: {target.label}")
    return MemberResult(member=member, effects=effects, warnings=warnings, status_change=change)


# ---------------------------------------------------------------------------------------
# Movements


@follow
def move_permanent(member: Member, to_org: Organization, date: dt.date, *, decision_no: str = "", note: str = "") -> str:
    """Close the open permanent membership on ``date`` and open one in ``to_org``.

    Shared by transfers and the merge handler; callers check the rules first.
    """
    current = member.memberships.filter(kind=MembershipKind.PERMANENT, ended_on__isnull=True).first()
    if current is not None:
        if current.started_on > date:
            raise ValidationError(
                {
                    "effective_on": _("%(name)s sinh hoạt tại «%(cell)s» từ ngày %(date)s; ngày chuyển phải từ ngày đó trở đi.")
                    % {"name": member.full_name, "cell": member.organization.name, "date": format_date(current.started_on)}
                }
            )
        current.ended_on = date
        current.save()
    from_name = member.organization.name
    CellMembership.objects.create(member=member, organization=to_org, started_on=date, decision_no=decision_no, note=note[:255])
    member.organization = to_org
    if member.temporary_organization_id == to_org.pk:
        temp = member.memberships.filter(kind=MembershipKind.TEMPORARY, ended_on__isnull=True).first()
        if temp is not None:
            temp.ended_on = date
            temp.save()
        member.temporary_organization = None
        member.transfers.filter(kind=TransferKind.TEMPORARY, status=TransferStatus.OPEN).update(status=TransferStatus.COMPLETED)
    member.save()
    history_reason(member, f"Chuyển sinh hoạt từ «{from_name}» sang «{to_org.name}»")
    return _("%(name)s chuyển sinh hoạt từ «%(old)s» sang «%(new)s» từ ngày %(date)s.") % {
        "name": member.full_name,
        "old": from_name,
        "new": to_org.name,
        "date": format_date(date),
    }


def _check_letter_dates(
    cause_on: dt.date | None, letter_on: dt.date | None, presented_on: dt.date | None
) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """Order and deadlines of a permanent transfer (Quy định 294-QĐ/TW §6.3); returns them with warnings."""
    not_future("cause_on", cause_on, _("Ngày phát sinh"))
    not_future("letter_on", letter_on, _("Ngày cấp giấy giới thiệu"))
    not_future("presented_on", presented_on, _("Ngày nộp giấy giới thiệu"))
    if presented_on and not letter_on:
        raise ValidationError({"letter_on": _("Hãy nhập ngày cấp giấy giới thiệu.")})
    if cause_on and letter_on and letter_on < cause_on:
        raise ValidationError({"letter_on": _("Giấy giới thiệu không thể cấp trước ngày phát sinh việc chuyển.")})
    if letter_on and presented_on and presented_on < letter_on:
        raise ValidationError({"presented_on": _("Ngày nộp giấy giới thiệu phải từ ngày cấp giấy trở đi.")})
    warnings = []
    start_deadline = rules.transfer_start_deadline(cause_on) if cause_on else None
    present_deadline = rules.transfer_present_deadline(letter_on) if letter_on else None
    if start_deadline and letter_on and letter_on > start_deadline:
        warnings.append(
            _("Thủ tục chuyển sinh hoạt bắt đầu muộn: hạn là %(deadline)s (%(days)s ngày làm việc kể từ %(date)s).")
            % {"deadline": format_date(start_deadline), "days": rules.TRANSFER_START_WORKING_DAYS, "date": format_date(cause_on)}
        )
    if present_deadline and presented_on and presented_on > present_deadline:
        warnings.append(
            _("Giấy giới thiệu nộp muộn: hạn là %(deadline)s (%(days)s ngày làm việc kể từ ngày cấp).")
            % {"deadline": format_date(present_deadline), "days": rules.TRANSFER_PRESENT_WORKING_DAYS}
        )
    return start_deadline, present_deadline, warnings


def _check_no_open_permanent_transfer(member: Member) -> None:
    open_transfer = member.transfers.filter(status=TransferStatus.OPEN).exclude(kind=TransferKind.TEMPORARY).first()
    if open_transfer:
        raise ValidationError(
            _("%(name)s đang có thủ tục chuyển sinh hoạt chưa hoàn thành (%(kind)s).")
            % {"name": member.full_name, "kind": open_transfer.get_kind_display()}
        )


@transaction.atomic
def member_transfer_within(
    *,
    member: Member,
    to_organization: Organization,
    cause_on: dt.date | None = None,
    letter_no: str = "",
    letter_on: dt.date | None = None,
    presented_on: dt.date | None = None,
    user: Any = None,
    note: str = "",
) -> MemberResult:
    """Transfer a member permanently to another cell of the system; the cell history is kept.

    Without ``presented_on`` the transfer stays open (the member still counts in the old
    cell) until ``transfer_complete``; without ``letter_on`` it waits for
    ``transfer_issue_letter``. Deadlines: 60 working days from ``cause_on`` to start, 30
    from the letter to present it (Quy định 294-QĐ/TW §6.3).
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    check_in_party(member)
    _check_no_open_permanent_transfer(member)
    required("to_organization", to_organization, _("chi bộ chuyển đến"))
    if to_organization.pk == member.organization_id:
        raise ValidationError(
            {
                "to_organization": _("%(name)s đang sinh hoạt tại «%(cell)s».")
                % {"name": member.full_name, "cell": to_organization.name}
            }
        )
    check_cell(to_organization, presented_on or letter_on or cause_on or dt.date.today(), "to_organization")
    if cause_on is None and letter_on is None:
        raise ValidationError({"cause_on": _("Hãy nhập ngày phát sinh việc chuyển hoặc ngày cấp giấy giới thiệu.")})
    start_deadline, present_deadline, warnings = _check_letter_dates(cause_on, letter_on, presented_on)
    if presented_on:
        check_after_status(member, presented_on, "presented_on")
    transfer = Transfer.objects.create(
        member=member,
        kind=TransferKind.WITHIN,
        from_org_id=member.organization_id,
        to_org=to_organization,
        cause_on=cause_on,
        letter_no=letter_no.strip(),
        letter_on=letter_on,
        presented_on=presented_on,
        start_deadline=start_deadline,
        present_deadline=present_deadline,
        status=TransferStatus.COMPLETED if presented_on else TransferStatus.OPEN,
        note=note,
        recorded_by=actor(user),
    )
    effects = []
    if presented_on:
        effects.append(move_permanent(member, to_organization, presented_on, decision_no=letter_no, note=note))
    else:
        deadline = present_deadline or start_deadline
        effects.append(
            _("Ghi nhận chuyển sinh hoạt của %(name)s từ «%(old)s» sang «%(new)s»; chờ nộp giấy giới thiệu (hạn %(deadline)s).")
            % {
                "name": member.full_name,
                "old": member.organization.name,
                "new": to_organization.name,
                "deadline": format_date(deadline),
            }
        )
    return MemberResult(member=member, effects=effects, warnings=warnings, transfer=transfer)


@transaction.atomic
def transfer_issue_letter(*, transfer: Transfer, letter_no: str, letter_on: dt.date, user: Any = None) -> MemberResult:
    """Record the introduction letter of an open transfer; the 30-working-day clock starts."""
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferStatus.OPEN or transfer.kind != TransferKind.WITHIN:
        raise ValidationError(_("Chỉ ghi giấy giới thiệu cho thủ tục chuyển sinh hoạt trong Đảng bộ đang thực hiện."))
    required("letter_on", letter_on, _("ngày cấp giấy giới thiệu"))
    start_deadline, present_deadline, warnings = _check_letter_dates(transfer.cause_on, letter_on, None)
    transfer.letter_no = letter_no.strip()
    transfer.letter_on = letter_on
    transfer.start_deadline = start_deadline
    transfer.present_deadline = present_deadline
    transfer.save()
    effects = [
        _("Cấp giấy giới thiệu %(number)s ngày %(date)s; hạn nộp %(deadline)s.")
        % {"number": transfer.letter_no, "date": format_date(letter_on), "deadline": format_date(present_deadline)}
    ]
    return MemberResult(member=transfer.member, effects=effects, warnings=warnings, transfer=transfer)


@transaction.atomic
def transfer_complete(*, transfer: Transfer, presented_on: dt.date, user: Any = None) -> MemberResult:
    """The member presented the letter to the new cell: the permanent membership moves on ``presented_on``."""
    transfer = Transfer.objects.select_for_update(of=("self",)).select_related("member", "to_org").get(pk=transfer.pk)
    if transfer.status != TransferStatus.OPEN or transfer.kind != TransferKind.WITHIN:
        raise ValidationError(_("Thủ tục chuyển sinh hoạt này không còn đang thực hiện."))
    member = transfer.member
    check_in_party(member)
    required("presented_on", presented_on, _("ngày nộp giấy giới thiệu"))
    if transfer.letter_on is None:
        raise ValidationError({"letter_on": _("Hãy ghi giấy giới thiệu trước khi ghi ngày nộp.")})
    *_deadlines, warnings = _check_letter_dates(transfer.cause_on, transfer.letter_on, presented_on)
    to_org = check_cell(transfer.to_org, presented_on, "to_organization")
    check_after_status(member, presented_on, "presented_on")
    transfer.presented_on = presented_on
    transfer.status = TransferStatus.COMPLETED
    transfer.save()
    effect = move_permanent(member, to_org, presented_on, decision_no=transfer.letter_no, note=transfer.note)
    return MemberResult(member=member, effects=[effect], warnings=warnings, transfer=transfer)


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, note: str = "", user: Any = None) -> MemberResult:
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferStatus.OPEN:
        raise ValidationError(_("Thủ tục chuyển sinh hoạt này không còn đang thực hiện."))
    if transfer.kind == TransferKind.TEMPORARY:
        raise ValidationError(_("Sinh hoạt tạm thời được kết thúc bằng chức năng kết thúc sinh hoạt tạm thời."))
    transfer.status = TransferStatus.CANCELLED
    transfer.note = "\n".join(filter(None, [transfer.note, note]))
    transfer.save()
    return MemberResult(
        member=transfer.member,
        effects=[_("Hủy thủ tục chuyển sinh hoạt của %(name)s.") % {"name": transfer.member.full_name}],
        transfer=transfer,
    )


@transaction.atomic
@follow
def member_transfer_out(
    *,
    member: Member,
    destination: str,
    letter_no: str,
    letter_on: dt.date,
    cause_on: dt.date | None = None,
    user: Any = None,
    note: str = "",
) -> MemberResult:
    """Transfer a member out of the system: status «Đã chuyển đi» from the letter's date."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    check_in_party(member)
    _check_no_open_permanent_transfer(member)
    required("destination", (destination or "").strip(), _("đảng bộ nơi chuyển đến"))
    required("letter_on", letter_on, _("ngày cấp giấy giới thiệu"))
    start_deadline, present_deadline, warnings = _check_letter_dates(cause_on, letter_on, None)
    check_after_status(member, letter_on, "letter_on")
    transfer = Transfer.objects.create(
        member=member,
        kind=TransferKind.OUT,
        from_org_id=member.organization_id,
        outside_unit=destination.strip(),
        cause_on=cause_on,
        letter_no=letter_no.strip(),
        letter_on=letter_on,
        start_deadline=start_deadline,
        present_deadline=present_deadline,
        status=TransferStatus.COMPLETED,
        note=note,
        recorded_by=actor(user),
    )
    change = _record_status(member, Status.TRANSFERRED_OUT, letter_on, letter_no, note, user)
    effects = [
        _("%(name)s chuyển sinh hoạt đến «%(destination)s» từ ngày %(date)s.")
        % {"name": member.full_name, "destination": destination.strip(), "date": format_date(letter_on)}
    ]
    effects += _close_memberships(member, letter_on, f"Chuyển đến {destination.strip()}")
    member.save()
    history_reason(member, "Chuyển sinh hoạt ra ngoài Đảng bộ")
    return MemberResult(member=member, effects=effects, warnings=warnings, status_change=change, transfer=transfer)


@transaction.atomic
@follow
def member_transfer_in(
    *,
    to_organization: Organization,
    origin: str,
    letter_no: str,
    letter_on: dt.date,
    presented_on: dt.date,
    member: Member | None = None,
    cause_on: dt.date | None = None,
    user: Any = None,
    note: str = "",
    **member_fields: Any,
) -> MemberResult:
    """Receive a member from outside the system, from ``presented_on``.

    With ``member`` (a record transferred out earlier) the record comes back to the
    status it had before leaving; otherwise a record is created from ``member_fields``
    (the arguments of ``member_create``).
    """
    required("origin", (origin or "").strip(), _("đảng bộ nơi chuyển đi"))
    required("presented_on", presented_on, _("ngày nộp giấy giới thiệu"))
    start_deadline, present_deadline, warnings = _check_letter_dates(cause_on, letter_on, presented_on)
    check_cell(to_organization, presented_on, "to_organization")
    if member is not None:
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.status != Status.TRANSFERRED_OUT:
            raise ValidationError(
                _("%(name)s không ở trạng thái «%(status)s»: không thể tiếp nhận lại.")
                % {"name": member.full_name, "status": Status.TRANSFERRED_OUT.label}
            )
        check_after_status(member, presented_on, "presented_on")
        back = _previous_status(member)
        _record_status(member, back, presented_on, letter_no, note, user)
        CellMembership.objects.create(member=member, organization=to_organization, started_on=presented_on, decision_no=letter_no)
        member.organization = to_organization
        member.save()
        history_reason(member, "Tiếp nhận sinh hoạt đảng")
        effects = [
            _("Tiếp nhận lại %(name)s từ «%(origin)s» vào «%(cell)s» từ ngày %(date)s (%(status)s).")
            % {
                "name": member.full_name,
                "origin": origin.strip(),
                "cell": to_organization.name,
                "date": format_date(presented_on),
                "status": Status(back).label,
            }
        ]
    else:
        created = member_create(organization=to_organization, cell_since=presented_on, user=user, **member_fields)
        member = created.member
        assert member is not None
        warnings += created.warnings
        effects = [
            _("Tiếp nhận %(name)s từ «%(origin)s» vào «%(cell)s» từ ngày %(date)s.")
            % {
                "name": member.full_name,
                "origin": origin.strip(),
                "cell": to_organization.name,
                "date": format_date(presented_on),
            }
        ]
    transfer = Transfer.objects.create(
        member=member,
        kind=TransferKind.IN,
        to_org=to_organization,
        outside_unit=origin.strip(),
        cause_on=cause_on,
        letter_no=letter_no.strip(),
        letter_on=letter_on,
        presented_on=presented_on,
        start_deadline=start_deadline,
        present_deadline=present_deadline,
        status=TransferStatus.COMPLETED,
        note=note,
        recorded_by=actor(user),
    )
    return MemberResult(member=member, effects=effects, warnings=warnings, transfer=transfer)


@transaction.atomic
def member_attach_temporarily(
    *,
    member: Member,
    organization: Organization,
    started_on: dt.date,
    ends_on: dt.date,
    reason: str = TemporaryReason.WORK,
    letter_no: str = "",
    user: Any = None,
    note: str = "",
) -> MemberResult:
    """Attach a member temporarily to another cell; they have no vote there and are not counted in its totals."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    check_in_party(member)
    required("started_on", started_on, _("ngày bắt đầu"))
    required("ends_on", ends_on, _("ngày kết thúc dự kiến"))
    not_future("started_on", started_on, _("Ngày bắt đầu sinh hoạt tạm thời"))
    if reason not in TemporaryReason.values:
        raise ValidationError({"reason": _("Hãy chọn lý do sinh hoạt tạm thời.")})
    check_cell(organization, started_on)
    if organization.pk == member.organization_id:
        raise ValidationError(
            {
                "organization": _("«%(cell)s» là chi bộ sinh hoạt chính thức của %(name)s.")
                % {"cell": organization.name, "name": member.full_name}
            }
        )
    current = (
        member.memberships.filter(kind=MembershipKind.TEMPORARY, ended_on__isnull=True).select_related("organization").first()
    )
    if current is not None:
        raise ValidationError(
            {
                "organization": _(
                    "%(name)s đang sinh hoạt tạm thời tại «%(cell)s»; "
                    "mỗi đảng viên chỉ sinh hoạt tạm thời ở một chi bộ. Hãy kết thúc trước."
                )
                % {"name": member.full_name, "cell": current.organization.name}
            }
        )
    error = rules.temporary_period_error(started_on=started_on, ends_on=ends_on, reason=reason)
    if error:
        raise ValidationError({"ends_on": error})
    CellMembership.objects.create(
        member=member,
        organization=organization,
        kind=MembershipKind.TEMPORARY,
        started_on=started_on,
        decision_no=letter_no,
        note=note[:255],
    )
    transfer = Transfer.objects.create(
        member=member,
        kind=TransferKind.TEMPORARY,
        from_org_id=member.organization_id,
        to_org=organization,
        reason=reason,
        letter_no=letter_no.strip(),
        letter_on=started_on,
        presented_on=started_on,
        ends_on=ends_on,
        note=note,
        recorded_by=actor(user),
    )
    member.temporary_organization = organization
    member.save()
    history_reason(member, f"Sinh hoạt tạm thời tại «{organization.name}»")
    effects = [
        _("%(name)s sinh hoạt tạm thời tại «%(cell)s» từ %(start)s đến %(end)s; vẫn sinh hoạt chính thức tại «%(home)s».")
        % {
            "name": member.full_name,
            "cell": organization.name,
            "start": format_date(started_on),
            "end": format_date(ends_on),
            "home": member.organization.name,
        }
    ]
    return MemberResult(member=member, effects=effects, transfer=transfer)


@transaction.atomic
def member_end_temporary(*, member: Member, ended_on: dt.date, user: Any = None, note: str = "") -> MemberResult:
    member = Member.objects.select_for_update().get(pk=member.pk)
    current = (
        member.memberships.filter(kind=MembershipKind.TEMPORARY, ended_on__isnull=True).select_related("organization").first()
    )
    if current is None:
        raise ValidationError(_("%(name)s không sinh hoạt tạm thời ở chi bộ nào.") % {"name": member.full_name})
    required("ended_on", ended_on, _("ngày kết thúc"))
    not_future("ended_on", ended_on, _("Ngày kết thúc"))
    if ended_on < current.started_on:
        raise ValidationError(
            {"ended_on": _("Sinh hoạt tạm thời bắt đầu ngày %(date)s.") % {"date": format_date(current.started_on)}}
        )
    current.ended_on = ended_on
    current.save()
    member.transfers.filter(kind=TransferKind.TEMPORARY, status=TransferStatus.OPEN).update(status=TransferStatus.COMPLETED)
    member.temporary_organization = None
    member.save()
    history_reason(member, "Kết thúc sinh hoạt tạm thời")
    effect = _("%(name)s kết thúc sinh hoạt tạm thời tại «%(cell)s» ngày %(date)s.") % {
        "name": member.full_name,
        "cell": current.organization.name,
        "date": format_date(ended_on),
    }
    return MemberResult(member=member, effects=[effect])


# ---------------------------------------------------------------------------------------
# Badges


@transaction.atomic
def badge_award(
    *,
    member: Member,
    years: int,
    awarded_on: dt.date,
    decision_no: str = "",
    early_for_illness: bool = False,
    user: Any = None,
) -> MemberResult:
    """Award the ``years`` party badge; the milestone must be due (or within the early window for illness)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    required("awarded_on", awarded_on, _("ngày trao tặng"))
    not_future("awarded_on", awarded_on, _("Ngày trao tặng"))
    check_in_party(member)
    if member.full_member_on is None or member.status == Status.PROBATIONARY:
        raise ValidationError(_("Đảng viên dự bị chưa có tuổi đảng: chưa thể xét tặng huy hiệu."))
    awarded = set(member.badge_awards.values_list("years", flat=True))
    if years in awarded:
        raise ValidationError(
            {"years": _("%(name)s đã được tặng huy hiệu %(years)s năm tuổi Đảng.") % {"name": member.full_name, "years": years}}
        )
    higher = [y for y in awarded if y > years]
    if higher:
        raise ValidationError(
            {
                "years": _("%(name)s đã được tặng huy hiệu %(years)s năm tuổi Đảng.")
                % {"name": member.full_name, "years": max(higher)}
            }
        )
    error = rules.badge_award_error(
        admitted_on=member.admitted_on,
        years=years,
        awarded_on=awarded_on,
        early_for_illness=early_for_illness,
        gap_months=member.party_age_gap_months,
    )
    if error:
        raise ValidationError({"awarded_on": error})
    badge = BadgeAward.objects.create(
        member=member,
        years=years,
        awarded_on=awarded_on,
        decision_no=decision_no.strip(),
        early_for_illness=early_for_illness,
        recorded_by=actor(user),
    )
    values = {"name": member.full_name, "years": years, "date": format_date(awarded_on)}
    if early_for_illness:
        effect = _("Tặng %(name)s huy hiệu %(years)s năm tuổi Đảng ngày %(date)s (tặng sớm do ốm nặng).") % values
    else:
        effect = _("Tặng %(name)s huy hiệu %(years)s năm tuổi Đảng ngày %(date)s.") % values
    return MemberResult(member=member, effects=[effect], badge=badge)


# ---------------------------------------------------------------------------------------
# Records written outside these services


@transaction.atomic
def members_backfill_history(*, members: Any = None) -> int:
    """Give history rows to members inserted in bulk that have none (``members.initial_history``).

    Writes the rows every new record starts with, from the record's dates and status,
    with their history rows; a member who already has a cell membership keeps it. Returns
    how many members were completed.
    """
    qs = (
        (members if members is not None else Member.objects.all())
        .filter(status_changes__isnull=True)
        .select_related("organization")
    )
    placed = set(qs.filter(memberships__isnull=False).values_list("pk", flat=True))
    rows = InitialHistory()
    count = 0
    for member in qs.iterator(chunk_size=2000):
        count += 1
        rows.extend(initial_history_of(member))
    rows.memberships = [r for r in rows.memberships if r["member_id"] not in placed]
    write_initial_history(rows, user_id=None, reason=BACKFILL_REASON)
    return count
