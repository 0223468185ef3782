"""Word and PDF documents keep Vietnamese intact."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from lib import documents
from lib.documents import (
    DOC_FONT,
    PdfFontMissing,
    add_fields,
    add_heading,
    add_loop_table,
    add_table,
    document_bytes,
    find_pdf_font,
    new_document,
    render_docx,
    render_pdf,
)

CONTEXT = {
    "m": {
        "name": "Nguyễn Văn Đức",
        "status": "Đảng viên chính thức",
        "note": "A < B & C",
        "badges": [{"year": 2020, "name": "Huy hiệu 30 năm tuổi Đảng"}, {"year": 2025, "name": "Huy hiệu 35 năm"}],
    }
}


def profile_template() -> bytes:
    doc = new_document()
    add_heading(doc, "PHIẾU ĐẢNG VIÊN", center=True)
    add_fields(doc, [("Họ và tên", "{{ m.name }}"), ("Tình trạng", "{{ m.status }}"), ("Ghi chú", "{{ m.note }}")])
    add_loop_table(doc, ["Năm", "Huy hiệu"], items="m.badges", item="b", fields=["year", "name"])
    return document_bytes(doc)


def test_a_template_built_in_code_renders_vietnamese_intact():
    data = render_docx(profile_template(), CONTEXT)

    doc = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "PHIẾU ĐẢNG VIÊN" in text
    assert "Họ và tên: Nguyễn Văn Đức" in text
    assert "Tình trạng: Đảng viên chính thức" in text
    assert "Ghi chú: A < B & C" in text  # escaped in the XML, whole in the document


def test_the_loop_table_repeats_a_row_per_item_and_drops_the_tag_rows():
    doc = docx.Document(io.BytesIO(render_docx(profile_template(), CONTEXT)))

    rows = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    assert rows == [["Năm", "Huy hiệu"], ["2020", "Huy hiệu 30 năm tuổi Đảng"], ["2025", "Huy hiệu 35 năm"]]


def test_a_template_on_disk_renders_too(tmp_path: Path):
    path = tmp_path / "mau.docx"
    path.write_bytes(profile_template())

    doc = docx.Document(io.BytesIO(render_docx(path, CONTEXT)))

    assert any("Nguyễn Văn Đức" in p.text for p in doc.paragraphs)


def test_new_documents_are_a4_in_times_new_roman_13():
    doc = new_document()
    add_table(doc, ["Họ và tên", "Ngày sinh"], [["Nguyễn Văn Đức", "05/03/1980"]])

    reopened = docx.Document(io.BytesIO(document_bytes(doc)))
    normal = reopened.styles["Normal"]
    assert normal.font.name == DOC_FONT
    assert normal.font.size.pt == 13
    assert reopened.styles["Heading 1"].font.name == DOC_FONT
    assert round(reopened.sections[0].page_width.mm) == 210
    assert round(reopened.sections[0].left_margin.mm) == 30
    assert reopened.tables[0].rows[1].cells[0].text == "Nguyễn Văn Đức"


def test_the_pdf_font_found_covers_every_vietnamese_letter():
    font = find_pdf_font()

    assert font.regular.is_file()
    assert documents.covers_vietnamese(font.regular)


def test_an_old_liberation_without_vietnamese_letters_is_refused(tmp_path: Path):
    # A font file that is not a font at all cannot cover anything.
    fake = tmp_path / "LiberationSerif-Regular.ttf"
    fake.write_bytes(b"not a font")

    assert not documents.covers_vietnamese(fake)


def test_it_says_which_package_to_install_when_no_font_fits(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(documents, "FONT_CANDIDATES", (("Nothing", (str(tmp_path),), ("a.ttf", "b.ttf", "c.ttf", "d.ttf")),))
    find_pdf_font.cache_clear()
    try:
        with pytest.raises(PdfFontMissing, match="fonts-liberation2"):
            find_pdf_font()
    finally:
        find_pdf_font.cache_clear()


def test_render_pdf_makes_a_whole_pdf():
    pdf = render_pdf("<h1>Phiếu đảng viên</h1><p>Nguyễn Văn Đức</p>")

    assert pdf.startswith(b"%PDF")
    assert b"%%EOF" in pdf[-64:]


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs pdffonts (Debian poppler-utils)")
def test_the_pdf_embeds_the_found_font_and_no_other(tmp_path: Path):
    path = tmp_path / "phieu.pdf"
    path.write_bytes(render_pdf("<p>Nguyễn Văn Đức <b>Đảng viên</b></p>"))

    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    fonts = [line.split()[0] for line in listing.splitlines()[2:]]

    assert fonts
    assert all(name.endswith((documents.PDF_FONT_FAMILY, documents.PDF_FONT_FAMILY + "-Bold")) for name in fonts)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (Debian poppler-utils)")
def test_the_pdf_text_keeps_vietnamese_intact(tmp_path: Path):
    path = tmp_path / "phieu.pdf"
    path.write_bytes(render_pdf("<h1>Phiếu đảng viên</h1><p>Nguyễn Văn Đức — <b>Đảng viên</b> <i>ỹ ự ẫ</i></p>"))

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout

    assert "Phiếu đảng viên" in text
    assert "Nguyễn Văn Đức" in text
    assert "Đảng viên" in text
    assert "ỹ ự ẫ" in text
