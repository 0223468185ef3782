"""Past years' ratings stored as given: recorded into a round, imported from .xlsx (all or
nothing, "Dòng N, cột X: …"), counted in the tallies like decided ratings."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from lib.importer import ImportRefused
from members.tests._people import add_people
from reviews.given import GivenRating, ratings_import_given, ratings_record_given
from reviews.models import MemberReview, OrganizationReview, RatingTally, RegimeChoice, ReviewRound, Step, Subject
from reviews.regimes.base import Rating
from reviews.selectors import recount, tallies, year_report
from reviews.services import round_open

DECIDED = dt.date(2023, 1, 16)
HEADER = ["Năm", "Số CCCD hoặc số thẻ đảng viên", "Mã tổ chức đảng", "Xếp loại", "Số quyết định", "Ngày quyết định"]


@pytest.fixture
def people(cast):
    people = add_people(cast.tree)
    people.an.national_id = "024080001234"
    people.an.save()
    people.binh.national_id = "024080005678"
    people.binh.save()
    people.lan.card_number = "TH-0005"
    people.lan.save()
    return people


def given_round(cast, year: int = 2022) -> ReviewRound:
    end = dt.date(year, 12, 31)
    return round_open(
        organization=cast.tree.bloc,
        year=year,
        opens_on=end,
        self_deadline=end,
        appraisal_deadline=end,
        decision_deadline=end,
        regime=RegimeChoice.GIVEN,
        user=cast.upper,
    )


def xlsx(*rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_recorded_ratings_are_decided_reviews_counted_in_the_tallies(cast, people):
    round = given_round(cast)
    rows = [
        GivenRating(rating=Rating.EXCELLENT, decided_on=DECIDED, decision_number="05-QĐ/ĐU", member=people.duc),
        GivenRating(rating=Rating.GOOD, decided_on=DECIDED, decision_number="05-QĐ/ĐU", member=people.an),
        GivenRating(rating=Rating.NOT_COMPLETE, decided_on=DECIDED, decision_number="05-QĐ/ĐU", member=people.binh),
        GivenRating(rating=Rating.GOOD, decided_on=DECIDED, decision_number="09-QĐ/ĐUK", organization=cast.tree.finance),
    ]
    assert ratings_record_given(round=round, rows=rows, user=cast.upper) == 4
    duc = MemberReview.objects.get(round=round, member=people.duc)
    assert (duc.step, duc.rating, duc.decision_number, duc.decided_by) == (Step.DECIDED, Rating.EXCELLENT, "05-QĐ/ĐU", cast.upper)
    office = RatingTally.objects.get(organization=cast.tree.office_cell, year=2022, subject=Subject.MEMBER)
    assert (office.excellent, office.good, office.not_complete) == (1, 1, 0)
    budget = RatingTally.objects.get(organization=cast.tree.budget_cell, year=2022, subject=Subject.MEMBER)
    assert (budget.not_complete, budget.not_complete_disciplined) == (1, 0)
    assert recount(year=2022) == tallies(year=2022)
    report = year_report(organization=cast.tree.bloc, year=2022)
    assert (report.members.excellent, report.members.good, report.members.not_complete) == (1, 1, 1)
    assert report.bases.good == 1


def test_a_second_post_is_recorded_at_the_members_cell(cast, people):
    round = given_round(cast)
    rows = [
        GivenRating(rating=Rating.GOOD, decided_on=DECIDED, decision_number="05-QĐ/ĐU", member=people.duc),
        GivenRating(
            rating=Rating.COMPLETE, decided_on=DECIDED, decision_number="06-QĐ/ĐU", member=people.duc, post="Phó Chánh Văn phòng"
        ),
    ]
    ratings_record_given(round=round, rows=rows, user=cast.upper)
    posts = dict(MemberReview.objects.filter(round=round, member=people.duc).values_list("post", "rating"))
    assert posts == {"": Rating.GOOD, "Phó Chánh Văn phòng": Rating.COMPLETE}
    assert recount(year=2022) == tallies(year=2022)


def test_one_bad_row_records_nothing(cast, people):
    round = given_round(cast)
    rows = [
        GivenRating(rating=Rating.GOOD, decided_on=DECIDED, decision_number="05-QĐ/ĐU", member=people.duc),
        GivenRating(rating=Rating.GOOD, decided_on=DECIDED, decision_number="05-QĐ/ĐU", member=people.hoa),  # admitted 2024
        GivenRating(rating=Rating.GOOD, decided_on=dt.date(2021, 5, 1), decision_number=" ", member=people.an),
    ]
    with pytest.raises(ValidationError) as error:
        ratings_record_given(round=round, rows=rows, user=cast.upper)
    text = " ".join(error.value.messages)
    assert "Dòng thứ 2" in text and "không có trong danh sách kiểm điểm năm 2022" in text
    assert "Dòng thứ 3" in text and "Hãy nhập số quyết định" in text and "từ năm đánh giá 2022" in text
    assert not MemberReview.objects.filter(round=round, step=Step.DECIDED).exists()
    assert not RatingTally.objects.filter(year=2022).exclude(excellent=0, good=0, complete=0, not_complete=0).exists()


def test_a_decided_rating_is_not_recorded_twice(cast, people):
    round = given_round(cast)
    row = GivenRating(rating=Rating.GOOD, decided_on=DECIDED, decision_number="05-QĐ/ĐU", member=people.duc)
    ratings_record_given(round=round, rows=[row], user=cast.upper)
    with pytest.raises(ValidationError, match="quyết định sửa đổi"):
        ratings_record_given(round=round, rows=[row], user=cast.upper)
    assert RatingTally.objects.get(organization=cast.tree.office_cell, year=2022, subject=Subject.MEMBER).good == 1


def test_a_round_under_a_regime_takes_no_given_ratings(cast, people):
    round = round_open(
        organization=cast.tree.bloc,
        year=2025,
        opens_on=dt.date(2025, 12, 1),
        self_deadline=dt.date(2025, 12, 15),
        appraisal_deadline=dt.date(2025, 12, 25),
        decision_deadline=dt.date(2026, 1, 31),
        user=cast.upper,
    )
    row = GivenRating(rating=Rating.GOOD, decided_on=dt.date(2026, 1, 10), decision_number="05-QĐ/ĐU", member=people.duc)
    with pytest.raises(ValidationError, match="đánh giá theo quy định"):
        ratings_record_given(round=round, rows=[row], user=cast.upper)


def test_a_cell_secretary_cannot_record_given_ratings(cast, people):
    round = given_round(cast)
    row = GivenRating(rating=Rating.GOOD, decided_on=DECIDED, decision_number="05-QĐ/ĐU", member=people.duc)
    with pytest.raises(PermissionDenied):
        ratings_record_given(round=round, rows=[row], user=cast.cell)


# -- import from .xlsx -------------------------------------------------------------------


def test_importing_a_file_opens_each_missing_year_and_records_every_row(cast, people):
    finance = cast.tree.finance
    file = xlsx(
        (2021, "TH-0001", None, "Hoàn thành xuất sắc nhiệm vụ", "12-QĐ/ĐU", "15/01/2022"),
        (2021, "024080001234", None, "hoan thanh tot nhiem vu", "12-QĐ/ĐU", "15/01/2022"),
        (2022, 24080005678, None, "Không hoàn thành", "03-QĐ/ĐU", dt.datetime(2023, 1, 12)),  # CCCD typed as a number
        (2022, None, finance.code.upper(), "HTTNV", "20-QĐ/ĐUK", "20/01/2023"),
    )
    summary = ratings_import_given(file, "xep-loai.xlsx", organization=cast.tree.bloc, user=cast.upper)
    assert (summary.recorded, summary.rounds_opened, summary.by_year) == (4, [2021, 2022], {2021: 2, 2022: 2})
    assert ReviewRound.objects.get(organization=cast.tree.bloc, year=2021).regime == RegimeChoice.GIVEN
    ratings = dict(MemberReview.objects.filter(step=Step.DECIDED).values_list("member__given_name", "rating"))
    assert ratings == {"Đức": Rating.EXCELLENT, "An": Rating.GOOD, "Bình": Rating.NOT_COMPLETE}
    finance_review = OrganizationReview.objects.get(round__year=2022, organization=finance)
    assert (finance_review.rating, finance_review.decided_on) == (Rating.GOOD, dt.date(2023, 1, 20))
    for year in (2021, 2022):
        assert recount(year=year) == tallies(year=year)


def test_a_file_with_errors_is_refused_whole_with_row_and_column(cast, people):
    file = xlsx(
        (2022, "TH-0001", None, "Tốt", "12-QĐ/ĐU", "15/01/2023"),
        (2022, "024099999999", None, "Tốt", "12-QĐ/ĐU", "15/01/2023"),
        (2022, "024080001234", None, "Rất tốt", "12-QĐ/ĐU", "15/01/2023"),
        (2022, "024080005678", "so-tai-chinh", "Tốt", "12-QĐ/ĐU", "15/01/2023"),
    )
    with pytest.raises(ImportRefused) as refused:
        ratings_import_given(file, "xep-loai.xlsx", organization=cast.tree.bloc, user=cast.upper)
    messages = refused.value.result.messages()
    assert messages[0].startswith("Dòng 3, cột Số CCCD hoặc số thẻ đảng viên: không tìm thấy «024099999999»")
    assert messages[1].startswith("Dòng 4, cột Xếp loại: giá trị «Rất tốt» không có trong danh sách")
    assert messages[2].startswith("Dòng 5, cột Số CCCD hoặc số thẻ đảng viên: ghi số CCCD hoặc số thẻ đảng viên")
    assert not ReviewRound.objects.exists()
    assert not MemberReview.objects.exists()


def test_a_member_outside_the_rounds_tree_and_a_repeated_row_are_refused_and_nothing_is_opened(cast, people):
    file = xlsx(
        (2022, "TH-0001", None, "Tốt", "12-QĐ/ĐU", "15/01/2023"),
        (2022, "TH-0005", None, "Tốt", "12-QĐ/ĐU", "15/01/2023"),  # the newspaper cell, outside the finance committee
        (2022, "TH-0001", None, "Tốt", "12-QĐ/ĐU", "15/01/2023"),
    )
    with pytest.raises(ImportRefused) as refused:
        ratings_import_given(file, "xep-loai.xlsx", organization=cast.tree.finance, user=cast.upper)
    messages = refused.value.result.messages()
    assert len(messages) == 2
    assert messages[0].startswith("Dòng 3, cột Số CCCD hoặc số thẻ đảng viên: Đảng viên Phạm Thị Lan không có trong danh sách")
    assert "của Đảng bộ Sở Tài chính" in messages[0]
    assert messages[1].startswith("Dòng 4, cột Số CCCD hoặc số thẻ đảng viên: Trùng với một dòng trước (dòng thứ 1)")
    assert not ReviewRound.objects.exists()


def test_a_year_reviewed_under_a_regime_is_refused_on_the_year_column(cast, people):
    round_open(
        organization=cast.tree.bloc,
        year=2025,
        opens_on=dt.date(2025, 12, 1),
        self_deadline=dt.date(2025, 12, 15),
        appraisal_deadline=dt.date(2025, 12, 25),
        decision_deadline=dt.date(2026, 1, 31),
        user=cast.upper,
    )
    file = xlsx((2025, "TH-0001", None, "Tốt", "12-QĐ/ĐU", "15/01/2026"))
    with pytest.raises(ImportRefused) as refused:
        ratings_import_given(file, "xep-loai.xlsx", organization=cast.tree.bloc, user=cast.upper)
    assert refused.value.result.messages()[0].startswith("Dòng 2, cột Năm: Đợt đánh giá năm 2025 đánh giá theo quy định")


def test_a_code_outside_the_importers_scope_reads_as_not_found(cast, people):
    from members.testing import add_member
    from orgs.services import NewOrgSpec, organization_found

    cell = organization_found(
        parent=cast.tree.power,
        spec=NewOrgSpec(code="cb-phan-xuong", name="Chi bộ Phân xưởng", kind=cast.tree.kinds["chi-bo"]),
        effective_on=dt.date(2015, 2, 1),
    ).organization
    stranger = add_member(cell, family_name="Đỗ", given_name="Bình", national_id="024080009999")
    file = xlsx((2022, stranger.national_id, "", "Hoàn thành tốt nhiệm vụ", "05-QĐ/ĐU", "20/01/2023"))
    with pytest.raises(ImportRefused) as refused:
        ratings_import_given(file, "ds.xlsx", organization=cast.tree.bloc, user=cast.upper)
    text = " ".join(refused.value.result.messages())
    assert "024080009999" in text and "Đỗ" not in text
    assert not MemberReview.objects.filter(member=stranger).exists()
