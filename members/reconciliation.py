"""Reconciling the 7-HSĐV member list with the level above or below (every 3 months).

The level above or below sends its list of an organization's members; the register keeper
uploads it for that organization and a date. ``reconcile`` reads the list with the import's
engine and columns (``lib.importer.parse`` over ``members.columns``: the same layouts,
title blocks, renamed headers and legacy encodings as an import) and compares it with the
register as that date saw it (``register_as_of``: the members whose permanent cell then lay
in the organization's subtree and who were in the party then, by the dated cell
memberships and status history; one query).

A row is matched to a member by CCCD, else by card number, else by folded full name and
date of birth. The differences are of five kinds (``DifferenceKind``): a row that cannot be
read (with its reasons: the list is never refused whole for a row the import would
refuse), a row repeating a member already matched, a member in the list and not in the
register, one in the register and not in the list, and a field that differs (name, dates of
birth, admission and full membership, cell, status, CCCD, card number). Each has a
suggested action (``SuggestedAction``).

This module reads and compares, and writes nothing; ``members.services_reconcile`` stores
the result, runs large lists in the background and applies the corrections the user ticks.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any, NamedTuple

from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.dates import format_date
from lib.importer import ROW_KEY, Column, HeaderColumn, ImportSpec, ParseResult, parse
from lib.tabular import Source
from lib.text import fold
from members.columns import BIRTH_DATE_BY_SEX, BY_KEY, IMPORT_COLUMNS, SUB_HEADERS, TEXT_KEYS
from members.duplicates import identity_key
from members.importing import NAME_HEADERS_MISSING, remembered_mapping, split_family_middle, split_full_name
from members.models import (
    IN_PARTY_STATUSES,
    CellMembership,
    DifferenceKind,
    Member,
    MembershipKind,
    Status,
    StatusChange,
    SuggestedAction,
)
from members.permissions import keeps_register_at
from orgs.models import Organization, OrgVersion
from orgs.scope import subtree_q

logger = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]

STATUS_KEY = "_status"  # a row's status read from a «Trạng thái» column, when the file has one

FIELD_LABELS = {
    "name": gettext_lazy("Họ và tên"),
    "birth_date": gettext_lazy("Ngày sinh"),
    "admitted_on": gettext_lazy("Ngày vào Đảng"),
    "full_member_on": gettext_lazy("Ngày chính thức"),
    "organization": gettext_lazy("Chi bộ"),
    "status": gettext_lazy("Trạng thái"),
    "national_id": gettext_lazy("Số CCCD"),
    "card_number": gettext_lazy("Số thẻ đảng viên"),
}
COMPARED = tuple(FIELD_LABELS)
DATE_FIELDS = ("birth_date", "admitted_on", "full_member_on")


def _name_key(text: str) -> str:
    """A name as compared between the two lists: NFC, single spaces, case ignored (a list typed
    in capitals is not a different name), diacritics kept (a missing mark is)."""
    return " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()


# --- reading the list -------------------------------------------------------------------


@dataclass
class ReconcileContext:
    """What the hooks share while one list is read: the cells it may name."""

    user: Any
    organization: Organization
    on: dt.date
    columns: frozenset[str] = frozenset()
    orgs: dict[int, Organization] = field(default_factory=dict)
    by_code: dict[str, Organization] = field(default_factory=dict)
    by_name: dict[str, list[Organization]] = field(default_factory=dict)
    remembered: bool = False  # the columns were matched by the mapping the user chose before

    def load_cells(self) -> None:
        """The organizations of the subtree today and as it was on the date (one query each)."""
        root = OrgVersion.objects.as_of(self.on).filter(organization=self.organization).values_list("path", flat=True).first()
        q = subtree_q(self.organization.path)
        if root is not None:
            then = OrgVersion.objects.as_of(self.on).filter(subtree_q(root)).values("organization_id")
            q |= Q(pk__in=then)
        for org in Organization.objects.filter(q).select_related("kind"):
            self.orgs[org.pk] = org
            self.by_code[org.code.lower()] = org
            for spelling in {org.name, org.short_name}:
                if spelling:
                    self.by_name.setdefault(fold(spelling), []).append(org)

    def cell(self, text: str) -> Organization | str:
        """The organization a list names by code or name (diacritics and case ignored), or the
        text itself when none (or several) of the subtree's answer to it."""
        org = self.by_code.get(text.lower())
        if org is not None:
            return org
        found = self.by_name.get(fold(text), [])
        return found[0] if len(found) == 1 else text


