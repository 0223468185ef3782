"""The printed 2-HSĐV (PDF) never leaves a heading or a table header alone at the foot of a page."""

import subprocess
import tempfile
from pathlib import Path

from members.models import Member
from members.pages_support import profile_pdf
from members.testing import add_member

# What must be followed, on its own page, by what it introduces.
LONELY = ("Quá trình sinh hoạt đảng", "Ngày Nội dung", "Huy hiệu Đảng", "Huy hiệu (năm tuổi Đảng)")


def pages(pdf: bytes) -> list[list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[" ".join(line.split()) for line in page.splitlines() if line.strip()] for page in text.split("\f") if page.strip()]


LONG_FIELDS = ("residence", "hometown", "host_unit", "post", "job", "other_names")


def test_no_page_ends_with_a_heading_or_a_table_header(tree):
    member = add_member(tree.office_cell)
    ends = []
    # Longer and longer lines push the headings down page 1 until one falls at its foot. The
    # text is spread over several fields, each within its column's length (PostgreSQL holds
    # a column to it; SQLite does not).
    fields = [(f.name, f.max_length) for f in Member._meta.get_fields() if f.name in LONG_FIELDS]
    longest = 0
    for words in range(0, 130, 6):
        text = " ".join(["Thôn Nội Hoàng"] * words)
        values, start = {}, 0
        for name, length in fields:
            values[name] = text[start : start + length]
            start += length
        Member.objects.filter(pk=member.pk).update(**values)
        printed = pages(profile_pdf(Member.objects.get(pk=member.pk)))
        longest = max(longest, len(printed))
        ends += [(words, page[-1]) for page in printed[:-1]]
    assert longest >= 2  # the test did push the profile onto a second page
    lonely = [(words, last) for words, last in ends if last.startswith(LONELY)]
    assert lonely == []
