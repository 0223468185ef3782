"""The import engine: parse a spreadsheet, check every row, then write all rows or none.

An app describes its layout once with ``Column``s in an ``ImportSpec``; ``parse`` reads
the file, matches headers (case, diacritics, spaces and punctuation do not matter;
aliases count), turns every cell into a clean value and collects every problem as
"Dòng N, cột X: …". ``apply_all_or_nothing`` then refuses a result with errors, or runs
the app's writer in one transaction. Nothing here touches a model: foreign keys are
looked up through the spec's ``resolve`` hooks, one call per column for all its codes.

Files as people keep them are read too: the header is looked for under a title block, and
may take two rows (groups merged over their sub-columns, "Ngày vào Đảng" over "Dự bị" and
"Chính thức"; each column is then named by both, "Ngày vào Đảng / Chính thức"); rows that
are plainly not records (a row of column numbers "(1) (2) …", a blank row, a
total "Tổng số: 25 đảng viên", the date and signature lines under the table) are left out
and listed in ``ParseResult.skipped`` with their reason; text typed in the legacy
Vietnamese font encodings (TCVN3, VNI) is converted column by column before the cells are
parsed (``lib.legacy_text``), with a note. The user may map a file column to another field
(``parse(mapping=…)``); every file column and the field it feeds is in
``ParseResult.headers``. A hook may ask the user a question (``Question``, answered
through the app's context) and a check may leave a row out with a reason (``SKIP_KEY``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from lib.i18n import lazy_format
from lib.legacy_text import convert_column
from lib.tabular import Source, TabularError, read_rows, write_xlsx
from lib.text import fold

ROW_KEY = "_row"  # every clean row carries its row number in the file under this key
# A check sets ``row[SKIP_KEY] = "<Vietnamese reason>"`` to leave a row out: it is listed in
# ``ParseResult.skipped`` with the reason and never reaches the writer.
SKIP_KEY = "_skip"
# A row with a cell that failed (to parse or to resolve) carries the keys of those cells here;
# it reaches ``check_row`` only when the spec asks for it (``check_partial_rows``).
FAILED_KEY = "_failed"
MAX_REPORTED_ERRORS = 1000
HEADER_SEARCH_ROWS = 10  # the header may sit under a title, as in an exported list
PROGRESS_EVERY = 1000
# Distinct cell values remembered per column while parsing. A member list repeats most of its
# values (names, hometowns, education, dates), so each is parsed once and one object is kept
# for all its rows: a 150,000-row file then holds far fewer strings and dates in memory.
# Columns of unique values (CCCD, card number) stop being remembered at the bound.
VALUE_CACHE_SIZE = 4096


class CellError(ValueError):
    """Raised by a parser; the message is Vietnamese and completes "Dòng N, cột X: …"."""


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A ``resolve`` hook's answer for a code it cannot accept, with the reason."""

    message: str


@dataclass(frozen=True)
class Question:
    """A choice the user must make before a file can be written (e.g. which of two cells
    named «Chi bộ Văn phòng» a row means).

    ``key`` identifies it across re-parses of the same file ("cell:chi bo van phong");
    ``options`` are (value, Vietnamese label) pairs; an answer in ``reason_for`` needs a
    written reason. ``rows`` are the file's rows it concerns. ``answer``/``reason`` hold the
    user's answer, when there is one (``answered_from``).
    """

    kind: str
    key: str
    prompt: str
    options: list[tuple[str, str]]
    rows: list[int]
    reason_for: frozenset[str] = frozenset()
    answer: str = ""
    reason: str = ""
    details: list[str] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        values = {str(value) for value, _label in self.options}
        return self.answer in values and (self.answer not in self.reason_for or bool(self.reason.strip()))

    def answered_from(self, answers: Mapping[str, Any] | None) -> Question:
        """This question with the answer stored for its key in ``answers`` ({key: {"value", "reason"}})."""
        given = (answers or {}).get(self.key) or {}
        return replace(self, answer=str(given.get("value") or ""), reason=str(given.get("reason") or ""))

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "prompt": self.prompt,
            "options": [[str(v), str(label)] for v, label in self.options],
            "rows": list(self.rows),
            "reason_for": sorted(self.reason_for),
            "answer": self.answer,
            "reason": self.reason,
            "details": [str(d) for d in self.details],
            "answered": self.answered,
        }


@dataclass(frozen=True)
class Ask:
    """A ``resolve`` hook's answer for a code that needs the user's choice: ``question`` is
    asked (the engine fills in its rows), and the rows get ``value`` once it is answered.
    While ``value`` is None the cell stays empty without an error: the result cannot be
    written until the question is answered (``ParseResult.unanswered``)."""

    question: Question
    value: Any = None


# --- parsers ------------------------------------------------------------------------------

Parser = Callable[[Any], Any]


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        text = value.strip()
        return text if text.isascii() else unicodedata.normalize("NFC", text)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores "0912…" typed as a number as 912….0
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


class Text:
    """Free text, trimmed and NFC-normalized; ``max_length`` in characters."""

    description = gettext_lazy("chữ")

    def __init__(self, max_length: int | None = None) -> None:
        self.max_length = max_length

    def __call__(self, value: Any) -> str:
        text = _SPACES.sub(" ", _as_text(value))
        if self.max_length is not None and len(text) > self.max_length:
            raise CellError(gettext("dài %(length)s ký tự, tối đa %(max)s ký tự") % {"length": len(text), "max": self.max_length})
        return text


_SPACES = re.compile(r"\s+")


class Integer:
    description = gettext_lazy("số nguyên")

    def __init__(self, min_value: int | None = None, max_value: int | None = None) -> None:
        self.min_value = min_value
        self.max_value = max_value

    def __call__(self, value: Any) -> int:
        if isinstance(value, bool):
            raise CellError(gettext("không phải số nguyên «%(value)s»") % {"value": value})
        if isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            text = _as_text(value).replace(" ", "")
            if not re.fullmatch(r"[-+]?\d+", text):
                raise CellError(gettext("không phải số nguyên «%(value)s»") % {"value": _as_text(value)})
            number = int(text)
        if self.min_value is not None and number < self.min_value:
            raise CellError(gettext("phải từ %(min)s trở lên (đang là %(value)s)") % {"min": self.min_value, "value": number})
        if self.max_value is not None and number > self.max_value:
            raise CellError(
                gettext("phải nhỏ hơn hoặc bằng %(max)s (đang là %(value)s)") % {"max": self.max_value, "value": number}
            )
        return number


