"""Reading and writing spreadsheets (.xlsx, .xls and .csv) for imports and exports.

``read_rows`` turns an uploaded file into ``(row number, values)`` pairs, numbered as
Excel shows them, and refuses anything that is not a spreadsheet with a Vietnamese
message. Old Excel 97-2003 files (.xls), which many offices still keep, are read like
.xlsx: same values, same numbering. ``write_xlsx``/``write_csv`` stream rows out, so a list of 150,000 members never
sits in memory as a workbook.

.xlsx and .xls files are read with python-calamine (Rust), not openpyxl: for the 150,000 × 27 sheet
of a member import openpyxl's ``iter_rows`` needed over a minute on this kind of machine,
and even walking the sheet's XML with lxml half a minute. For the same reason
``write_xlsx`` writes the SpreadsheetML itself instead of using openpyxl's write-only mode
(minutes for that sheet).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import os
import pickle
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from django.utils.translation import gettext
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

from lib.legacy_text import detect as detect_legacy
from lib.legacy_text import is_unicode_vietnamese

Source = bytes | str | os.PathLike[str] | IO[bytes]

XLSX_SUFFIXES = (".xlsx", ".xlsm")
XLS_SUFFIXES = (".xls",)
CSV_SUFFIXES = (".csv", ".txt")
ACCEPTED_SUFFIXES = XLSX_SUFFIXES + XLS_SUFFIXES + CSV_SUFFIXES  # every file ``read_rows`` reads

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003) and password-protected .xlsx
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream of a password-protected .xlsx
_CHUNK = 1 << 20


class TabularError(ValueError):
    """The file cannot be read as a spreadsheet; ``str(error)`` is a Vietnamese message."""


class RowReader(Iterator[tuple[int, list[Any]]]):
    """Iterator of ``(row number, values)``; ``estimated_rows`` sizes a progress bar (may be None)."""

    def __init__(self, rows: Iterator[tuple[int, list[Any]]], *, kind: str, estimated_rows: int | None) -> None:
        self._rows = rows
        self.kind = kind
        self.estimated_rows = estimated_rows

    def __iter__(self) -> RowReader:
        return self

    def __next__(self) -> tuple[int, list[Any]]:
        return next(self._rows)


def read_rows(file: Source, filename: str, *, sheet: str | None = None) -> RowReader:
    """Rows of the first sheet of an .xlsx or .xls (or of ``sheet``), or of a .csv, skipping empty rows.

    Values come as Excel holds them: ``str``, ``int``, ``float``, ``bool``, ``datetime`` for
    date-formatted cells, ``None`` for empty cells; CSV values are ``str``. Raises
    ``TabularError`` at once for a file that is not a spreadsheet or holds no data.
    """
    suffix = Path(filename or "").suffix.lower()
    stream = _seekable(file)
    head = stream.read(8)
    stream.seek(0)
    if not head.strip():
        raise TabularError(gettext("Tệp rỗng: không có dữ liệu nào."))
    kind = "csv"
    if suffix in XLSX_SUFFIXES or suffix in XLS_SUFFIXES:
        if head.startswith(_OLE_MAGIC):
            kind = "xls"  # an .xls, or an .xls renamed .xlsx, or a password-protected .xlsx
            reader = _read_xls(stream, sheet, lambda: _ole_broken(stream, filename))
        elif head.startswith(_ZIP_MAGIC):
            kind = "xlsx"  # an .xlsx, or an .xlsx renamed .xls
            broken = gettext("Tệp «%(name)s» không phải là bảng tính Excel (.xlsx) hợp lệ hoặc đã bị hỏng.") % {"name": filename}
            reader = _read_workbook(stream, sheet, lambda: broken)
        elif suffix in XLS_SUFFIXES and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise TabularError(
                gettext(
                    "Tệp «%(name)s» có đuôi .xls nhưng là trang web (HTML/XML) chứ không phải bảng tính Excel: "
                    "hãy mở bằng Excel và lưu lại dưới dạng .xlsx."
                )
                % {"name": filename}
            )
        elif suffix in XLS_SUFFIXES:
            raise TabularError(
                gettext("Tệp «%(name)s» không phải là bảng tính Excel 97-2003 (.xls) hợp lệ.") % {"name": filename}
            )
        else:
            raise TabularError(gettext("Tệp «%(name)s» không phải là bảng tính Excel (.xlsx) hợp lệ.") % {"name": filename})
    elif suffix in CSV_SUFFIXES:
        if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
            raise TabularError(
                gettext("Tệp «%(name)s» là tệp Excel chứ không phải CSV: hãy đổi đuôi tệp thành %(suffix)s.")
                % {"name": filename, "suffix": ".xlsx" if head.startswith(_ZIP_MAGIC) else ".xls"}
            )
        reader = _read_csv(stream, filename)
    else:
        raise TabularError(
            gettext("Chỉ nhận tệp Excel (.xlsx, .xls) hoặc CSV (.csv); tệp «%(name)s» không phải bảng tính.") % {"name": filename}
        )
    first = next(reader, None)
    if first is None:
        raise TabularError(gettext("Tệp không có dòng nào có dữ liệu."))
    return RowReader(_chain(first, reader), kind=kind, estimated_rows=reader.estimated_rows)


def _ole_broken(stream: IO[bytes], filename: str) -> str:
    """The message for an Excel 97-2003 container calamine cannot read."""
    data = stream.read()
    stream.seek(0)
    if _ENCRYPTED in data:
        return gettext(
            "Tệp «%(name)s» có đặt mật khẩu nên chưa đọc được: hãy mở bằng Excel, bỏ mật khẩu và lưu lại dưới dạng .xlsx."
        ) % {"name": filename}
    return gettext(
        "Tệp «%(name)s» không phải là bảng tính Excel 97-2003 (.xls) hợp lệ, đã bị hỏng hoặc có đặt mật khẩu: "
        "hãy mở bằng Excel, bỏ mật khẩu nếu có và lưu lại dưới dạng .xlsx."
    ) % {"name": filename}


def _chain(first: tuple[int, list[Any]], rest: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    yield first
    yield from rest


def _seekable(file: Source) -> IO[bytes]:
    if isinstance(file, bytes | bytearray):
        return io.BytesIO(file)
    if isinstance(file, str | os.PathLike):
        return open(file, "rb")
    if hasattr(file, "seekable") and file.seekable():
        file.seek(0)
        return file
    return io.BytesIO(file.read())


def _is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


class _Rows(Iterator[tuple[int, list[Any]]]):
    def __init__(self, rows: Iterator[tuple[int, list[Any]]], estimated_rows: int | None) -> None:
        self._rows = rows
        self.estimated_rows = estimated_rows

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> tuple[int, list[Any]]:
        return next(self._rows)


# --- .xlsx and .xls -----------------------------------------------------------------------


def _read_workbook(stream: IO[bytes], sheet: str | None, broken: Callable[[], str]) -> _Rows:
    """A workbook's sheet, .xlsx or .xls alike (calamine tells them apart by their content).

    ``broken()`` gives the message for a workbook calamine cannot read.
    """
    try:
        workbook = CalamineWorkbook.from_filelike(stream)
    except BaseException as exc:
        if not _unreadable(exc):
            raise
        raise TabularError(broken()) from exc
    try:
        names = [meta.name for meta in workbook.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
        if not names:
            raise TabularError(gettext("Tệp Excel không có trang tính nào."))
        if sheet is not None and sheet not in names:
            raise TabularError(gettext("Tệp không có trang tính «%(sheet)s».") % {"sheet": sheet})
        try:
            ws = workbook.get_sheet_by_name(sheet if sheet is not None else names[0])
        except BaseException as exc:  # the sheet's XML or records are broken
            if not _unreadable(exc):
                raise
            raise TabularError(broken()) from exc
    finally:
        workbook.close()  # the sheet is already decoded into memory
    if ws.start is None or ws.end is None:
        return _Rows(iter(()), None)
    return _Rows(_xlsx_rows(ws.iter_rows(), ws.start[1]), ws.end[0] + 1)


# A damaged .xls can make calamine ask for an absurd amount of memory (a size field read from
# a broken record): Rust then aborts the whole process, which no ``except`` catches. So an
# Excel 97-2003 container is decoded in a child interpreter with a bounded address space; a
# child that dies, or fails, means a broken file. The child imports calamine only (about a
# tenth of a second), and sends the sheet's rows back pickled: plain values only.
XLS_MEMORY_LIMIT = 2 * 1024**3
XLS_TIMEOUT = 120  # seconds; the largest .xls (65,536 rows) decodes in a few
_XLS_CHILD = """
import io, pickle, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]),) * 2)
from python_calamine import CalamineWorkbook, SheetTypeEnum
workbook = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
names = [meta.name for meta in workbook.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
wanted = sys.argv[2] if len(sys.argv) > 2 else (names[0] if names else None)
sheet = {"names": names}
if wanted in names:
    ws = workbook.get_sheet_by_name(wanted)
    sheet.update(start=ws.start, end=ws.end, rows=list(ws.iter_rows()))
sys.stdout.buffer.write(pickle.dumps(sheet, protocol=pickle.HIGHEST_PROTOCOL))
"""


def _read_xls(stream: IO[bytes], sheet: str | None, broken: Callable[[], str]) -> _Rows:
    """An Excel 97-2003 workbook's sheet, decoded by calamine in a child process (see above)."""
    command = [sys.executable, "-I", "-c", _XLS_CHILD, str(XLS_MEMORY_LIMIT), *([sheet] if sheet is not None else [])]
    try:
        child = subprocess.run(command, input=stream.read(), capture_output=True, timeout=XLS_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise TabularError(broken()) from exc
    finally:
        stream.seek(0)
    if child.returncode != 0:
        raise TabularError(broken())
    # The child is our own code: it pickles str, int, float, bool, date and datetime values.
    found = pickle.loads(child.stdout)  # noqa: S301
    if not found["names"]:
        raise TabularError(gettext("Tệp Excel không có trang tính nào."))
    if "rows" not in found:
        raise TabularError(gettext("Tệp không có trang tính «%(sheet)s».") % {"sheet": sheet})
    if found["start"] is None or found["end"] is None:
        return _Rows(iter(()), None)
    return _Rows(_xlsx_rows(iter(found["rows"]), found["start"][1]), found["end"][0] + 1)


def _unreadable(exc: BaseException) -> bool:
    """Whether calamine failed on the file's content.

    Besides its own errors, calamine's Rust code may panic on a damaged .xls (an index out
    of range in a broken record): pyo3 raises that as ``PanicException``, a BaseException
    that no module exports, so it is known by its name.
    """
    return isinstance(exc, CalamineError | OSError | ValueError) or type(exc).__name__ == "PanicException"


_INT_LIMIT = 2**53  # beyond it a float is not an exact integer any more


def _xlsx_rows(rows: Iterator[list[Any]], first_column: int) -> Iterator[tuple[int, list[Any]]]:
    """The sheet's rows as Excel numbers them, values as the former openpyxl reading gave them.

    calamine's ``iter_rows`` starts at the sheet's first row (leading empty rows included)
    but at its first used column, so the columns before it are put back as ``None``. It
    gives every number as a float, a date cell as ``date`` and an empty cell as "": whole
    numbers become ``int`` again, dates ``datetime`` and empty cells ``None``.
    """
    date, datetime = dt.date, dt.datetime
    pad = [None] * first_column
    for number, row in enumerate(rows, start=1):
        values: list[Any] = pad + row if first_column else row
        for i, value in enumerate(values):
            cls = value.__class__
            if cls is str:
                if not value:
                    values[i] = None
            elif cls is float:
                if value.is_integer() and -_INT_LIMIT < value < _INT_LIMIT:
                    values[i] = int(value)
            elif cls is date:
                values[i] = datetime(value.year, value.month, value.day)
        while values and values[-1] is None:
            values.pop()
        if values and not _is_blank(values):
            yield number, values


# --- .csv ---------------------------------------------------------------------------------


_LEGACY_SAMPLE = 1 << 18
_SAMPLE_WORDS = re.compile(r"[^\s,;\"]+")


def _legacy_font_bytes(sample: bytes) -> bool:
    """Whether 8-bit CSV text was typed in a legacy Vietnamese font (TCVN3, VNI), not in cp1258.

    A sheet typed in the ".VnTime" or "VNI-Times" fonts and saved as CSV on a Western Windows
    holds the fonts' bytes. Read as cp1258 and normalized, some of them would turn into other
    letters or combine with their neighbours, and the text could no longer be converted; read
    as Latin-1 they are what the same .xlsx holds, and the import converts them column by
    column (``lib.legacy_text``). The words of the sample decide: those a legacy table reads as
    Vietnamese against those that are Vietnamese in cp1258.
    """
    words = {w for w in _SAMPLE_WORDS.findall(sample.decode("latin-1")) if not w.isascii()}
    legacy = sum(1 for word in words if detect_legacy(word) is not None)
    if not legacy:
        return False
    as_cp1258 = {w for w in _SAMPLE_WORDS.findall(sample.decode("cp1258", errors="replace")) if not w.isascii()}
    return legacy > sum(1 for word in as_cp1258 if is_unicode_vietnamese(word))


def _read_csv(stream: IO[bytes], filename: str) -> _Rows:
    """CSV in UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258 (Vietnamese ANSI).

    Excel's "CSV UTF-8" writes a BOM; plain "CSV" on a Vietnamese Windows writes cp1258. The
    whole file is checked as UTF-8 first (chunk by chunk, no copy), then read as a stream. An
    8-bit file whose text was typed in a legacy font is read as Latin-1 instead (see
    ``_legacy_font_bytes``).
    """
    head = stream.read(4096)
    stream.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in head:
        raise TabularError(gettext("Tệp «%(name)s» không phải là tệp CSV (văn bản) hợp lệ.") % {"name": filename})
    else:
        encoding = "utf-8-sig"
    lines = 0
    if encoding == "utf-8-sig":
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := stream.read(_CHUNK):
                decoder.decode(chunk)
                lines += chunk.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "cp1258"
        stream.seek(0)
        if encoding == "cp1258" and _legacy_font_bytes(stream.read(_LEGACY_SAMPLE)):
            encoding = "latin-1"
        stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    first_line = text.readline()
    text.seek(0)
    delimiter = max(",;\t", key=first_line.count) if any(d in first_line for d in ",;\t") else ","
    reader = csv.reader(text, delimiter=delimiter)
    normalize = encoding == "cp1258"  # cp1258 spells tones as combining marks

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values in enumerate(reader, start=1):
                if values and not _is_blank(values):
                    if normalize:
                        values = [unicodedata.normalize("NFC", v) for v in values]
                    yield number, [csv_unguard(v) for v in values]
        except csv.Error as exc:
            raise TabularError(
                gettext("Tệp CSV «%(name)s» sai định dạng ở dòng %(line)s: %(error)s.")
                % {"name": filename, "line": reader.line_num, "error": exc}
            ) from exc
        finally:
            text.detach()

    return _Rows(rows(), lines or None)


# --- writing ------------------------------------------------------------------------------


class Labelled(Protocol):
    @property
    def label(self) -> str: ...


ColumnLike = str | Labelled


def _label(column: ColumnLike) -> str:
    return column if isinstance(column, str) else column.label


def _width(column: ColumnLike) -> float:
    width = getattr(column, "width", None)
    if width:
        return float(width)
    return float(min(max(len(_label(column)) + 4, 10), 40))


def _clean_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _naive(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None)


def write_xlsx(
    columns: Sequence[ColumnLike],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    sheet_name: str = "Danh sách",
    extra_sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (),
) -> bytes:
    """An .xlsx of ``rows`` under a bold, frozen header row (after an optional title row).

    ``columns`` are labels or objects with ``label`` (and optionally ``width``). Dates are
    real Excel dates shown dd/mm/yyyy; text is always text (never a formula). ``extra_sheets``
    adds plain sheets after the first, e.g. instructions for a template.

    Written as SpreadsheetML directly, row by row into the zip: openpyxl's write-only mode
    needs minutes for 150,000 × 20 cells on this kind of machine, this a small fraction.
    """
    out = io.BytesIO()
    sheets = [_sheet_title(sheet_name), *(_sheet_title(name) for name, _ in extra_sheets)]
    header_row = 3 if title else 1
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook_xml(sheets, header_row))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            widths = [_width(c) for c in columns]
            part.write(_sheet_head(widths, frozen=header_row))
            if title:
                part.write(f'<row r="1">{_cell("A1", title, _TITLE_STYLE)}</row>'.encode())
            part.write(_row_xml(header_row, [_label(c) for c in columns], _HEADER_STYLE).encode())
            number = header_row
            batch: list[str] = []
            for values in rows:
                number += 1
                batch.append(_row_xml(number, values))
                if len(batch) >= 500:
                    part.write("".join(batch).encode())
                    batch = []
            part.write("".join(batch).encode())
            part.write(_sheet_tail(landscape=True))
        for index, (_, sheet_rows) in enumerate(extra_sheets, start=2):
            body = "".join(_row_xml(n, values) for n, values in enumerate(sheet_rows, start=1) if values)
            xml = _sheet_head([28, 90], frozen=0) + body.encode() + _sheet_tail(landscape=False)
            archive.writestr(f"xl/worksheets/sheet{index}.xml", xml)
    return out.getvalue()


def _sheet_title(name: str) -> str:
    # Excel forbids []:*?/\ in sheet names and cuts them at 31 characters.
    return "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Sheet1"


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_HEADER_STYLE, _DATE_STYLE, _TITLE_STYLE, _DATETIME_STYLE = 1, 2, 3, 4
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_LETTERS = [get_column_letter(i) for i in range(1, 703)]

_ROOT_RELS = (
    f'{_XML_HEAD}<Relationships xmlns="{_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_STYLES = (
    f'{_XML_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts>'
    '<fonts count="3"><font><sz val="12"/><name val="Times New Roman"/></font>'
    '<font><b/><sz val="12"/><name val="Times New Roman"/></font>'
    '<font><b/><sz val="14"/><name val="Times New Roman"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _sheet_tail(*, landscape: bool) -> bytes:
    margins = '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    setup = '<pageSetup paperSize="9" orientation="landscape"/>' if landscape else ""  # 9 = A4
    return f"</sheetData>{margins}{setup}</worksheet>".encode()


def _content_types(sheets: int) -> str:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{kind}.worksheet+xml"/>' for i in range(1, sheets + 1)
    )
    return (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{kind}.styles+xml"/>{parts}</Types>'
    )


def _workbook_xml(sheets: list[str], header_row: int) -> str:
    entries = "".join(f'<sheet name="{_escape(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, start=1))
    quoted = _escape(sheets[0].replace("'", "''"))
    titles = f'<definedName name="_xlnm.Print_Titles" localSheetId="0">\'{quoted}\'!${header_row}:${header_row}</definedName>'
    return (
        f'{_XML_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{entries}</sheets><definedNames>{titles}</definedNames></workbook>"
    )


def _workbook_rels(sheets: int) -> str:
    links = "".join(
        f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_RELS}/styles" Target="styles.xml"/>'
    return f'{_XML_HEAD}<Relationships xmlns="{_PKG_RELS}">{links}{styles}</Relationships>'


def _sheet_head(widths: Sequence[float], *, frozen: int) -> bytes:
    pane = ""
    if frozen:
        pane = (
            f'<pane ySplit="{frozen}" topLeftCell="A{frozen + 1}" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft"/>'
        )
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>' for i, w in enumerate(widths, start=1))
    head = (
        f'{_XML_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}">'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{"<cols>" + cols + "</cols>" if cols else ""}<sheetData>'
    )
    return head.encode()


def _escape(text: str) -> str:
    if not text.isprintable():
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def _cell(ref: str, value: Any, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    cls = value.__class__
    if cls is str:
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_escape(value)}</t></is></c>'
    if cls is int or (cls is float and math.isfinite(value)):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if cls is bool:
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if cls is dt.date:
        return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{(value - _EXCEL_EPOCH.date()).days}</v></c>'
    if isinstance(value, dt.datetime):
        serial = (_naive(value) - _EXCEL_EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{_DATETIME_STYLE}"><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        return _cell(ref, dt.date(value.year, value.month, value.day), style)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _cell(ref, float(value) if isinstance(value, float) else int(value), style)
    return _cell(ref, str(value), style)


def _row_xml(number: int, values: Sequence[Any], style: int = 0) -> str:
    suffix = str(number)
    cells = "".join(_cell(_LETTERS[i] + suffix, v, style) for i, v in enumerate(values) if v is not None and v != "")
    return f'<row r="{number}">{cells}</row>'


# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection"):
# every text cell that does gets a leading single quote, "-5" and "+84…" included (a number
# written as a number is not text and stays as it is). A cell that already starts with
# quotes before such a character gets one more, so that the import, which takes exactly one
# quote off (``csv_unguard``), gives back what was written.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def csv_unguard(value: str) -> str:
    """Undo the export's formula guard: one leading quote off a guarded cell."""
    if value[:1] == "'" and _FORMULA_START.match(value, 1):
        return value[1:]
    return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return _naive(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        # Shown to the reader only: no import reads a yes/no column back.
        return gettext("Có") if value else gettext("Không")
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


class _Line:
    def __init__(self) -> None:
        self.value = ""

    def write(self, text: str) -> None:
        self.value = text


def iter_csv(columns: Sequence[ColumnLike], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """CSV lines as UTF-8 bytes, the first with a BOM so that Excel shows Vietnamese right.

    Suits ``StreamingHttpResponse`` for long lists; dates are written dd/mm/yyyy.
    """
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    writer.writerow([_label(c) for c in columns])
    yield codecs.BOM_UTF8 + line.value.encode("utf-8")
    batch: list[str] = []
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        batch.append(line.value)
        if len(batch) >= 1000:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def write_csv(columns: Sequence[ColumnLike], rows: Iterable[Sequence[Any]]) -> bytes:
    """The whole CSV as bytes (see ``iter_csv``)."""
    return b"".join(iter_csv(columns, rows))
