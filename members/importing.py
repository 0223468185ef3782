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

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.rights import can_read
from lib import bulk
from lib.importer import (
    FAILED_KEY,
    ROW_KEY,
    Ask,
    Column,
    ImportRefused,
    ImportSpec,
    ParseResult,
    Question,
    RowError,
    Unresolved,
    apply_all_or_nothing,
    header_signature,
    parse,
    unique_within_file,
)
from lib.names import person_name_error
from lib.tabular import Source
from lib.text import fold, full_name, name_sort_key
from members import duplicates, rules
from members.checks import check_cell, check_party_dates, not_future
from members.columns import (
    BIRTH_DATE_BY_SEX,
    BY_KEY,
    IDENTITY_KEYS,
    IMPORT_COLUMNS,
    LIST_KEYS,
    NAME_KEYS,
    SUB_HEADERS,
    TEXT_KEYS,
)
from members.counts import deferred as counts_deferred
from members.counts import following as counts_following
from members.initial_history import InitialHistory, initial_history, write_initial_history
from members.models import (
    IN_PARTY_STATUSES,
    Ethnicity,
    GeneralEducation,
    ImportColumnMapping,
    Member,
    PoliticalTheory,
    ProfessionalEducation,
    Religion,
    Status,
)
from members.permissions import keeps_register_at, register_roots
from orgs.labels import labels as org_labels
from orgs.models import CELL_LEVELS, Organization
from orgs.scope import subtree_q

MEMBER_KEY = "_member"  # on each clean row: the id of the member it updates, or None for a new one
UNCHANGED_KEY = "_unchanged"  # on a row that matches a member and holds nothing new: "không thay đổi"
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
    # The user's choices for this file (ImportJob.decisions): {"mapping": {header: key},
    # "answers": {question key: {"value", "reason"}}}; and the questions the checks asked.
    decisions: dict[str, Any] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)

    @property
    def answers(self) -> dict[str, Any]:
        return self.decisions.get("answers") or {}

    def answer(self, question: Question) -> Question:
        """``question`` with the user's answer, if any (for a ``resolve`` hook's ``Ask``)."""
        return question.answered_from(self.answers)

    def ask(self, question: Question) -> Question:
        """Put ``question`` to the user (shown above the preview; the file cannot be written
        until it is answered). Returns it with the user's answer, if any: see ``answered``."""
        asked = question.answered_from(self.answers)
        self.questions.append(asked)
        return asked

    def keeps_register_at(self, path: str) -> bool:
        """Whether the importer keeps the register of the organization at ``path`` (memoized)."""
        answer = self.keeps.get(path)
        if answer is None:
            answer = self.keeps[path] = keeps_register_at(self.user, path)
        return answer


# --- lookups ----------------------------------------------------------------------------


def _resolve_cells(codes: set[Any], ctx: ImportContext) -> dict[Any, Any]:
    """Cells by code (any case), else by name as people write it ("Chi bộ Phòng Nghiệp vụ",
    "chi bo phong nghiep vu"): a name is looked for only among the cells whose register the
    user keeps (one query), and a name several of them bear becomes a question.

    A cell where the user does not keep the register is refused; one outside what they may
    read is reported as not found, like a code that does not exist.
    """
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
    names = [code for code in codes if code not in found]
    if names:
        found.update(_cells_by_name(names, ctx))
    return found


_CELL_PREFIX = re.compile(r"^(chi bo co so|chi bo|cbcs|cb)\s+")


def cell_name_key(name: str) -> str:
    """What a cell's name is matched on: folded, punctuation dropped, without "Chi bộ"
    ("Chi bộ Phòng Nghiệp vụ", "chi bo phong nghiep vu" and "Phòng Nghiệp vụ" all give
    "phong nghiep vu")."""
    text = " ".join(re.sub(r"[^0-9a-z]+", " ", fold(name)).split())
    return _CELL_PREFIX.sub("", text) or text


