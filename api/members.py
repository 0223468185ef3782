"""Members: the list (the page's FilterSet, search and sorting), a member, their status and cell history, statistics.

Every read starts from ``Member.objects.for_user(user)``: a member outside the user's
scope answers 404, exactly like one that does not exist; a member user reads only their
own record. The list is filtered by ``members.filters.MemberFilter``, the same FilterSet as
the list page, with the same parameter names; a value it refuses answers 422.

The national ID (CCCD) and the phone number are personal data: they are given to the
member themself and to those who keep the member's register (``members.change``: the
administrator, the upper level's organization board, the base committee, the cell
secretary), and are ``null`` for every other reader (viewers, other boards).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import AfterValidator, WithJsonSchema

from accounts.models import User
from accounts.rights import can_read
from api.common import Code, DateParam, PageParams, QueryParams, SearchText, current_user, page
from api.errors import ERROR_RESPONSES, ApiNotFound, not_found_message
from lib.i18n import lazy_format, lazy_text
from members import rules
from members.filters import ALL_STATUSES, IN_PARTY, SORTS, MemberFilter
from members.models import Member, MembershipKind, Sex
from members.models import Status as MemberStatus
from members.permissions import can_see_personal_data
from members.selectors import AGE_BANDS, Row, member_statistics
from orgs.models import Organization

router = Router(tags=[lazy_text(gettext_lazy("Đảng viên"))])

# Ids are bigint: a larger number cannot name a row (and SQLite cannot even bind it).
MAX_ID = 2**63 - 1
ID_PATH = Path(..., ge=1, le=MAX_ID, description=lazy_text(gettext_lazy("Mã số (id) của đảng viên.")))

# What the rows of the list read, in the one query of the page.
ROW_RELATIONS = ("organization", "political_theory")
DETAIL_RELATIONS = (
    "organization",
    "temporary_organization",
    "ethnicity",
    "religion",
    "general_education",
    "professional_education",
    "political_theory",
)

# Statistics are counted by age on the reference date: keep it to the party's own era.
FIRST_STATISTICS_YEAR, LAST_STATISTICS_YEAR = 1930, 2100


def _choice(values: tuple[str, ...]) -> tuple[AfterValidator, WithJsonSchema]:
    """A string among ``values``: documented as an enum, refused in Vietnamese otherwise."""

    def check(value: str) -> str:
        if value not in values:
            raise ValueError(_("Phải là một trong các giá trị: %(expected)s.") % {"expected": ", ".join(values)})
        return value

    return AfterValidator(check), WithJsonSchema({"type": "string", "enum": list(values)})


# The FilterSet's choices, spelled out for the OpenAPI document (checked against it in the tests).
STATUS_VALUES = (IN_PARTY, *MemberStatus.values, ALL_STATUSES)
SEX_VALUES = tuple(Sex.values)
AGE_BAND_VALUES = tuple(key for key, _label, _lo, _hi in AGE_BANDS)
SORT_VALUES = tuple(v for name in SORTS for v in (name, f"-{name}"))
StatusValue = Annotated[str, *_choice(STATUS_VALUES)]
SexValue = Annotated[str, *_choice(SEX_VALUES)]
AgeBandValue = Annotated[str, *_choice(AGE_BAND_VALUES)]
SortValue = Annotated[str, *_choice(SORT_VALUES)]


# ---------------------------------------------------------------------------------------
# Schemas


class OrgRef(Schema):
    code: str | None = Field(description=lazy_text(gettext_lazy("Mã tổ chức (null khi tổ chức ở ngoài phạm vi của người dùng).")))
    name: str


class ListRef(Schema):
    code: str
    name: str


class MemberOut(Schema):
    id: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    sex: str = Field(description=lazy_text(gettext_lazy("M: nam, F: nữ.")))
    sex_name: str
    birth_date: dt.date
    status: str
    status_name: str
    status_since: dt.date | None
    organization: OrgRef = Field(description=lazy_text(gettext_lazy("Chi bộ đang sinh hoạt chính thức.")))
    admitted_on: dt.date = Field(description=lazy_text(gettext_lazy("Ngày vào Đảng.")))
    full_member_on: dt.date | None = Field(description=lazy_text(gettext_lazy("Ngày chính thức.")))
    card_number: str | None = Field(description=lazy_text(gettext_lazy("Số thẻ đảng viên.")))
    political_theory: ListRef | None = Field(description=lazy_text(gettext_lazy("Trình độ lý luận chính trị.")))


class MemberPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MemberOut]


class BadgeOut(Schema):
    years: int = Field(description=lazy_text(gettext_lazy("Số năm tuổi Đảng của huy hiệu.")))
    due_on: dt.date = Field(description=lazy_text(gettext_lazy("Ngày đủ tuổi Đảng.")))
    earliest_for_illness: dt.date = Field(description=lazy_text(gettext_lazy("Ngày sớm nhất được xét tặng sớm khi ốm nặng.")))


class MemberDetailOut(MemberOut):
    other_names: str
    national_id: str | None = Field(
        description=lazy_text(gettext_lazy("Số CCCD: chỉ trả cho chính đảng viên và người quản lý hồ sơ (null với người khác)."))
    )
    phone: str | None = Field(description=lazy_text(gettext_lazy("Điện thoại: cùng quy tắc như số CCCD.")))
    personal_data_hidden: bool = Field(
        description=lazy_text(gettext_lazy("true khi số CCCD và điện thoại bị ẩn với người đọc này."))
    )
    ethnicity: ListRef | None
    religion: ListRef | None
    hometown: str
    residence: str
    general_education: ListRef | None
    professional_education: ListRef | None
    professional_education_text: str = Field(
        description=lazy_text(gettext_lazy("Chuyên môn, nghiệp vụ ghi đầy đủ như trong hồ sơ, ví dụ «Cử nhân Kinh tế».")),
    )
    job: str
    post: str
    host_unit: str
    temporary_organization: OrgRef | None = Field(description=lazy_text(gettext_lazy("Chi bộ sinh hoạt tạm thời (nếu có).")))
    ceremony_on: dt.date | None = Field(description=lazy_text(gettext_lazy("Ngày tổ chức lễ kết nạp.")))
    profile_number: str = Field(description=lazy_text(gettext_lazy("Số lý lịch.")))
    is_in_party: bool
    age: int = Field(description=lazy_text(gettext_lazy("Tuổi hôm nay.")))
    party_age: int | None = Field(description=lazy_text(gettext_lazy("Tuổi Đảng hôm nay (null khi còn dự bị).")))
    is_youth: bool = Field(
        description=lazy_format(gettext_lazy("Đảng viên trẻ: từ %(age)s tuổi trở xuống hôm nay."), age=rules.YOUTH_MAX_AGE)
    )
    next_badge: BadgeOut | None = Field(
        description=lazy_text(gettext_lazy("Huy hiệu Đảng tiếp theo chưa được tặng (null khi chưa chính thức)."))
    )


class StatusChangeOut(Schema):
    date: dt.date = Field(description=lazy_text(gettext_lazy("Ngày hiệu lực.")))
    status: str
    status_name: str
    decision_no: str
    note: str


class StatusHistoryOut(Schema):
    member: int
    count: int
    items: list[StatusChangeOut]


class MembershipOut(Schema):
    organization: OrgRef
    kind: str = Field(description=lazy_text(gettext_lazy("permanent (chính thức) hoặc temporary (tạm thời).")))
    kind_name: str
    started_on: dt.date
    ended_on: dt.date | None
    decision_no: str = Field(description=lazy_text(gettext_lazy("Số quyết định hoặc giấy giới thiệu.")))
    note: str


class CellHistoryOut(Schema):
    member: int
    count: int
    items: list[MembershipOut]


class StatRowOut(Schema):
    key: str
    label: str
    count: int


class StatisticsOut(Schema):
    date: dt.date
    organization: OrgRef | None
    total: int = Field(
        description=lazy_text(gettext_lazy("Số đảng viên trong Đảng vào ngày này (không tính sinh hoạt tạm thời)."))
    )
    youth: int
    by_status: list[StatRowOut]
    by_sex: list[StatRowOut]
    by_age_band: list[StatRowOut]
    by_ethnicity: list[StatRowOut]
    by_religion: list[StatRowOut]
    by_general_education: list[StatRowOut]
    by_professional_education: list[StatRowOut]
    by_political_theory: list[StatRowOut]


class MemberFilters(QueryParams):
    """The list page's filters, same names and values (``members.filters.MemberFilter``)."""

    q: SearchText | None = Field(
        None,
        description=lazy_text(
            gettext_lazy("Họ tên, tên gọi khác, số CCCD, số thẻ; không phân biệt dấu và hoa thường, mọi từ phải có.")
        ),
    )
    organization: Code | None = Field(None, description=lazy_text(gettext_lazy("Mã tổ chức: đảng viên của cả cây con.")))
    status: StatusValue | None = Field(
        None,
        description=lazy_format(
            gettext_lazy("Trạng thái; %(in_party)s (mặc định): dự bị, chính thức, miễn, đình chỉ; %(all)s: mọi hồ sơ."),
            in_party=IN_PARTY,
            all=ALL_STATUSES,
        ),
    )
    sex: SexValue | None = Field(None, description=lazy_text(gettext_lazy("M: nam, F: nữ.")))
    age_band: AgeBandValue | None = Field(None, description=lazy_text(gettext_lazy("Độ tuổi hôm nay.")))
    ethnicity: Code | None = Field(None, description=lazy_text(gettext_lazy("Mã dân tộc.")))
    youth: Literal["1", "0"] | None = Field(
        None,
        description=lazy_format(gettext_lazy("1: từ %(age)s tuổi trở xuống; 0: trên %(age)s tuổi."), age=rules.YOUTH_MAX_AGE),
    )
    party_age: int | None = Field(
        None, ge=0, le=100, description=lazy_text(gettext_lazy("Tuổi Đảng từ bấy nhiêu năm (đảng viên chính thức)."))
    )
    admitted_year: int | None = Field(None, ge=1930, le=2100, description=lazy_text(gettext_lazy("Năm vào Đảng.")))
    political_theory: Code | None = Field(None, description=lazy_text(gettext_lazy("Mã trình độ lý luận chính trị.")))
    sort: SortValue | None = Field(
        None,
        description=lazy_text(
            gettext_lazy("Sắp xếp; dấu - ở đầu: giảm dần. Mặc định: theo tên rồi họ, tên đệm (thứ tự tiếng Việt).")
        ),
    )


