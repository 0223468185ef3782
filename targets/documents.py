"""The report "Báo cáo kết quả thực hiện các chỉ tiêu Nghị quyết Đại hội" for an organization
and a period (one year, or the term to date), as Word and PDF.

The numbers and sentences come from ``targets.tracking`` (``track`` and the sentence
functions it uses); this module lays them out and states, under each sentence, the
arithmetic behind it with the same rounding. Header block and fonts as the review forms
(Hướng dẫn 36-HD/VPTW, 2018: the issuing body on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and
the date on the right; Times New Roman 13).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from lib import documents
from lib.dates import format_date
from lib.numbers import ONE_PLACE
from orgs.labels import issuer_above
from orgs.models import Organization
from targets.models import Period, Resolution, Target, Unit
from targets.tracking import (
    HUNDRED,
    Tracking,
    YearValue,
    allocations_summed,
    decimal_vi,
    is_cumulative,
    state,
    track,
)

# Landscape A4 for the table of years; margins of Hướng dẫn 36-HD/VPTW (see lib.documents).
LANDSCAPE_CSS = "@page { size: A4 landscape; margin: 20mm 15mm 20mm 30mm; }"


# ---------------------------------------------------------------------------------------
# Status and arithmetic


def status_text(tracking: Tracking, *, year: int | None, as_of: dt.date) -> str:
    """đạt / không đạt / đúng tiến độ / có nguy cơ không đạt / chưa có số liệu, in the words of
    ``tracking.state`` judged the day after ``as_of`` (the period reported is over).

    A yearly target in a one-year report is judged on that year alone (``state`` judges every
    year measured up to it)."""
    if tracking.target.period == Period.EACH_YEAR and year is not None:
        met = tracking.to_date.met if tracking.to_date else None
        label = _("Chưa có số liệu") if met is None else (_("Đạt") if met else _("Không đạt"))
    else:
        label = str(state(tracking, today=as_of + dt.timedelta(days=1)).label)
    return label[:1].lower() + label[1:]


def _rounded(value: Decimal) -> Decimal:
    return Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def count_arithmetic(value: Decimal, threshold: Decimal) -> str:
    """The arithmetic of ``tracking.count_comparison``: above, x = (value ÷ threshold − 1) × 100;
    below, y = value ÷ threshold × 100; both rounded half up to one decimal."""
    value, threshold = Decimal(value), Decimal(threshold)
    if not threshold or value == threshold:
        return f"{decimal_vi(value)} = {decimal_vi(threshold)}" if threshold else ""
    if value > threshold:
        return f"({decimal_vi(value)} ÷ {decimal_vi(threshold)} − 1) × 100 = {decimal_vi((value / threshold - 1) * HUNDRED)}%"
    return f"{decimal_vi(value)} ÷ {decimal_vi(threshold)} × 100 = {decimal_vi(value / threshold * HUNDRED)}%"


def rate_arithmetic(year_value: YearValue) -> str:
    """The arithmetic of ``tracking.rate_sentence``: the rate n ÷ d × 100 (when measured from
    the data), rounded half up to one decimal, minus the threshold in percentage points."""
    value, threshold = year_value.value, year_value.definition.threshold
    if value is None:
        return ""
    shown = _rounded(value)
    parts = []
    found = year_value.measure
    if found is not None and found.denominator:
        parts.append(
            f"{decimal_vi(Decimal(found.numerator))} ÷ {decimal_vi(Decimal(found.denominator))} × 100 = {decimal_vi(shown)}%"
        )
    else:
        parts.append(_("nhập tay: %(value)s%%") % {"value": decimal_vi(shown)})
    difference = shown - Decimal(threshold)
    sign = "+" if difference > 0 else ("−" if difference < 0 else "")
    parts.append(
        _("%(value)s − %(threshold)s = %(sign)s%(points)s điểm phần trăm")
        % {"value": decimal_vi(shown), "threshold": decimal_vi(threshold), "sign": sign, "points": decimal_vi(abs(difference))}
    )
    return "; ".join(parts)


def arithmetic(year_value: YearValue | None, tracking: Tracking) -> str:
    """How the sentence of ``year_value`` was computed (empty when nothing was measured)."""
    if year_value is None or year_value.value is None:
        return ""
    definition = year_value.definition
    if definition.unit == Unit.PERCENT:
        return rate_arithmetic(year_value)
    thresholds = [definition.threshold]
    if is_cumulative(definition):
        thresholds += [a.threshold for a in tracking.allocations]
    return "; ".join(filter(None, (count_arithmetic(year_value.value, t) for t in thresholds)))


# ---------------------------------------------------------------------------------------
# The report's rows


def _value(year_value: YearValue, unit: str) -> str:
    if year_value.value is None:
        return "–"
    return decimal_vi(year_value.value) + ("%" if unit == Unit.PERCENT else "")


def threshold_text(target: Any) -> str:
    return f"{target.get_comparison_display()} {decimal_vi(target.threshold)}{'%' if target.unit == Unit.PERCENT else ''}"


@dataclass
class ReportRow:
    tracking: Tracking
    number: str
    wording: str
    threshold: str
    allocation: str
    values: list[str]
    status: str
    sentence: str
    arithmetic: str
    is_child: bool = False


@dataclass
class TargetsReport:
    resolution: Resolution
    organization: Organization
    year: int | None
    as_of: dt.date
    today: dt.date
    years: list[int]
    rows: list[ReportRow] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        if self.year is not None:
            return _("Năm %(year)s") % {"year": self.year}
        return _("Từ đầu nhiệm kỳ đến ngày %(date)s") % {"date": format_date(self.as_of)}

    @property
    def subtitle(self) -> str:
        resolution = self.resolution
        number = _(" lần thứ %(number)s") % {"number": resolution.congress_number} if resolution.congress_number else ""
        return _("Đại hội %(name)s%(number)s, nhiệm kỳ %(term)s") % {
            "name": resolution.organization.name,
            "number": number,
            "term": resolution.term_name,
        }


def _allocation(tracking: Tracking, organization: Organization) -> str:
    """The thresholds allocated to ``organization`` by the level above, and, for the
    resolution's own organization, its allocations to the levels below summed against its target."""
    unit = "%" if tracking.target.unit == Unit.PERCENT else ""
    lines = [
        _("%(body)s phân bổ: %(value)s%(unit)s") % {"body": a.allocated_by, "value": decimal_vi(a.threshold), "unit": unit}
        for a in tracking.allocations
    ]
    target = tracking.target
    if organization.pk == target.resolution.organization_id and target.allocations.exists():
        total, own = allocations_summed(target)
        lines.append(
            _("Đã phân bổ cho cấp dưới: %(total)s (chỉ tiêu Nghị quyết %(own)s)")
            % {"total": decimal_vi(total), "own": decimal_vi(own)}
        )
    return "; ".join(lines) or "–"