def _cells_by_name(names: list[Any], ctx: ImportContext) -> dict[Any, Any]:
    roots = register_roots(ctx.user)
    cells = Organization.objects.filter(kind__level__in=CELL_LEVELS).select_related("kind")
    if roots is not None:
        if not roots:
            return {}
        scope = Q()
        for root in roots:
            scope |= subtree_q(root)
        cells = cells.filter(scope)
    keys = {cell_name_key(str(name)) for name in names}
    by_key: dict[str, list[Organization]] = {}
    for cell in cells:
        key = cell_name_key(cell.name)
        if key in keys and ctx.keeps_register_at(cell.path):
            by_key.setdefault(key, []).append(cell)
    for key, candidates in by_key.items():
        active = [c for c in candidates if c.dissolved_on is None]
        by_key[key] = active or candidates
    ambiguous = [c for candidates in by_key.values() if len(candidates) > 1 for c in candidates]
    label_of = org_labels(ambiguous, user=ctx.user) if ambiguous else {}
    found: dict[Any, Any] = {}
    for name in names:
        key = cell_name_key(str(name))
        candidates = by_key.get(key, [])
        if len(candidates) == 1:
            found[name] = candidates[0]
        elif candidates:
            same = {c.name for c in candidates}
            shown = same.pop() if len(same) == 1 else str(name)
            question = ctx.answer(
                Question(
                    kind="cell",
                    key=f"cell:{key}",
                    prompt=_(
                        "Có %(count)s chi bộ tên «%(name)s» trong phạm vi bạn quản lý: các dòng ghi tên này thuộc chi bộ nào?"
                    )
                    % {"count": len(candidates), "name": shown},
                    options=[(str(c.pk), label_of[c.pk]) for c in sorted(candidates, key=lambda c: c.path)],
                    rows=[],
                )
            )
            chosen = next((c for c in candidates if str(c.pk) == question.answer), None)
            found[name] = Ask(question, chosen)
    return found


_LIST_MODELS = {
    "ethnicity": Ethnicity,
    "religion": Religion,
    "general_education": GeneralEducation,
    "professional_education": ProfessionalEducation,
    "political_theory": PoliticalTheory,
}


# Values people write for a list's entries, by the entry's code (members/migrations/0002):
# matched on the folded text's start, first pattern first. "Cử nhân Kinh tế" is a bachelor's
# degree (Đại học), "Trung cấp LLCT" the intermediate political theory. The professional
# education keeps the text as written beside the list's entry (Member.professional_education_text).
_LIST_PATTERNS: dict[str, list[tuple[re.Pattern[str], str]]] = {
    "professional_education": [
        (re.compile(r"(tien si|tskh|ts|pgs|gs)\b"), "tien-si"),
        (re.compile(r"(thac si|ths|cao hoc)\b"), "thac-si"),
        (re.compile(r"(dai hoc|dh|cu nhan|cn|ky su|ks|bac si|bs|duoc si|kien truc su)\b"), "dai-hoc"),
        (re.compile(r"(cao dang|cd)\b"), "cao-dang"),
        (re.compile(r"(trung cap|trung hoc chuyen nghiep|thcn|tc)\b"), "trung-cap"),
        (re.compile(r"(so cap|sc)\b"), "so-cap"),
        (re.compile(r"(chua qua dao tao|chua dao tao|khong qua dao tao)\b"), "chua-dao-tao"),
    ],
    "political_theory": [
        (re.compile(r"(cu nhan|cn)\b"), "cu-nhan"),
        (re.compile(r"(cao cap|cc)\b"), "cao-cap"),
        (re.compile(r"(trung cap|tc)\b"), "trung-cap"),
        (re.compile(r"(so cap|sc)\b"), "so-cap"),
    ],
    "general_education": [
        (re.compile(r"(tot nghiep )?(thpt|ptth|pttd|trung hoc pho thong)\b"), "12-12"),
        (re.compile(r"(tot nghiep )?(thcs|ptcs|trung hoc co so)\b"), "9-12"),
        (re.compile(r"(lop )?12\b(?!\s*/)"), "12-12"),
        (re.compile(r"(lop )?11\b(?!\s*/)"), "11-12"),
    ],
}
_RATIO = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\b")  # "12/12 bổ túc", "10 / 10"
# The professional education's text kept beside its entry: the list is coarser than the text.
KEEPS_TEXT = {"professional_education": "professional_education_text"}


@dataclass(frozen=True, slots=True)
class Coarse:
    """A list's entry matched from a longer text ("Cử nhân Kinh tế" → Đại học), with the text."""

    entry: Any
    text: str

    @property
    def pk(self) -> Any:
        return self.entry.pk


def _list_lookup(key: str, ctx: ImportContext) -> dict[str, Any]:
    lookup = ctx.lists.get(key)
    if lookup is None:
        model = _LIST_MODELS[key]
        entries = list(model.objects.all())
        lookup = {}
        for entry in entries:
            lookup.setdefault(fold(entry.code), entry)
        for entry in entries:
            lookup[fold(entry.name)] = entry  # a name wins over a code spelled the same
        ctx.lists[key] = lookup
        ctx.lists[f"{key}:names"] = {"": "; ".join(e.name for e in entries if e.active)}
    return lookup


