"""Organizations: list, detail, children, the tree as of a date, history, terms.

Every read starts from ``Organization.objects.for_user(user)``: an organization outside
the user's scope answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Query, Router, Schema

from accounts.rights import can_read
from api.common import (
    SLUG_MAX,
    SLUG_PATTERN,
    Code,
    DateParam,
    LongText,
    Name,
    PageParams,
    QueryParams,
    SearchText,
    ShortText,
    current_user,
    format_day,
    page,
)
from api.errors import ERROR_RESPONSES, ApiNotFound, not_found_message
from lib.history import HIDDEN
from lib.i18n import lazy_text
from lib.text import fold
from orgs.history import organization_history as history_of
from orgs.models import Level, Organization, OrgChange, OrgChangeLink, OrgKind, OrgVersion, Sector, Term
from orgs.services import organization_rename, tree_as_of

router = Router(tags=[lazy_text(gettext_lazy("Tổ chức đảng"))])

CODE_PATH = Path(
    ..., pattern=SLUG_PATTERN, max_length=SLUG_MAX, description=lazy_text(gettext_lazy("Mã tổ chức (Organization.code)."))
)


# ---------------------------------------------------------------------------------------
# Schemas


class KindOut(Schema):
    code: str
    name: str
    level: str = Field(description="central, province, upper, base_committee, base_cell, partial_committee, cell")
    level_name: str


class SectorOut(Schema):
    code: str
    name: str


class OrgOut(Schema):
    code: str
    name: str
    short_name: str
    kind: KindOut
    sector: SectorOut | None
    parent: str | None = Field(
        description=lazy_text(gettext_lazy("Mã tổ chức cấp trên (null khi ở ngoài phạm vi của người dùng)."))
    )
    depth: int
    founded_on: dt.date
    dissolved_on: dt.date | None
    is_active: bool
    children_count: int = Field(
        description=lazy_text(gettext_lazy("Số tổ chức trực thuộc trong cây hiện tại, kể cả đã giải thể."))
    )


class OrgDetailOut(OrgOut):
    path: str
    host_unit: str
    founding_decision: str
    dissolution_decision: str
    successor: str | None


class OrgPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OrgOut]


class OrgFilters(QueryParams):
    q: SearchText | None = Field(
        None, description=lazy_text(gettext_lazy("Tìm theo mã, tên, tên viết tắt; không phân biệt dấu."))
    )
    kind: Code | None = Field(None, description=lazy_text(gettext_lazy("Mã loại tổ chức.")))
    level: Level | None = Field(None, description=lazy_text(gettext_lazy("Cấp của loại tổ chức.")))
    sector: Code | None = Field(None, description=lazy_text(gettext_lazy("Mã loại hình.")))
    parent: Code | None = Field(None, description=lazy_text(gettext_lazy("Mã tổ chức cấp trên trực tiếp.")))
    active: bool | None = Field(None, description=lazy_text(gettext_lazy("true: chưa giải thể hôm nay; false: đã giải thể.")))
    as_of: DateParam | None = Field(None, description=lazy_text(gettext_lazy("Chỉ các tổ chức đang tồn tại vào ngày này.")))


class ChildFilters(QueryParams):
    active: bool | None = Field(None, description=lazy_text(gettext_lazy("true: chưa giải thể hôm nay; false: đã giải thể.")))


class TreeParams(QueryParams):
    date: DateParam | None = Field(None, description=lazy_text(gettext_lazy("Ngày xem cây (mặc định: hôm nay).")))
    max_depth: int | None = Field(
        None, ge=0, le=20, description=lazy_text(gettext_lazy("Chỉ lấy đến bấy nhiêu cấp dưới tổ chức gốc."))
    )


class TreeNodeOut(Schema):
    code: str
    name: str
    short_name: str
    kind: KindOut
    sector: SectorOut | None
    parent: str | None = Field(description=lazy_text(gettext_lazy("Mã tổ chức cấp trên trong cây này (null ở gốc).")))
    path: str
    depth: int
    valid_from: dt.date
    valid_to: dt.date | None


class TreeOut(Schema):
    date: dt.date
    root: str
    count: int
    nodes: list[TreeNodeOut]


class ChangeOut(Schema):
    date: dt.date
    kind: str
    kind_name: str
    summary: str
    decision_no: str
    roles: list[str] = Field(
        description=lazy_text(gettext_lazy("Vai trò của tổ chức này trong thay đổi (subject, source, target…)."))
    )


class FieldChangeOut(Schema):
    field: str
    label: str
    old: str | None
    new: str | None


class RecordOut(Schema):
    when: dt.datetime
    who: str | None
    type: str = Field(description="created, changed, deleted")
    reason: str | None
    changes: list[FieldChangeOut]


class HistoryOut(Schema):
    code: str
    changes: list[ChangeOut]
    records: list[RecordOut]


class RenameIn(Schema):
    name: Name = Field(description=lazy_text(gettext_lazy("Tên mới.")))
    short_name: ShortText | None = Field(None, description=lazy_text(gettext_lazy("Tên viết tắt mới (không gửi: giữ nguyên).")))
    effective_on: DateParam = Field(description=lazy_text(gettext_lazy("Ngày hiệu lực của quyết định.")))
    decision_no: ShortText = Field("", description=lazy_text(gettext_lazy("Số quyết định.")))
    note: LongText = ""


class ChangeResultOut(Schema):
    organization: OrgDetailOut
    effects: list[str]


class SeatOut(Schema):
    role: str
    role_name: str
    holder_name: str
    started_on: dt.date
    ended_on: dt.date | None
    decision_no: str


class TermOut(Schema):
    name: str
    starts_on: dt.date
    ends_on: dt.date | None
    congress_number: str
    seats: list[SeatOut]


class TermPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[TermOut]


# ---------------------------------------------------------------------------------------
# Helpers


def _visible(request: HttpRequest):
    return Organization.objects.for_user(current_user(request)).select_related("kind", "sector")


def _get_org(request: HttpRequest, code: str) -> Organization:
    org = _visible(request).filter(code=code).first()
    if org is None:
        raise ApiNotFound(not_found_message())
    return org


def _kind(kind: OrgKind) -> dict[str, Any]:
    return {"code": kind.code, "name": kind.name, "level": kind.level, "level_name": str(Level(kind.level).label)}


def _sector(sector: Sector | None) -> dict[str, Any] | None:
    return {"code": sector.code, "name": sector.name} if sector else None


def _parent_path(org: Organization) -> str | None:
    return org.path[: -Organization.steplen] if org.depth > 1 else None


def _parent_codes(request: HttpRequest, orgs: Iterable[Organization]) -> dict[str, str]:
    """Codes of the parents the user may read, keyed by path: one query for a page."""
    paths = {p for p in (_parent_path(o) for o in orgs) if p}
    if not paths:
        return {}
    rows = Organization.objects.for_user(current_user(request)).filter(path__in=paths).values_list("path", "code")
    return dict(rows)


def _org_out(org: Organization, parents: dict[str, str], today: dt.date) -> dict[str, Any]:
    return {
        "code": org.code,
        "name": org.name,
        "short_name": org.short_name,
        "kind": _kind(org.kind),
        "sector": _sector(org.sector),
        "parent": parents.get(_parent_path(org) or ""),
        "depth": org.depth,
        "founded_on": org.founded_on,
        "dissolved_on": org.dissolved_on,
        "is_active": org.dissolved_on is None or today < org.dissolved_on,
        "children_count": org.numchild,
    }


def _active_q(active: bool, today: dt.date) -> Q:
    q = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today)
    return q if active else ~q


def _org_page(request: HttpRequest, qs, params: PageParams) -> dict[str, Any]:
    count, rows = page(qs.order_by("path"), params)
    parents = _parent_codes(request, rows)
    today = dt.date.today()
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "items": [_org_out(o, parents, today) for o in rows],
    }


# ---------------------------------------------------------------------------------------
# Operations


@router.get(
    "/organizations",
    response={200: OrgPage, **ERROR_RESPONSES},
    operation_id="organization_list",
    summary=lazy_text(gettext_lazy("Danh sách tổ chức đảng")),
)
def organization_list(request: HttpRequest, filters: Query[OrgFilters], paging: Query[PageParams]):
    """Organizations in the user's scope, in tree order, filtered and paged."""
    qs = _visible(request)
    if filters.q:
        for word in fold(filters.q).split():
            qs = qs.filter(search_text__contains=word)
    if filters.kind:
        qs = qs.filter(kind__code=filters.kind)
    if filters.level:
        qs = qs.filter(kind__level=filters.level)
    if filters.sector:
        qs = qs.filter(sector__code=filters.sector)
    if filters.parent:
        parent = Organization.objects.for_user(current_user(request)).filter(code=filters.parent).first()
        qs = qs.none() if parent is None else qs.children_of(parent)
    if filters.active is not None:
        qs = qs.filter(_active_q(filters.active, dt.date.today()))
    if filters.as_of:
        qs = qs.filter(founded_on__lte=filters.as_of).filter(_active_q(True, filters.as_of))
    return _org_page(request, qs, paging)


