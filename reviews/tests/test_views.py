"""The review pages per role: who sees what (404 outside the scope), who may change what
(403 inside it), and the three steps through the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from members.tests._people import add_people
from reviews.models import MemberReview, ReviewRound, Step
from reviews.regimes.base import Rating
from reviews.services import review_appraise, review_self_assess
from reviews.testing import open_round


@pytest.fixture
def people(cast):
    people = add_people(cast.tree)
    people.duc.user = cast.member
    people.duc.save()
    return people


@pytest.fixture
def round_2025(cast, people):
    return open_round(cast.tree.bloc, 2025, user=cast.upper)


def login(client, user):
    client.force_login(user)
    return client


def review_of(round, member) -> MemberReview:
    return MemberReview.objects.get(round=round, member=member)


def test_the_round_list_shows_the_round_to_everyone_in_its_subtree_and_not_to_an_outsider(client, cast, round_2025):
    for user in (cast.upper, cast.base, cast.cell, cast.member, cast.viewer):
        page = login(client, user).get(reverse("reviews:round_list"))
        assert page.status_code == 200
        assert reverse("reviews:round_detail", args=[round_2025.pk]) in page.content.decode()
    page = login(client, cast.outsider).get(reverse("reviews:round_list"))
    assert reverse("reviews:round_detail", args=[round_2025.pk]) not in page.content.decode()
    assert login(client, cast.outsider).get(reverse("reviews:round_detail", args=[round_2025.pk])).status_code == 404


def test_the_organization_board_opens_a_round_through_the_form(client, cast, people):
    page = login(client, cast.upper).post(
        reverse("reviews:round_create"),
        {
            "organization": cast.tree.bloc.pk,
            "year": 2025,
            "opens_on": "01/12/2025",
            "self_deadline": "15/12/2025",
            "appraisal_deadline": "25/12/2025",
            "decision_deadline": "31/01/2026",
            "covers_cells": "on",
        },
    )
    round = ReviewRound.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse("reviews:round_detail", args=[round.pk])
    assert round.member_reviews.count() == 5
    assert round.history.first().history_user == cast.upper


def test_a_form_with_deadlines_out_of_order_keeps_what_was_typed(client, cast, people):
    page = login(client, cast.upper).post(
        reverse("reviews:round_create"),
        {
            "organization": cast.tree.bloc.pk,
            "year": 2025,
            "opens_on": "01/12/2025",
            "self_deadline": "30/12/2025",
            "appraisal_deadline": "25/12/2025",
            "decision_deadline": "31/01/2026",
        },
    )
    assert page.status_code == 200
    assert "Các hạn phải theo thứ tự" in page.content.decode()
    assert 'value="30/12/2025"' in page.content.decode()
    assert not ReviewRound.objects.exists()


@pytest.mark.parametrize("role", ["cell", "member", "viewer"])
def test_roles_that_cannot_restructure_cannot_open_a_round(client, cast, role):
    assert login(client, getattr(cast, role)).get(reverse("reviews:round_create")).status_code == 403


def test_a_member_fills_in_their_own_form_and_sees_the_proposal_with_its_reasons(client, cast, people, round_2025):
    review = review_of(round_2025, people.duc)
    url = reverse("reviews:review_self", args=[review.pk])
    # Mẫu 2B lists the tasks one by one: 10 tasks, exactly 3 above requirement (30%), none late.
    tasks = {
        "task_name": [f"Nhiệm vụ số {i}" for i in range(1, 11)],
        "task_outcome": ["above"] * 3 + ["on_time"] * 7,
    }
    page = login(client, cast.member).post(url, {"general_points": "28", "result_points": "62", **tasks})
    assert page.status_code == 302
    page = client.get(url)
    assert "Hoàn thành xuất sắc nhiệm vụ" in page.content.decode()
    assert "Quy định 366-QĐ/TW" in page.content.decode()
    assert "10 nhiệm vụ: 10 đúng tiến độ (100%), trong đó 3 vượt yêu cầu (30%); 0 chậm tiến độ." in page.content.decode()
    review = review_of(round_2025, people.duc)
    assert review.history.first().history_user == cast.member
    assert review.tasks[0] == {"name": "Nhiệm vụ số 1", "outcome": "above"} and len(review.tasks) == 10
    assert (review.tasks_total, review.tasks_late, review.tasks_above) == (10, 0, 3)


def test_a_list_with_one_late_task_gives_complete_and_a_task_without_outcome_is_refused(client, cast, people, round_2025):
    review = review_of(round_2025, people.duc)
    url = reverse("reviews:review_self", args=[review.pk])
    login(client, cast.member)
    data = {"general_points": "30", "result_points": "65", "task_name": ["Báo cáo quý", "Đề án"], "task_outcome": ["late", ""]}
    page = client.post(url, data)
    assert page.status_code == 200
    assert "Nhiệm vụ 2: hãy chọn kết quả" in page.content.decode()
    assert review_of(round_2025, people.duc).general_points is None
    data["task_outcome"] = ["late", "above"]
    assert client.post(url, data).status_code == 302
    review = review_of(round_2025, people.duc)
    assert (review.tasks_total, review.tasks_late, review.tasks_above) == (2, 1, 1)
    assert review.proposed_rating == Rating.COMPLETE  # 95 points, but one task late


def test_an_older_form_keeps_its_counts_until_a_list_replaces_them(client, cast, people, round_2025):
    review = review_of(round_2025, people.duc)
    review_self_assess(
        review=review, user=cast.cell, general_points=Decimal(28), result_points=Decimal(62), tasks_total=10, tasks_above=3
    )
    url = reverse("reviews:review_self", args=[review.pk])
    page = login(client, cast.member).get(url)
    assert "Bản trước chỉ ghi số lượng: 10 nhiệm vụ, 0 chậm tiến độ, 3 vượt yêu cầu" in page.content.decode()
    assert client.post(url, {"general_points": "28", "result_points": "63"}).status_code == 302
    review = review_of(round_2025, people.duc)
    assert (review.tasks, review.tasks_total, review.tasks_above, review.proposed_rating) == ([], 10, 3, Rating.EXCELLENT)


def test_a_member_cannot_open_another_members_form(client, cast, people, round_2025):
    assert (
        login(client, cast.member).get(reverse("reviews:review_self", args=[review_of(round_2025, people.an).pk])).status_code
        == 404
    )


def test_a_viewer_reads_a_form_but_cannot_save_it(client, cast, people, round_2025):
    url = reverse("reviews:review_self", args=[review_of(round_2025, people.an).pk])
    assert login(client, cast.viewer).get(url).status_code == 200
    assert client.post(url, {"general_points": "28", "result_points": "62", "tasks_total": "1"}).status_code == 403


def test_the_cell_secretary_saves_the_whole_grid_in_one_go(client, cast, people, round_2025):
    duc, an = review_of(round_2025, people.duc), review_of(round_2025, people.an)
    url = reverse("reviews:cell_grid", args=[round_2025.pk, cast.tree.office_cell.pk])
    data = {
        f"general_points-{duc.pk}": "20",
        f"result_points-{duc.pk}": "55",
        f"tasks_total-{duc.pk}": "4",
        f"appraised_rating-{duc.pk}": "good",
        f"general_points-{an.pk}": "28",
        f"result_points-{an.pk}": "62,5",
        f"tasks_total-{an.pk}": "10",
        f"tasks_above-{an.pk}": "3",
        f"appraised_rating-{an.pk}": "excellent",
    }
    assert login(client, cast.cell).post(url, data).status_code == 302
    assert review_of(round_2025, people.duc).appraised_rating == Rating.GOOD
    assert review_of(round_2025, people.an).result_points == Decimal("62.5")


def test_one_bad_row_saves_no_row_and_names_the_problem(client, cast, people, round_2025):
    duc, an = review_of(round_2025, people.duc), review_of(round_2025, people.an)
    url = reverse("reviews:cell_grid", args=[round_2025.pk, cast.tree.office_cell.pk])
    data = {
        f"general_points-{duc.pk}": "20",
        f"result_points-{duc.pk}": "55",
        f"appraised_rating-{duc.pk}": "good",
        f"general_points-{an.pk}": "20",
        f"result_points-{an.pk}": "55",
        f"appraised_rating-{an.pk}": "excellent",  # 75 points cannot be excellent
    }
    page = login(client, cast.cell).post(url, data)
    assert page.status_code == 200
    assert "Không thể xếp loại «Hoàn thành xuất sắc nhiệm vụ»" in page.content.decode()
    assert review_of(round_2025, people.duc).step == Step.SELF
    assert review_of(round_2025, people.duc).general_points is None


def test_a_cell_secretary_cannot_open_another_cells_grid(client, cast, round_2025):
    url = reverse("reviews:cell_grid", args=[round_2025.pk, cast.tree.budget_cell.pk])
    assert login(client, cast.cell).get(url).status_code == 404
    assert login(client, cast.viewer).get(url).status_code == 403


def _appraised(cast, round, people):
    for person, user in ((people.duc, cast.cell), (people.an, cast.cell), (people.binh, cast.base), (people.hoa, cast.base)):
        review = review_self_assess(
            review=review_of(round, person),
            user=user,
            general_points=Decimal(28),
            result_points=Decimal(64),
            tasks_total=10,
            tasks_above=4,
        )
        review_appraise(review=review, user=user, rating=Rating.EXCELLENT)


def test_the_decision_page_shows_the_quota_and_the_base_committee_decides(client, cast, people, round_2025):
    _appraised(cast, round_2025, people)
    url = reverse("reviews:decide", args=[round_2025.pk, cast.tree.finance.pk])
    assert login(client, cast.cell).get(url).status_code == 404  # the base committee lies above the cell's scope
    assert login(client, cast.viewer).get(url).status_code == 403
    page = login(client, cast.base).get(url)
    assert page.status_code == 200
    reviews = {r.member_id: r for r in MemberReview.objects.filter(round=round_2025, base=cast.tree.finance)}
    data = {"decided_on": "20/01/2026", "decision_number": "15-QĐ/ĐU"}
    for review in reviews.values():
        data[f"rating-{review.pk}"] = "good"
        data[f"note-{review.pk}"] = "Giữ tỷ lệ 20%"
    assert client.post(url, data).status_code == 302
    decided = MemberReview.objects.filter(round=round_2025, base=cast.tree.finance, step=Step.DECIDED)
    assert decided.count() == 4 and {r.rating for r in decided} == {Rating.GOOD}


def test_the_report_page_and_its_spreadsheet(client, cast, round_2025):
    url = reverse("reviews:report", args=[cast.tree.bloc.pk, 2025])
    page = login(client, cast.viewer).get(url)
    assert page.status_code == 200
    assert "Toàn Đảng bộ có 0 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ" in page.content.decode()
    sheet = client.get(url + "?format=xlsx")
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    assert login(client, cast.outsider).get(url).status_code == 404


def test_a_member_sees_their_own_ratings(client, cast, people, round_2025):
    page = login(client, cast.member).get(reverse("reviews:my_ratings"))
    assert page.status_code == 200
    assert reverse("reviews:review_self", args=[review_of(round_2025, people.duc).pk]) in page.content.decode()


def test_closing_is_refused_to_a_get(client, cast, round_2025):
    assert login(client, cast.upper).get(reverse("reviews:round_close", args=[round_2025.pk])).status_code == 405


def test_the_bloc_proposes_and_decides_its_base_organizations_on_one_page(client, cast, round_2025):
    from reviews.models import OrganizationReview

    finance = OrganizationReview.objects.get(round=round_2025, organization=cast.tree.finance)
    newspaper = OrganizationReview.objects.get(round=round_2025, organization=cast.tree.newspaper)
    url = reverse("reviews:organization_grid", args=[round_2025.pk, cast.tree.bloc.pk])
    assert login(client, cast.base).get(url).status_code == 404  # the bloc lies above the base secretary's scope
    assert login(client, cast.viewer).get(url).status_code == 403
    data = {
        f"points-{finance.pk}": "85",
        f"tasks_total-{finance.pk}": "8",
        f"rating-{finance.pk}": "good",
        f"points-{newspaper.pk}": "92",
        f"tasks_total-{newspaper.pk}": "10",
        f"tasks_above-{newspaper.pk}": "4",
        f"target_share-{newspaper.pk}": "100",
        f"rating-{newspaper.pk}": "excellent",
    }
    assert login(client, cast.upper).post(url, data).status_code == 302
    decide_url = reverse("reviews:organization_decide", args=[round_2025.pk, cast.tree.bloc.pk])
    assert client.get(decide_url).status_code == 405
    assert login(client, cast.viewer).post(decide_url, {"decided_on": "20/01/2026", "decision_number": "9"}).status_code == 403
    login(client, cast.upper).post(decide_url, {"decided_on": "20/01/2026", "decision_number": "22-QĐ/ĐUK"})
    newspaper.refresh_from_db()
    assert (newspaper.step, newspaper.rating, newspaper.target_share) == (Step.DECIDED, Rating.EXCELLENT, Decimal("1.000"))


def test_a_decided_rating_is_amended_by_a_recorded_decision(client, cast, people, round_2025):
    from reviews.services import review_decide

    review = review_self_assess(
        review=review_of(round_2025, people.an),
        user=cast.cell,
        general_points=Decimal(20),
        result_points=Decimal(55),
        tasks_total=4,
    )
    review = review_appraise(review=review, user=cast.cell, rating=Rating.GOOD)
    review_decide(review=review, user=cast.base, decided_on=dt.date(2026, 1, 20), decision_number="15-QĐ/ĐU")
    url = reverse("reviews:review_amend", args=[review.pk])
    assert login(client, cast.cell).get(url).status_code == 403
    page = login(client, cast.base).post(
        url, {"rating": "complete", "decided_on": "01/03/2026", "decision_number": "31-QĐ/ĐU", "note": "Rà soát lại kết quả"}
    )
    assert page.status_code == 302
    amended = review_of(round_2025, people.an)
    assert (amended.rating, amended.decision_number) == (Rating.COMPLETE, "31-QĐ/ĐU")
    assert amended.history.first().history_user == cast.base


def test_the_filled_form_prints_as_word_and_pdf_with_the_official_header(client, cast, people, round_2025):
    import io
    import subprocess

    from docx import Document

    review = review_self_assess(
        review=review_of(round_2025, people.duc),
        user=cast.member,
        form="2A",
        general_points=Decimal(28),
        result_points=Decimal("62.5"),
        tasks=[{"name": "Chuyển đổi số hồ sơ đảng viên", "outcome": "above"}]
        + [{"name": f"Nhiệm vụ số {i}", "outcome": "above" if i < 3 else "on_time"} for i in range(1, 10)],
    )
    login(client, cast.member)
    word = client.get(reverse("reviews:review_docx", args=[review.pk]))
    assert word.status_code == 200
    doc = Document(io.BytesIO(word.content))
    header = doc.tables[0].rows[0].cells
    assert "CHI BỘ VĂN PHÒNG" in header[0].text and "ĐẢNG CỘNG SẢN VIỆT NAM" in header[1].text
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Mẫu 2A" in text and "NĂM 2025" in text
    cells = [c.text for row in doc.tables[1].rows for c in row.cells]
    assert "90,5" in cells  # 28 + 62,5 points
    assert "100%" in cells and "30%" in cells  # on time; above requirement (3 of the 10 listed)
    listed = [[c.text for c in row.cells] for row in doc.tables[2].rows]
    assert listed[1] == ["1", "Chuyển đổi số hồ sơ đảng viên", "Vượt yêu cầu"]
    assert listed[-1] == ["10", "Nhiệm vụ số 9", "Đúng tiến độ, bảo đảm chất lượng"]
    assert doc.styles["Normal"].font.name == "Times New Roman"
    pdf = client.get(reverse("reviews:review_pdf", args=[review.pk]))
    assert pdf.content.startswith(b"%PDF")
    printed = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in printed and "Nguyễn Văn Đức" in printed
    assert "Chuyển đổi số hồ sơ đảng viên" in " ".join(printed.split())  # a table cell may wrap
    assert login(client, cast.outsider).get(reverse("reviews:review_docx", args=[review.pk])).status_code == 404


def test_the_organization_form_prints_as_mau_01(client, cast, round_2025):
    import io

    from docx import Document

    from reviews.models import OrganizationReview

    review = OrganizationReview.objects.get(round=round_2025, organization=cast.tree.finance)
    word = login(client, cast.upper).get(reverse("reviews:organization_review_docx", args=[review.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "Mẫu 01" in text and "TẬP THỂ NĂM 2025" in text
    assert client.get(reverse("reviews:organization_review_pdf", args=[review.pk])).content.startswith(b"%PDF")


def test_the_report_downloads_as_word(client, cast, round_2025):
    import io

    from docx import Document

    word = login(client, cast.viewer).get(reverse("reviews:report", args=[cast.tree.bloc.pk, 2025]) + "?format=docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "BÁO CÁO KẾT QUẢ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2025" in text
    assert "Toàn Đảng bộ có 0 tổ chức cơ sở đảng" in text


def test_past_ratings_are_imported_from_a_spreadsheet_all_or_nothing(client, cast, people):
    import io

    from openpyxl import Workbook

    from reviews.models import MemberReview

    def workbook(rows):
        book = Workbook()
        sheet = book.active
        sheet.append(["Năm", "Số thẻ đảng viên", "Xếp loại", "Số quyết định", "Ngày quyết định"])
        for row in rows:
            sheet.append(row)
        data = io.BytesIO()
        book.save(data)
        data.seek(0)
        data.name = "xep-loai.xlsx"
        return data

    url = reverse("reviews:given_import")
    assert login(client, cast.cell).get(url).status_code == 403
    bad = workbook(
        [[2021, "TH-0001", "Hoàn thành tốt nhiệm vụ", "12-QĐ", "20/01/2022"], [2021, "TH-0001", "Giỏi", "12-QĐ", "20/01/2022"]]
    )
    page = login(client, cast.upper).post(url, {"organization": cast.tree.bloc.pk, "file": bad})
    assert page.status_code == 200
    assert "Dòng 3" in page.content.decode()
    assert not MemberReview.objects.exists()
    good = workbook([[2021, "TH-0001", "Hoàn thành tốt nhiệm vụ", "12-QĐ", "20/01/2022"]])
    assert login(client, cast.upper).post(url, {"organization": cast.tree.bloc.pk, "file": good}).status_code == 302
    review = MemberReview.objects.get(member=people.duc)
    assert (review.round.year, review.rating) == (2021, Rating.GOOD)


def _sheet(rows):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "chi-bo.xlsx"
    return data


def test_the_cells_sheet_downloads_and_imports_back_all_or_nothing(client, cast, people, round_2025):
    import io

    from openpyxl import load_workbook

    grid = reverse("reviews:cell_grid", args=[round_2025.pk, cast.tree.office_cell.pk])
    template = login(client, cast.cell).get(reverse("reviews:cell_grid_template", args=[round_2025.pk, cast.tree.office_cell.pk]))
    rows = list(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Mã phiếu", "Họ và tên")
    assert {r[1] for r in rows[1:]} == {"Nguyễn Văn Đức", "Trần Văn An"}
    header = ["Mã phiếu", "Họ và tên", "Điểm tiêu chí chung", "Điểm kết quả thực hiện nhiệm vụ", "Số nhiệm vụ", "Chi bộ đề xuất"]
    duc = review_of(round_2025, people.duc)
    url = reverse("reviews:cell_grid_import", args=[round_2025.pk, cast.tree.office_cell.pk])
    bad = _sheet([header, [duc.pk, "", "20", "55", 4, "Hoàn thành tốt nhiệm vụ"], ["", "Trần Văn An", "20", "55", 4, "HTXSNV"]])
    page = client.post(url, {"file": bad}, follow=True)
    assert "Dòng 3, cột Chi bộ đề xuất: Không thể xếp loại" in page.content.decode()
    assert review_of(round_2025, people.duc).step == Step.SELF
    good = _sheet([header, [duc.pk, "", "20", "55", 4, "Hoàn thành tốt nhiệm vụ"], ["", "tran van an", "28", "62,5", 10, "tốt"]])
    client.post(url, {"file": good}, follow=True)
    assert review_of(round_2025, people.duc).appraised_rating == Rating.GOOD
    assert review_of(round_2025, people.an).result_points == Decimal("62.5")
    assert client.get(grid).status_code == 200
    assert login(client, cast.viewer).post(url, {"file": _sheet([header])}).status_code == 403


def test_the_report_link_of_a_round_above_the_users_scope_opens_their_own_report(client, cast, round_2025):
    import re

    login(client, cast.cell)
    for url in (reverse("reviews:round_list"), reverse("reviews:round_detail", args=[round_2025.pk])):
        html = client.get(url).content.decode()
        links = re.findall(r'href="(/danh-gia/bao-cao/[^"]+)"', html)
        assert links == [reverse("reviews:report", args=[cast.tree.office_cell.pk, 2025])]
        assert client.get(links[0]).status_code == 200