def _resolve_cells(codes: set[Any], ctx: ReconcileContext) -> dict[Any, Any]:
    # Never an error: a cell the register does not know is a difference to show, not a bad row.
    return {code: ctx.cell(str(code)) for code in codes}


def _learn_columns(columns: list[str], ctx: ReconcileContext) -> None:
    ctx.columns = frozenset(columns)


_OPTIONAL = {"sex", "admitted_on", "organization"}


@cache
def _status_lookup() -> dict[str, str]:
    """Status by its Vietnamese label or its value, folded (a list writes the label)."""
    with translation.override("vi"):
        lookup = {fold(str(label)): value for value, label in Status.choices}
    lookup.update({fold(value): value for value in Status.values})
    return lookup


@lru_cache(maxsize=256)
def _status_of(text: str) -> str | None:
    return _status_lookup().get(fold(text))


def _check_row(row: dict[str, Any], ctx: ReconcileContext) -> Iterator[tuple[str | None, str]]:
    """The name in three parts (from «Họ và tên đệm» and «Tên», or from «Họ và tên» when the
    file has no separate parts), the status."""
    split_family_middle(row)
    if not row.get("given_name") and row.get("full_name"):
        row["family_name"], row["middle_name"], row["given_name"] = split_full_name(row["full_name"])
    if not row.get("given_name"):
        key = "given_name" if "given_name" in ctx.columns else "full_name"
        yield key, _("không có họ và tên")
    text = row.get("status")
    if text:
        row[STATUS_KEY] = _status_of(text)


def _spec_columns() -> list[Column]:
    """The import's columns; the cell is looked up in the organization's subtree, and the cells
    a reconciliation does not need (sex, admission, cell) may be empty."""
    columns = []
    for column in IMPORT_COLUMNS:
        if column.key == "organization":
            column = replace(column, resolve=_resolve_cells)
        if column.key in _OPTIONAL:
            column = replace(column, required=False, cell_required=False)
        columns.append(column)
    return columns


RECONCILE_SPEC = ImportSpec(
    columns=_spec_columns(),
    on_header=_learn_columns,
    check_row=_check_row,
    name="reconcile",
    sub_headers=SUB_HEADERS,  # the import's two-row headers and its «Ngày sinh / Nam | Nữ» columns
    spreads=(BIRTH_DATE_BY_SEX,),
)


REMEMBERED_NOTE = gettext_lazy("Các cột được ghép theo cách bạn đã chọn lần trước cho tệp có cùng dòng tiêu đề.")


def parse_list(
    file: Source,
    filename: str,
    *,
    ctx: ReconcileContext,
    progress: Progress | None = None,
    mapping: dict[str, str] | None = None,
) -> tuple[ParseResult, list[str]]:
    """Read the list; returns the engine's result and the problems that stop the whole file
    (no header, a required column missing, no name column), empty when its rows can be compared.

    The columns are matched as an import matches them: by name, over which ``mapping``
    ({file header: column key, or "" for none}, ``Reconciliation.decisions``) is the user's
    choice; without one, the mapping the user chose last, on the import page or here, for a
    file with the same headers (``members.importing.remembered_mapping``).
    """
    source: Any = mapping
    if mapping is None:

        def source(names: list[str]) -> dict[str, str] | None:
            found = remembered_mapping(ctx.user, names)
            ctx.remembered = bool(found)
            return found

    result = parse(file, filename, RECONCILE_SPEC, ctx, progress=progress, mapping=source)
    fatal = [str(e) for e in result.errors if e.row is None or e.row == result.header_row]
    if result.header_row is None or not result.columns:
        fatal = fatal or [str(e) for e in result.errors]
    elif "given_name" not in result.columns and "full_name" not in result.columns:
        fatal.append(str(NAME_HEADERS_MISSING))
    return result, fatal


