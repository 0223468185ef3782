"""Checks the member services share: dates, cells, identity numbers, the order of history.

Each raises ``ValidationError`` with a Vietnamese message keyed by the form field.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import update_change_reason

from lib.dates import format_date
from lib.names import person_name_error
from members import rules
from members.models import IN_PARTY_STATUSES, Member, Sex
from orgs.models import Organization

logger = logging.getLogger(__name__)

# Fields of the record that ``member_create`` takes as details and ``member_update`` may
# correct (and that a merge fills, ``members.services_merge.FILL_FIELDS``); status, cells
# and dates of admission go through their own rules.
DETAIL_FIELDS = {
    "other_names",
    "national_id",
    "ethnicity",
    "religion",
    "hometown",
    "residence",
    "phone",
    "general_education",
    "professional_education",
    "professional_education_text",  # as written («Cử nhân Kinh tế») beside the list's entry
    "political_theory",
    "job",
    "post",
    "host_unit",
    "card_number",
    "profile_number",
    "party_age_gap_months",
    "account",
}


def not_future(name: str, date: dt.date | None, label: str | Promise) -> None:
    if rules.is_future(date):
        raise ValidationError(
            {name: _("%(what)s (%(date)s) không được sau ngày hôm nay.") % {"what": label, "date": format_date(date)}}
        )


def required(name: str, value: Any, label: str | Promise) -> None:
    if value in (None, ""):
        raise ValidationError({name: _("Hãy nhập %(what)s.") % {"what": label}})


def check_cell(org: Organization | None, date: dt.date, name: str = "organization") -> Organization:
    if org is None:
        raise ValidationError({name: _("Hãy chọn chi bộ.")})
    if not org.is_cell:
        raise ValidationError(
            {
                name: _("«%(name)s» không phải chi bộ: đảng viên sinh hoạt ở chi bộ cơ sở hoặc chi bộ trực thuộc.")
                % {"name": org.name}
            }
        )
    if org.dissolved_on is not None or not org.is_active_on(date):
        raise ValidationError(
            {
                name: _("Chi bộ «%(name)s» đã giải thể hoặc chưa thành lập vào ngày %(date)s.")
                % {"name": org.name, "date": format_date(date)}
            }
        )
    return org


def check_national_id(value: str | None, exclude_pk: int | None = None, *, user: Any = None) -> str | None:
    """The CCCD, cleaned; refused when malformed or already recorded for another member.

    The refusal names the member who holds the number only when ``user`` may read their
    record: otherwise the form would tell anyone who holds any CCCD in the whole register
    (the import refuses without naming too)."""
    value = (value or "").strip() or None
    if value is None:
        return None
    error = rules.national_id_format_error(value)
    if error:
        raise ValidationError({"national_id": error})
    same = Member.objects.filter(national_id=value)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    clash = same.first()
    if clash:
        if user is not None and Member.objects.for_user(user).filter(pk=clash.pk).exists():
            message = _("Số CCCD %(cccd)s đã có trong hồ sơ đảng viên %(name)s.") % {"cccd": value, "name": clash.full_name}
        else:
            message = _("Số CCCD %(cccd)s đã có trong hồ sơ đảng viên.") % {"cccd": value}
        raise ValidationError({"national_id": message})
    return value


def check_card_number(value: str | None, exclude_pk: int | None = None) -> str | None:
    value = (value or "").strip() or None
    same = Member.objects.filter(card_number=value)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if value and same.exists():
        raise ValidationError({"card_number": _("Số thẻ đảng viên %(number)s đã được cấp cho người khác.") % {"number": value}})
    return value


# Translated only when a message uses them: an import checks the dates of 150,000 rows.
_REQUIRED_LABELS = {"birth_date": gettext_lazy("ngày sinh"), "admitted_on": gettext_lazy("ngày vào Đảng")}
_DATE_LABELS = {
    "birth_date": gettext_lazy("Ngày sinh"),
    "admitted_on": gettext_lazy("Ngày vào Đảng"),
    "ceremony_on": gettext_lazy("Ngày lễ kết nạp"),
    "full_member_on": gettext_lazy("Ngày chính thức"),
}


def check_party_dates(
    *, birth_date: dt.date, admitted_on: dt.date, ceremony_on: dt.date | None, full_member_on: dt.date | None
) -> list[str]:
    """Dates of birth, admission, ceremony and full membership; returns warnings."""
    required("birth_date", birth_date, _REQUIRED_LABELS["birth_date"])
    required("admitted_on", admitted_on, _REQUIRED_LABELS["admitted_on"])
    not_future("birth_date", birth_date, _DATE_LABELS["birth_date"])
    not_future("admitted_on", admitted_on, _DATE_LABELS["admitted_on"])
    not_future("ceremony_on", ceremony_on, _DATE_LABELS["ceremony_on"])
    not_future("full_member_on", full_member_on, _DATE_LABELS["full_member_on"])
    error = rules.admission_age_error(birth_date, admitted_on)
    if error:
        raise ValidationError({"admitted_on": error})
    warnings = []
    if ceremony_on is not None:
        if ceremony_on < admitted_on:
            raise ValidationError({"ceremony_on": _("Lễ kết nạp phải từ ngày ghi trong quyết định kết nạp trở đi.")})
        deadline = rules.ceremony_deadline(admitted_on)
        if ceremony_on > deadline:
            warnings.append(
                _("Lễ kết nạp ngày %(date)s muộn hơn hạn %(deadline)s (%(days)s ngày làm việc kể từ quyết định kết nạp).")
                % {"date": format_date(ceremony_on), "deadline": format_date(deadline), "days": rules.CEREMONY_WORKING_DAYS}
            )
    if full_member_on is not None:
        error = rules.full_membership_error(admitted_on=admitted_on, ceremony_on=ceremony_on, full_on=full_member_on)
        if error:
            raise ValidationError({"full_member_on": error})
    return warnings


def check_in_party(member: Member) -> None:
    if member.status not in IN_PARTY_STATUSES:
        raise ValidationError(
            _("Đảng viên %(name)s đang ở trạng thái «%(status)s».")
            % {"name": member.full_name, "status": member.get_status_display()}
        )


def check_after_status(member: Member, date: dt.date, name: str = "effective_on") -> None:
    """Changes are recorded in date order, so the status history stays linear."""
    if member.status_since and date < member.status_since:
        raise ValidationError(
            {
                name: _("Trạng thái hiện tại «%(status)s» có từ ngày %(date)s; thay đổi mới phải từ ngày đó trở đi.")
                % {"status": member.get_status_display(), "date": format_date(member.status_since)}
            }
        )


def actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def history_reason(obj: Any, text: str) -> None:
    """Store ``text`` as the reason of ``obj``'s latest history row.

    The reason is part of the record, read by every later user: it is written in
    Vietnamese, the register's language, whatever language the writer reads (not gettext).
    """
    try:
        update_change_reason(obj, text)
    except Exception:  # noqa: BLE001 - a missing history row must not stop the change
        logger.warning("No history row to give a reason to: %s", obj)


def apply_details(member: Member, details: dict[str, Any], *, user: Any = None) -> None:
    """Set ``details`` on ``member`` (not saved); ``user``: who records them (see ``check_national_id``)."""
    unknown = set(details) - DETAIL_FIELDS
    if unknown:
        raise ValidationError(_("Không có trường: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in details.items():
        if name == "account":
            member.user = value
        elif name == "national_id":
            member.national_id = check_national_id(value, member.pk, user=user)
        elif name == "card_number":
            member.card_number = check_card_number(value, member.pk)
        elif name == "party_age_gap_months":
            member.party_age_gap_months = int(value or 0)
        else:
            setattr(member, name, value.strip() if isinstance(value, str) else value)


def check_identity(member: Member) -> list[str]:
    member.family_name = (member.family_name or "").strip()
    member.middle_name = (member.middle_name or "").strip()
    member.given_name = (member.given_name or "").strip()
    for name in ("family_name", "middle_name", "given_name"):
        error = person_name_error(getattr(member, name))
        if error:
            raise ValidationError({name: error})
    required("family_name", member.family_name, _("họ"))
    required("given_name", member.given_name, _("tên"))
    if member.sex not in Sex.values:
        raise ValidationError({"sex": _("Hãy chọn giới tính.")})
    if member.national_id:
        return rules.national_id_warnings(member.national_id, sex=member.sex, birth_date=member.birth_date)
    return []