@router.get(
    "/organizations/{code}",
    response={200: OrgDetailOut, **ERROR_RESPONSES},
    operation_id="organization_detail",
    summary=lazy_text(gettext_lazy("Chi tiết tổ chức")),
)
def organization_detail(request: HttpRequest, code: str = CODE_PATH):
    return _detail_out(request, _get_org(request, code))


def _detail_out(request: HttpRequest, org: Organization) -> dict[str, Any]:
    out = _org_out(org, _parent_codes(request, [org]), dt.date.today())
    successor = org.successor if org.successor_id else None
    out.update(
        path=org.path,
        host_unit=org.host_unit,
        founding_decision=org.founding_decision,
        dissolution_decision=org.dissolution_decision,
        successor=successor.code if successor and can_read(current_user(request), successor) else None,
    )
    return out


@router.get(
    "/organizations/{code}/children",
    response={200: OrgPage, **ERROR_RESPONSES},
    operation_id="organization_children",
    summary=lazy_text(gettext_lazy("Các tổ chức trực thuộc")),
)
def organization_children(request: HttpRequest, filters: Query[ChildFilters], paging: Query[PageParams], code: str = CODE_PATH):
    org = _get_org(request, code)
    qs = _visible(request).children_of(org)
    if filters.active is not None:
        qs = qs.filter(_active_q(filters.active, dt.date.today()))
    return _org_page(request, qs, paging)


