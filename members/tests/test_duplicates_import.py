"""Likely duplicates in an imported member list: each becomes a question, answered by
updating the member on record, skipping the row, or creating anyway with a reason
(members.duplicates.check_import_rows through members.importing.members_parse)."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.importer import ImportRefused
from members.importing import MEMBER_KEY, members_import, members_parse
from members.models import Member
from members.testing import add_member
from members.tests.import_files import HEADERS, person, xlsx

BORN = dt.date(1980, 2, 1)
ADMITTED = dt.date(2005, 3, 1)
FULL = dt.date(2006, 3, 1)
COLUMNS = [*HEADERS, "Quê quán"]


def duc_row(n: int = 1, **overrides):
    """Nguyễn Văn Đức typed without diacritics, no CCCD and no card number."""
    values = {
        "Họ": "NGUYEN",
        "Tên đệm": "VAN",
        "Tên": "DUC",
        "Giới tính": "Nam",
        "Ngày sinh": BORN,
        "Số CCCD": None,
        "Số thẻ đảng viên": None,
        "Ngày vào Đảng": ADMITTED,
        "Ngày chính thức": FULL,
        "Quê quán": "Yên Phong, Bắc Ninh",
        **overrides,
    }
    return person(n, **values)


@pytest.fixture
def on_record(cast):
    return add_member(
        cast.tree.office_cell,
        family_name="Nguyễn",
        middle_name="Văn",
        given_name="Đức",
        birth_date=BORN,
        admitted_on=ADMITTED,
        full_member_on=FULL,
        hometown="xã Yên Phong, tỉnh Bắc Ninh",
        card_number="TH-0777",  # a row without it is not matched by its numbers (members.importing)
    )


def parse(cast, rows, answers=None, user=None):
    decisions = {"answers": answers} if answers is not None else None
    return members_parse(xlsx(rows, COLUMNS), "ds.xlsx", user=user or cast.cell, decisions=decisions)


def only_question(result):
    questions = [q for q in result.questions if q.kind == "duplicate"]
    assert len(questions) == 1, [q.prompt for q in result.questions]
    return questions[0]


def test_a_row_like_a_member_on_record_is_asked_about_side_by_side_and_nothing_is_written(cast, on_record):
    before = Member.objects.count()
    result = parse(cast, [duc_row(), person(2)])
    question = only_question(result)
    assert question.rows == [2]  # the first data row under the header
    assert "gần như chắc chắn" in question.prompt
    assert [value for value, _label in question.options] == ["update", "skip", "create"]
    assert question.reason_for == frozenset({"create"})
    assert "Nguyễn Văn Đức" in question.options[0][1]
    assert "Họ và tên: NGUYEN VAN DUC ↔ Nguyễn Văn Đức" in question.details
    assert "Quê quán: Yên Phong, Bắc Ninh ↔ xã Yên Phong, tỉnh Bắc Ninh" in question.details
    assert result.unanswered == [question]
    assert Member.objects.count() == before


def test_update_makes_the_row_update_the_member_on_record(cast, on_record):
    key = only_question(parse(cast, [duc_row()])).key
    result = parse(cast, [duc_row()], {key: {"value": "update"}})
    assert result.ok and not result.unanswered, result.messages()
    assert result.rows[0][MEMBER_KEY] == on_record.pk
    assert Member.objects.get(pk=on_record.pk).hometown == "xã Yên Phong, tỉnh Bắc Ninh"  # nothing written yet
    summary = members_import(parsed=result, user=cast.cell)
    assert (summary.created, summary.updated) == (0, 1)
    assert Member.objects.filter(given_name__in=["Đức", "DUC"]).count() == 1
    assert Member.objects.get(pk=on_record.pk).hometown == "Yên Phong, Bắc Ninh"


def test_skip_leaves_the_row_out_with_its_reason(cast, on_record):
    key = only_question(parse(cast, [duc_row(), person(2)])).key
    result = parse(cast, [duc_row(), person(2)], {key: {"value": "skip"}})
    assert result.ok and not result.unanswered
    assert [row for row, _reason in result.skipped] == [2]
    assert "có thể trùng" in result.skipped[0][1]
    summary = members_import(parsed=result, user=cast.cell)
    assert summary.created == 1
    assert Member.objects.filter(given_name__in=["Đức", "DUC"]).count() == 1


def test_create_with_a_reason_keeps_the_row_new_and_records_the_reason(cast, on_record):
    key = only_question(parse(cast, [duc_row()])).key
    reason = "Hai người cùng tên, cùng ngày sinh; đã kiểm tra lý lịch"
    result = parse(cast, [duc_row()], {key: {"value": "create", "reason": reason}})
    assert result.ok and not result.unanswered
    assert result.rows[0][MEMBER_KEY] is None
    assert result.rows[0]["_reason"] == reason
    summary = members_import(parsed=result, user=cast.cell)
    assert summary.created == 1
    assert Member.objects.filter(given_name__in=["Đức", "DUC"]).count() == 2
    created = Member.objects.get(given_name="DUC")
    assert created.history.get().history_change_reason == (
        f"Nhập từ tệp danh sách đảng viên. Vẫn tạo mới dù có thể trùng với hồ sơ đã có: {reason}"
    )


def test_create_without_a_reason_is_refused_and_writes_nothing(cast, on_record):
    key = only_question(parse(cast, [duc_row()])).key
    before = Member.objects.count()
    result = parse(cast, [duc_row()], {key: {"value": "create", "reason": "  "}})
    assert not result.ok
    assert "phải ghi lý do" in " ".join(result.messages())
    assert only_question(result).answered is False
    with pytest.raises(ImportRefused):
        members_import(parsed=result, user=cast.cell)
    assert Member.objects.count() == before


def test_two_rows_of_one_person_in_the_file_are_asked_about(cast):
    result = parse(cast, [duc_row(1), duc_row(2, **{"Họ": "Nguyễn", "Tên đệm": "Văn", "Tên": "Đức"})])
    question = only_question(result)
    assert question.rows == [3]
    assert "dòng 2" in question.prompt
    assert [value for value, _label in question.options] == ["skip", "create"]


def test_a_member_outside_the_importers_scope_is_never_shown(cast):
    add_member(  # the newspaper's cell: in the bloc, not in the office cell secretary's scope
        cast.tree.newspaper, family_name="Nguyễn", middle_name="Văn", given_name="Đức", birth_date=BORN, admitted_on=ADMITTED
    )
    result = parse(cast, [duc_row()])
    assert [q for q in result.questions if q.kind == "duplicate"] == []


def test_a_row_matched_by_its_card_number_is_not_asked_about(cast, on_record):
    result = parse(cast, [duc_row(**{"Số thẻ đảng viên": "TH-0777"})])
    assert [q for q in result.questions if q.kind == "duplicate"] == []
    assert result.rows[0][MEMBER_KEY] == on_record.pk


def test_a_different_card_number_is_another_person(cast, on_record):
    result = parse(cast, [duc_row(**{"Số thẻ đảng viên": "TH-0999"})])
    assert [q for q in result.questions if q.kind == "duplicate"] == []


# --- one answer for all the questions (the import's page) ---------------------------------


def test_one_answer_given_to_every_open_question_on_the_page(client, cast, immediate_tasks, on_record):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from members.models import ImportJob, ImportJobStatus

    hoa = add_member(
        cast.tree.office_cell,
        family_name="Trần",
        middle_name="Thị",
        given_name="Hoa",
        birth_date=dt.date(1985, 9, 2),
        admitted_on=ADMITTED,
        full_member_on=FULL,
        hometown="Yên Phong, Bắc Ninh",
        card_number="TH-0778",
    )
    rows = [duc_row(1), duc_row(2, **{"Họ": "TRAN", "Tên đệm": "THI", "Tên": "HOA", "Ngày sinh": hoa.birth_date})]
    client.force_login(cast.cell)
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    client.post(
        reverse("members:member_import"), {"file": SimpleUploadedFile("ds.xlsx", xlsx(rows, COLUMNS), content_type=xlsx_type)}
    )
    job = ImportJob.objects.get()
    assert len(job.unanswered) == 2
    page = client.get(reverse("members:importjob_detail", args=[job.pk])).content.decode()
    assert 'data-testid="answer-all"' in page and "Trả lời giống nhau cho 2 câu hỏi chưa trả lời" in page

    # "Create anyway" for all needs the common reason: refused without it, nothing written.
    refused = client.post(reverse("members:importjob_decide", args=[job.pk]), {"step": "answers", "all": "create"}, follow=True)
    assert "Hãy ghi lý do chung cho lựa chọn này." in refused.content.decode()
    job.refresh_from_db()
    assert len(job.unanswered) == 2
    client.post(reverse("members:importjob_decide", args=[job.pk]), {"step": "answers", "all": "skip"})
    job.refresh_from_db()
    assert job.unanswered == [] and job.status == ImportJobStatus.PARSED
    assert {a["value"] for a in job.decisions["answers"].values()} == {"skip"}
    client.post(reverse("members:importjob_confirm", args=[job.pk]))
    assert Member.objects.count() == 2  # both rows left out; the two members on record unchanged


def test_an_answer_for_all_that_a_question_does_not_offer_is_refused(client, cast, immediate_tasks, on_record):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from members.models import ImportJob

    client.force_login(cast.cell)
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    client.post(
        reverse("members:member_import"),
        {"file": SimpleUploadedFile("ds.xlsx", xlsx([duc_row(1)], COLUMNS), content_type=xlsx_type)},
    )
    job = ImportJob.objects.get()
    response = client.post(reverse("members:importjob_decide", args=[job.pk]), {"step": "answers", "all": "skip"}, follow=True)
    assert "Lựa chọn chung không áp dụng được cho các câu hỏi này." in response.content.decode()  # one question: no common answer
    job.refresh_from_db()
    assert len(job.unanswered) == 1