def _sentence(tracking: Tracking, year: int | None) -> tuple[str, str]:
    """The sentence and its arithmetic: the year's (or the term to date's); a yearly target
    over the term says each year measured."""
    if year is not None or tracking.target.period != Period.EACH_YEAR:
        chosen = tracking.to_date
        if chosen is None:
            return _("chưa có số liệu"), ""
        return chosen.sentence, arithmetic(chosen, tracking)
    measured = [y for y in tracking.years if y.value is not None]
    if not measured:
        return _("chưa có số liệu"), ""
    sentence = "; ".join(_("năm %(year)s %(sentence)s") % {"year": y.year, "sentence": y.sentence} for y in measured)
    sums = "; ".join(f"{y.year}: {arithmetic(y, tracking)}" for y in measured)
    return sentence, sums


def build_report(
    resolution: Resolution, organization: Organization, *, year: int | None, user: Any, today: dt.date | None = None
) -> TargetsReport:
    """Every target of ``resolution`` over ``organization``'s subtree for ``year`` (None: the
    term to date), with the readings of ``user``'s scope."""
    today = today or dt.date.today()
    if year is not None:
        as_of = dt.date(year, 12, 31)
        years = [year]
    else:
        as_of = min(today, dt.date(resolution.end_year, 12, 31))
        years = list(range(resolution.start_year, as_of.year + 1))
    report = TargetsReport(resolution, organization, year, as_of, today, years)
    targets = list(resolution.targets.select_related("resolution__organization").order_by("position", "pk"))
    parents = [t for t in targets if t.parent_id is None]
    children: dict[int, list[Target]] = {}
    for t in targets:
        if t.parent_id is not None:
            children.setdefault(t.parent_id, []).append(t)
    for index, parent in enumerate(parents, start=1):
        report.rows.append(_row(parent, organization, str(index), report, user))
        for sub, child in enumerate(children.get(parent.pk, []), start=1):
            report.rows.append(_row(child, organization, f"{index}.{sub}", report, user, is_child=True))
    return report


def _row(target: Target, organization: Organization, number: str, report: TargetsReport, user: Any, **kwargs: Any) -> ReportRow:
    tracking = track(target, organization, user=user, today=report.as_of)
    by_year = {y.year: y for y in tracking.years}
    values = [_value(by_year[y], target.unit) if y in by_year else "–" for y in report.years]
    sentence, sums = _sentence(tracking, report.year)
    return ReportRow(
        tracking=tracking,
        number=number,
        wording=target.wording,
        threshold=threshold_text(target),
        allocation=_allocation(tracking, organization),
        values=values,
        status=status_text(tracking, year=report.year, as_of=report.as_of),
        sentence=sentence,
        arithmetic=sums,
        **kwargs,
    )