# --- the register as of the date --------------------------------------------------------


class RegisterEntry(NamedTuple):
    """A member of the register on the date (a tuple: a province's 150,000 are made quickly)."""

    id: int
    family_name: str
    middle_name: str
    given_name: str
    birth_date: dt.date
    admitted_on: dt.date
    full_member_on: dt.date | None
    national_id: str | None
    card_number: str | None
    status_on: str
    cell_id: int | None
    status: str  # today's, for the note of a member missing from the list
    organization_id: int  # today's cell

    @property
    def full_name(self) -> str:
        return _join_name(self.family_name, self.middle_name, self.given_name)


REGISTER_FIELDS = (
    "member_id",
    "member__family_name",
    "member__middle_name",
    "member__given_name",
    "birth_text",
    "admitted_text",
    "full_text",
    "member__national_id",
    "member__card_number",
    "status_on",
    "organization_id",
    "member__status",
    "member__organization_id",
)


def register_as_of(organization: Organization, on: dt.date) -> list[RegisterEntry]:
    """The members in ``organization``'s subtree and in the party on ``on``, with their status
    and permanent cell on that day; one query.

    The rule of ``members.selectors.members_in_party_on`` (the status by the status history,
    the permanent cell by the dated memberships, the subtree as the tree was on ``on``),
    read from the memberships of that day: each member in the party has one permanent
    membership then, so the query joins instead of testing every member of the register.
    Not narrowed to the reader's scope of today: the caller keeps the organization's
    register, and a member who has since moved out of it still belonged to it on ``on``.
    """
    memberships = CellMembership.objects.filter(kind=MembershipKind.PERMANENT, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )
    root = OrgVersion.objects.as_of(on).filter(organization=organization).values_list("path", flat=True).first()
    if root is not None:
        cells = OrgVersion.objects.as_of(on).filter(subtree_q(root)).values("organization_id")
        memberships = memberships.filter(organization_id__in=cells)
    elif organization.versions.exists():
        return []  # the organization did not exist on that date
    else:
        memberships = memberships.filter(subtree_q(organization.path, "organization__path"))
    status_on = Subquery(
        StatusChange.objects.filter(member=OuterRef("member_id"), effective_on__lte=on)
        .order_by("-effective_on", "-id")
        .values("status")[:1]
    )
    # The status on the date is filtered here rather than in SQL, which would compute it twice.
    # The dates are read as text and parsed once per distinct date (a province's members share
    # some 20,000 dates of birth): a date converter run on each of 450,000 values costs seconds.
    as_text = {
        "birth_text": Cast("member__birth_date", CharField()),
        "admitted_text": Cast("member__admitted_on", CharField()),
        "full_text": Cast("member__full_member_on", CharField()),
    }
    rows = memberships.annotate(status_on=status_on, **as_text).order_by().values_list(*REGISTER_FIELDS)
    in_party = set(IN_PARTY_STATUSES)
    dates: dict[Any, dt.date | None] = {None: None}

    def day(value: Any) -> dt.date | None:
        found = dates.get(value)
        if found is None and value is not None:
            found = dates[value] = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
        return found

    make = RegisterEntry._make
    return [
        make((r[0], r[1], r[2], r[3], day(r[4]), day(r[5]), day(r[6]), *r[7:]))
        for r in rows.iterator(chunk_size=5000)
        if r[9] in in_party
    ]


# --- comparing --------------------------------------------------------------------------


