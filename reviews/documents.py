"""The filled review forms as Word and PDF: the member's Mẫu 2A/2B/2C and the organization's
Mẫu 01 (Hướng dẫn 43-HD/BTCTW, 2025), with the official header block of party documents
(Hướng dẫn 36-HD/VPTW, 2018: the issuing body on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the
place and date on the right), Times New Roman 13."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from lib import documents
from lib.dates import format_date
from lib.numbers import format_number
from orgs.labels import issuer_above
from reviews.models import MemberReview, OrganizationReview
from reviews.regimes import b_366, common
from reviews.regimes.base import TaskOutcome, Tasks


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


def _context(review: MemberReview | OrganizationReview) -> dict[str, Any]:
    round = review.round
    if isinstance(review, MemberReview):
        unit = review.cell
        form_code = _("Mẫu %(code)s") % {"code": review.form}
        title = _("BẢN TỰ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM %(year)s") % {"year": round.year}
        subject = [
            (_("Họ và tên"), review.member.full_name),
            (_("Ngày sinh"), _value(review.member.birth_date)),
            (_("Chức vụ"), review.post or review.member.post or "—"),
            (_("Chi bộ"), review.cell.name),
        ]
        points = [
            (_("Tiêu chí chung (tối đa %(points)s điểm)") % {"points": b_366.GENERAL_POINTS}, _value(review.general_points)),
            (
                _("Kết quả thực hiện nhiệm vụ (tối đa %(points)s điểm)") % {"points": b_366.RESULT_POINTS},
                _value(review.result_points),
            ),
        ]
        total = (
            review.general_points + review.result_points
            if review.general_points is not None and review.result_points is not None
            else None
        )
        signer = _("NGƯỜI TỰ KIỂM ĐIỂM")
        signer_name = review.member.full_name
    else:
        unit = review.organization
        form_code = _("Mẫu 01")
        title = _("BÁO CÁO KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TẬP THỂ NĂM %(year)s") % {"year": round.year}
        subject = [(_("Tổ chức đảng"), review.organization.name)]
        if review.target_share is not None:
            subject.append((_("Tỷ lệ chỉ tiêu hoàn thành"), f"{review.target_share * 100:.0f}%"))
        points = []
        total = review.points
        signer = _("T/M CẤP ỦY")
        signer_name = ""
    tasks = Tasks(review.tasks_total, review.tasks_late, review.tasks_above)
    outcomes = {value: str(label) for value, label in TaskOutcome.choices}
    return {
        "form_code": form_code,
        "issuer_above": issuer_above(unit),
        "issuer": unit.name.upper(),
        "date_line": _("ngày %(day)s tháng %(month)s năm %(year)s")
        % {
            "day": f"{round.reference_date.day:02d}",
            "month": f"{round.reference_date.month:02d}",
            "year": round.reference_date.year,
        },
        "title": title,
        "subject": subject,
        "points": [
            *points,
            (_("Số nhiệm vụ được giao"), str(review.tasks_total)),
            (_("Số nhiệm vụ chậm tiến độ"), str(review.tasks_late)),
            (_("Số nhiệm vụ vượt yêu cầu"), str(review.tasks_above)),
            (_("Tỷ lệ nhiệm vụ đúng tiến độ"), common.percent(tasks.on_time_share()) if tasks.total else "—"),
            (_("Tỷ lệ nhiệm vụ vượt yêu cầu"), common.percent(tasks.above_share()) if tasks.total else "—"),
            (_("Tổng điểm"), _value(total)),
        ],
        "tasks": [(str(i), t["name"], outcomes.get(t["outcome"], t["outcome"])) for i, t in enumerate(review.tasks, start=1)],
        "steps": [
            (_("Tự xếp loại"), review.get_self_rating_display() or "—"),
            (_("Mức theo quy định"), review.get_proposed_rating_display() or "—"),
            (_("Cấp ủy đề xuất"), review.get_appraised_rating_display() or "—"),
            (_("Cấp có thẩm quyền quyết định"), review.get_rating_display() or "—"),
            (
                _("Quyết định"),
                _("số %(number)s ngày %(date)s") % {"number": review.decision_number, "date": _value(review.decided_on)}
                if review.decision_number
                else "—",
            ),
        ],
        "reasons": [f"{r['text']} ({r['document']})" for r in review.proposal_reasons],
        "signer": signer,
        "signer_name": signer_name,
    }


def review_docx(review: MemberReview | OrganizationReview) -> bytes:
    c = _context(review)
    doc = documents.new_document(font_size=13)
    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text, right.text = "", ""
    for cell, lines in (
        (left, [(c["issuer_above"], False), (c["issuer"], True), ("*", False)]),
        (right, [(_("ĐẢNG CỘNG SẢN VIỆT NAM"), True), (c["date_line"], False)]),
    ):
        first = True
        for text, bold in lines:
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            paragraph.alignment = 1  # centre
            run = paragraph.add_run(text)
            run.bold = bold
            run.italic = text == c["date_line"]
    documents.add_paragraph(doc, c["form_code"], italic=True, size=12)
    documents.add_paragraph(doc, c["title"], bold=True, center=True, size=14)
    documents.add_fields(doc, c["subject"])
    documents.add_table(doc, [_("Nội dung"), _("Kết quả")], c["points"], widths_mm=[110, 55])
    if c["tasks"]:
        documents.add_heading(doc, _("Các nhiệm vụ trong năm"), level=2)
        documents.add_table(doc, [_("STT"), _("Nhiệm vụ"), _("Kết quả")], c["tasks"], widths_mm=[12, 98, 55])
    documents.add_heading(doc, _("Kết quả các bước"), level=2)
    documents.add_table(doc, [_("Bước"), _("Mức xếp loại")], c["steps"], widths_mm=[110, 55])
    if c["reasons"]:
        documents.add_heading(doc, _("Căn cứ của mức theo quy định"), level=2)
        for reason in c["reasons"]:
            doc.add_paragraph(reason, style="List Bullet")
    documents.add_paragraph(doc, c["signer"], bold=True, center=True)
    documents.add_paragraph(doc, _("(Ký, ghi rõ họ tên)"), italic=True, center=True)
    documents.add_paragraph(doc, c["signer_name"], bold=True, center=True)
    return documents.document_bytes(doc)


def review_pdf(review: MemberReview | OrganizationReview) -> bytes:
    return documents.render_pdf(render_to_string("reviews/review_pdf.html", _context(review)))


def report_docx(report: Any) -> bytes:
    """The year-end report as Word: the paragraph, then the counts and the table by sub-organization."""
    doc = documents.new_document(font_size=13)
    documents.add_paragraph(doc, report.organization.name.upper(), bold=True, center=True)
    documents.add_paragraph(
        doc,
        _("BÁO CÁO KẾT QUẢ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM %(year)s") % {"year": report.year},
        bold=True,
        center=True,
        size=14,
    )
    documents.add_paragraph(doc, report.narrative)
    ratings = (
        (_("Hoàn thành xuất sắc nhiệm vụ"), "excellent"),
        (_("Hoàn thành tốt nhiệm vụ"), "good"),
        (_("Hoàn thành nhiệm vụ"), "complete"),
        (_("Không hoàn thành nhiệm vụ"), "not_complete"),
    )
    documents.add_table(
        doc,
        [_("Mức xếp loại"), _("Tổ chức cơ sở đảng"), _("Đảng viên")],
        [(label, getattr(report.bases, key), getattr(report.members, key)) for label, key in ratings],
        widths_mm=[85, 40, 40],
    )
    documents.add_heading(doc, _("Theo đơn vị trực thuộc"), level=2)
    documents.add_table(
        doc,
        [_("Đơn vị"), _("ĐV xuất sắc"), _("ĐV tốt"), _("ĐV hoàn thành"), _("ĐV không hoàn thành"), _("Không xếp loại")],
        [
            (r.label, r.members.excellent, r.members.good, r.members.complete, r.members.not_complete, r.members.not_rated)
            for r in report.by_child
        ],
    )
    return documents.document_bytes(doc)
