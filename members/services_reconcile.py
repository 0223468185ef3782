"""Stored reconciliations of the 7-HSĐV list: the job, the corrections applied, the export.

``members.reconciliation`` compares a list with the register and writes nothing; here a
``Reconciliation`` keeps the result for the user who ran it. A large list is compared by a
django-tasks task (``reconcile_task``) with the import's job mechanics (``members.tasks``:
the size estimate, the threshold, the detection of a runner that died). The corrections the
user ticks are applied through the ordinary services (``member_create``, ``member_update``),
every one or none, with the history reason "Đối chiếu danh sách 7-HSĐV ngày dd/mm/yyyy"; a
member missing from the list is never marked transferred or removed here. The list's columns
are matched as an import matches them; the user may map them on the result page
(``reconciliation_map_columns``, the import's mapping step): the mapping is kept on the
reconciliation, remembered for the next file with the same headers, and the list compared again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from lib.dates import format_date
from lib.tabular import write_xlsx
from members import tasks
from members.checks import history_reason
from members.column_mapping import field_choices, headers_json
from members.importing import remember_mapping
from members.models import (
    DifferenceKind,
    Member,
    Reconciliation,
    ReconciliationDifference,
    ReconciliationStatus,
    SuggestedAction,
)
from members.permissions import keeps_register_at
from members.reconciliation import DATE_FIELDS, FIELD_LABELS, RECONCILE_SPEC, Difference, Progress, reconcile
from members.services import member_create, member_update
from orgs.models import Organization

logger = logging.getLogger(__name__)

# The history reason of every correction applied from a reconciliation (Vietnamese: the
# register's language, see ``members.checks.history_reason``).
REASON = "Đối chiếu danh sách 7-HSĐV ngày %s"
BATCH = 2000


def reason_for(on: dt.date) -> str:
    return REASON % format_date(on)


# --- the stored reconciliation ------------------------------------------------------------


def reconciliation_create(*, upload: UploadedFile, user: Any, organization: Organization, on: dt.date) -> Reconciliation:
    """Store the upload and decide, as an import does (``members.tasks``), whether it runs in the background."""
    if not keeps_register_at(user, organization.path):
        raise ValidationError(_("Bạn không giữ hồ sơ đảng viên của «%(name)s».") % {"name": organization.name})
    rec = Reconciliation(created_by=user, organization=organization, on=on, filename=Path(upload.name or "tep").name[:255])
    rec.file.save(rec.filename, upload, save=False)
    rec.total = tasks.estimate_rows(rec.file.path, rec.filename)
    rec.background = rec.total > tasks.sync_max_rows()
    rec.heartbeat_at = timezone.now()
    rec.save()
    return rec


def reconciliation_start(rec: Reconciliation) -> None:
    if not rec.background:
        reconciliation_run(rec)
        return
    with transaction.atomic():
        result = reconcile_task.enqueue(rec.pk)
        Reconciliation.objects.filter(pk=rec.pk).update(task_id=str(result.id))
    rec.task_id = str(result.id)


def _reporter(rec: Reconciliation) -> Progress:
    def report(done: int, estimate: int | None) -> None:
        total = max(estimate or 0, rec.total, done, 1)
        Reconciliation.objects.filter(pk=rec.pk).update(processed=done, total=total, heartbeat_at=timezone.now())

    return report


def _store(rec: Reconciliation, differences: list[Difference]) -> None:
    batch: list[ReconciliationDifference] = []
    for d in differences:
        batch.append(
            ReconciliationDifference(
                reconciliation=rec,
                kind=d.kind,
                action=d.action,
                row=d.row,
                member_id=d.member_id,
                name=d.name[:160],
                birth_date=d.birth_date,
                field=d.field_name,
                list_value=d.list_value[:255],
                register_value=d.register_value[:255],
                note=d.note,
                data=d.data,
            )
        )
        if len(batch) >= BATCH:
            ReconciliationDifference.objects.bulk_create(batch)
            batch = []
    ReconciliationDifference.objects.bulk_create(batch)


def reconciliation_run(rec: Reconciliation) -> Reconciliation:
    """Read the stored list and compare it; the reconciliation ends DONE, INVALID or FAILED."""
    Reconciliation.objects.filter(pk=rec.pk).update(status=ReconciliationStatus.RUNNING, processed=0, heartbeat_at=timezone.now())
    rec.refresh_from_db()
    try:
        with rec.file.open("rb") as handle:
            out, fatal = reconcile(
                handle,
                rec.filename,
                user=rec.created_by,
                organization=rec.organization,
                on=rec.on,
                progress=_reporter(rec),
                mapping=(rec.decisions or {}).get("mapping"),
            )
        with transaction.atomic():
            rec.differences.all().delete()
            if fatal:
                rec.status = ReconciliationStatus.INVALID
                rec.errors = fatal
            else:
                _store(rec, out.differences)
                rec.status = ReconciliationStatus.DONE
                rec.errors = []
            rec.counts = out.counts()
            rec.row_count, rec.register_count, rec.matched_count = out.row_count, out.register_count, out.matched_count
            rec.warnings = out.warnings
            rec.headers = headers_json(out.headers, RECONCILE_SPEC)
            rec.header_signature = out.header_signature
            rec.processed = rec.total = max(out.row_count, 1)
            rec.finished_at = rec.heartbeat_at = timezone.now()
            rec.save()
    except Exception:
        logger.exception("member reconciliation %s failed", rec.pk)
        rec.refresh_from_db()
        rec.status = ReconciliationStatus.FAILED
        rec.errors = [_("Lỗi hệ thống khi đối chiếu; không có gì được ghi. Hãy báo cho quản trị viên.")]
        rec.finished_at = timezone.now()
        rec.save(update_fields=["status", "errors", "finished_at"])
    return rec


def can_map_columns(rec: Reconciliation) -> bool:
    """Whether the list's column mapping may be changed: it was read (compared, or refused
    for its header) and its header is known."""
    return rec.status in (ReconciliationStatus.DONE, ReconciliationStatus.INVALID) and bool(rec.headers)


def reconciliation_map_columns(*, reconciliation: Reconciliation, mapping: dict[str, str], user: Any) -> Reconciliation:
    """Store the user's column mapping on ``reconciliation``, remember it for their next list
    (or import) with the same headers, and compare the list again with it.

    ``mapping``: {file header: column key, or "" for none}, the columns whose field differs
    from the match by name (``members.column_mapping.mapping_from_post``). Only the user who
    ran the reconciliation may change it (``PermissionDenied``); a field that does not exist,
    a header the list does not have, or a reconciliation not waiting for it (running) is a
    ``ValidationError`` and changes nothing. The differences found before are replaced.
    """
    rec = reconciliation
    if rec.created_by_id != getattr(user, "pk", None) or not keeps_register_at(user, rec.organization.path):
        raise PermissionDenied(_("Chỉ người đã đối chiếu mới chọn được cách ghép cột cho lượt đối chiếu này."))
    if not can_map_columns(rec):
        raise ValidationError(_("Lượt đối chiếu này đang chạy hoặc chưa đọc được dòng tiêu đề; chưa ghép cột được."))
    names = {h["name"] for h in rec.headers}
    allowed = {key for key, _label in field_choices()}
    for name, key in mapping.items():
        if name not in names:
            raise ValidationError(_("Danh sách không có cột «%(name)s».") % {"name": name})
        if key not in allowed:
            raise ValidationError(_("Trường «%(value)s» không có trong danh sách để ghép.") % {"value": key})
    with transaction.atomic():
        claimed = Reconciliation.objects.filter(pk=rec.pk, status=rec.status).update(
            decisions={**(rec.decisions or {}), "mapping": mapping},
            status=ReconciliationStatus.QUEUED,
            processed=0,
            heartbeat_at=timezone.now(),
            finished_at=None,
            task_id="",
        )
        if not claimed:
            raise ValidationError(_("Lượt đối chiếu này vừa thay đổi; hãy xem lại trang."))
        if rec.header_signature:
            remember_mapping(rec.created_by, rec.header_signature, mapping)
    rec.refresh_from_db()
    reconciliation_start(rec)
    return rec


def reconciliation_detect_interrupted(rec: Reconciliation) -> Reconciliation:
    """Mark failed a reconciliation whose runner is gone (the import's rule, ``members.tasks.runner_is_gone``)."""
    # A reconciliation has the fields of an ImportJob that rule reads.
    if not tasks.runner_is_gone(rec):  # type: ignore[arg-type]
        return rec
    try:
        Reconciliation.objects.filter(pk=rec.pk, status=rec.status).update(
            status=ReconciliationStatus.FAILED,
            errors=[_("Tiến trình đối chiếu bị dừng giữa chừng; hãy tải danh sách lên lại.")],
            finished_at=timezone.now(),
        )
    except DatabaseError:
        return rec
    rec.refresh_from_db()
    return rec


def percent(rec: Reconciliation) -> int:
    if not rec.is_running:
        return 100
    return min(100, rec.processed * 100 // max(rec.total, rec.processed, 1))


@task()
def reconcile_task(reconciliation_id: int) -> str:
    rec = reconciliation_run(Reconciliation.objects.select_related("created_by", "organization").get(pk=reconciliation_id))
    return rec.status


# --- applying the chosen corrections ------------------------------------------------------


def _date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _label(d: ReconciliationDifference) -> str:
    where = _("Dòng %(row)s") % {"row": d.row} if d.row else _("Hồ sơ")
    return f"{where} ({d.name})" if d.name else where


def _apply_fixes(member: Member, diffs: list[ReconciliationDifference], user: Any, reason: str) -> str:
    if not keeps_register_at(user, member.organization.path):
        raise ValidationError(_("bạn không được cập nhật hồ sơ của %(name)s") % {"name": member.full_name})
    fields: dict[str, Any] = {}
    for d in diffs:
        for key, was in d.data["was"].items():
            if getattr(member, key) != (_date(was) if key in DATE_FIELDS else was):
                raise ValidationError(
                    _("hồ sơ của %(name)s đã thay đổi sau khi đối chiếu; hãy đối chiếu lại") % {"name": member.full_name}
                )
        for key, value in d.data["set"].items():
            fields[key] = _date(value) if key in DATE_FIELDS else value
    result = member_update(member=member, user=user, **fields)
    history_reason(result.member, reason)
    return " ".join(result.effects)


def _apply_add(d: ReconciliationDifference, rec: Reconciliation, user: Any, reason: str) -> str:
    values = dict(d.data["create"])
    cell = Organization.objects.select_related("kind").filter(pk=values.pop("organization_id")).first()
    if cell is None or not keeps_register_at(user, cell.path):
        raise ValidationError(_("bạn không được thêm đảng viên vào chi bộ này"))
    for key in DATE_FIELDS:
        values[key] = _date(values.get(key))
    result = member_create(organization=cell, user=user, **values)
    assert result.member is not None
    history_reason(result.member, reason)
    d.member = result.member
    return " ".join(result.effects)


def reconciliation_apply(*, reconciliation: Reconciliation, difference_ids: Iterable[int], user: Any) -> list[str]:
    """Apply the chosen "add" and "fix" differences through ``member_create`` and ``member_update``,
    in one transaction: every one, or (``ValidationError`` naming the row and why) none.

    A fix is refused when the record no longer holds the value it was compared with.
    """
    wanted = set(difference_ids)
    if not wanted:
        raise ValidationError(_("Hãy chọn ít nhất một sửa đổi để áp dụng."))
    reason = reason_for(reconciliation.on)
    effects: list[str] = []
    with transaction.atomic():
        diffs = list(reconciliation.differences.select_for_update().filter(pk__in=wanted).order_by("row", "id"))
        if len(diffs) != len(wanted):
            raise ValidationError(_("Một số sửa đổi đã chọn không thuộc lượt đối chiếu này."))
        for d in diffs:
            if not d.applicable:
                raise ValidationError(
                    _("%(where)s: chênh lệch này không áp dụng tự động được (%(action)s).")
                    % {"where": _label(d), "action": d.get_action_display()}
                )
        fixes: dict[int, list[ReconciliationDifference]] = defaultdict(list)
        for d in diffs:
            if d.action == SuggestedAction.FIX:
                fixes[d.member_id or 0].append(d)
        current = diffs[0]
        try:
            members = Member.objects.select_related("organization").in_bulk([pk for pk in fixes if pk])
            for member_id, group in fixes.items():
                if member_id not in members:
                    raise ValidationError(_("hồ sơ không còn"))
                current = group[0]
                effects.append(_apply_fixes(members[member_id], group, user, reason))
            for d in diffs:
                current = d
                if d.action == SuggestedAction.ADD:
                    effects.append(_apply_add(d, reconciliation, user, reason))
        except ValidationError as exc:
            raise ValidationError(
                _("%(where)s: %(message)s") % {"where": _label(current), "message": " ".join(exc.messages)}
            ) from exc
        for d in diffs:
            d.applied = True
        ReconciliationDifference.objects.bulk_update(diffs, ["applied", "member"])
        reconciliation.applied_count += len(diffs)
        reconciliation.applied_at = timezone.now()
        reconciliation.save(update_fields=["applied_count", "applied_at"])
    return effects


# --- the export ---------------------------------------------------------------------------

EXPORT_HEADERS = (
    gettext_lazy("Loại chênh lệch"),
    gettext_lazy("Dòng trong danh sách"),
    gettext_lazy("Họ và tên"),
    gettext_lazy("Ngày sinh"),
    gettext_lazy("Thông tin"),
    gettext_lazy("Trong danh sách"),
    gettext_lazy("Trong hồ sơ"),
    gettext_lazy("Đề xuất"),
    gettext_lazy("Ghi chú"),
    gettext_lazy("Đã áp dụng"),
)


def differences_xlsx(rec: Reconciliation) -> bytes:
    """Every difference of ``rec`` as an .xlsx, grouped by kind (``lib.tabular.write_xlsx``)."""
    kinds = dict(DifferenceKind.choices)
    actions = dict(SuggestedAction.choices)

    def rows() -> Iterator[list[Any]]:
        for d in rec.differences.order_by("kind", "row", "id").iterator(chunk_size=2000):
            yield [
                str(kinds[d.kind]),
                d.row,
                d.name,
                d.birth_date,
                str(FIELD_LABELS.get(d.field, d.field)),
                d.list_value,
                d.register_value,
                str(actions[d.action]),
                d.note,
                _("Đã áp dụng") if d.applied else "",
            ]

    title = _("Chênh lệch khi đối chiếu danh sách 7-HSĐV: %(org)s, tính đến ngày %(date)s") % {
        "org": rec.organization.name,
        "date": format_date(rec.on),
    }
    return write_xlsx([str(h) for h in EXPORT_HEADERS], rows(), title=title, sheet_name=_("Chênh lệch"))