@dataclass
class Difference:
    kind: str
    action: str
    row: int | None = None
    member_id: int | None = None
    name: str = ""
    birth_date: dt.date | None = None
    field_name: str = ""
    list_value: str = ""
    register_value: str = ""
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Comparison:
    differences: list[Difference] = field(default_factory=list)
    row_count: int = 0
    register_count: int = 0
    matched_count: int = 0
    warnings: list[str] = field(default_factory=list)
    # Every column of the list's header and the field it fed (also when the list was refused).
    headers: list[HeaderColumn] = field(default_factory=list)
    header_signature: str = ""

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(DifferenceKind.values, 0)
        for d in self.differences:
            out[d.kind] += 1
        return out


def _show(value: Any, orgs: dict[int, Organization] | None = None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Organization):
        return f"{value.name} ({value.code})"
    if orgs is not None and isinstance(value, int):
        org = orgs.get(value)
        return f"{org.name} ({org.code})" if org else str(value)
    return str(value)


def _status_label(value: str | None) -> str:
    return str(Status(value).label) if value in Status.values else ""


def _join_name(family: str | None, middle: str | None, given: str | None) -> str:
    # lib.text.full_name, without its generator: called for every row and every member.
    if middle:
        return f"{family} {middle} {given}" if family else f"{middle} {given}"
    return f"{family} {given}" if family else (given or "")


def _row_name(row: dict[str, Any]) -> str:
    return _join_name(row.get("family_name"), row.get("middle_name"), row.get("given_name"))


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


ASK_BLANK = gettext_lazy("Danh sách để trống; hồ sơ có thông tin này.")


