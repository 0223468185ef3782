"""What the member pages need beyond the services and selectors: the change log of a
record, the state of its transfers, and the printable profile (2-HSĐV) as .docx and PDF.
Read-only helpers; nothing here changes the register.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from lib import documents, history
from lib.dates import format_date
from lib.history import HistoryEntry
from members.models import Member, MemberMerge, Transfer, TransferKind, TransferStatus
from members.permissions import can_see_personal_data
from members.selectors import member_timeline

HISTORY_LIMIT = 30


# ---------------------------------------------------------------------------------------
# Change log


# The fields of the record that only the member and the keepers of their register see.
PERSONAL_FIELDS = ("national_id", "phone")


def history_entries(member: Member, user: Any, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The newest ``limit`` history records of ``member`` with each changed field, as
    ``user`` may read them: the CCCD and phone read "(ẩn)" unless ``can_see_personal_data``."""
    hidden = () if can_see_personal_data(user, member) else PERSONAL_FIELDS
    # The records merged into this one (members.services_merge.member_merge): their history too.
    merged = dict(MemberMerge.objects.filter(kept=member).values_list("dropped_id", "dropped_name"))
    if not merged:
        return history.history_entries(history.recent(member.history, limit), limit=limit, hidden_fields=hidden)

    def subject(record: Any) -> str:
        if record.id == member.pk:
            return ""
        return _("Hồ sơ đã gộp vào hồ sơ này: %(name)s (mã %(id)s)") % {"name": merged[record.id], "id": record.id}

    records = Member.history.filter(id__in=[member.pk, *merged])
    return history.history_entries(history.recent(records, limit), limit=limit, hidden_fields=hidden, subject=subject)


# ---------------------------------------------------------------------------------------
# Transfers


@dataclass
class TransferRow:
    transfer: Transfer
    deadline: dt.date | None
    overdue: bool
    buttons: list[Any] = field(default_factory=list)  # the actions the page offers (members.views.Button)


def transfer_rows(member: Member, today: dt.date | None = None) -> list[TransferRow]:
    """The member's transfers, newest first, each with its next deadline and whether it is past
    (the same conditions as ``selectors.overdue_transfers``, Quy định 294-QĐ/TW §6.3)."""
    today = today or dt.date.today()
    rows = []
    for t in member.transfers.select_related("from_org", "to_org"):
        deadline = None
        if t.status == TransferStatus.OPEN:
            if t.kind == TransferKind.TEMPORARY:
                deadline = t.ends_on
            elif t.letter_on is None:
                deadline = t.start_deadline
            elif t.presented_on is None:
                deadline = t.present_deadline
        rows.append(TransferRow(t, deadline, bool(deadline and deadline < today)))
    return rows


# ---------------------------------------------------------------------------------------
# The printable profile (phiếu đảng viên, mẫu 2-HSĐV)


def _value(obj: Any) -> str:
    return str(obj) if obj else ""


HIDDEN = history.HIDDEN


