"""Merging two records of one person into one (``member_merge``), and saying two records
are two people (``duplicate_dismiss``).

A merge keeps one record and deletes the other, in one transaction with both rows locked:

- the dropped record's dated rows move to the kept one: every row of every model with a
  foreign key to ``Member`` (found through ``Member._meta``, so a later app's rows move
  too), except a row that repeats or contradicts the kept record's (the same status on
  the same date, an open cell membership or an open transfer while the kept record has
  its own current cell, a badge of the same years, a row a unique constraint allows once
  per member). A repeated row is left with the dropped record (deleted with it); a
  conflicting row of a model that protects its rows (a review, a discipline decision)
  stops the merge with a message saying which;
- the kept record's empty fields are filled from the dropped one (details only: the
  name, date of birth, sex, party dates, status and cell are the kept record's);
- the kept record's history says who merged, when and why; the dropped record's history
  stays in its history table and the kept member's page reads it (``MemberMerge``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges
from simple_history.utils import bulk_update_with_history

from lib.history import format_value
from members.checks import DETAIL_FIELDS, actor, history_reason
from members.models import (
    BadgeAward,
    CellMembership,
    DuplicateDismissal,
    Member,
    MemberMerge,
    StatusChange,
    Transfer,
    TransferStatus,
)
from members.permissions import keeps_register_at
from members.services import CREATED_REASON, MemberResult, member_create

# The details a merge fills on the kept record when it has none: ``members.checks.DETAIL_FIELDS``
# (``account`` is the ``user`` field) but the party-age gap, which goes with the kept record's
# party dates; in the order of the record's fields.
_FILLED = {"user" if name == "account" else name for name in DETAIL_FIELDS} - {"party_age_gap_months"}
FILL_FIELDS = tuple(f.name for f in Member._meta.fields if f.name in _FILLED)
# Rows about the pair itself, not about the person: they go with the dropped record.
_NOT_MOVED = {MemberMerge, DuplicateDismissal}
MERGE_REASON = "Gộp hồ sơ trùng"


def _reverse_relations() -> list[models.ForeignObjectRel]:
    """Every foreign key to ``Member`` from another model's live rows (history tables aside)."""
    out = []
    for rel in Member._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and isinstance(rel, models.ForeignObjectRel)):
            continue
        model = rel.related_model
        if not isinstance(model, type) or issubclass(model, HistoricalChanges) or model in _NOT_MOVED:
            continue
        if rel.one_to_one:
            continue  # none today; a one-to-one row cannot move onto a record that may have its own
        out.append(rel)
    return out


def _unique_sets(model: type[models.Model], fk: str) -> list[tuple[list[str], models.Q | None]]:
    """The sets of fields (with ``fk``) a unique constraint allows once, with its condition."""
    sets: list[tuple[list[str], models.Q | None]] = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and fk in constraint.fields:
            sets.append(([f for f in constraint.fields if f != fk], constraint.condition))
    for together in model._meta.unique_together:
        if fk in together:
            sets.append(([f for f in together if f != fk], None))
    return sets


def _same_row(model: type[models.Model], row: Any, kept_rows: list[Any]) -> bool:
    """Whether ``row`` repeats one of the kept record's rows of the members app (same facts)."""
    if model is StatusChange:
        return any(r.status == row.status and r.effective_on == row.effective_on for r in kept_rows)
    if model is CellMembership:
        return any(
            r.organization_id == row.organization_id and r.kind == row.kind and r.started_on == row.started_on for r in kept_rows
        )
    if model is BadgeAward:
        return any(r.years == row.years for r in kept_rows)
    if model is Transfer:
        return any(
            r.kind == row.kind
            and r.letter_on == row.letter_on
            and r.from_org_id == row.from_org_id
            and r.to_org_id == row.to_org_id
            for r in kept_rows
        )
    return False


def _conflict(model: type[models.Model], row: Any, kept_rows: list[Any]) -> str:
    """Why ``row`` cannot move onto the kept record ("" when it can)."""
    if model is StatusChange:
        latest = max((r.effective_on for r in kept_rows), default=None)
        if latest is not None and row.effective_on > latest:
            return _("sau trạng thái hiện tại của hồ sơ được giữ")
    if model is CellMembership and row.ended_on is None:
        return _("nơi sinh hoạt hiện tại là của hồ sơ được giữ")
    if model is Transfer and row.status == TransferStatus.OPEN:
        return _("thủ tục đang thực hiện của hồ sơ bị gộp")
    return ""