class _Comparer:
    def __init__(self, ctx: ReconcileContext, register: list[RegisterEntry]) -> None:
        self.ctx = ctx
        self.register = register
        self.by_id = {e.national_id: e for e in register if e.national_id}
        self.by_card = {e.card_number: e for e in register if e.card_number}
        # By date of birth only: the folded names are compared for the few members born that
        # day, when a row has neither CCCD nor card number on record (folding every name of a
        # province's register up front costs more than the whole comparison).
        self.by_birth: dict[dt.date, list[RegisterEntry]] = defaultdict(list)
        for e in register:
            self.by_birth[e.birth_date].append(e)
        self.out = Comparison(register_count=len(register))

    def match(self, row: dict[str, Any]) -> tuple[RegisterEntry | None, str]:
        """(entry, note): by CCCD, else card number, else folded name and date of birth."""
        entry = self.by_id.get(row.get("national_id") or "")
        if entry is not None:
            return entry, ""
        entry = self.by_card.get(row.get("card_number") or "")
        if entry is not None:
            return entry, ""
        if row.get("birth_date") is None:
            return None, ""
        wanted = identity_key(row.get("family_name") or "", row.get("middle_name") or "", row["given_name"], row["birth_date"])
        same = [
            e
            for e in self.by_birth.get(row["birth_date"], ())
            if identity_key(e.family_name, e.middle_name, e.given_name, e.birth_date) == wanted
        ]
        if len(same) > 1:
            return None, _("Có %(count)s hồ sơ cùng họ tên và ngày sinh: hãy bổ sung số CCCD hoặc số thẻ để phân biệt.") % {
                "count": len(same)
            }
        return (same[0], "") if same else (None, "")

    def run(self, rows: list[dict[str, Any]]) -> Comparison:
        claimed: dict[int, int] = {}
        list_only: list[tuple[dict[str, Any], str]] = []
        for row in rows:
            entry, note = self.match(row)
            if entry is None:
                if row.get(STATUS_KEY) and row[STATUS_KEY] not in IN_PARTY_STATUSES:
                    continue  # out of the party in the list, and not in the register's members on the date: agreed
                list_only.append((row, note))
                continue
            if entry.id in claimed:
                self.out.differences.append(
                    Difference(
                        DifferenceKind.DUPLICATE,
                        SuggestedAction.ASK,
                        row=row[ROW_KEY],
                        member_id=entry.id,
                        name=_row_name(row),
                        birth_date=row.get("birth_date"),
                        note=_("Cùng một đảng viên với dòng %(row)s.") % {"row": claimed[entry.id]},
                    )
                )
                continue
            claimed[entry.id] = row[ROW_KEY]
            self.out.matched_count += 1
            self.compare(row, entry)
        self.list_only(list_only)
        for entry in self.register:
            if entry.id not in claimed:
                self.register_only(entry)
        return self.out

    # A field that differs ---------------------------------------------------------------

    def _field(self, row: dict[str, Any], entry: RegisterEntry, key: str, action: str, *, listed: Any, held: Any, **kw: Any):
        orgs = self.ctx.orgs
        if "note" in kw:
            kw["note"] = str(kw["note"])
        self.out.differences.append(
            Difference(
                DifferenceKind.FIELD,
                action,
                row=row[ROW_KEY],
                member_id=entry.id,
                name=entry.full_name,
                birth_date=entry.birth_date,
                field_name=key,
                list_value=_show(listed, orgs if key == "organization" else None),
                register_value=_show(held, orgs if key == "organization" else None),
                **kw,
            )
        )

    def compare(self, row: dict[str, Any], entry: RegisterEntry) -> None:
        columns = self.ctx.columns
        ask_blank = ASK_BLANK
        # The name
        listed_name, held_name = _row_name(row), entry.full_name
        if listed_name != held_name and _name_key(listed_name) != _name_key(held_name):
            fix = {k: row.get(k) or "" for k in ("family_name", "middle_name", "given_name")}
            was = {k: getattr(entry, k) for k in fix}
            self._field(
                row, entry, "name", SuggestedAction.FIX, listed=listed_name, held=entry.full_name, data={"set": fix, "was": was}
            )
        # Dates: on the date, a member made full later was still probationary.
        full_on = entry.full_member_on if entry.full_member_on and entry.full_member_on <= self.ctx.on else None
        held_dates = {"birth_date": entry.birth_date, "admitted_on": entry.admitted_on, "full_member_on": full_on}
        for key in DATE_FIELDS:
            if key not in columns:
                continue
            listed, held = row.get(key), held_dates[key]
            if listed == held:
                continue
            if listed is None:
                self._field(row, entry, key, SuggestedAction.ASK, listed=None, held=held, note=ask_blank)
            elif key == "full_member_on" and (held is None or entry.full_member_on != full_on):
                note = _("Công nhận chính thức là thay đổi trạng thái: kiểm tra rồi ghi bằng chức năng thay đổi trạng thái.")
                self._field(row, entry, key, SuggestedAction.CHECK, listed=listed, held=held, note=note)
            else:
                data = {"set": {key: _json(listed)}, "was": {key: _json(held)}}
                self._field(row, entry, key, SuggestedAction.FIX, listed=listed, held=held, data=data)
        # Identity numbers
        for key in ("national_id", "card_number"):
            if key not in columns:
                continue
            listed, held = row.get(key) or None, getattr(entry, key)
            if listed == held:
                continue
            if listed is None:
                self._field(row, entry, key, SuggestedAction.ASK, listed=None, held=held, note=ask_blank)
            else:
                data = {"set": {key: listed}, "was": {key: held}}
                self._field(row, entry, key, SuggestedAction.FIX, listed=listed, held=held, data=data)
        # The cell on the date
        if "organization" in columns:
            listed = row.get("organization")
            if listed is None:
                self._field(row, entry, "organization", SuggestedAction.ASK, listed=None, held=entry.cell_id, note=ask_blank)
            elif isinstance(listed, str):
                note = _("Không tìm thấy chi bộ «%(cell)s» trong «%(org)s».") % {
                    "cell": listed,
                    "org": self.ctx.organization.name,
                }
                self._field(row, entry, "organization", SuggestedAction.ASK, listed=listed, held=entry.cell_id, note=note)
            elif listed.pk != entry.cell_id:
                note = _(
                    "Nếu đảng viên đã chuyển sinh hoạt, ghi bằng chức năng chuyển sinh hoạt; nếu không, đề nghị cấp kia sửa."
                )
                self._field(row, entry, "organization", SuggestedAction.CHECK, listed=listed, held=entry.cell_id, note=note)
        # The status, when the list has one
        listed_status = row.get(STATUS_KEY)
        if listed_status and listed_status != entry.status_on:
            note = _("Trạng thái thay đổi bằng chức năng thay đổi trạng thái hoặc chuyển sinh hoạt, với ngày và quyết định.")
            self._field(
                row,
                entry,
                "status",
                SuggestedAction.CHECK,
                listed=_status_label(listed_status),
                held=_status_label(entry.status_on),
                note=note,
            )

    # In one list only -------------------------------------------------------------------

    def list_only(self, pending: list[tuple[dict[str, Any], str]]) -> None:
        """Rows no member of the register on the date answers to; a CCCD or card number held
        by another record (transferred out, in another organization…) is told, never written over."""
        elsewhere = _records_elsewhere(
            [str(r["national_id"]) for r, _n in pending if r.get("national_id")],
            [str(r["card_number"]) for r, _n in pending if r.get("card_number")],
        )
        readable = (
            set(
                Member.objects.for_user(self.ctx.user)
                .filter(pk__in=[m.pk for m in elsewhere.values()])
                .values_list("pk", flat=True)
            )
            if elsewhere
            else set()
        )
        for row, note in pending:
            other = elsewhere.get(("national_id", row.get("national_id") or "")) or elsewhere.get(
                ("card_number", row.get("card_number") or "")
            )
            base = {
                "row": row[ROW_KEY],
                "name": _row_name(row),
                "birth_date": row.get("birth_date"),
                "list_value": _show(row.get("organization")),
            }
            if other is not None:
                if other.pk in readable:
                    note = _("Số CCCD hoặc số thẻ này thuộc hồ sơ %(name)s, hiện ở «%(cell)s», trạng thái «%(status)s».") % {
                        "name": other.full_name,
                        "cell": other.organization.name,
                        "status": other.get_status_display(),
                    }
                else:
                    note = _("Số CCCD hoặc số thẻ này đã có trong một hồ sơ ngoài phạm vi bạn quản lý.")
                self.out.differences.append(
                    Difference(
                        DifferenceKind.LIST_ONLY,
                        SuggestedAction.CHECK,
                        member_id=other.pk if other.pk in readable else None,
                        note=note,
                        **base,
                    )
                )
                continue
            missing = self._cannot_add(row)
            if missing:
                note = " ".join(filter(None, [note, missing]))
                self.out.differences.append(Difference(DifferenceKind.LIST_ONLY, SuggestedAction.ASK, note=note, **base))
                continue
            data = {key: _json(row.get(key)) for key in ("family_name", "middle_name", "given_name", "sex", *DATE_FIELDS)}
            data.update({key: row.get(key) or None for key in ("national_id", "card_number")})
            data.update({key: row.get(key) or "" for key in TEXT_KEYS if row.get(key)})
            data["organization_id"] = row["organization"].pk
            self.out.differences.append(
                Difference(DifferenceKind.LIST_ONLY, SuggestedAction.ADD, note=note, data={"create": data}, **base)
            )

    def _cannot_add(self, row: dict[str, Any]) -> str:
        """Why a row cannot become a record here ("" when it can)."""
        missing = [str(BY_KEY[k].label) for k in ("family_name", "sex", "birth_date", "admitted_on") if not row.get(k)]
        cell = row.get("organization")
        if not isinstance(cell, Organization):
            missing.append(str(BY_KEY["organization"].label))
        if missing:
            return _("Chưa thêm được vào hồ sơ: danh sách thiếu %(fields)s.") % {"fields": ", ".join(missing)}
        assert isinstance(cell, Organization)
        if not cell.is_cell:
            return _("«%(name)s» không phải chi bộ: đề nghị cấp kia ghi chi bộ sinh hoạt.") % {"name": cell.name}
        if not keeps_register_at(self.ctx.user, cell.path):
            return _("Bạn không được thêm đảng viên vào «%(name)s».") % {"name": cell.name}
        return ""

    def register_only(self, entry: RegisterEntry) -> None:
        note = ""
        if entry.status not in IN_PARTY_STATUSES:
            note = _("Hồ sơ hiện ở trạng thái «%(status)s».") % {"status": _status_label(entry.status)}
        elif entry.organization_id != entry.cell_id:
            org = self.ctx.orgs.get(entry.organization_id)
            if org is not None:
                note = _("Hiện sinh hoạt tại «%(cell)s».") % {"cell": org.name}
            else:
                note = _("Hiện sinh hoạt ở một chi bộ ngoài «%(org)s».") % {"org": self.ctx.organization.name}
        self.out.differences.append(
            Difference(
                DifferenceKind.REGISTER_ONLY,
                SuggestedAction.CHECK_LEFT,
                member_id=entry.id,
                name=entry.full_name,
                birth_date=entry.birth_date,
                register_value=_show(entry.cell_id, self.ctx.orgs),
                note=note,
            )
        )


