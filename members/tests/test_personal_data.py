"""CCCD and phone are shown, and searchable, only to the member and to those who keep the register."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from members.models import Member
from members.testing import add_member

CCCD = "024190001234"


@pytest.fixture
def member(cast):
    return add_member(cast.tree.office_cell, family_name="Nguyễn", middle_name="Văn", given_name="Đức", national_id=CCCD)


def search(client, user, text):
    client.force_login(user)
    response = client.get(reverse("members:member_list"), {"q": text})
    assert response.status_code == 200
    return [row["pk"] for row in response.context["page"].object_list]


def test_a_register_keeper_finds_a_member_by_the_whole_cccd(client, cast, member):
    assert search(client, cast.cell, CCCD) == [member.pk]


def test_a_viewer_cannot_find_a_member_by_cccd(client, cast, member):
    assert search(client, cast.viewer, CCCD) == []
    assert search(client, cast.viewer, "nguyen van duc") == [member.pk]


def test_part_of_a_cccd_finds_nobody_even_for_a_keeper(client, cast, member):
    assert search(client, cast.cell, CCCD[:6]) == []


def test_the_member_page_hides_the_cccd_from_a_viewer(client, cast, member):
    client.force_login(cast.viewer)
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert CCCD not in page
    client.force_login(cast.cell)
    page = client.get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert CCCD in page


def test_the_stored_search_text_holds_no_cccd(member):
    assert CCCD not in Member.objects.get(pk=member.pk).search_text


def list_page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("members:member_list"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_cccd_and_phone_to_those_who_keep_the_register(client, cast, member):
    Member.objects.filter(pk=member.pk).update(phone="0912345678")
    for keeper in (cast.cell, cast.base, cast.upper):
        page = list_page(client, keeper)
        assert "Số CCCD" in page and "Điện thoại" in page
        assert CCCD in page and "0912345678" in page


def test_the_list_has_no_personal_data_columns_for_a_viewer(client, cast, member):
    Member.objects.filter(pk=member.pk).update(phone="0912345678")
    page = list_page(client, cast.viewer)
    assert "Đức" in page
    assert "Số CCCD" not in page and CCCD not in page and "0912345678" not in page


def test_a_member_does_not_see_the_columns_on_the_list(client, cast, member):
    Member.objects.filter(pk=member.pk).update(user=cast.member)
    page = list_page(client, cast.member)
    assert "Nguyễn Văn Đức" in page
    assert "Số CCCD" not in page and CCCD not in page


def _export_cells(client, user, fmt: str) -> str:
    client.force_login(user)
    response = client.get(reverse(f"members:member_export_{fmt}"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        return content.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(str(v) for row in book.worksheets[0].iter_rows(values_only=True) for v in row if v is not None)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_carry_cccd_and_phone_only_for_those_who_keep_the_register(client, cast, member, fmt):
    Member.objects.filter(pk=member.pk).update(phone="0912345678")
    for keeper in (cast.cell, cast.upper, cast.admin):
        cells = _export_cells(client, keeper, fmt)
        assert CCCD in cells and "0912345678" in cells, keeper.username
    for reader in (cast.viewer,):
        cells = _export_cells(client, reader, fmt)
        assert "Đức" in cells, reader.username  # the member is listed…
        assert CCCD not in cells and "0912345678" not in cells, reader.username  # …without CCCD and phone


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    return "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)


def test_the_printed_profile_hides_cccd_and_phone_from_a_viewer(client, cast, member):
    Member.objects.filter(pk=member.pk).update(phone="0912345678")
    url = reverse("members:member_profile_docx", args=[member.pk])
    client.force_login(cast.viewer)
    text = _docx_text(client.get(url).content)
    assert "Nguyễn Văn Đức" in text
    assert CCCD not in text and "0912345678" not in text
    assert "(ẩn)" in text
    client.force_login(cast.cell)
    text = _docx_text(client.get(url).content)
    assert CCCD in text and "0912345678" in text