def _statistics_day(value: dt.date | None) -> dt.date | None:
    if value is not None and not FIRST_STATISTICS_YEAR <= value.year <= LAST_STATISTICS_YEAR:
        raise ValueError(
            _("Ngày thống kê phải trong các năm %(first)s–%(last)s.")
            % {"first": FIRST_STATISTICS_YEAR, "last": LAST_STATISTICS_YEAR}
        )
    return value


class StatisticsParams(QueryParams):
    organization: Code | None = Field(
        None, description=lazy_text(gettext_lazy("Mã tổ chức (mặc định: cả phạm vi của người dùng)."))
    )
    date: Annotated[DateParam | None, AfterValidator(_statistics_day)] = Field(
        None, description=lazy_text(gettext_lazy("Ngày thống kê (mặc định: hôm nay)."))
    )


# ---------------------------------------------------------------------------------------
# Helpers


def _visible(request: HttpRequest):
    return Member.objects.for_user(current_user(request))


def _get_member(request: HttpRequest, member_id: int, *relations: str) -> Member:
    member = _visible(request).select_related(*relations).filter(pk=member_id).first()
    if member is None:
        raise ApiNotFound(not_found_message())
    return member


def _org_ref(org: Organization, user: User) -> dict[str, Any]:
    """An organization named; its code only when the user may read it (a member's old cell may lie outside)."""
    return {"code": org.code if can_read(user, org) else None, "name": org.name}