# ---------------------------------------------------------------------------------------
# Documents


def _context(report: TargetsReport) -> dict[str, Any]:
    organization = report.organization
    headers = [
        _("TT"),
        _("Chỉ tiêu"),
        _("Chỉ tiêu Nghị quyết"),
        _("Chỉ tiêu được phân bổ"),
        *(_("Năm %(year)s") % {"year": y} for y in report.years),
        _("Đánh giá"),
    ]
    return {
        "report": report,
        "issuer_above": issuer_above(organization),
        "issuer": organization.name.upper(),
        "date_line": _("ngày %(day)s tháng %(month)s năm %(year)s")
        % {"day": f"{report.today.day:02d}", "month": f"{report.today.month:02d}", "year": report.today.year},
        "title": _("BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NGHỊ QUYẾT ĐẠI HỘI"),
        "subtitle": report.subtitle,
        "period": report.period_label,
        "scope": (
            _("Phạm vi: %(name)s") % {"name": organization.name} if organization.pk != report.resolution.organization_id else ""
        ),
        "headers": headers,
        "cumulative_note": _(
            "Chỉ tiêu cả nhiệm kỳ (hoặc đến một năm) được tính cộng dồn từ đầu nhiệm kỳ đến hết mỗi năm; "
            "chỉ tiêu hằng năm được tính trong từng năm."
        ),
        "method": [
            _(
                "Chỉ tiêu số lượng: vượt x% với x = (kết quả ÷ chỉ tiêu − 1) × 100; "
                "chưa đạt thì ghi đạt y% chỉ tiêu với y = kết quả ÷ chỉ tiêu × 100."
            ),
            _(
                "Chỉ tiêu tỷ lệ: tỷ lệ = tử số ÷ mẫu số × 100; chênh lệch tính bằng điểm phần trăm "
                "= tỷ lệ (đã làm tròn) − mức chỉ tiêu."
            ),
            _("Các số được làm tròn nửa lên đến một chữ số thập phân."),
            _(
                "Chỉ tiêu cả nhiệm kỳ chưa đạt khi nhiệm kỳ chưa kết thúc: đúng tiến độ nếu kết quả đến nay "
                "× thời gian nhiệm kỳ ÷ thời gian đã qua đạt chỉ tiêu, nếu không thì có nguy cơ không đạt."
            ),
        ],
        "signer": _("T/M CẤP ỦY"),
    }


def report_docx(report: TargetsReport) -> bytes:
    c = _context(report)
    doc = documents.new_document(font_size=13, landscape=True)
    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text, right.text = "", ""
    for cell, lines in (
        (left, [(c["issuer_above"], False, False), (c["issuer"], True, False), ("*", False, False)]),
        (right, [(_("ĐẢNG CỘNG SẢN VIỆT NAM"), True, False), (c["date_line"], False, True)]),
    ):
        for i, (text, bold, italic) in enumerate(lines):
            paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            paragraph.alignment = 1  # centre
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic
    documents.add_paragraph(doc, c["title"], bold=True, center=True, size=14)
    documents.add_paragraph(doc, c["subtitle"], bold=True, center=True)
    documents.add_paragraph(doc, c["period"], italic=True, center=True)
    if c["scope"]:
        documents.add_paragraph(doc, c["scope"], center=True)
    documents.add_heading(doc, _("I. Các chỉ tiêu và kết quả"), level=2)
    documents.add_table(
        doc,
        c["headers"],
        [(r.number, r.wording, r.threshold, r.allocation, *r.values, r.status) for r in report.rows],
    )
    documents.add_paragraph(doc, c["cumulative_note"], italic=True, size=12)
    documents.add_heading(doc, _("II. Kết quả thực hiện"), level=2)
    for row in report.rows:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{row.number}. {row.wording}: ").bold = True
        paragraph.add_run(f"{row.sentence} ({row.status}).")
        if row.arithmetic:
            documents.add_paragraph(doc, _("Cách tính: %(sums)s") % {"sums": row.arithmetic}, italic=True, size=12)
    documents.add_heading(doc, _("III. Cách tính"), level=2)
    for line in c["method"]:
        doc.add_paragraph(line, style="List Bullet")
    documents.add_paragraph(doc, c["signer"], bold=True, center=True)
    documents.add_paragraph(doc, _("(Ký, ghi rõ họ tên)"), italic=True, center=True)
    return documents.document_bytes(doc)


def report_pdf(report: TargetsReport) -> bytes:
    return documents.render_pdf(render_to_string("targets/report_pdf.html", _context(report)), stylesheets=[LANDSCAPE_CSS])