def _records_elsewhere(national_ids: list[str], cards: list[str]) -> dict[tuple[str, str], Member]:
    """Records holding these CCCDs or card numbers (few: the rows in the list only), by batch."""
    found: dict[tuple[str, str], Member] = {}
    for key, values in (("national_id", national_ids), ("card_number", cards)):
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            for member in Member.objects.filter(**{f"{key}__in": chunk}).select_related("organization"):
                found[(key, getattr(member, key))] = member
    return found


def _unreadable(result: ParseResult) -> list[Difference]:
    """One difference per row with a cell the engine could not read, with every reason."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for error in result.errors:
        if error.row is not None and error.row != result.header_row:
            text = f"{error.column_label}: {error.message}" if error.column_label else error.message
            reasons[error.row].append(text)
    return [
        Difference(DifferenceKind.UNREADABLE, SuggestedAction.ASK, row=row, note="; ".join(texts))
        for row, texts in sorted(reasons.items())
    ]


def reconcile(
    file: Source,
    filename: str,
    *,
    user: Any,
    organization: Organization,
    on: dt.date,
    progress: Progress | None = None,
    mapping: dict[str, str] | None = None,
) -> tuple[Comparison, list[str]]:
    """Compare the list in ``file`` with the register of ``organization`` on ``on``.

    ``mapping``: the user's column mapping (``parse_list``). Returns the comparison and the
    problems that stop the whole file (then the comparison holds only the list's header).
    Writes nothing.
    """
    ctx = ReconcileContext(user=user, organization=organization, on=on)
    ctx.load_cells()
    result, fatal = parse_list(file, filename, ctx=ctx, progress=progress, mapping=mapping)
    if fatal:
        return Comparison(headers=list(result.headers), header_signature=result.header_signature), fatal
    register = register_as_of(organization, on)
    out = _Comparer(ctx, register).run(result.rows)
    out.differences[:0] = _unreadable(result)
    out.row_count = result.total
    out.headers, out.header_signature = list(result.headers), result.header_signature
    out.warnings = ([str(REMEMBERED_NOTE)] if ctx.remembered else []) + list(result.warnings)
    for row, reason in getattr(result, "skipped", None) or ():  # rows that are not members (a total…)
        out.warnings.append(_("Dòng %(row)s: %(reason)s") % {"row": row, "reason": reason})
    if result.error_count > len(result.errors):
        out.warnings.append(
            _("Chỉ liệt kê %(kept)s lỗi đầu tiên; còn %(more)s lỗi khác ở các dòng không đọc được.")
            % {"kept": len(result.errors), "more": result.error_count - len(result.errors)}
        )
    return out, []