def _unique_clash(model: type[models.Model], fk: str, row: Any, kept_rows: list[Any]) -> bool:
    for fields, condition in _unique_sets(model, fk):
        if condition is not None:
            matches = model._default_manager.filter(condition, pk=row.pk).exists()  # type: ignore[attr-defined]
            if not matches:
                continue
        attnames = [_attname(model, f) for f in fields]
        for other in kept_rows:
            if condition is not None and not model._default_manager.filter(condition, pk=other.pk).exists():  # type: ignore[attr-defined]
                continue
            if all(getattr(other, name) == getattr(row, name) for name in attnames):
                return True
    return False


def _attname(model: type[models.Model], name: str) -> str:
    f = model._meta.get_field(name)
    assert isinstance(f, models.Field)
    return f.attname


def _describe(model: type[models.Model], row: Any) -> str:
    return f"{model._meta.verbose_name}: {row}"


def _snapshot(member: Member) -> dict[str, str]:
    """The dropped record's fields as a reader sees them (the merge keeps them for reading)."""
    out = {}
    for f in Member._meta.concrete_fields:
        if f.primary_key or not f.editable:
            continue
        value = getattr(member, f.name if f.is_relation else f.attname)
        out[str(f.verbose_name)] = "" if value is None else (str(value) if f.is_relation else format_value(f, value))
    return out


def merge_problems(keep: Member, drop: Member) -> list[str]:
    """Why the two records cannot be one person's (different CCCDs or card numbers)."""
    problems = []
    if keep.pk == drop.pk:
        problems.append(_("Hai hồ sơ là một."))
    if keep.national_id and drop.national_id and keep.national_id != drop.national_id:
        problems.append(_("Hai hồ sơ có số CCCD khác nhau: đó là hai người, không gộp được."))
    if keep.card_number and drop.card_number and keep.card_number != drop.card_number:
        problems.append(_("Hai hồ sơ có số thẻ đảng viên khác nhau: đó là hai người, không gộp được."))
    if keep.user_id and drop.user_id and keep.user_id != drop.user_id:
        problems.append(_("Hai hồ sơ gắn với hai tài khoản khác nhau: hãy bỏ một tài khoản trước khi gộp."))
    return problems


