"""The member list table: its columns, their sort links, its rows and its pages.

The rows are written here as escaped HTML, in one pass over the page's values
(``body_html``); ``templates/members/_table.html`` adds the headers and the pager.
django-tables2 built a cell object per value and rendered each through its own machinery,
which cost the page several times its queries.

Every column but the personal data sorts, by the fields ``members.filters.SORTS`` names
for it, so the page's ``?sort=`` and the FilterSet (shared with the API) agree. The CCCD
and the phone are shown only to those who keep the register (``members.permissions``),
each cell only where the reader may see it; they do not sort, since an order over hidden
values would tell them apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote_plus

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import Promise, cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lib.dates import format_date
from lib.text import full_name
from members.filters import SORTS
from members.models import Sex, Status
from members.permissions import keeps_register_at, register_roots

# The fields the rows read, in one query with the page (no model instance per row).
ROW_FIELDS = (
    "pk",
    "family_name",
    "middle_name",
    "given_name",
    "sex",
    "birth_date",
    "organization__name",
    "organization__path",
    "status",
    "admitted_on",
    "full_member_on",
    "political_theory__name",
    "card_number",
    "national_id",
    "phone",
    "user_id",
)


@dataclass(frozen=True)
class ListColumn:
    key: str  # the ``?sort=`` name (members.filters.SORTS); a row's attribute of the same name
    header: Promise
    personal: bool = False  # CCCD, phone: only for those who keep the register, never sorted


COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("name", _("Họ và tên")),
    ListColumn("sex", _("Giới tính")),
    ListColumn("birth_date", _("Ngày sinh")),
    ListColumn("cell", _("Tên chi bộ")),
    ListColumn("status", _("Trạng thái")),
    ListColumn("admitted_on", _("Ngày vào Đảng")),
    ListColumn("full_member_on", _("Ngày chính thức")),
    ListColumn("political_theory", _("Lý luận chính trị")),
    ListColumn("card_number", _("Số thẻ đảng viên")),
    ListColumn("national_id", _("Số CCCD"), personal=True),
    ListColumn("phone", _("Điện thoại"), personal=True),
)


@dataclass(frozen=True)
class Header:
    label: Promise
    url: str  # "" when the column does not sort
    arrow: str  # "↑", "↓" or "" (not the current sort)


class ListPaginator(Paginator):
    """Pages of a member queryset as ``ROW_FIELDS`` dicts.

    With ``count_in_page`` each row carries ``count(*) OVER ()``, the number of rows the
    filter matches: one pass over them gives both the page and the total. That pays when
    the database must visit every match anyway, as for a text search. Without a search a
    window would make the database read and sort the whole scope for one page that an
    index on the order finds at once, so the page and a ``count()`` are two queries.
    """

    def __init__(self, queryset: QuerySet[Any], per_page: int, *, count_in_page: bool) -> None:
        rows = queryset.values(*ROW_FIELDS)
        if count_in_page:
            rows = rows.annotate(total=Window(Count("pk")))
        super().__init__(rows, per_page)
        self.counted = queryset
        self.count_in_page = count_in_page

    @cached_property
    def count(self) -> int:
        return self.counted.count()

    def get_page(self, number: Any) -> Page:
        try:
            wanted = max(int(number), 1)
        except (TypeError, ValueError):
            wanted = 1
        if not self.count_in_page:
            return super().get_page(wanted)
        bottom = (wanted - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if rows:
            self.__dict__["count"] = rows[0]["total"]  # the cached_property above, answered by the page
            return Page(rows, wanted, self)
        if wanted == 1:
            self.__dict__["count"] = 0
            return Page(rows, 1, self)
        return super().get_page(number)  # past the end: the last page, as Paginator does


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str  # "" for the gap (…)
    current: bool = False


def _linker(path: str, query: QueryDict, key: str, *dropped: str) -> Callable[[Any], str]:
    """Links to ``path`` with the page's query string, ``key`` (and ``dropped``) left out and
    ``key`` set to the value given: the rest is encoded once for all the links."""
    rest = query.copy()
    for name in (key, *dropped):
        rest.pop(name, None)
    encoded = rest.urlencode()
    prefix = f"{path}?{encoded}&{key}=" if encoded else f"{path}?{key}="
    return lambda value: prefix + quote_plus(str(value))


def shows_personal_data(user: Any) -> bool:
    """Whether the list has the CCCD and phone columns: for those who keep a register."""
    return register_roots(user) != []


def headers(columns: Iterable[ListColumn], path: str, query: QueryDict, sort: str) -> list[Header]:
    """The header cells: each sortable column links to its ascending sort, or to the other
    direction when it is the current one, keeping the other filters (and going back to page 1)."""
    current = sort.lstrip("-")
    descending = sort.startswith("-")
    if current not in SORTS:
        current, descending = "name", False  # the default order (members.filters.DEFAULT_SORT)
    link = _linker(path, query, "sort", "page")
    cells = []
    for column in columns:
        if column.personal:
            cells.append(Header(column.header, "", ""))
            continue
        is_current = column.key == current
        target = column.key if not is_current or descending else f"-{column.key}"
        arrow = ("↓" if descending else "↑") if is_current else ""
        cells.append(Header(column.header, link(target), arrow))
    return cells


def body_html(values: Iterable[dict[str, Any]], user: Any, personal: bool) -> SafeString:
    """The table's ``<tr>`` elements for ``values`` (``ROW_FIELDS`` dicts), in the order of
    ``COLUMNS``, every value escaped. No query.

    Written here rather than by a template loop: a page of 50 rows is some 600 values, and
    resolving and escaping each through the template engine cost more than the page's query.
    """
    detail = reverse("members:member_detail", args=[0])
    head, tail = detail.rsplit("/0/", 1)
    sexes = {value: str(label) for value, label in Sex.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    user_pk = getattr(user, "pk", None)
    hidden = f'<td><span class="text-secondary" title="{escape(str(_("Chỉ người quản lý hồ sơ được xem")))}">—</span></td>'
    out = []
    for v in values:
        name = full_name(v["family_name"], v["middle_name"], v["given_name"])
        cells = [f'<tr><td class="text-nowrap"><a href="{head}/{v["pk"]}/{tail}">{escape(name)}</a></td>']
        plain = (
            sexes.get(v["sex"], v["sex"]),
            format_date(v["birth_date"]),
            v["organization__name"] or "",
            statuses.get(v["status"], v["status"]),
            format_date(v["admitted_on"]),
            format_date(v["full_member_on"]),
            v["political_theory__name"] or "",
            v["card_number"] or "",
        )
        cells += [f"<td>{escape(value)}</td>" for value in plain]
        if personal:
            # members.permissions.can_see_personal_data, on the row's values.
            sees = v["user_id"] == user_pk or keeps_register_at(user, v["organization__path"])
            for value in (v["national_id"], v["phone"]):
                cells.append(f"<td>{escape(value or '')}</td>" if sees else hidden)
        cells.append("</tr>")
        out.append("".join(cells))
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped


@dataclass(frozen=True)
class Pager:
    links: list[PageLink]
    previous_url: str  # "" on the first page
    next_url: str  # "" on the last page


def pager(page: Page, paginator: Paginator, path: str, query: QueryDict) -> Pager:
    """The page links (elided: the first, the last and two either side of the current page)."""
    link = _linker(path, query, "page")
    links = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == Paginator.ELLIPSIS:
            links.append(PageLink(str(number), ""))
        else:
            links.append(PageLink(str(number), link(number), number == page.number))
    previous_url = link(page.previous_page_number()) if page.has_previous() else ""
    next_url = link(page.next_page_number()) if page.has_next() else ""
    return Pager(links, previous_url, next_url)
