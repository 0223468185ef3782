"""Word (.docx) and PDF documents in Vietnamese.

Word: templates are filled with docxtpl (Jinja tags inside a .docx). A template can be an
editable .docx on disk, or be built in code with the helpers below (``new_document``,
``add_heading``, ``add_fields``, ``add_loop_table``…) so that no hand-made binary needs to
live in the repository and a change to a form shows up in a diff.

PDF: WeasyPrint, with one complete TrueType serif found on the system at run time. Web
fonts split by unicode-range garble Vietnamese (a letter and its tone mark come from
different files), and Debian's old ``fonts-liberation`` (1.07) lacks most Vietnamese
letters, so each candidate is checked for them before it is used.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate

DOC_FONT = "Times New Roman"
DOC_FONT_SIZE = 13  # Hướng dẫn 36-HD/VPTW (2018) on party documents: Times New Roman, 13–14 pt
PDF_FONT_FAMILY = "DangboSerif"  # the name render_pdf gives the font it found

# Letters a font must have to print Vietnamese (each vowel with every tone, and đ).
VIETNAMESE_LETTERS = (
    "ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    "ÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬÈẺẼÉẸỀỂỄẾỆÌỈĨÍỊÒỎÕÓỌỒỔỖỐỘỜỞỠỚỢÙỦŨÚỤỪỬỮỨỰỲỶỸÝỴ"
)


# --- Word ---------------------------------------------------------------------------------

Template = str | os.PathLike[str] | bytes | IO[bytes] | DocxDocument


def render_docx(template: Template, context: Mapping[str, Any]) -> bytes:
    """Fill a docxtpl template (a path, bytes, a stream or a python-docx Document) with ``context``.

    Values are XML-escaped, so "<" or "&" in a name cannot break the document.
    """
    if isinstance(template, DocxDocument):
        template = document_bytes(template)
    if isinstance(template, bytes | bytearray):
        template = io.BytesIO(template)
    doc = DocxTemplate(template)
    doc.render(dict(context), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def document_bytes(doc: DocxDocument) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_font(style_or_run: Any, *, size: float | None = None, bold: bool | None = None) -> None:
    font = style_or_run.font
    font.name = DOC_FONT
    # python-docx sets only the ascii/hAnsi slots; Word picks the east-Asian and complex
    # script slots for some characters, so all four name the same font.
    r_pr = style_or_run.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), DOC_FONT)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)


def new_document(*, font_size: float = DOC_FONT_SIZE, landscape: bool = False) -> DocxDocument:
    """An empty A4 document in Times New Roman with black headings.

    Margins follow Hướng dẫn 36-HD/VPTW (2018) on the layout of party documents: top and
    bottom 20–25 mm, left 30–35 mm, right 15–20 mm (we take 20, 20, 30, 15).
    """
    doc = Document()
    _set_font(doc.styles["Normal"], size=font_size)
    doc.styles["Normal"].paragraph_format.space_after = Pt(3)
    for level, size in ((1, font_size + 1), (2, font_size), (3, font_size)):
        style = doc.styles[f"Heading {level}"]
        _set_font(style, size=size, bold=True)
        style.font.italic = False
    _set_font(doc.styles["Title"], size=font_size + 3, bold=True)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    return doc


def add_heading(doc: DocxDocument, text: str, *, level: int = 1, center: bool = False) -> Paragraph:
    paragraph = doc.add_heading(text, level=level)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def add_paragraph(
    doc: DocxDocument,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    size: float | None = None,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size is not None:
        run.font.size = Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def add_fields(doc: DocxDocument, fields: Iterable[tuple[str, str]]) -> None:
    """Form lines "Label: value", the label in bold; a value may be a Jinja tag ("{{ m.name }}")."""
    for label, value in fields:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)


def add_table(
    doc: DocxDocument, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, widths_mm: Sequence[float] = ()
) -> Table:
    """A grid table with a bold header row."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else str(value)
    for index, width in enumerate(widths_mm):
        for row in table.rows:
            row.cells[index].width = Mm(width)
    return table