def list_entry(key: str, text: str, ctx: ImportContext) -> Any:
    """The entry of list ``key`` that ``text`` names: exactly (any case, with or without marks),
    else where it clearly belongs (``Coarse``); None when it belongs nowhere."""
    lookup = _list_lookup(key, ctx)
    folded = fold(text)
    match = lookup.get(folded)
    if match is not None:
        return match
    if folded.count("/") == 1 and lookup.get("/".join(reversed(folded.split("/")))):  # "12/9": a date Excel read month-first
        return lookup["/".join(reversed(folded.split("/")))]
    plain = " ".join(re.sub(r"[^0-9a-z/]+", " ", folded).split())
    entry = None
    if key == "general_education" and (ratio := _RATIO.match(plain)):
        entry = lookup.get(f"{int(ratio.group(1))}/{int(ratio.group(2))}")
    if entry is None:
        for pattern, code in _LIST_PATTERNS.get(key, ()):
            if pattern.match(plain):
                entry = lookup.get(code)
                break
    if entry is None:
        return None
    return Coarse(entry, text) if key in KEEPS_TEXT else entry


def _list_resolver(key: str) -> Callable[[set[Any], ImportContext], dict[Any, Any]]:
    def resolve(names: set[Any], ctx: ImportContext) -> dict[Any, Any]:
        found: dict[Any, Any] = {}
        for name in names:
            match = list_entry(key, str(name), ctx)
            if match is None:
                label = BY_KEY[key].label.lower()
                accepted = ctx.lists[f"{key}:names"][""]
                found[name] = Unresolved(
                    _("«%(value)s» không có trong danh mục %(list)s; các giá trị được nhận: %(values)s")
                    % {"value": name, "list": label, "values": accepted}
                )
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


CELL_PROBLEM_KEY = "_cell_problem"  # a cell refused for a new member (members.checks.check_cell)


def _check_row(row: dict[str, Any], ctx: ImportContext) -> Iterator[tuple[str | None, str]]:
    """The record's own rules, for every row, also one with a failed cell (``FAILED_KEY``):
    all the problems of a row are reported in one pass. A value missing from the row (its
    cell empty or refused) is not checked again."""
    for key, text_key in KEEPS_TEXT.items():
        value = row.get(key)
        if isinstance(value, Coarse):
            row[key], row[text_key] = value.entry, value.text
    problems = list(_row_problems(row, ctx))
    yield from problems
    cell = list(_cell_problems(row))
    if cell:
        if problems or FAILED_KEY in row:
            for message in cell:
                yield "organization", message
        else:  # the cell of a row that updates a member is that member's: checked for new rows only
            row[CELL_PROBLEM_KEY] = cell


def _name_column(key: str, ctx: ImportContext) -> str:
    """The file's column a part of the name came from, for a message."""
    if key in ctx.columns:
        return key
    if key in ("family_name", "middle_name") and "family_middle_name" in ctx.columns:
        return "family_middle_name"
    return "full_name"


def split_family_middle(row: dict[str, Any]) -> None:
    """A «Họ và tên đệm» cell in its two parts: "Nguyễn Thị Thu" is family "Nguyễn", middle
    "Thị Thu" (the import and the reconciliation read it alike)."""
    if row.get("family_middle_name") and not row.get("family_name"):
        family, *middle = row["family_middle_name"].split()
        row["family_name"] = family
        row["middle_name"] = row.get("middle_name") or " ".join(middle)