def profile_fields(member: Member, today: dt.date | None = None, *, personal: bool = True) -> list[tuple[str, str]]:
    """The lines of the 2-HSĐV form, numbered as on the form, with the member's values.

    ``personal``: whether the reader may see the CCCD and phone (``can_see_personal_data``);
    if not, those lines read "(ẩn)", as on the member page.
    """
    today = today or dt.date.today()
    cell = member.organization
    return [
        (_("1. Họ và tên đang dùng"), member.full_name),
        (_("2. Họ và tên khai sinh"), member.full_name),
        (_("3. Tên gọi khác"), member.other_names),
        (_("4. Giới tính"), member.get_sex_display()),
        (_("5. Ngày sinh"), format_date(member.birth_date)),
        (_("6. Số CCCD"), (member.national_id or "") if personal else str(HIDDEN)),
        (_("7. Quê quán"), member.hometown),
        (_("8. Nơi ở hiện nay"), member.residence),
        (_("9. Dân tộc"), _value(member.ethnicity)),
        (_("10. Tôn giáo"), _value(member.religion)),
        (_("11. Nghề nghiệp"), member.job),
        (_("12. Trình độ giáo dục phổ thông"), _value(member.general_education)),
        (_("13. Trình độ chuyên môn, nghiệp vụ"), _value(member.professional_education)),
        (_("14. Trình độ lý luận chính trị"), _value(member.political_theory)),
        (_("15. Chức vụ, đơn vị công tác"), ", ".join(p for p in (member.post, member.host_unit) if p)),
        (_("16. Ngày vào Đảng"), format_date(member.admitted_on)),
        (_("17. Ngày chính thức"), format_date(member.full_member_on)),
        (_("18. Chi bộ sinh hoạt"), cell.name if cell else ""),
        (
            _("19. Trạng thái"),
            _("%(status)s (từ %(date)s)") % {"status": member.get_status_display(), "date": format_date(member.status_since)},
        ),
        (_("20. Điện thoại"), member.phone if personal else str(HIDDEN)),
    ]


def profile_context(member: Member, today: dt.date | None = None, *, personal: bool = True) -> dict[str, Any]:
    today = today or dt.date.today()
    badges = [
        {"years": b.years, "awarded_on": format_date(b.awarded_on), "decision_no": b.decision_no}
        for b in member.badge_awards.all()
    ]
    timeline = [{"on": format_date(e.on), "text": e.text} for e in member_timeline(member)]
    return {
        "title": _("PHIẾU ĐẢNG VIÊN"),
        "form_code": _("Mẫu 2-HSĐV"),
        "profile_number": member.profile_number,
        "card_number": member.card_number or "",
        "full_name": member.full_name,
        "fields": [{"label": label, "value": value} for label, value in profile_fields(member, today, personal=personal)],
        "badges": badges,
        "timeline": timeline,
        "printed_on": format_date(today),
    }


def _profile_template() -> Any:
    """The 2-HSĐV layout as a docxtpl template built in code (reviewed in diffs, not as a binary)."""
    doc = documents.new_document(font_size=13)
    documents.add_paragraph(doc, "{{ form_code }}", italic=True, size=12)
    documents.add_paragraph(doc, _("ĐẢNG CỘNG SẢN VIỆT NAM"), bold=True, center=True, size=14)
    documents.add_paragraph(doc, "{{ title }}", bold=True, center=True, size=16)
    documents.add_fields(doc, [(_("Số lý lịch"), "{{ profile_number }}"), (_("Số thẻ đảng viên"), "{{ card_number }}")])
    documents.add_loop_table(
        doc, [_("Mục"), _("Nội dung")], items="fields", item="f", fields=["label", "value"], widths_mm=[70, 95]
    )
    documents.add_heading(doc, _("Quá trình sinh hoạt đảng"), level=2)
    documents.add_loop_table(
        doc, [_("Ngày"), _("Nội dung")], items="timeline", item="e", fields=["on", "text"], widths_mm=[30, 135]
    )
    documents.add_heading(doc, _("Huy hiệu Đảng"), level=2)
    documents.add_loop_table(
        doc,
        [_("Huy hiệu (năm tuổi Đảng)"), _("Ngày trao tặng"), _("Số quyết định")],
        items="badges",
        item="b",
        fields=["years", "awarded_on", "decision_no"],
        widths_mm=[55, 45, 65],
    )
    documents.add_paragraph(doc, _("Ngày in: %(date)s") % {"date": "{{ printed_on }}"}, italic=True)
    return doc


def profile_docx(member: Member, *, personal: bool = True) -> bytes:
    return documents.render_docx(_profile_template(), profile_context(member, personal=personal))


def profile_pdf(member: Member, *, personal: bool = True) -> bytes:
    html = render_to_string("members/profile_pdf.html", profile_context(member, personal=personal))
    return documents.render_pdf(html)
