"""Importing members from a 7-HSĐV list (.xlsx or .csv): check every row, then write all or none.

``members_parse`` reads the file against ``MEMBER_SPEC`` (the columns of
``members.columns``) for one user and returns the engine's ``ParseResult``: clean rows,
and every problem as "Dòng N, cột X: …". The checks are the member services' own
(``members.checks``): dates of birth, admission and full membership, the cell. A row
whose CCCD or card number is already on record updates that member, but only inside the
importer's write scope; a match outside it is an error for that row that names no one.

``members_import`` then writes every row in one transaction (new records with their
status history and cell membership, updates with their history), or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.rights import can_read
from lib import bulk
from lib.importer import (
    ROW_KEY,
    Column,
    ImportRefused,
    ImportSpec,
    ParseResult,
    RowError,
    Unresolved,
    apply_all_or_nothing,
    parse,
    unique_within_file,
)
from lib.names import person_name_error
from lib.tabular import Source
from lib.text import fold, full_name, name_sort_key
from members import rules
from members.checks import check_cell, check_party_dates
from members.columns import BY_KEY, IDENTITY_KEYS, IMPORT_COLUMNS, LIST_KEYS, NAME_KEYS, TEXT_KEYS
from members.counts import following as counts_following
from members.initial_history import InitialHistory, initial_history, write_initial_history
from members.models import (
    IN_PARTY_STATUSES,
    Ethnicity,
    GeneralEducation,
    Member,
    PoliticalTheory,
    ProfessionalEducation,
    Religion,
    Status,
)
from members.permissions import keeps_register_at
from orgs.models import Organization

MEMBER_KEY = "_member"  # on each clean row: the id of the member it updates, or None for a new one
BATCH = 2000
CHANGE_REASON = "Nhập từ tệp danh sách đảng viên"

Progress = Callable[[int, int | None], None]


@dataclass
class ImportContext:
    """What the spec's hooks share while one user's file is checked."""

    user: Any
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)
    keeps: dict[str, bool] = field(default_factory=dict)
    columns: frozenset[str] = frozenset()  # the columns the file has (MEMBER_SPEC.on_header)

    def keeps_register_at(self, path: str) -> bool:
        """Whether the importer keeps the register of the organization at ``path`` (memoized)."""
        answer = self.keeps.get(path)
        if answer is None:
            answer = self.keeps[path] = keeps_register_at(self.user, path)
        return answer


# --- lookups ----------------------------------------------------------------------------


def _resolve_cells(codes: set[Any], ctx: ImportContext) -> dict[Any, Any]:
    """Cells by code (any case). A cell where the user does not keep the register is refused;
    one outside what they may read is reported as not found, like a code that does not exist."""
    wanted: dict[str, list[Any]] = {}
    for code in codes:
        wanted.setdefault(str(code).lower(), []).append(code)
    orgs = Organization.objects.filter(code__in=set(codes) | set(wanted)).select_related("kind")
    found: dict[Any, Any] = {}
    for org in orgs:
        for code in wanted.get(org.code.lower(), ()):
            if not ctx.keeps_register_at(org.path):
                if can_read(ctx.user, org):
                    found[code] = Unresolved(_("bạn không được cập nhật đảng viên của «%(name)s»") % {"name": org.name})
            elif not org.is_cell:
                found[code] = Unresolved(
                    _("«%(code)s» là %(name)s, không phải chi bộ: đảng viên sinh hoạt ở chi bộ cơ sở hoặc chi bộ trực thuộc")
                    % {"code": code, "name": org.name}
                )
            else:
                found[code] = org
    return found


_LIST_MODELS = {
    "ethnicity": Ethnicity,
    "religion": Religion,
    "general_education": GeneralEducation,
    "professional_education": ProfessionalEducation,
    "political_theory": PoliticalTheory,
}


def _list_resolver(key: str) -> Callable[[set[Any], ImportContext], dict[Any, Any]]:
    model = _LIST_MODELS[key]

    def resolve(names: set[Any], ctx: ImportContext) -> dict[Any, Any]:
        lookup = ctx.lists.get(key)
        if lookup is None:
            lookup = {}
            for entry in model.objects.all():
                lookup.setdefault(fold(entry.code), entry)
            for entry in model.objects.all():
                lookup[fold(entry.name)] = entry  # a name wins over a code spelled the same
            ctx.lists[key] = lookup
        found: dict[Any, Any] = {}
        for name in names:
            folded = fold(name)
            match = lookup.get(folded)
            if match is None and folded.count("/") == 1:  # "12/9" from a date Excel read month-first
                day, month = folded.split("/")
                match = lookup.get(f"{month}/{day}")
            if match is None:
                label = BY_KEY[key].label.lower()
                found[name] = Unresolved(_("«%(value)s» không có trong danh mục %(list)s") % {"value": name, "list": label})
            else:
                found[name] = match
        return found

    return resolve


# --- row checks -------------------------------------------------------------------------


def split_full_name(text: str) -> tuple[str, str, str]:
    """ "Nguyễn Thị Thu Hà" -> ("Nguyễn", "Thị Thu", "Hà"): first word family, last given, the rest middle."""
    words = text.split()
    if len(words) < 2:
        return "", "", text.strip()
    return words[0], " ".join(words[1:-1]), words[-1]


def _validation_messages(exc: ValidationError) -> Iterator[tuple[str | None, str]]:
    if hasattr(exc, "error_dict"):
        for key, messages in exc.message_dict.items():
            for message in messages:
                yield (key if key in BY_KEY else None), message
    else:
        for message in exc.messages:
            yield None, message


def _check_row(row: dict[str, Any], ctx: ImportContext) -> Iterator[tuple[str | None, str]]:
    has_parts = "given_name" in ctx.columns or "family_name" in ctx.columns
    if not has_parts and row.get("full_name"):
        row["family_name"], row["middle_name"], row["given_name"] = split_full_name(row["full_name"])
        if not row["family_name"]:
            yield "full_name", _("«%(name)s» phải có cả họ và tên") % {"name": row["full_name"]}
            return
    elif has_parts or "full_name" in ctx.columns:
        for key, message in (("family_name", _("không được để trống họ")), ("given_name", _("không được để trống tên"))):
            if not row.get(key):
                yield (key if key in ctx.columns else "full_name"), message
    for key in NAME_KEYS:  # the rule of the forms and services (lib.names)
        error = person_name_error(row.get(key) or "")
        if error:
            yield (key if key in ctx.columns else "full_name"), error
            return
    try:
        check_party_dates(
            birth_date=row["birth_date"],
            admitted_on=row["admitted_on"],
            ceremony_on=None,
            full_member_on=row.get("full_member_on"),
        )
    except ValidationError as exc:
        yield from _validation_messages(exc)
        return
    org: Organization = row["organization"]
    try:
        check_cell(org, max(row["admitted_on"], org.founded_on))
    except ValidationError as exc:
        for _field, message in _validation_messages(exc):
            yield "organization", message


@dataclass(frozen=True, slots=True)
class _Known:
    id: int
    national_id: str | None
    card_number: str | None
    path: str
    status: str
    admitted_on: dt.date
    full_member_on: dt.date | None
    organization_id: int
    organization_code: str


def _known(field_name: str, values: list[str]) -> dict[str, _Known]:
    out: dict[str, _Known] = {}
    for start in range(0, len(values), 900):  # under SQLite's limit of bound parameters
        chunk = values[start : start + 900]
        rows = Member.objects.filter(**{f"{field_name}__in": chunk}).values_list(
            "id",
            "national_id",
            "card_number",
            "organization__path",
            "status",
            "admitted_on",
            "full_member_on",
            "organization_id",
            "organization__code",
        )
        for values_row in rows:
            known = _Known(*values_row)
            out[getattr(known, field_name)] = known
    return out


def _check_existing(rows: list[dict[str, Any]], ctx: ImportContext) -> Iterable[RowError]:
    """Match rows to members on record by CCCD or card number; a match becomes an update.

    Only a member the importer may write is updated. A match outside their scope is an
    error that says so without naming the member; a match whose cell or party dates differ
    from the file is an error too (those change through transfers and status changes).
    """
    by_id = _known("national_id", [r["national_id"] for r in rows if r.get("national_id")])
    by_card = _known("card_number", [r["card_number"] for r in rows if r.get("card_number")])
    label = {key: BY_KEY[key].label for key in ("national_id", "card_number", "organization", "admitted_on", "full_member_on")}
    claimed: dict[int, int] = {}
    for row in rows:
        number = row[ROW_KEY]
        row[MEMBER_KEY] = None
        a = by_id.get(row.get("national_id") or "")
        b = by_card.get(row.get("card_number") or "")
        if a is None and b is None:
            continue
        key = "national_id" if a is not None else "card_number"
        what = _("Số CCCD") if a is not None else _("Số thẻ đảng viên")
        if a is not None and b is not None and a.id != b.id:
            yield RowError(number, label["card_number"], _("số CCCD và số thẻ đảng viên của dòng này thuộc hai hồ sơ khác nhau"))
            continue
        target = a or b
        assert target is not None
        if not ctx.keeps_register_at(target.path):
            yield RowError(
                number,
                label[key],
                _("%(what)s «%(value)s» đã có trong hồ sơ một đảng viên ngoài phạm vi bạn quản lý; không thể cập nhật")
                % {"what": what, "value": row[key]},
            )
            continue
        if target.status not in IN_PARTY_STATUSES:
            yield RowError(
                number,
                label[key],
                _("%(what)s «%(value)s» thuộc hồ sơ đang ở trạng thái «%(status)s»; không cập nhật qua tệp nhập")
                % {"what": what, "value": row[key], "status": Status(target.status).label},
            )
            continue
        org = row["organization"]
        if org.pk != target.organization_id:
            yield RowError(
                number,
                label["organization"],
                _(
                    "đảng viên có %(what)s này đang sinh hoạt tại chi bộ «%(code)s»; "
                    "đổi chi bộ bằng chức năng chuyển sinh hoạt đảng"
                )
                % {"what": what.lower(), "code": target.organization_code},
            )
            continue
        if row["admitted_on"] != target.admitted_on:
            yield RowError(
                number,
                label["admitted_on"],
                _("khác với hồ sơ (%(date)s); sửa ngày vào Đảng trong hồ sơ của đảng viên")
                % {"date": f"{target.admitted_on:%d/%m/%Y}"},
            )
            continue
        full_on = row.get("full_member_on")
        if full_on is not None and full_on != target.full_member_on:
            held = f"{target.full_member_on:%d/%m/%Y}" if target.full_member_on else _("đang là đảng viên dự bị")
            yield RowError(
                number,
                label["full_member_on"],
                _("khác với hồ sơ (%(held)s); công nhận chính thức hoặc sửa ngày chính thức trong hồ sơ của đảng viên")
                % {"held": held},
            )
            continue
        if target.id in claimed:
            yield RowError(number, label[key], _("cùng một đảng viên với dòng %(row)s trong tệp") % {"row": claimed[target.id]})
            continue
        claimed[target.id] = number
        row[MEMBER_KEY] = target.id


def _learn_columns(columns: list[str], ctx: ImportContext) -> None:
    ctx.columns = frozenset(columns)


def _spec_columns() -> list[Column]:
    """The shared columns, with the lookups of the import attached (Column is frozen)."""
    columns = []
    for column in IMPORT_COLUMNS:
        if column.key in _LIST_MODELS:
            column = replace(column, resolve=_list_resolver(column.key))
        elif column.key == "organization":
            column = replace(column, resolve=_resolve_cells)
        columns.append(column)
    return columns


MEMBER_SPEC = ImportSpec(
    columns=_spec_columns(),
    on_header=_learn_columns,
    check_row=_check_row,
    check_rows=(
        unique_within_file("national_id", BY_KEY["national_id"].label),
        unique_within_file("card_number", BY_KEY["card_number"].label),
        _check_existing,
    ),
    name="members",
)

NAME_HEADERS_MISSING = gettext_lazy("Thiếu cột bắt buộc: Họ và tên (hoặc ba cột Họ, Tên đệm, Tên).")


def members_parse(file: Source, filename: str, *, user: Any, progress: Progress | None = None) -> ParseResult:
    """Read and check a member list for ``user``; every problem is in the result, nothing is written.

    Each clean row carries ``MEMBER_KEY``: the id of the member it updates, or None.
    """
    result = parse(file, filename, MEMBER_SPEC, ImportContext(user=user), progress=progress)
    if result.header_row is not None and result.columns:
        found = set(result.columns)
        if "given_name" not in found and "full_name" not in found:
            result.add(RowError(None, None, str(NAME_HEADERS_MISSING)))
    return result


# --- writing ----------------------------------------------------------------------------


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _derive(member: Member) -> None:
    # The derived columns Member.save() fills, which bulk writes skip.
    member.sort_key = name_sort_key(member.family_name, member.middle_name, member.given_name)
    member.search_text = fold(f"{member.full_name} {member.other_names} {member.card_number or ''}")[:300]
    member.party_age_from = rules.party_age_origin(member.admitted_on, member.party_age_gap_months)


def _text(value: Any) -> str:
    return "" if value is None else value


@lru_cache(maxsize=100_000)
def _name_keys(family: str, middle: str, given: str) -> tuple[str, str]:
    """The sort key and folded full name Member.save() derives (names repeat: computed once each)."""
    return name_sort_key(family, middle, given), fold(full_name(family, middle, given))


def _new_member(row: dict[str, Any]) -> dict[str, Any]:
    """The columns of a new member (by attname), with what ``Member.save`` would derive."""
    full_on = row.get("full_member_on")
    family, middle, given = row["family_name"], _text(row.get("middle_name")), row["given_name"]
    other = _text(row.get("other_names"))
    national_id = row.get("national_id") or None
    card = row.get("card_number") or None
    sort_key, folded = _name_keys(family, middle, given)
    values = {
        "family_name": family,
        "middle_name": middle,
        "given_name": given,
        "sex": row["sex"],
        "birth_date": row["birth_date"],
        "organization_id": row["organization"].pk,
        "admitted_on": row["admitted_on"],
        "full_member_on": full_on,
        "status": Status.FULL if full_on else Status.PROBATIONARY,
        "status_since": full_on or row["admitted_on"],
        "national_id": national_id,
        "card_number": card,
        "party_age_gap_months": 0,
        "party_age_from": rules.party_age_origin(row["admitted_on"], 0),
        "sort_key": sort_key,
        # As Member.save() derives it (fold() collapses spaces, so parts fold apart the same);
        # test_it_derives_the_same_search_text_and_sort_key_as_a_save keeps the two in step.
        "search_text": " ".join(x for x in (folded, fold(other), fold(card)) if x)[:300],
    }
    for key in TEXT_KEYS:
        values[key] = _text(row.get(key))
    for key in LIST_KEYS:
        entry = row.get(key)
        values[f"{key}_id"] = entry.pk if entry is not None else None
    return values


def _create(rows: list[dict[str, Any]], user_id: int | None, reason: str) -> None:
    """New members with their history, and the rows every new record starts with
    (``members.initial_history``, as ``member_create`` writes them for one member).

    Written in bulk by ``lib.bulk`` (``bulk_create_with_history`` needs minutes for a
    province), or by ``bulk_create_with_history`` on a database ``lib.bulk`` does not know.
    """
    members = [_new_member(row) for row in rows]
    if bulk.supported():
        ids = bulk.insert_with_history(Member, members, user_id=user_id, reason=reason)
    else:
        created = bulk_create_with_history(
            [Member(**values) for values in members],
            Member,
            batch_size=BATCH,
            default_change_reason=reason,
            default_user=get_user_model().objects.filter(pk=user_id).first(),
        )
        ids = [member.pk for member in created]
    history = InitialHistory()
    for member_id, member, row in zip(ids, members, rows, strict=True):
        history.extend(
            initial_history(
                member_id=member_id,
                organization_id=member["organization_id"],
                cell_founded_on=row["organization"].founded_on,
                admitted_on=member["admitted_on"],
                full_member_on=member["full_member_on"],
                status=member["status"],
                recorded_by_id=user_id,
            )
        )
    write_initial_history(history, user_id=user_id, reason=reason)


_UPDATABLE = (*NAME_KEYS, "sex", "birth_date", *TEXT_KEYS, *LIST_KEYS, *IDENTITY_KEYS, "full_member_on")


def _update(rows: list[dict[str, Any]], user: Any, reason: str) -> tuple[int, int]:
    """Apply the filled cells of each row to its member; an empty cell keeps the value on record."""
    members = Member.objects.in_bulk([row[MEMBER_KEY] for row in rows])
    changed: list[Member] = []
    fields: set[str] = set()
    for row in rows:
        member = members[row[MEMBER_KEY]]
        touched = False
        for key in _UPDATABLE:
            value = row.get(key)
            if value is None or value == "":
                continue
            name = f"{key}_id" if key in LIST_KEYS else key
            current = getattr(member, name)
            new = value.pk if key in LIST_KEYS else value
            if current != new:
                setattr(member, name, new)
                fields.add(name)
                touched = True
        if touched:
            _derive(member)
            changed.append(member)
    if changed:
        bulk_update_with_history(
            changed,
            Member,
            sorted(fields | {"sort_key", "search_text", "party_age_from"}),
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )
    return len(changed), len(rows) - len(changed)


def members_import(
    *, parsed: ParseResult, user: Any, progress: Progress | None = None, reason: str = CHANGE_REASON
) -> ImportSummary:
    """Write every row of ``parsed`` (from ``members_parse`` for the same ``user``) in one transaction.

    Raises ``ImportRefused`` and writes nothing when the parse found errors, or when the
    database refuses a row (a CCCD or card number that became taken since the check).
    """
    actor = user if getattr(user, "pk", None) else None

    def write(rows: list[dict[str, Any]]) -> ImportSummary:
        summary = ImportSummary()
        total = len(rows)
        done = 0
        new_rows = [r for r in rows if r.get(MEMBER_KEY) is None]
        old_rows = [r for r in rows if r.get(MEMBER_KEY) is not None]
        for start in range(0, len(new_rows), BATCH):
            chunk = new_rows[start : start + BATCH]
            _create(chunk, getattr(actor, "pk", None), reason)
            summary.created += len(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        for start in range(0, len(old_rows), BATCH):
            chunk = old_rows[start : start + BATCH]
            with counts_following(row[MEMBER_KEY] for row in chunk):  # birth date, sex, lists move the counts
                updated, unchanged = _update(chunk, actor, reason)
            summary.updated += updated
            summary.unchanged += unchanged
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        return summary

    try:
        return apply_all_or_nothing(parsed, write)
    except IntegrityError as exc:
        parsed.add(
            RowError(
                None,
                None,
                _(
                    "Không ghi được: một số CCCD hoặc số thẻ đảng viên vừa bị trùng với hồ sơ khác "
                    "(có thể do tệp đổi chéo số giữa hai đảng viên). Không dòng nào được ghi. (%(error)s)"
                )
                % {"error": exc},
            )
        )
        raise ImportRefused(parsed) from exc


def preview_rows(parsed: ParseResult, limit: int = 20) -> list[list[str]]:
    """The first rows as the preview shows them: row, name, date of birth, cell, new or update."""
    out = []
    for row in parsed.rows[:limit]:
        name = " ".join(filter(None, (row.get(k) for k in NAME_KEYS))) or row.get("full_name") or ""
        birth = row.get("birth_date")
        org = row.get("organization")
        out.append(
            [
                str(row[ROW_KEY]),
                name,
                f"{birth:%d/%m/%Y}" if birth else "",
                getattr(org, "code", "") or "",
                _("Cập nhật") if row.get(MEMBER_KEY) else _("Mới"),
            ]
        )
    return out


def count_kinds(parsed: ParseResult) -> tuple[int, int]:
    """(new, updated-or-unchanged) among the clean rows."""
    matched = sum(1 for row in parsed.rows if row.get(MEMBER_KEY))
    return len(parsed.rows) - matched, matched