_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 given Excel's fictitious 29/02/1900


class Date:
    """dd/mm/yyyy, d/m/yyyy (also with - or .), yyyy-mm-dd, Excel date cells and serial numbers."""

    description = gettext_lazy("ngày dạng dd/mm/yyyy")

    def __init__(self, min_year: int = 1900, max_year: int = 2100) -> None:
        self.min_year = min_year
        self.max_year = max_year

    def __call__(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if not 1 <= value < 2958466:
                raise CellError(gettext("ngày không hợp lệ «%(value)s» (dạng dd/mm/yyyy)") % {"value": value})
            day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        else:
            text = _as_text(value)
            match = _DMY.fullmatch(text)
            if match:
                d, m, y = (int(g) for g in match.groups())
            elif match := _YMD.fullmatch(text):
                y, m, d = (int(g) for g in match.groups())
            else:
                raise CellError(gettext("ngày không hợp lệ «%(value)s» (dạng dd/mm/yyyy)") % {"value": text})
            try:
                day = dt.date(y, m, d)
            except ValueError:
                raise CellError(gettext("ngày không hợp lệ «%(value)s» (dạng dd/mm/yyyy)") % {"value": text}) from None
        if not self.min_year <= day.year <= self.max_year:
            raise CellError(
                gettext("năm %(year)s nằm ngoài khoảng %(min)s–%(max)s")
                % {"year": day.year, "min": self.min_year, "max": self.max_year}
            )
        return day


class Choice:
    """One of a fixed list: ``{stored value: Vietnamese label}``; the label or value is accepted.

    Matching ignores case and diacritics; ``aliases`` adds other spellings, e.g. {"nu": "F"}.
    """

    def __init__(self, choices: Mapping[Any, str] | Iterable[tuple[Any, str]], aliases: Mapping[str, Any] | None = None) -> None:
        pairs = list(choices.items()) if isinstance(choices, Mapping) else list(choices)
        self.labels = {value: str(label) for value, label in pairs}
        self.lookup: dict[str, Any] = {}
        for value, label in pairs:
            self.lookup[fold(str(label))] = value
            self.lookup.setdefault(fold(str(value)), value)
        for spelling, value in (aliases or {}).items():
            self.lookup[fold(spelling)] = value
        self.description = lazy_format(gettext_lazy("một trong: %(values)s"), values="; ".join(self.labels.values()))

    def __call__(self, value: Any) -> Any:
        text = _as_text(value)
        try:
            return self.lookup[fold(text)]
        except KeyError:
            raise CellError(
                gettext("giá trị «%(value)s» không có trong danh sách (%(values)s)")
                % {"value": text, "values": "; ".join(self.labels.values())}
            ) from None


class Code:
    """A code kept as text: digits or letters, never a number ("001234" keeps its zeros).

    ``digits`` requires exactly that many digits (a CCCD has 12); ``pattern`` a regular
    expression the whole code must match, explained by ``hint``.
    """

    def __init__(self, *, digits: int | None = None, pattern: str | None = None, hint: str = "", max_length: int = 64) -> None:
        self.digits = digits
        self.pattern = re.compile(pattern) if pattern else None
        self.hint = hint
        self.max_length = max_length
        self.description = hint or (
            lazy_format(gettext_lazy("mã gồm %(digits)s chữ số"), digits=digits) if digits else gettext_lazy("mã")
        )

    def __call__(self, value: Any) -> str:
        code = _as_text(value).replace(" ", "")
        if self.digits is not None:
            if isinstance(value, int | float) and not isinstance(value, bool) and len(code) < self.digits:
                code = code.zfill(self.digits)  # Excel dropped the leading zeros of a number
            if not (code.isdigit() and code.isascii() and len(code) == self.digits):
                raise CellError(gettext("«%(code)s» phải gồm đúng %(digits)s chữ số") % {"code": code, "digits": self.digits})
        if self.pattern is not None and not self.pattern.fullmatch(code):
            if self.hint:
                raise CellError(gettext("«%(code)s» sai dạng (%(hint)s)") % {"code": code, "hint": self.hint})
            raise CellError(gettext("«%(code)s» sai dạng") % {"code": code})
        if len(code) > self.max_length:
            raise CellError(gettext("dài %(length)s ký tự, tối đa %(max)s ký tự") % {"length": len(code), "max": self.max_length})
        return code


# --- the spec -----------------------------------------------------------------------------

Resolver = Callable[[set[Any], Any], Mapping[Any, Any]]
RowCheck = Callable[[dict[str, Any], Any], Iterable[tuple[str | None, str]]]
RowsCheck = Callable[[list[dict[str, Any]], Any], Iterable["RowError"]]


@dataclass(frozen=True)
class Column:
    """One column of a layout.

    ``required``: the header must be present and every cell filled (``cell_required``
    overrides the latter). ``resolve(codes, context) -> {code: object or Unresolved}`` turns
    codes into objects for a whole column at once; a code missing from the answer is
    reported as not found (or outside the importer's scope). ``export`` turns a stored value
    into what a list shows, for exports that share the layout.
    """

    key: str
    label: str
    parser: Parser = field(default_factory=Text)
    aliases: tuple[str, ...] = ()
    required: bool = False
    cell_required: bool | None = None
    max_length: int | None = None
    resolve: Resolver | None = None
    help: str | Promise = ""
    width: float | None = None
    export: Callable[[Any], Any] | None = None

    @property
    def must_fill(self) -> bool:
        return self.required if self.cell_required is None else self.cell_required

    @property
    def description(self) -> str:
        return str(self.help or getattr(self.parser, "description", ""))


def header_key(text: Any) -> str:
    """What a header is matched on: folded, letters and digits only ("Ngày  sinh:" -> "ngaysinh")."""
    return re.sub(r"[^0-9a-z]", "", fold(str(text or "")))


@dataclass(frozen=True)
class Spread:
    """One field written under one of several sub-columns of a two-row header, the sub-column
    in which it is written giving another field's value: in a list whose "Ngày sinh" group has
    the sub-columns "Nam" and "Nữ", a birth date gives the sex by the column it is under.

    ``key``: the field the cell feeds (read by that column's parser; the group's header is
    matched against that column's names); ``by``: the field the sub-column tells;
    ``values``: {sub-column header: value of ``by``}. A row must fill exactly one of the
    sub-columns (none at all only when ``key`` may be empty).
    """

    key: str
    by: str
    values: Mapping[str, Any]


@dataclass
class ImportSpec:
    """A layout: its columns plus hooks.

    A row is a dict of the cells that hold a value (an empty cell has no key: ``row.get``
    gives None), plus ``ROW_KEY``. ``on_header(column keys, context)`` learns which columns
    the file has before any row is read. ``check_row(row, context)`` yields ``(column key or
    None, message)`` for one clean row whose cells all parsed. ``check_rows(rows, context)``
    sees every clean row at once (for duplicates inside the file or against the database)
    and yields ``RowError``s; it may leave a row out with ``row[SKIP_KEY] = reason``.
    ``check_partial_rows``: ``check_row`` also sees the rows with a failed cell (without that
    cell's key, and with ``FAILED_KEY``), so that every problem of a row is reported at once.

    A header may take two rows: groups on the first ("Ngày vào Đảng" over two columns), their
    sub-columns on the second ("Dự bị", "Chính thức"). Each column's header is then the two
    joined ("Ngày vào Đảng / Chính thức"), matched by the sub-column's text, else as a whole.
    ``sub_headers``: words a second header row may hold that are no column's name, so that
    the row is known for a header all the same; ``spreads``: fields written under one of
    several sub-columns, the column telling another field (``Spread``).
    """

    columns: Sequence[Column]
    check_row: RowCheck | None = None
    check_rows: Sequence[RowsCheck] = ()
    name: str = ""
    on_header: Callable[[list[str], Any], None] | None = None
    check_partial_rows: bool = False
    sub_headers: Sequence[str] = ()
    spreads: Sequence[Spread] = ()

    def __post_init__(self) -> None:
        self.by_key = {c.key: c for c in self.columns}
        self.lookup: dict[str, Column] = {}
        for column in self.columns:
            for spelling in (column.label, column.key, *column.aliases):
                self.lookup.setdefault(header_key(spelling), column)
        for spread in self.spreads:
            if spread.key not in self.by_key or spread.by not in self.by_key:
                raise ValueError(f"spread {spread.key}/{spread.by}: both must be columns of the spec")
        self.spread_values = [(spread, {header_key(k): v for k, v in spread.values.items()}) for spread in self.spreads]
        self.sub_words = frozenset(header_key(word) for word in self.sub_headers) | {
            word for _spread, values in self.spread_values for word in values
        }

    def label(self, key: str | None) -> str | None:
        return self.by_key[key].label if key in self.by_key else key

    def export_row(self, record: Mapping[str, Any]) -> list[Any]:
        """The values of ``record`` (keyed like the columns) in column order, as a list shows them."""
        out = []
        for column in self.columns:
            value = record.get(column.key)
            if column.export is not None:
                value = column.export(value)
            elif isinstance(column.parser, Choice) and value in column.parser.labels:
                value = column.parser.labels[value]
            out.append(value)
        return out


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    row: int | None
    column_label: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column_label:
            return gettext("Dòng %(row)s, cột %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column_label,
                "message": self.message,
            }
        return gettext("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass(frozen=True, slots=True)
class HeaderColumn:
    """One column of the file's header: its text (``name``, made unique within the file), the
    field it feeds (``key``, None when unused) and the field the headers alone matched
    (``auto``). ``mapped`` says the user chose ``key`` (``parse(mapping=…)``)."""

    index: int
    name: str
    key: str | None
    auto: str | None
    mapped: bool = False


@dataclass
class ParseResult:
    """Clean ``rows`` (each with ``ROW_KEY``), the first ``MAX_REPORTED_ERRORS`` errors, warnings.

    ``error_count`` counts every error, also those not kept; ``total`` counts data rows (the
    rows left out as not records aside). ``skipped``: (row, reason) of every row left out.
    ``notes``: what was done to the file's text (a column converted from TCVN3). ``headers``:
    every column of the file's header and its field; ``header_signature`` identifies those
    headers (``header_signature``). ``questions``: what the user is asked (``Question``).
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total: int = 0
    error_count: int = 0
    header_row: int | None = None
    columns: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headers: list[HeaderColumn] = field(default_factory=list)
    header_signature: str = ""
    questions: list[Question] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def unanswered(self) -> list[Question]:
        return [q for q in self.questions if not q.answered]

    def ask(self, question: Question) -> None:
        """Add ``question``; one already asked under its key gets its rows added instead."""
        for i, asked in enumerate(self.questions):
            if asked.key == question.key:
                rows = sorted(set(asked.rows) | set(question.rows))
                self.questions[i] = replace(asked, rows=rows)
                return
        self.questions.append(question)

    def skip(self, row: int, reason: str) -> None:
        self.skipped.append((row, reason))

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    def messages(self) -> list[str]:
        """Every kept error as text, then how many more there are."""
        lines = [str(e) for e in sorted(self.errors, key=lambda e: e.row or 0)]
        if self.error_count > len(self.errors):
            lines.append(gettext("… và %(count)s lỗi khác.") % {"count": self.error_count - len(self.errors)})
        return lines


class ImportRefused(Exception):
    """Raised by ``apply_all_or_nothing`` when the parse found errors; nothing was written."""

    def __init__(self, result: ParseResult) -> None:
        self.result = result
        super().__init__(gettext("Không nhập dữ liệu: tệp có %(count)s lỗi.") % {"count": result.error_count})


# --- the engine ---------------------------------------------------------------------------

FileMapping = Mapping[str, str]
MappingSource = FileMapping | Callable[[list[str]], FileMapping | None] | None


def header_signature(names: Iterable[str]) -> str:
    """What identifies a file's headers, whatever their case, marks and spacing: the hash of
    their folded texts in order (a user's column mapping is remembered under it)."""
    keys = [header_key(name) for name in names]
    return hashlib.sha256("\x1f".join(k for k in keys if k).encode()).hexdigest()


def parse(
    file: Source,
    filename: str,
    spec: ImportSpec,
    context: Any = None,
    *,
    progress: Callable[[int, int | None], None] | None = None,
    mapping: MappingSource = None,
    legacy: bool = True,
) -> ParseResult:
    """Read ``file`` against ``spec``; never raises for bad input, every problem is in ``errors``.

    ``context`` (e.g. the importing user) is passed to the hooks. ``progress(done, estimate)``
    is called every ``PROGRESS_EVERY`` data rows and at the end; ``estimate`` may be None.
    ``mapping``: {file header text: column key, or "" for none} chosen by the user, over the
    match by name; or a function of the file's header texts that returns one (a remembered
    mapping). ``legacy``: convert text typed in TCVN3 or VNI to Unicode, column by column.
    """
    result = ParseResult()
    converter: Converter | None = convert_column if legacy else None
    try:
        reader = read_rows(file, filename)
        lines = _read_header(reader, spec, result, converter)
        if lines is None:
            return result
        number, cells, pending = lines
        cells = _header_names(cells)
        result.header_signature = header_signature(cell.text for cell in cells)
        chosen = mapping([cell.text for cell in cells]) if callable(mapping) else mapping
        found = _header_positions(number, cells, spec, result, chosen or {})
        if found is None:
            return result
        positions, spreads = found
        if spec.on_header is not None:
            spec.on_header(result.columns, context)
        bad = _parse_rows(reader, pending, positions, spreads, spec, result, reader.estimated_rows, progress, converter)
    except TabularError as exc:
        result.add(RowError(None, None, str(exc)))
        return result
    if result.total == 0 and result.ok:
        result.add(RowError(None, None, gettext("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")))
        return result
    _resolve(spec, context, result, bad)
    if spec.check_row is not None and spec.check_partial_rows and bad:
        for row in result.rows:
            if row[ROW_KEY] in bad:
                for key, message in spec.check_row(row, context):
                    result.add(RowError(row[ROW_KEY], spec.label(key), message))
    result.rows = [row for row in result.rows if row[ROW_KEY] not in bad]
    _check(spec, context, result)
    if progress is not None:
        progress(result.total, result.total)
    return result


Lines = list[tuple[int, list[Any]]]
Converter = Callable[[Sequence[str]], Any]


def _read_header(
    reader: Iterator[tuple[int, list[Any]]], spec: ImportSpec, result: ParseResult, converter: Converter | None
) -> tuple[int, list[HeaderCell], Lines] | None:
    """The header: among the first rows, the one naming the most columns of the spec, taken
    with the row under it, or the row over it, when the two make one header
    (``_two_row_header``). Returns the number of the header's last row (the data start under
    it), its columns and the rows read past it.

    A header typed in a legacy font encoding is read converted (and said so in the notes).
    """
    seen: Lines = []
    best: tuple[int, int] = (0, -1)  # (matches, index in seen)
    converted: dict[int, tuple[list[Any], str]] = {}
    for number, values in reader:
        seen.append((number, values))
        matches = _header_matches(values, spec)
        if matches < len(spec.columns):
            fixed = _legacy_header(values, converter, lambda v: _header_matches(v, spec))
            if fixed is not None:
                converted[len(seen) - 1] = fixed
                matches = _header_matches(fixed[0], spec)
        if matches > best[0]:
            best = (matches, len(seen) - 1)
        if matches == len(spec.columns) or len(seen) >= HEADER_SEARCH_ROWS:
            break
    if best[1] < 0:
        expected = ", ".join(c.label for c in spec.columns if c.required) or spec.columns[0].label
        message = gettext("Không tìm thấy dòng tiêu đề: dòng đầu của bảng phải ghi tên các cột (%(columns)s, …).")
        result.add(RowError(None, None, message % {"columns": expected}))
        return None
    matches, at = best
    if at == len(seen) - 1:  # the row under the header may be its second row
        after = next(reader, None)
        if after is not None:
            seen.append(after)

    def header(i: int) -> list[Any]:
        return converted[i][0] if i in converted else seen[i][1]

    def sub(i: int) -> list[Any]:
        if i not in converted:
            fixed = _legacy_header(seen[i][1], converter, lambda v: _sub_words(v, spec))
            if fixed is not None:
                converted[i] = fixed
        return header(i)

    first = last = at
    cells: list[HeaderCell] | None = None
    # The best row may be the second row of a header whose sub-columns name more fields than
    # its groups ("Họ", "Đệm", "Tên" under "Họ và tên"); else the row under it may be.
    if at > 0 and seen[at - 1][0] == seen[at][0] - 1:
        cells = _two_row_header(header(at - 1), sub(at), spec, matches)
        first = at - 1 if cells is not None else at
    if cells is None and at + 1 < len(seen) and seen[at + 1][0] == seen[at][0] + 1:
        cells = _two_row_header(header(at), sub(at + 1), spec, matches)
        last = at + 1 if cells is not None else at
    if cells is None:
        cells = [HeaderCell(i, text) for i, text in enumerate(map(_header_text, header(at))) if text]
    encodings = [converted[i][1] for i in range(first, last + 1) if i in converted]
    if encodings:
        result.notes.append(gettext("Dòng tiêu đề: đã chuyển từ mã %(encoding)s sang Unicode") % {"encoding": encodings[0]})
    result.header_row = seen[last][0]
    return seen[last][0], cells, seen[last + 1 :]


def _legacy_header(
    values: list[Any], converter: Converter | None, measure: Callable[[list[Any]], int]
) -> tuple[list[Any], str] | None:
    """A header row typed in TCVN3 or VNI, converted, with its encoding: when the converted
    row is better by ``measure`` (names more columns); else None."""
    texts = [v for v in values if isinstance(v, str) and not v.isascii()]
    if converter is None or not texts:
        return None
    conversion = converter(texts)
    if not conversion.encoding:
        return None
    table = dict(zip(texts, conversion.values, strict=True))
    fixed = [table.get(v, v) if isinstance(v, str) else v for v in values]
    return (fixed, conversion.encoding) if measure(fixed) > measure(values) else None


def _header_matches(values: list[Any], spec: ImportSpec) -> int:
    return len({spec.lookup[k].key for k in map(header_key, values) if k in spec.lookup})


def _sub_words(values: list[Any], spec: ImportSpec) -> int:
    """How many cells of a row are a column's name or a sub-column word of the spec."""
    return sum(1 for k in map(header_key, values) if k and (k in spec.lookup or k in spec.sub_words))


@dataclass(frozen=True, slots=True)
class HeaderCell:
    """One column of the file's header: its position and text; for a two-row header, the
    group over it (``parent``, "" when none) and its own sub-column (``sub``), its text then
    being "parent / sub". ``carried``: the group's text stands in a cell to its left (a
    merged cell keeps its text in its first cell only)."""

    index: int
    text: str
    parent: str = ""
    sub: str = ""
    carried: bool = False


def _header_text(value: Any) -> str:
    return _SPACES.sub(" ", _as_text(value)) if value is not None and header_key(value) else ""


# A sub-column's name is short ("Lý luận chính trị", "Họ và tên đệm"): a longer text is a value.
SUB_HEADER_WORDS = 6
SUB_HEADER_CHARS = 40
_DIGIT = re.compile(r"\d")


def _two_row_header(parent: list[Any], sub: list[Any], spec: ImportSpec, matches: int) -> list[HeaderCell] | None:
    """The header's columns when ``sub``, the row under the header row ``parent``, is the
    header's second row; None when it is not.

    It is when its cells are all short texts without digits (no date, number or code), most
    of them (two in three) a column's name (alone or after their group's) or a sub-column
    word of the spec. ``parent`` must name a column itself, each of its groups (a text with
    sub-columns under it) must span two columns or more, and the two rows together must name
    at least as many columns (``matches``) as the better of them alone: a record's values
    under their columns ("Nam" under "Giới tính") name none, and lose the column over them.

    Each column's header is its group's text, carried across the empty cells of its merge
    while the row under them names sub-columns, joined to its sub-column's text.
    """
    if _header_matches(parent, spec) == 0 or not all(isinstance(v, str) for v in _filled(parent)):
        return None
    filled = _filled(sub)
    if not filled or not all(isinstance(v, str) for v in filled):
        return None
    for value in filled:
        text = _as_text(value)
        if _DIGIT.search(text) or len(text) > SUB_HEADER_CHARS or len(text.split()) > SUB_HEADER_WORDS:
            return None
    cells: list[HeaderCell] = []
    named: list[HeaderCell] = []  # the columns with a text in the second row
    group, spans = "", 0
    for i in range(max(len(parent), len(sub))):
        above = _header_text(parent[i]) if i < len(parent) else ""
        below = _header_text(sub[i]) if i < len(sub) else ""
        if above or not (below and group):
            if group and spans < 2:
                return None  # a "group" over one column: the row above is no header's first row
            group, spans = (above, 1) if above and below else ("", 0)
        else:
            spans += 1
        if above and below:
            cell = HeaderCell(i, f"{above} / {below}", above, below)
        elif below and group:
            cell = HeaderCell(i, f"{group} / {below}", group, below, carried=True)
        elif above or below:
            cell = HeaderCell(i, above or below)
        else:
            continue
        cells.append(cell)
        if below:
            named.append(cell)
    if group and spans < 2:
        return None
    known = 0
    for cell in named:
        key = header_key(cell.sub or cell.text)
        if key in spec.lookup or key in spec.sub_words or header_key(cell.text) in spec.lookup:
            known += 1
    if known * 3 < len(named) * 2 or _cells_matches(cells, spec) < matches:
        return None
    return cells


def _cell_match(cell: HeaderCell, spec: ImportSpec) -> tuple[Column | None, tuple[Spread, Any] | None]:
    """The column a header names, or the spread it is a sub-column of (its group names the
    spread's field, its sub-column one of the spread's values).

    A sub-column that names a column is taken at its word ("Họ và tên / Đệm" is the middle
    name, not "Họ và tên đệm"); else the group and the sub-column are read together
    ("Ngày vào Đảng / Chính thức" as "Ngày vào Đảng chính thức")."""
    if cell.parent and cell.sub:
        group = spec.lookup.get(header_key(cell.parent))
        for spread, values in spec.spread_values:
            value = values.get(header_key(cell.sub), _NOT_SPREAD)
            if group is not None and group.key == spread.key and value is not _NOT_SPREAD:
                return None, (spread, value)
    for text in (cell.sub, cell.text) if cell.parent else (cell.text,):
        column = spec.lookup.get(header_key(text))
        if column is not None:
            return column, None
    return None, None


_NOT_SPREAD = object()


def _cells_matches(cells: list[HeaderCell], spec: ImportSpec) -> int:
    keys: set[str] = set()
    for cell in cells:
        column, spread = _cell_match(cell, spec)
        if spread is not None:
            keys.update((spread[0].key, spread[0].by))
        elif column is not None:
            keys.add(column.key)
    return len(keys)


def _header_names(cells: list[HeaderCell]) -> list[HeaderCell]:
    """The header's columns, each text made unique: a text repeated in the header gets
    " (2)", " (3)" so that every column has its own name (and is matched by it alone)."""
    named: list[HeaderCell] = []
    used: set[str] = set()
    for cell in cells:
        unique, n = cell.text, 1
        while unique in used:
            n += 1
            unique = f"{cell.text} ({n})"
        used.add(unique)
        named.append(cell if n == 1 else HeaderCell(cell.index, unique))
    return named


@dataclass
class SpreadCells:
    """The file's sub-columns of a ``Spread`` (its ``column`` and ``by``): (position, header,
    value of ``by``) each."""

    column: Column
    by: Column
    cells: list[tuple[int, str, Any]] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return ", ".join(f"«{name}»" for _index, name, _value in self.cells)


def _header_positions(
    number: int, cells: list[HeaderCell], spec: ImportSpec, result: ParseResult, chosen: FileMapping
) -> tuple[list[tuple[int, Column]], list[SpreadCells]] | None:
    positions: list[tuple[int, Column]] = []
    found: dict[str, tuple[str, bool]] = {}  # column key -> (file header, chosen by the user)
    extra: list[str] = []
    spreads: dict[str, SpreadCells] = {}
    for cell in cells:
        index, name = cell.index, cell.text
        auto, spread = _cell_match(cell, spec)
        auto_key = spread[0].key if spread is not None else auto.key if auto is not None else None
        mapped = name in chosen and (chosen[name] == "" or chosen[name] in spec.by_key)
        key = (chosen[name] or None) if mapped else auto_key
        result.headers.append(HeaderColumn(index, name, key, auto_key, mapped))
        if key is None:
            extra.append(name)
            continue
        if spread is not None and key == spread[0].key:
            what, value = spread
            group = spreads.setdefault(what.key, SpreadCells(spec.by_key[what.key], spec.by_key[what.by]))
            group.cells.append((index, name, value))
            continue
        column = spec.by_key[key]
        if key in found:
            first, first_mapped = found[key]
            if mapped or first_mapped:
                message = gettext("cột này được ghép với hai cột của tệp: «%(first)s» và «%(second)s»")
                result.add(RowError(number, column.label, message % {"first": first, "second": name}))
            else:
                result.add(RowError(number, column.label, gettext("cột này xuất hiện hai lần trong dòng tiêu đề")))
            continue
        found[key] = (name, mapped)
        positions.append((index, column))
    for group in spreads.values():
        if group.column.key in found:
            message = gettext("cột này được ghép với cột «%(first)s» và các cột %(columns)s")
            result.add(
                RowError(number, group.column.label, message % {"first": found[group.column.key][0], "columns": group.shown})
            )
            continue
        found[group.column.key] = (group.shown, False)
        found.setdefault(group.by.key, (group.shown, False))
        result.notes.append(
            gettext("Các cột %(columns)s: đọc «%(field)s» ở cột có ghi, «%(by)s» theo tên của cột đó.")
            % {"columns": group.shown, "field": group.column.label, "by": group.by.label}
        )
    missing = [c.label for c in spec.columns if c.required and c.key not in found]
    if missing:
        result.add(RowError(None, None, gettext("Thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(missing)}))
    if extra:
        ignored = ", ".join(f"«{x}»" for x in extra)
        result.warnings.append(gettext("Bỏ qua các cột không dùng: %(columns)s.") % {"columns": ignored})
    result.columns = [c.key for _, c in positions]
    for group in spreads.values():
        for key in (group.column.key, group.by.key):
            if key not in result.columns:
                result.columns.append(key)
    return None if result.error_count else (positions, list(spreads.values()))


# --- rows that are not records ------------------------------------------------------------

_COLUMN_NUMBER = re.compile(r"\(?\s*(\d{1,3}|[A-Z])\s*\)?")
_TOTAL = re.compile(r"(tong so|tong cong|tong|cong)\b")
_SIGNATURE = re.compile(
    r"nguoi lap|lap bieu|ky ten|ky,? ghi ro|ghi ro ho( va)? ten|^t ?/ ?m\b|^tm\.|^bi thu\b|^pho bi thu\b|xac nhan"
    r"|thu truong|ngay \S* ?thang \S* ?nam|, ngay\b|ngay \d{1,2} thang"
)
FOOTER_CELLS = 3  # after a total or signature line, a row with at most this many cells is the footer


def _present(value: Any) -> bool:
    return value is not None and not (value.__class__ is str and not value.strip())


def _filled(values: list[Any]) -> list[Any]:
    return [v for v in values if v is not None and not (isinstance(v, str) and not v.strip())]


def _column_numbers(filled: list[Any]) -> bool:
    """A row numbering the columns: "(1) (2) … (17)", "1 2 3 …" or "A B 1 2 …", in order."""
    if len(filled) < 3:
        return False
    numbers = []
    for value in filled:
        if isinstance(value, bool):
            return False
        if isinstance(value, int | float):
            if not float(value).is_integer():
                return False
            numbers.append(int(value))
            continue
        match = _COLUMN_NUMBER.fullmatch(_as_text(value))
        if match is None:
            return False
        if match.group(1).isdigit():
            numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and all(a < b for a, b in pairwise(numbers))


def _not_a_record(values: list[Any], after_footer: bool) -> tuple[str, bool] | None:
    """Why a row that did not parse is plainly not a record, and whether the footer starts
    there; None when it looks like a record with mistakes (its errors stand)."""
    filled = _filled(values)
    if not filled or (len(filled) == 1 and isinstance(filled[0], int | float) and not isinstance(filled[0], bool)):
        return gettext("dòng trống"), False
    if _column_numbers(filled):
        return gettext("dòng đánh số thứ tự các cột"), False
    texts = [_as_text(v) for v in filled if isinstance(v, str)]
    shown = " ".join(texts)[:80]
    if texts and _TOTAL.match(fold(texts[0])):
        return gettext("dòng tổng cộng «%(text)s»") % {"text": shown}, True
    if len(filled) <= 4 and any(_SIGNATURE.search(fold(t)) for t in texts):
        return gettext("dòng ngày tháng, chữ ký «%(text)s»") % {"text": shown}, True
    if after_footer and len(filled) <= FOOTER_CELLS:
        return gettext("dòng dưới bảng, sau dòng tổng cộng hoặc chữ ký «%(text)s»") % {"text": shown}, True
    return None


# --- the rows -----------------------------------------------------------------------------

CONVERT_EVERY = 1000  # rows whose text is checked for a legacy encoding together, column by column
PLAIN_CACHE_SIZE = 50_000  # values per column known to be plain Unicode, not read again


def _parse_rows(
    reader: Iterable[tuple[int, list[Any]]],
    pending: list[tuple[int, list[Any]]],
    positions: list[tuple[int, Column]],
    spreads: list[SpreadCells],
    spec: ImportSpec,
    result: ParseResult,
    estimate: int | None,
    progress: Callable[[int, int | None], None] | None,
    converter: Converter | None,
) -> set[int]:
    """Parse every data row into ``result.rows``; returns the numbers of rows with a bad cell.

    Bad rows stay in ``result.rows`` until their codes are resolved, so that a row with a
    bad date and an unknown code gets both errors. A bad row that is plainly not a record
    (``_not_a_record``) is left out with its reason instead of its errors.
    """
    header_row = result.header_row or 0
    estimate = estimate - header_row if estimate else None
    plan: list[tuple[int, str, str, Parser, bool, int | None, dict[Any, Any]]] = [
        (index, column.key, column.label, column.parser, column.must_fill, column.max_length, {}) for index, column in positions
    ]
    names = {h.index: h.name for h in result.headers}
    text_columns = [
        (index, names.get(index, column.label)) for index, column in positions if isinstance(column.parser, Text | Choice)
    ]
    rows = result.rows
    add = result.add
    bad_rows: set[int] = set()
    cached_types = (str, dt.datetime)  # never equal to one another, unlike 1, 1.0 and True
    footer = False
    skipped = 0
    legacy_errors: dict[int, list[tuple[str, str]]] = {}
    labels = {index: label for index, _key, label, *_rest in plan}
    converted_notes: set[tuple[int, str]] = set()

    def handle(number: int, values: list[Any]) -> None:
        nonlocal footer, skipped
        width = len(values)
        row: dict[str, Any] = {ROW_KEY: number}
        problems: list[RowError] | None = None
        failed: set[str] | None = None
        for index, key, label, parser, must_fill, max_length, seen in plan:
            raw = values[index] if index < width else None
            cls = raw.__class__
            if cls in cached_types and raw in seen:
                row[key] = seen[raw]
                continue
            if raw is None or (cls is str and not raw.strip()):
                if must_fill:
                    problems = problems or []
                    problems.append(RowError(number, label, gettext("không được để trống")))
                continue  # an empty cell has no key: a dict of up to 21 keys is half the size
            try:
                value = parser(raw)
            except CellError as exc:
                problems = problems or []
                problems.append(RowError(number, label, str(exc)))
                failed = failed or set()
                failed.add(key)
                continue
            if max_length is not None and isinstance(value, str) and len(value) > max_length:
                problems = problems or []
                problems.append(
                    RowError(
                        number,
                        label,
                        gettext("dài %(length)s ký tự, tối đa %(max)s ký tự") % {"length": len(value), "max": max_length},
                    )
                )
                failed = failed or set()
                failed.add(key)
                continue
            if cls in cached_types and len(seen) < VALUE_CACHE_SIZE:
                seen[raw] = value
            row[key] = value
        for group in spreads:
            trouble = _spread_cell(group, number, values, row)
            if trouble is not None:
                problems = problems or []
                problems.append(trouble)
                if group.column.key not in row:
                    failed = failed or set()
                    failed.add(group.column.key)
        if problems is not None:
            verdict = _not_a_record(values, footer)
            if verdict is not None and number not in legacy_errors:
                reason, ends_table = verdict
                footer = footer or ends_table
                result.skip(number, reason)
                skipped += 1
                return
            for problem in problems:
                add(problem)
            bad_rows.add(number)
            if failed:
                row[FAILED_KEY] = failed
        if number in legacy_errors:
            for label, message in legacy_errors.pop(number):
                add(RowError(number, label, message))
            bad_rows.add(number)
        rows.append(row)

    plain: dict[int, set[str]] = {index: set() for index, _name in text_columns}
    required = [index for index, column in positions if column.must_fill]

    def convert(chunk: Lines) -> None:
        """Text typed in TCVN3 or VNI, column by column, into Unicode before the cells are parsed.

        A value a column already showed to be plain Unicode is not read again (names and
        places repeat: most of a large file's text is then passed over).
        """
        assert converter is not None
        # A row missing a required cell (a total, a signature, a blank row) neither votes on
        # the column's encoding nor gets converted: it is left out, or its errors stand.
        voters = [(n, values) for n, values in chunk if all(i < len(values) and _present(values[i]) for i in required)]
        for index, name in text_columns:
            known = plain[index]
            cells = {values[index] for _, values in voters if index < len(values)}
            texts = [v for v in cells - known if v.__class__ is str and not v.isascii()]
            if not texts:
                continue
            conversion = converter(texts)
            if conversion.encoding is None and not conversion.problems and len(known) < PLAIN_CACHE_SIZE:
                known.update(texts)
            if conversion.problems:
                trouble = {texts[i]: message for i, message in conversion.problems}
                for number, values in voters:
                    if index < len(values) and values[index] in trouble:
                        legacy_errors.setdefault(number, []).append((labels[index], trouble[values[index]]))
            if not conversion.encoding:
                continue
            table = {old: new for old, new in zip(texts, conversion.values, strict=True) if old != new}
            if not table:
                continue
            if (index, conversion.encoding) not in converted_notes:
                converted_notes.add((index, conversion.encoding))
                result.notes.append(
                    gettext("Cột «%(column)s»: đã chuyển từ mã %(encoding)s sang Unicode")
                    % {"column": name, "encoding": conversion.encoding}
                )
            for _number, values in voters:
                if index < len(values) and values[index] in table:
                    values[index] = table[values[index]]

    previous = header_row

    def run(chunk: Lines) -> None:
        nonlocal previous
        if converter is not None and text_columns:
            convert(chunk)
        for number, values in chunk:
            if number > previous + 1:  # the reader passes over empty rows: they are listed all the same
                _blank_rows(result, previous + 1, number - 1)
            previous = number
            handle(number, values)

    count = 0
    chunk: Lines = []
    for number, values in pending:
        count += 1
        chunk.append((number, values))
    for number, values in reader:
        count += 1
        chunk.append((number, values))
        if len(chunk) >= CONVERT_EVERY:
            run(chunk)
            chunk = []
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, estimate)
    run(chunk)
    result.total = count - skipped
    return bad_rows


def _spread_cell(group: SpreadCells, number: int, values: list[Any], row: dict[str, Any]) -> RowError | None:
    """A ``Spread``'s field from the one sub-column a row fills, and the field that column
    tells (into ``row``); the problem, when the row fills none of them or several, or the
    cell does not parse, or the row's own column for ``by`` says otherwise."""
    column, by = group.column, group.by
    width = len(values)
    filled = [(index, name, value) for index, name, value in group.cells if index < width and _present(values[index])]
    if len(filled) > 1:
        message = gettext("có giá trị ở %(count)s cột %(columns)s; chỉ ghi ở một cột, cột được ghi cho biết «%(by)s»")
        return RowError(
            number,
            column.label,
            message % {"count": len(filled), "columns": ", ".join(f"«{name}»" for _i, name, _v in filled), "by": by.label},
        )
    if not filled:
        if not column.must_fill:
            return None
        message = gettext("không được để trống: ghi ở một trong các cột %(columns)s, cột được ghi cho biết «%(by)s»")
        return RowError(number, column.label, message % {"columns": group.shown, "by": by.label})
    index, name, value = filled[0]
    try:
        row[column.key] = column.parser(values[index])
    except CellError as exc:
        return RowError(number, name, str(exc))
    if by.key in row and row[by.key] != value:
        message = gettext("khác với cột «%(column)s», nơi ghi «%(field)s»")
        return RowError(number, by.label, message % {"column": name, "field": column.label})
    row[by.key] = value
    return None


BLANK_ROWS_LISTED = 10  # a longer run of empty rows inside the table is listed as one


def _blank_rows(result: ParseResult, first: int, last: int) -> None:
    if last - first < BLANK_ROWS_LISTED:
        for number in range(first, last + 1):
            result.skip(number, gettext("dòng trống"))
    else:
        result.skip(first, gettext("các dòng %(first)s–%(last)s trống") % {"first": first, "last": last})


def _resolve(spec: ImportSpec, context: Any, result: ParseResult, bad: set[int]) -> None:
    """One ``resolve`` call per column for all its distinct codes; unknown codes are errors.

    A code answered with ``Ask`` puts its question to the user, for every row holding it.
    """
    for column in spec.columns:
        if column.resolve is None or column.key not in result.columns:
            continue
        codes = {row[column.key] for row in result.rows if row.get(column.key) is not None}
        if not codes:
            continue
        found = column.resolve(codes, context)
        asked: dict[str, list[int]] = {}
        questions: dict[str, Question] = {}
        for row in result.rows:
            code = row.get(column.key)
            if code is None:
                continue
            target = found.get(code)
            if isinstance(target, Ask):
                questions[target.question.key] = target.question
                asked.setdefault(target.question.key, []).append(row[ROW_KEY])
                if target.value is None:
                    del row[column.key]  # waits for the answer: the result cannot be written meanwhile
                else:
                    row[column.key] = target.value
            elif target is None or isinstance(target, Unresolved):
                message = (
                    target.message
                    if target
                    else gettext("không tìm thấy «%(code)s» (hoặc nằm ngoài phạm vi bạn quản lý)") % {"code": code}
                )
                result.add(RowError(row[ROW_KEY], column.label, message))
                bad.add(row[ROW_KEY])
                row.setdefault(FAILED_KEY, set()).add(column.key)
                del row[column.key]
            else:
                row[column.key] = target
        for key, question in questions.items():
            result.ask(replace(question, rows=sorted(set(question.rows) | set(asked[key]))))


def _check(spec: ImportSpec, context: Any, result: ParseResult) -> None:
    if spec.check_row is not None:
        keep = []
        for row in result.rows:
            problems = list(spec.check_row(row, context))
            for key, message in problems:
                result.add(RowError(row[ROW_KEY], spec.label(key), message))
            if not problems:
                keep.append(row)
        result.rows = keep
    for check in spec.check_rows:
        for error in check(result.rows, context):
            result.add(error)
    if any(SKIP_KEY in row for row in result.rows):
        keep = []
        for row in result.rows:
            if row.get(SKIP_KEY):
                result.skip(row[ROW_KEY], str(row[SKIP_KEY]))
            else:
                keep.append(row)
        result.rows = keep
    result.skipped.sort()


def unique_within_file(key: str, label: str | None = None) -> RowsCheck:
    """A ``check_rows`` hook: the value of ``key`` must not repeat inside the file."""

    def check(rows: list[dict[str, Any]], context: Any) -> Iterable[RowError]:
        first: dict[Any, int] = {}
        seen: dict[Any, list[int]] = defaultdict(list)
        for row in rows:
            value = row.get(key)
            if value is None or value == "":
                continue
            if value in first:
                seen[value].append(row[ROW_KEY])
            else:
                first[value] = row[ROW_KEY]
        column_label = label or key
        for value, numbers in seen.items():
            for number in numbers:
                yield RowError(
                    number,
                    column_label,
                    gettext("«%(value)s» trùng với dòng %(row)s trong tệp") % {"value": value, "row": first[value]},
                )

    return check


def apply_all_or_nothing(result: ParseResult, writer: Callable[[list[dict[str, Any]]], Any], *, using: str | None = None) -> Any:
    """Write every row in one transaction through ``writer(rows)``, or refuse if the parse had errors.

    Raises ``ImportRefused`` (nothing written) when ``result`` has errors; any exception in
    ``writer`` rolls back everything it wrote.
    """
    if not result.ok:
        raise ImportRefused(result)
    with transaction.atomic(using=using):
        return writer(result.rows)


def template_xlsx(
    spec: ImportSpec, *, title: str, notes: Sequence[str | Promise] = (), example: Sequence[Any] | None = None
) -> bytes:
    """A blank import template: the header row (and an example row), plus a "Hướng dẫn" sheet."""
    guide: list[list[Any]] = [[gettext("Hướng dẫn nhập"), title], []]
    guide += [["", str(note)] for note in notes]
    guide += [
        [
            "",
            gettext(
                "Tên cột không phân biệt chữ hoa, chữ thường, có dấu hay không dấu; có thể thêm cột khác, chúng sẽ bị bỏ qua."
            ),
        ],
        ["", gettext("Ngày ghi theo dạng dd/mm/yyyy (ví dụ 05/03/1980) hoặc để ô ở định dạng ngày của Excel.")],
        ["", gettext("Nếu có một dòng lỗi, không dòng nào được nhập: sửa các lỗi được báo rồi tải tệp lên lại.")],
        [],
        [gettext("Cột"), gettext("Cách ghi")],
    ]
    for column in spec.columns:
        # The header as the file spells it (an import matches it), not translated.
        mark = gettext(" (bắt buộc)") if column.required else ""
        guide.append([column.label + mark, column.description])
    rows = [list(example)] if example else []
    return write_xlsx(spec.columns, rows, sheet_name=gettext("Danh sách"), extra_sheets=[(gettext("Hướng dẫn"), guide)])