def _row_problems(row: dict[str, Any], ctx: ImportContext) -> Iterator[tuple[str | None, str]]:
    failed = row.get(FAILED_KEY) or ()
    split_family_middle(row)
    has_parts = "given_name" in ctx.columns or "family_name" in ctx.columns
    names_ok = True
    if not has_parts and row.get("full_name"):
        row["family_name"], row["middle_name"], row["given_name"] = split_full_name(row["full_name"])
        if not row["family_name"]:
            yield "full_name", _("«%(name)s» phải có cả họ và tên") % {"name": row["full_name"]}
            names_ok = False
    elif (has_parts or "full_name" in ctx.columns) and "full_name" not in failed:
        for key in ("family_name", "given_name"):
            if not row.get(key) and key not in failed and _name_column(key, ctx) not in failed:
                message = _("không được để trống họ") if key == "family_name" else _("không được để trống tên")
                yield _name_column(key, ctx), message
    if names_ok:
        language = get_language()
        for key in NAME_KEYS:  # the rule of the forms and services (lib.names)
            error = _name_error(row.get(key) or "", language)
            if error:
                yield _name_column(key, ctx), error
                break
    birth, admitted = row.get("birth_date"), row.get("admitted_on")
    try:
        if birth is not None and admitted is not None:
            check_party_dates(birth_date=birth, admitted_on=admitted, ceremony_on=None, full_member_on=row.get("full_member_on"))
        else:  # a date is missing or refused: those there may still be after today
            for key, label in (("birth_date", _("Ngày sinh")), ("admitted_on", _("Ngày vào Đảng"))):
                not_future(key, row.get(key), label)
            not_future("full_member_on", row.get("full_member_on"), _("Ngày chính thức"))
    except ValidationError as exc:
        yield from _validation_messages(exc)


def _cell_problems(row: dict[str, Any]) -> Iterator[str]:
    org: Organization | None = row.get("organization")
    admitted = row.get("admitted_on")
    if org is None or admitted is None:
        return
    try:
        check_cell(org, max(admitted, org.founded_on))
    except ValidationError as exc:
        for _field, message in _validation_messages(exc):
            yield message


# What a row is compared with to tell an update from "không thay đổi": the fields it may write.
_COMPARED = ("national_id", "card_number", "admitted_on", "full_member_on", "organization_id", "birth_date")


def _known_fields() -> list[str]:
    fields = ["id", "organization__path", "organization__code", "status", *_COMPARED, "professional_education_text"]
    for key in _UPDATABLE:
        name = f"{key}_id" if key in LIST_KEYS else key
        if name not in fields:
            fields.append(name)
    return fields


def _known(field_name: str, values: list[Any]) -> dict[Any, dict[str, Any]]:
    out: dict[Any, dict[str, Any]] = {}
    fields = _known_fields()
    for start in range(0, len(values), 900):  # under SQLite's limit of bound parameters
        chunk = values[start : start + 900]
        for record in Member.objects.filter(**{f"{field_name}__in": chunk}).values(*fields):
            out[record[field_name]] = record
    return out


def _identity(family: str, middle: str, given: str, birth: Any, org_id: Any, admitted: Any) -> tuple[Any, ...]:
    return (fold(full_name(family, middle, given)), birth, org_id, admitted)


