"""One definition of the member list's columns (``members.columns``) for the page, the
export, the import template and the import."""

from __future__ import annotations

import csv
import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from lib.importer import header_key
from members.columns import EXPORT_COLUMNS, PAGE_COLUMNS, REGISTRY
from members.importing import MEMBER_SPEC
from members.models import Member
from members.tests._people import add_people

LIST = reverse("members:member_list")


def _page(client, user, query: dict | None = None) -> tuple[list[str], list[list[str]]]:
    """The list page's column headers and its rows' cells (without the bulk-transfer checkbox)."""
    client.force_login(user)
    html = client.get(LIST, query or {}).content.decode()
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    labels = [re.sub(r"<[^>]+>|[↑↓]", "", c).strip() for c in re.findall(r'<th scope="col">(.*?)</th>', head)]
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        rows.append(cells[-len(labels) :])
    return labels, rows


def _export_header(client, user) -> list[str]:
    client.force_login(user)
    book = load_workbook(io.BytesIO(client.get(reverse("members:member_export_xlsx")).content), read_only=True)
    return [str(v) for v in list(book.worksheets[0].iter_rows(values_only=True))[2]]


def _template_header(client, user) -> list[str]:
    client.force_login(user)
    book = load_workbook(io.BytesIO(client.get(reverse("members:member_import_template")).content), read_only=True)
    return [str(v) for v in next(book["Danh sách"].iter_rows(values_only=True))]


def test_the_export_the_template_the_import_and_the_page_read_one_set_of_columns(client, cast):
    add_people(cast.tree)
    exported = _export_header(client, cast.upper)
    assert exported == _template_header(client, cast.base) == [c.label for c in EXPORT_COLUMNS]
    # The import knows every exported header as the column it was written from.
    assert [MEMBER_SPEC.lookup[header_key(h)].key for h in exported] == [c.key for c in EXPORT_COLUMNS]
    # The page (for a register keeper: every page column) shows its columns under the file's
    # headers, in the file's order; its full name is the one column the file splits in three,
    # and the import reads it too.
    labels, _rows = _page(client, cast.upper)
    assert labels == [c.label for c in PAGE_COLUMNS]
    assert [h for h in exported if h in labels] == [label for label in labels if label != "Họ và tên"]
    assert MEMBER_SPEC.lookup[header_key("Họ và tên")].key == "full_name"
    assert {c.key for c in REGISTRY} == {c.key for c in MEMBER_SPEC.columns}


def test_the_page_and_the_csv_export_show_a_member_alike_under_each_header(client, cast):
    people = add_people(cast.tree)
    Member.objects.filter(pk=people.hoa.pk).update(phone="0912345678", national_id="024185000111")
    labels, rows = _page(client, cast.upper, {"q": "le thi hoa"})
    page = dict(zip(labels, rows[0], strict=True))
    response = client.get(reverse("members:member_export_csv") + "?q=le+thi+hoa")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    exported = dict(zip(lines[0], lines[1], strict=True))
    shared = [label for label in labels if label in exported]
    assert len(shared) == len(labels) - 1  # all but the full name, which the file splits
    assert {label: page[label] for label in shared} == {label: exported[label] for label in shared}
    assert page["Số CCCD"] == "024185000111" and page["Giới tính"] == "Nữ" and page["Trạng thái"] == "Dự bị"
    assert page["Họ và tên"] == " ".join(filter(None, (exported["Họ"], exported["Tên đệm"], exported["Tên"])))