def _list_ref(entry: Any) -> dict[str, str] | None:
    return {"code": entry.code, "name": entry.name} if entry is not None else None


def _sees_personal_data(user: User, member: Member) -> bool:
    return can_see_personal_data(user, member)


def _member_out(member: Member, user: User) -> dict[str, Any]:
    return {
        "id": member.pk,
        "full_name": member.full_name,
        "family_name": member.family_name,
        "middle_name": member.middle_name,
        "given_name": member.given_name,
        "sex": member.sex,
        "sex_name": member.get_sex_display(),
        "birth_date": member.birth_date,
        "status": member.status,
        "status_name": member.get_status_display(),
        "status_since": member.status_since,
        "organization": _org_ref(member.organization, user),
        "admitted_on": member.admitted_on,
        "full_member_on": member.full_member_on,
        "card_number": member.card_number,
        "political_theory": _list_ref(member.political_theory),
    }


def _form_errors(form: Any) -> list[dict[str, str]]:
    return [
        {"field": "" if field == "__all__" else field, "message": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]


# ---------------------------------------------------------------------------------------
# Operations


@router.get(
    "/members",
    response={200: MemberPage, **ERROR_RESPONSES},
    operation_id="member_list",
    summary=lazy_text(gettext_lazy("Danh sách đảng viên")),
)
def member_list(request: HttpRequest, filters: Query[MemberFilters], paging: Query[PageParams]):
    """Members in the user's scope, filtered, searched and sorted by the list page's FilterSet, and paged.

    One query for the rows and one for the total.
    """
    user = current_user(request)
    data = {name: str(value) for name, value in filters.dict(exclude_none=True).items()}
    filterset = MemberFilter(data, queryset=_visible(request).select_related(*ROW_RELATIONS), request=request)
    if not filterset.is_valid():
        errors = _form_errors(filterset.form)
        first = errors[0] if errors else {"field": "request", "message": _("Giá trị không hợp lệ.")}
        detail = _("Yêu cầu không hợp lệ: %(field)s: %(message)s") % first
        return Status(422, {"detail": detail, "errors": errors})
    count, rows = page(filterset.qs, paging)
    return Status(
        200,
        {"count": count, "limit": paging.limit, "offset": paging.offset, "items": [_member_out(m, user) for m in rows]},
    )


@router.get(
    "/members/statistics",
    response={200: StatisticsOut, **ERROR_RESPONSES},
    operation_id="member_statistics",
    summary=lazy_text(gettext_lazy("Thống kê đảng viên")),
)
def member_statistics_op(request: HttpRequest, params: Query[StatisticsParams]):
    """Members in the party on ``date`` in the user's scope (or ``organization``'s subtree), by each dimension.

    Counted by the status each member had on that date and the permanent cell they were
    in then (``members.selectors.member_statistics``).
    """
    user = current_user(request)
    organization = None
    if params.organization:
        organization = Organization.objects.for_user(user).filter(code=params.organization).first()
        if organization is None:
            raise ApiNotFound(not_found_message())
    day = params.date or dt.date.today()
    stats = member_statistics(_visible(request), on=day, organization=organization)

    def rows(items: list[Row]) -> list[dict[str, Any]]:
        return [{"key": r.key, "label": r.label, "count": r.count} for r in items]

    body: dict[str, Any] = {
        "date": stats.on,
        "organization": _org_ref(organization, user) if organization else None,
        "total": stats.total,
        "youth": stats.youth,
    }
    body.update({f"by_{name}": rows(items) for name, items in stats.dimensions().items()})
    return Status(200, body)


@router.get(
    "/members/{member_id}",
    response={200: MemberDetailOut, **ERROR_RESPONSES},
    operation_id="member_detail",
    summary=lazy_text(gettext_lazy("Hồ sơ đảng viên")),
)
def member_detail(request: HttpRequest, member_id: int = ID_PATH):
    """The member's record (form 2-HSĐV) with the values derived today: age, party age, youth, next badge."""
    user = current_user(request)
    member = _get_member(request, member_id, *DETAIL_RELATIONS)
    today = dt.date.today()
    personal = _sees_personal_data(user, member)
    badge = member.next_badge() if member.is_in_party else None
    out = _member_out(member, user)
    out.update(
        other_names=member.other_names,
        national_id=member.national_id if personal else None,
        phone=member.phone if personal else None,
        personal_data_hidden=not personal,
        ethnicity=_list_ref(member.ethnicity),
        religion=_list_ref(member.religion),
        hometown=member.hometown,
        residence=member.residence,
        general_education=_list_ref(member.general_education),
        professional_education=_list_ref(member.professional_education),
        professional_education_text=member.professional_education_text,
        job=member.job,
        post=member.post,
        host_unit=member.host_unit,
        temporary_organization=_org_ref(member.temporary_organization, user) if member.temporary_organization else None,
        ceremony_on=member.ceremony_on,
        profile_number=member.profile_number,
        is_in_party=member.is_in_party,
        age=member.age(today),
        party_age=member.party_age(today),
        is_youth=member.is_youth(today),
        next_badge=(
            {"years": badge.years, "due_on": badge.due_on, "earliest_for_illness": badge.earliest_for_illness} if badge else None
        ),
    )
    return Status(200, out)


@router.get(
    "/members/{member_id}/status-history",
    response={200: StatusHistoryOut, **ERROR_RESPONSES},
    operation_id="member_status_history",
    summary=lazy_text(gettext_lazy("Quá trình trạng thái của đảng viên")),
)
def member_status_history(request: HttpRequest, member_id: int = ID_PATH):
    """Every dated status of the member, oldest first; the last one is the current status."""
    member = _get_member(request, member_id)
    items = [
        {
            "date": c.effective_on,
            "status": c.status,
            "status_name": c.get_status_display(),
            "decision_no": c.decision_no,
            "note": c.note,
        }
        for c in member.status_changes.order_by("effective_on", "id")
    ]
    return Status(200, {"member": member.pk, "count": len(items), "items": items})


@router.get(
    "/members/{member_id}/cell-history",
    response={200: CellHistoryOut, **ERROR_RESPONSES},
    operation_id="member_cell_history",
    summary=lazy_text(gettext_lazy("Quá trình sinh hoạt chi bộ của đảng viên")),
)
def member_cell_history(request: HttpRequest, member_id: int = ID_PATH):
    """The cells the member belonged to, permanently or temporarily, oldest first (an open row has no end)."""
    user = current_user(request)
    member = _get_member(request, member_id)
    rows = member.memberships.select_related("organization").order_by("started_on", "id")
    items = [
        {
            "organization": _org_ref(m.organization, user),
            "kind": m.kind,
            "kind_name": str(MembershipKind(m.kind).label),
            "started_on": m.started_on,
            "ended_on": m.ended_on,
            "decision_no": m.decision_no,
            "note": m.note,
        }
        for m in rows
    ]
    return Status(200, {"member": member.pk, "count": len(items), "items": items})