@router.get(
    "/organizations/{code}/tree",
    response={200: TreeOut, **ERROR_RESPONSES},
    operation_id="organization_tree",
    summary=lazy_text(gettext_lazy("Cây tổ chức tại một ngày")),
)
def organization_tree(request: HttpRequest, params: Query[TreeParams], code: str = CODE_PATH):
    """The subtree under ``code`` as it was on ``date``, with the names and places of then."""
    org = _get_org(request, code)
    day = params.date or dt.date.today()
    version = OrgVersion.objects.for_user(current_user(request), on=day).as_of(day).filter(organization=org).first()
    if version is None:
        raise ApiNotFound(_("«%(name)s» không tồn tại vào ngày %(date)s.") % {"name": org.name, "date": format_day(day)})
    rows = tree_as_of(day, user=current_user(request), root_path=version.path)
    if params.max_depth is not None:
        rows = [v for v in rows if v.depth <= version.depth + params.max_depth]
    sectors = Sector.objects.in_bulk()
    codes = {v.organization_id: v.organization.code for v in rows}
    nodes = [
        {
            "code": v.organization.code,
            "name": v.name,
            "short_name": v.short_name,
            "kind": _kind(v.kind),
            "sector": _sector(sectors.get(v.sector_id)) if v.sector_id else None,
            "parent": codes.get(v.parent_id) if v.parent_id is not None and v.organization_id != org.pk else None,
            "path": v.path,
            "depth": v.depth,
            "valid_from": v.valid_from,
            "valid_to": v.valid_to,
        }
        for v in rows
    ]
    return {"date": day, "root": org.code, "count": len(nodes), "nodes": nodes}