@transaction.atomic
def member_merge(*, keep: Member, drop: Member, user: Any, reason: str) -> MemberResult:
    """Merge ``drop`` into ``keep`` (see the module's docstring); ``drop`` is deleted.

    Only a user who keeps the register of both records' cells may merge (``PermissionDenied``);
    ``reason`` is required.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do gộp hai hồ sơ.")})
    locked = {m.pk: m for m in Member.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk]).order_by("pk")}
    if keep.pk not in locked or drop.pk not in locked:
        raise ValidationError(_("Một trong hai hồ sơ không còn (có thể vừa được gộp)."))
    keep, drop = locked[keep.pk], locked[drop.pk]
    for m in (keep, drop):
        if not keeps_register_at(user, m.organization.path):
            raise PermissionDenied(_("Bạn không quản lý hồ sơ đảng viên của «%(cell)s».") % {"cell": m.organization.name})
    problems = merge_problems(keep, drop)
    if problems:
        raise ValidationError(problems)

    summary: list[str] = []
    moved_count = 0
    left: list[str] = []
    refused: list[str] = []
    by = actor(user)
    change_reason = f"{MERGE_REASON}: chuyển từ hồ sơ {drop.full_name} (mã {drop.pk}). Lý do: {reason}"
    for rel in _reverse_relations():
        model = rel.related_model
        assert isinstance(model, type)
        fk = rel.field.name
        rows = list(model._default_manager.filter(**{fk: drop}))  # type: ignore[attr-defined]
        if not rows:
            continue
        kept_rows = list(model._default_manager.filter(**{fk: keep}))  # type: ignore[attr-defined]
        moving = []
        for row in rows:
            why = ""
            if _same_row(model, row, kept_rows):
                why = _("trùng với hồ sơ được giữ")
            else:
                why = _conflict(model, row, kept_rows) or (
                    _("hồ sơ được giữ đã có") if _unique_clash(model, fk, row, kept_rows) else ""
                )
            if not why:
                moving.append(row)
            elif rel.on_delete is models.CASCADE or rel.on_delete is models.SET_NULL:
                left.append(f"{_describe(model, row)} ({why})")
            else:
                refused.append(f"{_describe(model, row)} ({why})")
        if refused:
            continue
        for row in moving:
            setattr(row, fk, keep)
        if moving:
            if hasattr(model, "history"):
                bulk_update_with_history(moving, model, [fk], default_user=by, default_change_reason=change_reason)
            else:
                model._default_manager.filter(pk__in=[r.pk for r in moving]).update(**{fk: keep})  # type: ignore[attr-defined]
            moved_count += len(moving)
            summary.append(
                _("Chuyển %(count)s %(what)s sang hồ sơ được giữ.") % {"count": len(moving), "what": model._meta.verbose_name}
            )
    if refused:
        raise ValidationError(
            [_("Không gộp được: các dòng sau của hồ sơ bị gộp trùng với hồ sơ được giữ; hãy xử lý chúng trước:"), *refused]
        )

    filled: list[str] = []
    values: dict[str, Any] = {}
    for name in FILL_FIELDS:
        f = Member._meta.get_field(name)
        assert isinstance(f, models.Field)
        attname = f.attname
        mine, theirs = getattr(keep, attname), getattr(drop, attname)
        if mine in (None, "") and theirs not in (None, ""):
            values[attname] = theirs
            filled.append(str(f.verbose_name))
    snapshot = _snapshot(drop)
    dropped_name, dropped_pk = drop.full_name, drop.pk
    # The merges into the dropped record now lead to the kept one (a chain stays readable).
    MemberMerge.objects.filter(kept=drop).update(kept=keep)
    drop._change_reason = f"{MERGE_REASON}: gộp vào hồ sơ {keep.full_name} (mã {keep.pk}). Lý do: {reason}"  # type: ignore[attr-defined]
    drop._history_user = by  # type: ignore[attr-defined]
    drop.delete()
    for attname, value in values.items():
        setattr(keep, attname, value)
    keep._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            keep.save()
    except IntegrityError as exc:
        raise ValidationError(_("Không gộp được: %(error)s") % {"error": exc}) from exc
    history_reason(keep, f"{MERGE_REASON}: gộp hồ sơ {dropped_name} (mã {dropped_pk}) vào hồ sơ này. Lý do: {reason}")

    effects = [_("Gộp hồ sơ %(drop)s vào hồ sơ %(keep)s.") % {"drop": dropped_name, "keep": keep.full_name}]
    effects += summary
    if filled:
        effects.append(_("Bổ sung từ hồ sơ bị gộp: %(fields)s.") % {"fields": ", ".join(filled)})
    if left:
        effects.append(_("Không chuyển (xóa cùng hồ sơ bị gộp, vẫn còn trong lịch sử): %(rows)s.") % {"rows": "; ".join(left)})
    MemberMerge.objects.create(
        kept=keep,
        dropped_id=dropped_pk,
        dropped_name=dropped_name[:160],
        dropped_data=snapshot,
        summary=effects,
        reason=reason,
        merged_by=by,
    )
    return MemberResult(member=keep, effects=effects)


@transaction.atomic
def duplicate_dismiss(*, first: Member, second: Member, user: Any, reason: str = "") -> DuplicateDismissal:
    """Remember that ``first`` and ``second`` are two people: the page no longer pairs them."""
    if first.pk == second.pk:
        raise ValidationError(_("Hai hồ sơ là một."))
    for m in (first, second):
        if not keeps_register_at(user, m.organization.path):
            raise PermissionDenied(_("Bạn không quản lý hồ sơ đảng viên của «%(cell)s».") % {"cell": m.organization.name})
    a, b = sorted((first.pk, second.pk))
    dismissal, _created = DuplicateDismissal.objects.get_or_create(
        first_id=a, second_id=b, defaults={"reason": (reason or "").strip()[:255], "dismissed_by": actor(user)}
    )
    return dismissal


def merged_ids(member: Member) -> list[int]:
    """The ids of the records merged into ``member`` (a merge into a record later merged
    itself is moved onto the record it went to: ``member_merge``)."""
    return list(MemberMerge.objects.filter(kept=member).values_list("dropped_id", flat=True))


@transaction.atomic
def member_create_checked(*, duplicate_reason: str = "", **kwargs: Any) -> MemberResult:
    """``members.services.member_create``; ``duplicate_reason`` (why a record is created although
    a likely duplicate exists, ``members.duplicates.candidates_for``) goes into its history."""
    result = member_create(**kwargs)
    reason = (duplicate_reason or "").strip()
    if reason and result.member is not None:
        history_reason(result.member, f"{CREATED_REASON}. Có thể trùng với hồ sơ đã có; vẫn tạo mới vì: {reason}")
        result.effects.append(_("Vẫn tạo hồ sơ mới dù có thể trùng với hồ sơ đã có: %(reason)s") % {"reason": reason})
    return result