def add_loop_table(
    doc: DocxDocument, headers: Sequence[str], *, items: str, item: str, fields: Sequence[str], widths_mm: Sequence[float] = ()
) -> Table:
    """A table whose body repeats for each element of ``items`` when the template is rendered.

    It writes docxtpl's row loop: a row holding ``{%tr for item in items %}``, the row of
    ``{{ item.<field> }}`` cells, and a row holding ``{%tr endfor %}``; both tag rows vanish.
    """
    table = add_table(doc, headers, [], widths_mm=widths_mm)
    table.add_row().cells[0].text = f"{{%tr for {item} in {items} %}}"
    for cell, name in zip(table.add_row().cells, fields, strict=True):
        cell.text = f"{{{{ {item}.{name} }}}}"
    table.add_row().cells[0].text = "{%tr endfor %}"
    return table


# --- PDF ----------------------------------------------------------------------------------


class PdfFontMissing(RuntimeError):
    """No complete Vietnamese serif is installed; the message says which package to install."""


@dataclass(frozen=True)
class FontFiles:
    family: str
    regular: Path
    bold: Path | None = None
    italic: Path | None = None
    bold_italic: Path | None = None


# Where Debian (and Fedora) put the fonts, best first. Liberation Serif 2.x has Times New
# Roman's metrics; the 1.07 files in .../liberation/ are refused by the letter check.
FONT_CANDIDATES: tuple[tuple[str, tuple[str, ...], tuple[str, str, str, str]], ...] = (
    (
        "Liberation Serif",
        ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/liberation-serif", "/usr/share/fonts/truetype/liberation"),
        (
            "LiberationSerif-Regular.ttf",
            "LiberationSerif-Bold.ttf",
            "LiberationSerif-Italic.ttf",
            "LiberationSerif-BoldItalic.ttf",
        ),
    ),
    (
        "DejaVu Serif",
        ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu-serif-fonts", "/usr/share/fonts/dejavu"),
        ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"),
    ),
)


def covers_vietnamese(path: Path) -> bool:
    """Whether the font file has a glyph for every Vietnamese letter."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except (TTLibError, OSError):
        return False
    return all(ord(ch) in cmap for ch in VIETNAMESE_LETTERS)


@functools.cache
def find_pdf_font() -> FontFiles:
    """The first candidate serif installed whose regular face covers Vietnamese."""
    for family, folders, names in FONT_CANDIDATES:
        for folder in folders:
            faces = [Path(folder) / name for name in names]
            if faces[0].is_file() and covers_vietnamese(faces[0]):
                bold, italic, bold_italic = (p if p.is_file() else None for p in faces[1:])
                return FontFiles(family, faces[0], bold, italic, bold_italic)
    raise PdfFontMissing(
        "Không tìm thấy phông chữ có đủ chữ tiếng Việt để in PDF: "
        "hãy cài gói fonts-liberation2 (Liberation Serif) hoặc fonts-dejavu-core (DejaVu Serif)."
    )


def font_css(font: FontFiles, *, size_pt: float = DOC_FONT_SIZE) -> str:
    """@font-face rules for the found faces under ``PDF_FONT_FAMILY``, and an A4 page."""
    rules = []
    for path, weight, style in (
        (font.regular, "normal", "normal"),
        (font.bold, "bold", "normal"),
        (font.italic, "normal", "italic"),
        (font.bold_italic, "bold", "italic"),
    ):
        if path is not None:
            rules.append(
                f"@font-face {{ font-family: '{PDF_FONT_FAMILY}'; src: url('{path.as_uri()}'); "
                f"font-weight: {weight}; font-style: {style}; }}"
            )
    rules.append("@page { size: A4; margin: 20mm 15mm 20mm 30mm; }")
    rules.append(f"html {{ font-family: '{PDF_FONT_FAMILY}', serif; font-size: {size_pt}pt; }}")
    return "\n".join(rules)


def render_pdf(html: str, base_url: str | None = None, *, stylesheets: Sequence[str] = ()) -> bytes:
    """A PDF of ``html`` set in the found serif (see ``find_pdf_font``), A4, 13 pt.

    ``stylesheets`` are extra CSS texts applied after ours; to keep Vietnamese whole, do not
    name another font family, or name ``PDF_FONT_FAMILY``. Raises ``PdfFontMissing``.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    sheets = [CSS(string=font_css(find_pdf_font()), font_config=font_config)]
    sheets += [CSS(string=text, font_config=font_config) for text in stylesheets]
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=sheets, font_config=font_config)