# The values of the history are shown as the page shows them (lib.history); null for nothing
# and for what the reader may not read (a successor outside the scope, as in the detail).
def _history_value(value: str) -> str | None:
    return None if value in ("", str(HIDDEN)) else value


@router.get(
    "/organizations/{code}/history",
    response={200: HistoryOut, **ERROR_RESPONSES},
    operation_id="organization_history",
    summary=lazy_text(gettext_lazy("Lịch sử thay đổi của tổ chức")),
)
def organization_history(request: HttpRequest, code: str = CODE_PATH):
    """The dated decisions (OrgChange) and every recorded edit with its fields before and after."""
    org = _get_org(request, code)
    changes: dict[int, dict[str, Any]] = {}
    links = (
        OrgChangeLink.objects.filter(organization=org, change__in=OrgChange.objects.for_user(current_user(request)))
        .select_related("change")
        .order_by("-change__effective_on", "-change_id")
    )
    for link in links:
        c = link.change
        entry = changes.setdefault(
            c.pk,
            {
                "date": c.effective_on,
                "kind": c.kind,
                "kind_name": c.get_kind_display(),
                "summary": c.summary,
                "decision_no": c.decision_no,
                "roles": [],
            },
        )
        entry["roles"].append(link.role)

    records = [
        {
            "when": entry.date,
            "who": entry.user or None,
            "type": entry.type,
            "reason": entry.reason or None,
            "changes": [
                {"field": c.field, "label": c.label, "old": _history_value(c.old), "new": _history_value(c.new)}
                for c in entry.changes
            ],
        }
        for entry in history_of(org, user=current_user(request), name_by_code=True)
    ]
    return {"code": org.code, "changes": list(changes.values()), "records": records}


@router.get(
    "/organizations/{code}/terms",
    response={200: TermPage, **ERROR_RESPONSES},
    operation_id="organization_terms",
    summary=lazy_text(gettext_lazy("Nhiệm kỳ và cấp ủy")),
)
def organization_terms(request: HttpRequest, paging: Query[PageParams], code: str = CODE_PATH):
    org = _get_org(request, code)
    qs = Term.objects.for_user(current_user(request)).filter(organization=org).prefetch_related("seats").order_by("-starts_on")
    count, terms = page(qs, paging)
    items = [
        {
            "name": t.name,
            "starts_on": t.starts_on,
            "ends_on": t.ends_on,
            "congress_number": t.congress_number,
            "seats": [
                {
                    "role": s.role,
                    "role_name": s.get_role_display(),
                    "holder_name": s.holder_name,
                    "started_on": s.started_on,
                    "ended_on": s.ended_on,
                    "decision_no": s.decision_no,
                }
                for s in t.seats.all()
            ],
        }
        for t in terms
    ]
    return {"count": count, "limit": paging.limit, "offset": paging.offset, "items": items}


@router.post(
    "/organizations/{code}/rename",
    response={200: ChangeResultOut, **ERROR_RESPONSES},
    operation_id="organization_rename",
    summary=lazy_text(gettext_lazy("Đổi tên tổ chức")),
)
def organization_rename_op(request: HttpRequest, payload: RenameIn, code: str = CODE_PATH):
    """Rename through ``orgs.services.organization_rename``: dated, recorded, kept in history."""
    user = current_user(request)
    org = _get_org(request, code)
    if not user.has_perm("orgs.restructure", org):
        raise PermissionDenied
    result = organization_rename(
        organization=org,
        name=payload.name,
        short_name=payload.short_name,
        effective_on=payload.effective_on,
        decision_no=payload.decision_no,
        note=payload.note,
        user=user,
    )
    org = _visible(request).get(pk=org.pk)
    return {"organization": _detail_out(request, org), "effects": result.effects}
