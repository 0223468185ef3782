"""The report "Báo cáo kết quả thực hiện các chỉ tiêu Nghị quyết Đại hội" as Word and PDF: the
table of targets, the sentences and their arithmetic, for a small tree counted by hand, and
the scope of each role.

Counted by hand (fixtures ``admissions`` and ``decided_2025``), the bloc's 2020–2025 term
(from 1/1/2020, no adoption date): admitted An 19/05/2020 (office cell), Ba 09/03/2021
(office cell), Bốn 10/03/2022 (budget cell), Năm 05/05/2023 (newspaper), Hoa 03/11/2024
(budget cell); Sớm 2019 is before the term. Cumulative: 1, 2, 3, 4, 5, 5. Ratings 2025:
3 of 5 members good or better (60%).
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from targets.documents import build_report
from targets.models import Comparison, Period, Unit
from targets.services import allocation_set, manual_value_set, resolution_create, target_create

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def report_targets(cast, admissions, decided_2025):
    resolution = resolution_create(
        organization=cast.tree.bloc,
        term_name="2020–2025",
        start_year=2020,
        end_year=2025,
        congress_name="Đại hội Đảng bộ Khối các cơ quan tỉnh",
        congress_number="XVIII",
        user=cast.upper,
    )
    admitted = target_create(
        resolution=resolution,
        wording="Cuối nhiệm kỳ kết nạp hơn 4 đảng viên",
        indicator_code="members.admitted",
        comparison=Comparison.GT,
        threshold=Decimal(4),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=cast.upper,
    )
    good = target_create(
        resolution=resolution,
        wording="Hằng năm có hơn 95% đảng viên hoàn thành tốt nhiệm vụ",
        indicator_code="reviews.members_good",
        comparison=Comparison.GT,
        threshold=Decimal(95),
        unit=Unit.PERCENT,
        user=cast.upper,
    )
    culture = target_create(
        resolution=resolution,
        wording="Hằng năm 90% trở lên số cơ quan, đơn vị đạt chuẩn văn hóa",
        indicator_code="",
        threshold=Decimal(90),
        unit=Unit.PERCENT,
        user=cast.upper,
    )
    manual_value_set(target=culture, organization=cast.tree.bloc, year=2024, value=Decimal("91.5"), user=cast.upper)
    province = resolution_create(
        organization=cast.tree.province, term_name="2020–2025", start_year=2020, end_year=2025, user=cast.admin
    )
    above = target_create(
        resolution=province,
        wording="Kết nạp đảng viên",
        indicator_code="members.admitted",
        threshold=Decimal(20),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=cast.admin,
    )
    allocation_set(
        target=above, organization=cast.tree.bloc, threshold=Decimal(6), allocated_by="Ban Thường vụ Tỉnh ủy", user=cast.admin
    )
    return resolution, admitted, good, culture


TERM_SENTENCES = [
    # (5 ÷ 4 − 1) × 100 = 25; 5 ÷ 6 × 100 = 83,33 → 83,3
    "kết nạp 5 đảng viên, vượt 25% so với chỉ tiêu Nghị quyết, đạt 83,3% chỉ tiêu Ban Thường vụ Tỉnh ủy phân bổ",
    "(5 ÷ 4 − 1) × 100 = 25%; 5 ÷ 6 × 100 = 83,3%",
    # 3 ÷ 5 = 60%; 60 − 95 = −35 points
    "năm 2025 đạt 60%, thấp hơn chỉ tiêu 35 điểm phần trăm",
    "2025: 3 ÷ 5 × 100 = 60%; 60 − 95 = −35 điểm phần trăm",
    "năm 2024 đạt 91,5%, vượt chỉ tiêu 1,5 điểm phần trăm",
    "2024: nhập tay: 91,5%; 91,5 − 90 = +1,5 điểm phần trăm",
]


def _docx_text(content: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    return text, rows


def test_the_term_report_tracks_each_target_and_states_the_result_with_its_arithmetic(cast, report_targets):
    resolution, admitted, good, culture = report_targets
    report = build_report(resolution, cast.tree.bloc, year=None, user=cast.upper, today=TODAY)
    assert report.years == [2020, 2021, 2022, 2023, 2024, 2025]
    rows = {r.tracking.target.pk: r for r in report.rows}
    assert rows[admitted.pk].values == ["1", "2", "3", "4", "5", "5"]
    assert rows[admitted.pk].status == "đạt"
    assert rows[admitted.pk].allocation == "Ban Thường vụ Tỉnh ủy phân bổ: 6"
    assert rows[good.pk].values == ["–", "–", "–", "–", "–", "60%"]
    assert rows[good.pk].status == "không đạt"
    assert rows[culture.pk].values == ["–", "–", "–", "–", "91,5%", "–"]
    assert rows[culture.pk].status == "đạt"
    assert rows[admitted.pk].sentence == TERM_SENTENCES[0]
    assert rows[admitted.pk].arithmetic == TERM_SENTENCES[1]


def test_a_term_count_not_yet_met_in_a_years_report_is_on_track_by_its_pace(cast, report_targets):
    resolution, admitted, _good, _culture = report_targets
    report = build_report(resolution, cast.tree.bloc, year=2021, user=cast.upper, today=TODAY)
    row = next(r for r in report.rows if r.tracking.target.pk == admitted.pk)
    # 2 admitted by 31/12/2021, 731 of the term's 2192 days: 2 × 2192 ÷ 731 = 6,0 > 4
    assert row.values == ["2"]
    assert row.sentence == "kết nạp 2 đảng viên, đạt 50% chỉ tiêu Nghị quyết, đạt 33,3% chỉ tiêu Ban Thường vụ Tỉnh ủy phân bổ"
    assert row.status == "đúng tiến độ"


def test_the_docx_holds_the_header_the_table_and_the_sentences(client, cast, report_targets):
    resolution, *_ = report_targets
    client.force_login(cast.upper)
    answer = client.get(reverse("targets:report", args=[resolution.pk]), {"format": "docx"})
    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith('.docx"')
    text, rows = _docx_text(answer.content)
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NGHỊ QUYẾT ĐẠI HỘI" in text
    assert "Đại hội Đảng bộ Khối các cơ quan tỉnh lần thứ XVIII, nhiệm kỳ 2020–2025" in text
    assert any("ĐẢNG CỘNG SẢN VIỆT NAM" in cell for row in rows for cell in row)
    for sentence in TERM_SENTENCES:
        assert sentence in text
    table = {row[1]: row for row in rows if len(row) == 11}
    assert table["Cuối nhiệm kỳ kết nạp hơn 4 đảng viên"][2:] == [
        "> 4",
        "Ban Thường vụ Tỉnh ủy phân bổ: 6",
        "1",
        "2",
        "3",
        "4",
        "5",
        "5",
        "đạt",
    ]
    assert table["Hằng năm có hơn 95% đảng viên hoàn thành tốt nhiệm vụ"][-2:] == ["60%", "không đạt"]
    assert table["Hằng năm 90% trở lên số cơ quan, đơn vị đạt chuẩn văn hóa"][2] == "≥ 90%"


def test_the_docx_is_set_in_times_new_roman(client, cast, report_targets):
    resolution, *_ = report_targets
    client.force_login(cast.upper)
    content = client.get(reverse("targets:report", args=[resolution.pk]), {"format": "docx", "nam": "2025"}).content
    doc = Document(io.BytesIO(content))
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt == 13


def test_the_pdf_read_back_holds_the_table_and_the_sentences(client, cast, report_targets, tmp_path):
    resolution, *_ = report_targets
    client.force_login(cast.upper)
    answer = client.get(reverse("targets:report", args=[resolution.pk]), {"format": "pdf"})
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(answer.content)
    # -raw keeps the text in the order it was written, so a sentence wrapped in a line reads whole.
    text = " ".join(
        subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout.split()
    )
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NGHỊ QUYẾT ĐẠI HỘI" in text
    for sentence in TERM_SENTENCES:
        assert sentence in text
    assert "Ban Thường vụ Tỉnh ủy phân bổ: 6" in text


def test_a_cell_secretary_reports_on_their_cell_only_and_not_on_the_bloc(client, cast, report_targets):
    resolution, *_ = report_targets
    client.force_login(cast.cell)
    url = reverse("targets:report", args=[resolution.pk])
    assert client.get(url).status_code == 404  # the bloc's resolution is above their scope
    assert client.get(url, {"to_chuc": cast.tree.bloc.pk}).status_code == 404
    answer = client.get(url, {"to_chuc": cast.tree.office_cell.pk, "format": "docx"})
    assert answer.status_code == 200
    text, _rows = _docx_text(answer.content)
    # The office cell admitted An (2020) and Ba (2021): 2 ÷ 4 × 100 = 50%.
    assert "kết nạp 2 đảng viên, đạt 50% chỉ tiêu Nghị quyết (không đạt)" in text
    assert "Phạm vi: Chi bộ Văn phòng" in text


def test_the_outsider_finds_neither_the_resolution_nor_the_bloc(client, cast, report_targets):
    resolution, *_ = report_targets
    client.force_login(cast.outsider)
    url = reverse("targets:report", args=[resolution.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"to_chuc": cast.tree.bloc.pk}).status_code == 404
    assert client.get(url, {"to_chuc": cast.tree.power.pk}).status_code == 404  # not governed by the bloc


def test_the_page_shows_the_report_and_refuses_a_year_outside_the_term(client, cast, report_targets):
    resolution, *_ = report_targets
    client.force_login(cast.viewer)
    page = client.get(reverse("targets:resolution_detail", args=[resolution.pk]))
    assert reverse("targets:report", args=[resolution.pk]) in page.content.decode()
    body = client.get(reverse("targets:report", args=[resolution.pk]), {"nam": "2024"}).content.decode()
    assert "năm 2024 đạt 91,5%, vượt chỉ tiêu 1,5 điểm phần trăm" not in body  # a year's report states the year alone
    assert "đạt 91,5%, vượt chỉ tiêu 1,5 điểm phần trăm" in body
    refused = client.get(reverse("targets:report", args=[resolution.pk]), {"nam": "2019"})
    assert refused.status_code == 400
    assert "không có trong các lựa chọn" in refused.content.decode() or "Hãy chọn" in refused.content.decode()