def _known_by_identity(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """Members with the same name, date of birth, cell and date of admission as a row that
    has no CCCD nor card number (a list exported by dangbo, of members recorded without them)."""
    births = sorted({r["birth_date"] for r in rows})
    out: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    fields = _known_fields()
    for start in range(0, len(births), 900):
        chunk = births[start : start + 900]
        for record in Member.objects.filter(birth_date__in=chunk).values(*fields):
            key = _identity(
                record["family_name"],
                record["middle_name"],
                record["given_name"],
                record["birth_date"],
                record["organization_id"],
                record["admitted_on"],
            )
            out.setdefault(key, []).append(record)
    return out


def _holds_nothing_new(row: dict[str, Any], record: dict[str, Any]) -> bool:
    """Whether every filled cell of ``row`` equals ``record`` (an empty cell keeps the record's value)."""
    for key in _UPDATABLE:
        value = row.get(key)
        if value is None or value == "":
            continue
        if key in LIST_KEYS:
            if value.pk != record[f"{key}_id"]:
                return False
        elif value != record[key]:
            return False
    return True


def _check_existing(rows: list[dict[str, Any]], ctx: ImportContext) -> Iterable[RowError]:
    """Match rows to members on record by CCCD or card number; a match becomes an update,
    or "không thay đổi" when the row holds nothing new (``UNCHANGED_KEY``).

    Only a member the importer may write is updated. A match outside their scope is an
    error that says so without naming the member; a match whose cell or party dates differ
    from the file is an error too (those change through transfers and status changes), and
    so is a change to a member no longer in the party (transferred out, removed, deceased…):
    their list, exported and imported back unchanged, is no error. A row without either
    number matches a member with its name, date of birth, cell and date of admission.
    """
    by_id = _known("national_id", [r["national_id"] for r in rows if r.get("national_id")])
    by_card = _known("card_number", [r["card_number"] for r in rows if r.get("card_number")])
    bare = [
        r for r in rows if not r.get("national_id") and not r.get("card_number") and r.get("organization") and r.get("given_name")
    ]
    by_identity = _known_by_identity(bare) if bare else {}
    bare_rows = {r[ROW_KEY] for r in bare}
    label = {key: BY_KEY[key].label for key in ("national_id", "card_number", "organization", "admitted_on", "full_member_on")}
    claimed: dict[int, int] = {}
    for row in rows:
        number = row[ROW_KEY]
        row[MEMBER_KEY] = None
        a = by_id.get(row.get("national_id") or "")
        b = by_card.get(row.get("card_number") or "")
        key = "national_id" if a is not None else "card_number"
        # Translated only for a matched row (a file of new members matches none).
        what = "" if a is None and b is None else _("Số CCCD") if a is not None else _("Số thẻ đảng viên")
        if a is None and b is None and number in bare_rows:
            org = row["organization"]
            found = by_identity.get(
                _identity(
                    row["family_name"],
                    row.get("middle_name") or "",
                    row["given_name"],
                    row["birth_date"],
                    org.pk,
                    row["admitted_on"],
                )
            )
            if found and len(found) == 1 and not found[0]["national_id"] and not found[0]["card_number"]:
                a, key, what = found[0], "organization", _("Họ tên, ngày sinh, ngày vào Đảng")
        if a is None and b is None:
            if CELL_PROBLEM_KEY in row:
                for message in row[CELL_PROBLEM_KEY]:
                    yield RowError(number, label["organization"], message)
            continue
        if a is not None and b is not None and a["id"] != b["id"]:
            yield RowError(number, label["card_number"], _("số CCCD và số thẻ đảng viên của dòng này thuộc hai hồ sơ khác nhau"))
            continue
        target = a or b
        assert target is not None
        shown = row.get(key) if key != "organization" else ""
        if not ctx.keeps_register_at(target["organization__path"]):
            yield RowError(
                number,
                label[key],
                _("%(what)s «%(value)s» đã có trong hồ sơ một đảng viên ngoài phạm vi bạn quản lý; không thể cập nhật")
                % {"what": what, "value": shown},
            )
            continue
        org = row.get("organization")
        if org is None:
            continue  # its cell waits on a question
        unchanged = _holds_nothing_new(row, target) and org.pk == target["organization_id"]
        if target["status"] not in IN_PARTY_STATUSES and not unchanged:
            yield RowError(
                number,
                label[key],
                _("%(what)s «%(value)s» thuộc hồ sơ đang ở trạng thái «%(status)s»; không cập nhật qua tệp nhập")
                % {"what": what, "value": shown, "status": Status(target["status"]).label},
            )
            continue
        if org.pk != target["organization_id"]:
            yield RowError(
                number,
                label["organization"],
                _(
                    "đảng viên có %(what)s này đang sinh hoạt tại chi bộ «%(code)s»; "
                    "đổi chi bộ bằng chức năng chuyển sinh hoạt đảng"
                )
                % {"what": what.lower(), "code": target["organization__code"]},
            )
            continue
        if row["admitted_on"] != target["admitted_on"]:
            yield RowError(
                number,
                label["admitted_on"],
                _("khác với hồ sơ (%(date)s); sửa ngày vào Đảng trong hồ sơ của đảng viên")
                % {"date": f"{target['admitted_on']:%d/%m/%Y}"},
            )
            continue
        full_on = row.get("full_member_on")
        if full_on is not None and full_on != target["full_member_on"]:
            held = f"{target['full_member_on']:%d/%m/%Y}" if target["full_member_on"] else _("đang là đảng viên dự bị")
            yield RowError(
                number,
                label["full_member_on"],
                _("khác với hồ sơ (%(held)s); công nhận chính thức hoặc sửa ngày chính thức trong hồ sơ của đảng viên")
                % {"held": held},
            )
            continue
        if target["id"] in claimed:
            yield RowError(
                number, label[key], _("cùng một đảng viên với dòng %(row)s trong tệp") % {"row": claimed[target["id"]]}
            )
            continue
        claimed[target["id"]] = number
        row[MEMBER_KEY] = target["id"]
        if unchanged:
            row[UNCHANGED_KEY] = True


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
        duplicates.check_import_rows,
    ),
    name="members",
    check_partial_rows=True,
    sub_headers=SUB_HEADERS,
    spreads=(BIRTH_DATE_BY_SEX,),
)

