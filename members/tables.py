"""The member list table: its sort links, its rows and its pages.

The columns are ``members.columns.PAGE_COLUMNS``, the same definitions as the export and
the import, in the same order and under the same headers. The rows are written here as
escaped HTML, in one pass over the page's values (``body_html``);
``templates/members/_table.html`` adds the headers and the pager. django-tables2 built a
cell object per value and rendered each through its own machinery, which cost the page
several times its queries.

Every column but the personal data sorts, by what its definition orders by
(``members.filters.SORTS``), so the page's ``?sort=`` and the FilterSet (shared with the
API) agree. The CCCD and the phone are shown only to those who keep the register
(``members.permissions``), each cell only where the reader may see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote_plus

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from lib.dates import format_date
from lib.importer import Date
from lib.text import full_name
from members.columns import NAME_KEYS, PAGE_COLUMNS, MemberColumn
from members.filters import SORTS
from members.permissions import keeps_register_at, register_roots

# The fields the rows read, in one query with the page (no model instance per row): the
# row's own (its link, whose personal data it is) and each page column's value.
ROW_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(("pk", "user_id", "organization__path", *NAME_KEYS, *(c.lookup for c in PAGE_COLUMNS if c.lookup is not None)))
)


@dataclass(frozen=True)
class Header:
    label: str
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


def headers(columns: Iterable[MemberColumn], path: str, query: QueryDict, sort: str) -> list[Header]:
    """The header cells: each sortable column links to its ascending sort, or to the other
    direction when it is the current one, keeping the other filters (and going back to page 1)."""
    current = sort.lstrip("-")
    descending = sort.startswith("-")
    if current not in SORTS:
        current, descending = "name", False  # the default order (members.filters.DEFAULT_SORT)
    link = _linker(path, query, "sort", "page")
    cells = []
    for column in columns:
        label = gettext(column.label)
        if not column.sort:
            cells.append(Header(label, "", ""))
            continue
        is_current = column.sort == current
        target = column.sort if not is_current or descending else f"-{column.sort}"
        arrow = ("↓" if descending else "↑") if is_current else ""
        cells.append(Header(label, link(target), arrow))
    return cells


def _shown(column: MemberColumn) -> Callable[[Any], str]:
    """How the page writes a value of ``column``: a choice by its label, a date dd/mm/yyyy."""
    if column.choices is not None:
        labels = {value: str(label) for value, label in column.choices.choices}
        return lambda value: labels.get(value, value or "")
    if isinstance(column.file.parser, Date):
        return format_date
    return lambda value: "" if value is None else str(value)


# Long names (a cell may be called "Chi bộ Phòng Quản lý ngân sách, tin học và thống kê…"):
# cut to one line so that the table fits a 1366 px screen (static/css/dangbo.css).
TRUNCATED = {"organization__name", "temporary_organization__name"}


def body_html(
    values: Iterable[dict[str, Any]], user: Any, columns: Sequence[MemberColumn], *, selectable: bool = False
) -> SafeString:
    """The table's ``<tr>`` elements for ``values`` (``ROW_FIELDS`` dicts), a cell for each of
    ``columns`` in their order, every value escaped. No query.

    With ``selectable`` each row starts with a cell for the bulk transfer (the list's
    ``form="bulk"``): a checkbox where the user keeps the member's register, else empty.

    Written here rather than by a template loop: a page of 50 rows is some 600 values, and
    resolving and escaping each through the template engine cost more than the page's query.
    """
    detail = reverse("members:member_detail", args=[0])
    head, tail = detail.rsplit("/0/", 1)
    user_pk = getattr(user, "pk", None)
    hidden = f'<td><span class="text-secondary" title="{escape(gettext("Chỉ người quản lý hồ sơ được xem"))}">—</span></td>'
    # (lookup or None for the name, personal, how the value is written), once for the page.
    cells_of = [(c.lookup, c.personal, _shown(c)) for c in columns]
    pick = escape(gettext("Chọn đảng viên"))
    out = []
    for v in values:
        cells = ["<tr>"]
        sees: bool | None = None
        if selectable:
            if keeps_register_at(user, v["organization__path"]):
                cells.append(
                    f'<td><input class="form-check-input m-0" type="checkbox" form="bulk" name="member" '
                    f'value="{v["pk"]}" aria-label="{pick}"></td>'
                )
            else:
                cells.append("<td></td>")
        for lookup, personal, shown in cells_of:
            if lookup is None:  # the full name, a link to the member's page
                name = full_name(v["family_name"], v["middle_name"], v["given_name"])
                cells.append(f'<td class="text-nowrap"><a href="{head}/{v["pk"]}/{tail}">{escape(name)}</a></td>')
                continue
            if personal:
                if sees is None:  # members.permissions.can_see_personal_data, on the row's values
                    sees = v["user_id"] == user_pk or keeps_register_at(user, v["organization__path"])
                if not sees:
                    cells.append(hidden)
                    continue
            text = escape(shown(v[lookup]))
            if lookup in TRUNCATED:  # one line at any width; the whole name in the title
                cells.append(f'<td><div class="text-truncate member-table-long" title="{text}">{text}</div></td>')
                continue
            cells.append(f"<td>{text}</td>")
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