NAME_HEADERS_MISSING = gettext_lazy("Thiếu cột bắt buộc: Họ và tên (hoặc ba cột Họ, Tên đệm, Tên).")


def remembered_mapping(user: Any, names: list[str]) -> dict[str, str] | None:
    """The column mapping ``user`` chose last for a file with these headers, if any."""
    if not getattr(user, "pk", None):
        return None
    signature = header_signature(names)
    return ImportColumnMapping.objects.filter(user=user, signature=signature).values_list("mapping", flat=True).first()


def remember_mapping(user: Any, signature: str, mapping: dict[str, str]) -> None:
    """Keep ``mapping`` for ``user``'s next file with the same headers (``header_signature``)."""
    ImportColumnMapping.objects.update_or_create(user=user, signature=signature, defaults={"mapping": mapping})


def members_parse(
    file: Source,
    filename: str,
    *,
    user: Any,
    decisions: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> ParseResult:
    """Read and check a member list for ``user``; every problem is in the result, nothing is written.

    ``decisions`` (``ImportJob.decisions``): the user's column mapping and answers. Without
    a mapping of its own, the file uses the one the user chose last for the same headers.
    Each clean row carries ``MEMBER_KEY``: the id of the member it updates, or None, and
    ``UNCHANGED_KEY`` when it holds nothing new.
    """
    ctx = ImportContext(user=user, decisions=dict(decisions or {}))
    used: list[bool] = []
    mapping: Any = ctx.decisions.get("mapping")
    if mapping is None:

        def mapping(names: list[str]) -> dict[str, str] | None:
            found = remembered_mapping(user, names)
            used.append(bool(found))
            return found

    result = parse(file, filename, MEMBER_SPEC, ctx, progress=progress, mapping=mapping)
    for question in ctx.questions:
        result.ask(question)
    if any(used):
        result.notes.insert(0, _("Các cột được ghép theo cách bạn đã chọn lần trước cho tệp có cùng dòng tiêu đề."))
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
def _name_error(value: str, language: str | None) -> str | None:
    """``lib.names.person_name_error`` once per name and language (names repeat in a list)."""
    return person_name_error(value)


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
    for key in (*TEXT_KEYS, "professional_education_text"):
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
    write_initial_history(history, user_id=user_id, reason=reason, members=dict(zip(ids, members, strict=True)))


_UPDATABLE = (
    *NAME_KEYS,
    "sex",
    "birth_date",
    *TEXT_KEYS,
    *LIST_KEYS,
    "professional_education_text",
    *IDENTITY_KEYS,
    "full_member_on",
)


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
            for row_reason, group in duplicates.history_reasons(chunk, reason):  # "vẫn tạo mới" rows: their reason
                _create(group, getattr(actor, "pk", None), row_reason)
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
        with counts_deferred():  # the kept counts written once for the whole file, not per batch
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


NEW, UPDATE, UNCHANGED, WAITING = "new", "update", "unchanged", "waiting"


def row_kind(row: dict[str, Any]) -> str:
    if "organization" not in row:
        return WAITING  # its cell waits on a question
    if row.get(UNCHANGED_KEY):
        return UNCHANGED
    return UPDATE if row.get(MEMBER_KEY) else NEW


KIND_LABELS = {
    NEW: gettext_lazy("Mới"),
    UPDATE: gettext_lazy("Sẽ cập nhật"),
    UNCHANGED: gettext_lazy("Không thay đổi"),
    WAITING: gettext_lazy("Chờ trả lời câu hỏi"),
}


def preview_rows(parsed: ParseResult, limit: int = 20) -> list[list[str]]:
    """The first rows as the preview shows them: row, name, date of birth, cell, kind and its label."""
    out = []
    for row in parsed.rows[:limit]:
        name = " ".join(filter(None, (row.get(k) for k in NAME_KEYS))) or row.get("full_name") or ""
        birth = row.get("birth_date")
        org = row.get("organization")
        kind = row_kind(row)
        out.append(
            [
                str(row[ROW_KEY]),
                name,
                f"{birth:%d/%m/%Y}" if birth else "",
                f"{org.name} ({org.code})" if org is not None else "?",
                kind,
                str(KIND_LABELS[kind]),
            ]
        )
    return out


def count_kinds(parsed: ParseResult) -> dict[str, int]:
    """How many clean rows are new, update a member, hold nothing new, or wait on a question."""
    counts = dict.fromkeys(KIND_LABELS, 0)
    for row in parsed.rows:
        counts[row_kind(row)] += 1
    return counts
